"""The Django side of a survey estimation: stored files to local paths, and the result as JSON to save.

Everything else — the inputs, the wizard's check and the estimation with its progress callback — is the domain's
(`kesu.domain.survey.inputs`, `kesu.domain.survey.analysis.analyse`).
"""

from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import Any

import numpy as np
from django.db.models.fields.files import FieldFile

from kesu.domain.survey.analysis import Analysis
from kesu.domain.survey.errors import SurveyError
from kesu.domain.survey.inputs import Inputs
from kesu.domain.survey.report import analysis_dict

CHUNK = 1024 * 1024


@contextmanager
def stored_inputs(obj: Any) -> Iterator[Inputs]:
    """From a SurveyUpload or SurveyRun, whose files live in Django's storage (a folder, or an S3 bucket):
    each is copied into a temporary folder for the domain's readers, which take paths; removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="kesu-survey-inputs-") as tmp:
        yield Inputs(
            responses=_local_copy(obj.responses_file, Path(tmp) / "responses"),
            responses_name=obj.responses_name,
            instrument_preset=obj.instrument_preset,
            instrument_name=obj.instrument_name,
            instrument_text=obj.instrument_text,
            margins=_local_copy(obj.margins_file, Path(tmp) / "margins") if obj.margins_file else None,
            margins_name=obj.margins_name,
            covariates=_local_copy(obj.covariates_file, Path(tmp) / "covariates") if obj.covariates_file else None,
            covariates_name=obj.covariates_name,
            options=dict(obj.options or {}),
        )


def _local_copy(field: FieldFile, folder: Path) -> Path:
    """Copy a stored file into `folder` under its stored base name (the name the user gave it)."""
    folder.mkdir()
    path = folder / PurePath(field.name).name
    try:
        source = field.storage.open(field.name, "rb")
    except FileNotFoundError as error:
        raise SurveyError(f"找不到文件 {path.name}：存储中已没有这份上传的文件，请重新上传。") from error
    with source, open(path, "wb") as target:
        shutil.copyfileobj(source, target, CHUNK)
    return path


def plain(value: Any) -> Any:
    """JSON-safe: numpy scalars as Python numbers, NaN/±∞ as None (PostgreSQL's jsonb refuses NaN)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def result_json(analysis: Analysis) -> dict[str, Any]:
    return plain(analysis_dict(analysis))

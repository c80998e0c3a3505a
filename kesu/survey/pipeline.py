"""From stored inputs to the domain's results: the wizard's check and the job's estimation, stage by stage.

All statistics come from `kesu.domain.survey`; this module only reads the inputs, calls the domain's steps in
the order `kesu.domain.survey.analysis.analyse` does (reading → validating → scoring → raking → estimating →
small areas) and reports progress between them, so that the page can show where a large file is.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any

import numpy as np
from django.db.models.fields.files import FieldFile

from kesu.domain.survey.analysis import Analysis, grouping_variables
from kesu.domain.survey.errors import (
    EstimationError,
    InstrumentError,
    MarginsError,
    Problem,
    ResponsesError,
    SaeError,
    SurveyError,
)
from kesu.domain.survey.estimation import CI_METHODS, LONELY_RULES, Design, estimate
from kesu.domain.survey.instrument import PRESETS_DIR, Instrument, load_instrument, preset_names
from kesu.domain.survey.raking import Trim, match_margins, rake, read_margins
from kesu.domain.survey.report import analysis_dict
from kesu.domain.survey.responses import GROUP_COLUMNS, GROUP_NAMES, validate_table
from kesu.domain.survey.sae import direct_from_estimates, read_covariates, small_area_estimates
from kesu.domain.survey.scoring import score
from kesu.domain.survey.tables import read_table

Progress = Callable[[int, str], None]
CHUNK = 1024 * 1024

# Same values as the defaults of kesu.domain.survey.analysis.analyse.
EPSILON = 1e-10
MAX_ITER = 100
LEVEL = 0.95
SAE_FALLBACK = "synthetic"

# The stages of an estimation with the progress (0–100) reached when each begins.
STAGES = {
    "reading": (3, "读取文件"),
    "validating": (12, "检查答卷"),
    "scoring": (35, "计分"),
    "raking": (45, "加权（迭代比例拟合）"),
    "estimating": (60, "估计比例、标准误与置信区间"),
    "small_areas": (88, "小区域估计"),
    "saving": (97, "保存结果"),
}


def _noop(_progress: int, _stage: str) -> None:
    return None


@dataclass
class Inputs:
    """One estimation's inputs as files on disk (a staged upload, a run, or the wizard's temporary folder)."""

    responses: Path
    responses_name: str
    instrument_preset: str = ""
    instrument_name: str = ""
    instrument_text: str = ""
    margins: Path | None = None
    margins_name: str = ""
    covariates: Path | None = None
    covariates_name: str = ""
    options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    @contextmanager
    def stored(cls, obj: Any) -> Iterator[Inputs]:
        """From a SurveyUpload or SurveyRun, whose files live in Django's storage (a folder, or an S3 bucket):
        each is copied into a temporary folder for the domain's readers, which take paths; removed afterwards."""
        with tempfile.TemporaryDirectory(prefix="kesu-survey-inputs-") as tmp:
            yield cls(
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


class CheckRefused(SurveyError):
    """The inputs cannot be used; `errors` are complete Chinese sentences naming file, row and column."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


# ---------------------------------------------------------------------------- questionnaire


@lru_cache(maxsize=1)
def usable_presets() -> tuple[tuple[str, str], ...]:
    """Presets that are complete questionnaires (with items), as (name, label) pairs."""
    out = []
    for name in preset_names():
        try:
            instrument = load_instrument(PRESETS_DIR / f"{name}.yaml")
        except InstrumentError:
            continue  # a scheme only (national-2022): referenced by an uploaded questionnaire
        out.append((name, f"{instrument.name}（{name}，{len(instrument.items)} 题）"))
    return tuple(out)


def scheme_presets() -> list[str]:
    usable = {name for name, _ in usable_presets()}
    return [name for name in preset_names() if name not in usable]


def load_questionnaire(preset: str, name: str = "", text: str = "") -> Instrument:
    """A preset by name (loaded from the presets folder, never from the working directory) or uploaded text."""
    if preset:
        if preset not in preset_names():
            raise InstrumentError([f"没有名为“{preset}”的预置问卷（可用：{'、'.join(preset_names())}）"])
        return load_instrument(PRESETS_DIR / f"{preset}.yaml")
    if not text.strip():
        raise InstrumentError(["请选择预置问卷或上传问卷文件（.yaml / .json）"])
    with tempfile.TemporaryDirectory(prefix="kesu-instrument-") as folder:
        path = Path(folder) / (Path(name).name or "问卷.yaml")
        if path.suffix.lower() not in (".yaml", ".yml", ".json"):
            path = path.with_name(path.name + ".yaml")
        path.write_text(text, encoding="utf-8")
        return load_instrument(path)


def _instrument(inputs: Inputs) -> Instrument:
    return load_questionnaire(inputs.instrument_preset, inputs.instrument_name, inputs.instrument_text)


def _trim(options: dict[str, Any]) -> Trim | None:
    lower, upper = options.get("trim_lower"), options.get("trim_upper")
    return Trim(lower=lower, upper=upper) if (lower or upper) else None


def _in_file(name: str, message: str) -> str:
    return f"{name}：{message}"


def _problem_text(name: str, problem: Problem) -> str:
    return _in_file(f"答卷文件“{name}”", str(problem))


# ---------------------------------------------------------------------------- the wizard's check


def check(inputs: Inputs, progress: Progress = _noop) -> dict[str, Any]:
    """Everything the estimation will need, checked without estimating. Returns the preview shown to the
    office: the row problems (which can be skipped) and what the data contain. Raises CheckRefused listing
    every problem that cannot be skipped (questionnaire, header, margins, options, covariates)."""
    errors: list[str] = []
    options = inputs.options
    progress(5, "读取问卷")
    try:
        instrument = _instrument(inputs)
    except InstrumentError as error:
        label = f"问卷文件“{inputs.instrument_name}”" if inputs.instrument_name else "问卷"
        raise CheckRefused([_in_file(label, p) for p in error.problems]) from error

    margins = None
    if inputs.margins is not None:
        progress(8, "读取总体控制数")
        try:
            margins = read_margins(inputs.margins)
        except MarginsError as error:
            errors.extend(_in_file(f"总体控制数文件“{inputs.margins_name}”", p) for p in error.problems)
    covariates = None
    area = options.get("sae_area") or "region"
    if inputs.covariates is not None:
        try:
            covariates = read_covariates(inputs.covariates, area or "region")
        except SaeError as error:
            errors.append(_in_file(f"协变量文件“{inputs.covariates_name}”", str(error)))

    progress(10, "读取答卷文件")
    try:
        table = read_table(inputs.responses)
    except SurveyError as error:
        raise CheckRefused([*errors, _in_file(f"答卷文件“{inputs.responses_name}”", str(error))]) from error
    progress(25, f"检查 {len(table.rows):,} 行答卷")
    try:
        responses = validate_table(table, instrument, skip_bad_rows=True)
    except ResponsesError as error:
        errors.extend(_problem_text(inputs.responses_name, p) for p in error.problems)
        raise CheckRefused(errors) from error

    progress(80, "核对总体控制数与分组")
    if margins is not None:
        try:
            match_margins(responses.groups, responses.weight, margins)
        except MarginsError as error:
            errors.extend(_in_file(f"总体控制数文件“{inputs.margins_name}”", p) for p in error.problems)
    available = list(responses.groups)
    for var in options.get("by", []):
        if var not in responses.groups:
            errors.append(
                f"分组变量“{GROUP_NAMES.get(var, var)}”（{var}）在答卷文件“{inputs.responses_name}”中没有对应的列"
                f"（答卷中可用：{'、'.join(GROUP_NAMES.get(v, v) for v in available) or '无'}）；请取消勾选它"
            )
    if covariates is not None:
        if area not in responses.groups:
            errors.append(f"小区域变量“{GROUP_NAMES.get(area, area)}”（{area}）在答卷中没有对应的列")
        else:
            missing = sorted(set(responses.groups[area].labels) - set(covariates.values))
            if missing:
                errors.append(
                    f"协变量文件“{inputs.covariates_name}”缺少答卷中出现的地区：{'、'.join(missing)}"
                )
    try:
        design = Design.from_responses(responses, None, None, options.get("lonely_psu", "adjust"))
    except EstimationError as error:
        errors.append(str(error))
        design = None
    if errors:
        raise CheckRefused(errors)
    progress(100, "检查完成")
    skipped = [p for p in responses.skipped if p.row is not None]
    return {
        "instrument": instrument.summary(),
        "rows": len(table.rows),
        "respondents": responses.n,
        "encoding": table.encoding,
        "warnings": list(responses.warnings),
        "problems": [{"row": p.row, "column": p.column, "message": p.message} for p in skipped],
        "skip_rows": sorted({p.row for p in skipped}),
        "groups": {k: list(v.labels) for k, v in responses.groups.items()},
        "strata": design.n_strata if design else None,
        "psus": design.n_psus if design else None,
        "margins": {k: len(v) for k, v in margins.totals.items()} if margins else None,
        "covariates": covariates.names if covariates else None,
        "areas": len(covariates.values) if covariates else None,
    }


# ---------------------------------------------------------------------------- the job's estimation


def analyse_inputs(inputs: Inputs, progress: Progress = _noop) -> Analysis:
    """The estimation of `kesu.domain.survey.analyse`, step by step with progress."""
    options = inputs.options
    by = [v for v in dict.fromkeys(options.get("by", []))]
    ci_method = options.get("ci_method", "logit")
    lonely_psu = options.get("lonely_psu", "adjust")
    sae_area = (options.get("sae_area") or "region") if inputs.covariates is not None else None
    if ci_method not in CI_METHODS:
        raise EstimationError(f"置信区间方法应为 {'、'.join(CI_METHODS)} 之一")
    if lonely_psu not in LONELY_RULES:
        raise EstimationError(f"单 PSU 分层的处理规则应为 {'、'.join(LONELY_RULES)} 之一")

    progress(*STAGES["reading"])
    instrument = _instrument(inputs)
    try:
        table = read_table(inputs.responses)
    except SurveyError as error:
        raise ResponsesError([Problem(None, None, str(error))]) from error
    progress(STAGES["validating"][0], f"检查 {len(table.rows):,} 行答卷")
    responses = validate_table(table, instrument, skip_rows=options.get("skip_rows") or None)
    del table

    progress(STAGES["scoring"][0], f"为 {responses.n:,} 位受访者计分")
    scores = score(instrument, responses)
    raking = None
    weights, calibration = responses.weight, None
    if inputs.margins is not None:
        progress(*STAGES["raking"])
        margins = read_margins(inputs.margins)
        raking = rake(
            responses.weight,
            responses.groups,
            margins,
            epsilon=EPSILON,
            max_iter=MAX_ITER,
            partial=False,
            trim=_trim(options),
        )
        weights, calibration = raking.weights, raking.calibration
    design = Design.from_responses(responses, weights, calibration, lonely_psu)
    wanted = grouping_variables(responses, by, sae_area)
    progress(*STAGES["estimating"])
    estimates = estimate(instrument, design, scores, responses.groups, wanted, ci_method=ci_method, level=LEVEL)
    sae_result = None
    if sae_area is not None:
        progress(*STAGES["small_areas"])
        overall = estimates[0]
        sae_result = small_area_estimates(
            direct_from_estimates(estimates, sae_area),
            read_covariates(inputs.covariates, sae_area),
            city_estimate=overall.rate,
            city_deff=overall.deff,
            fallback=SAE_FALLBACK,
        )
        if sae_area not in by:
            estimates = [e for e in estimates if list(e.group) != [sae_area]]
    return Analysis(
        instrument, responses, scores, raking, design, estimates, by, ci_method, lonely_psu, LEVEL, sae_result
    )


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


GROUP_CHOICES = [(name, GROUP_NAMES[name]) for name in GROUP_COLUMNS]

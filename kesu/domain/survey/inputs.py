"""One estimation's inputs as files on disk, the wizard's check of them, and their estimation.

The web wizard, its background job and the demo hand over the files the office uploaded (under the names it gave
them) and the options it chose; `check()` finds every problem before anything is estimated (naming file, row and
column), `analyse_inputs()` runs the one pipeline, `analysis.analyse()`, on them.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .analysis import Analysis, Progress, analyse, quiet
from .errors import (
    EstimationError,
    InstrumentError,
    MarginsError,
    Problem,
    ResponsesError,
    SaeError,
    SurveyError,
)
from .estimation import Design
from .instrument import PRESETS_DIR, Instrument, load_instrument, preset_names
from .raking import Trim, match_margins, read_margins
from .responses import GROUP_NAMES, validate_table
from .sae import read_covariates
from .tables import read_table


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


def check(inputs: Inputs, progress: Progress = quiet) -> dict[str, Any]:
    """Everything the estimation will need, checked without estimating. Returns the preview shown to the
    office: the row problems (which can be skipped) and what the data contain. Raises CheckRefused listing
    every problem that cannot be skipped (questionnaire, header, margins, options, covariates)."""
    errors: list[str] = []
    options = inputs.options
    progress("读取问卷", 0.05)
    try:
        instrument = _instrument(inputs)
    except InstrumentError as error:
        label = f"问卷文件“{inputs.instrument_name}”" if inputs.instrument_name else "问卷"
        raise CheckRefused([_in_file(label, p) for p in error.problems]) from error

    margins = None
    if inputs.margins is not None:
        progress("读取总体控制数", 0.08)
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

    progress("读取答卷文件", 0.10)
    try:
        table = read_table(inputs.responses)
    except SurveyError as error:
        raise CheckRefused([*errors, _in_file(f"答卷文件“{inputs.responses_name}”", str(error))]) from error
    progress(f"检查 {len(table.rows):,} 行答卷", 0.25)
    try:
        responses = validate_table(table, instrument, skip_bad_rows=True)
    except ResponsesError as error:
        errors.extend(_problem_text(inputs.responses_name, p) for p in error.problems)
        raise CheckRefused(errors) from error

    progress("核对总体控制数与分组", 0.80)
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
    progress("检查完成", 1.0)
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


def analyse_inputs(inputs: Inputs, progress: Progress = quiet) -> Analysis:
    """The domain's `analyse()` on one upload's files and the options the office chose in the wizard."""
    options = inputs.options
    return analyse(
        inputs.responses,
        _instrument(inputs),
        margins=inputs.margins,
        by=list(dict.fromkeys(options.get("by", []))),
        ci_method=options.get("ci_method", "logit"),
        lonely_psu=options.get("lonely_psu", "adjust"),
        trim=_trim(options),
        skip_rows=options.get("skip_rows") or None,
        sae_area=(options.get("sae_area") or "region") if inputs.covariates is not None else None,
        covariates=inputs.covariates,
        progress=progress,
    )

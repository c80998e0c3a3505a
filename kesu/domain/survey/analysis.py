"""The whole job: read responses → score → rake → estimate overall and by group → small areas.

`analyse()` is the one pipeline: the CLI, the web wizard's background job and the tests all call it. It tells a
`progress(stage, fraction)` callback as each stage begins; the callback may raise to stop the work (the job
renews its lease there and learns of a cancellation).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import EstimationError
from .estimation import CI_METHODS, LONELY_RULES, Design, DomainEstimate, estimate
from .instrument import Instrument, load_instrument
from .raking import Margins, RakeResult, Trim, rake, read_margins
from .responses import Responses, read_responses_table, validate_table
from .sae import SaeResult, direct_from_estimates, read_covariates, small_area_estimates
from .scoring import Scores, score

Progress = Callable[[str, float], None]
"""Told the stage beginning (a Chinese phrase shown to the user) and the fraction of the work done (0–1)."""

# The fraction of the work done when each stage begins (reading and checking a large file take the longest).
READING, VALIDATING, SCORING, RAKING, ESTIMATING, SMALL_AREAS = 0.03, 0.12, 0.35, 0.45, 0.60, 0.88


def quiet(_stage: str, _fraction: float) -> None:
    return None


@dataclass
class Analysis:
    instrument: Instrument
    responses: Responses
    scores: Scores
    raking: RakeResult | None
    design: Design
    estimates: list[DomainEstimate]
    by: list[str]
    ci_method: str
    lonely_psu: str
    level: float
    sae: SaeResult | None = None

    @property
    def overall(self) -> DomainEstimate:
        return self.estimates[0]


def grouping_variables(responses: Responses, by: Sequence[str], sae_area: str | None) -> list[str]:
    """The group-by variables (once each, in order) plus the small-area variable; unknown ones refused."""
    wanted = list(dict.fromkeys(by))
    for var in wanted:
        if var not in responses.groups:
            raise EstimationError(f"答卷中没有分组变量“{var}”（可用：{'、'.join(responses.groups) or '无'}）")
    if sae_area is not None and sae_area not in wanted:
        if sae_area not in responses.groups:
            raise EstimationError(f"答卷中没有小区域变量“{sae_area}”")
        wanted.append(sae_area)
    return wanted


def analyse(
    responses: str | Path | Responses,
    instrument: str | Path | Instrument,
    *,
    margins: str | Path | Margins | None = None,
    by: Sequence[str] = (),
    ci_method: str = "logit",
    lonely_psu: str = "adjust",
    level: float = 0.95,
    epsilon: float = 1e-10,
    max_iter: int = 100,
    partial: bool = False,
    trim: Trim | None = None,
    skip_rows: Iterable[int] | str | None = None,
    skip_bad_rows: bool = False,
    sae_area: str | None = None,
    covariates: str | Path | None = None,
    sae_fallback: str = "synthetic",
    progress: Progress = quiet,
) -> Analysis:
    """Score, rake, estimate and (with `sae_area`) estimate small areas; files are read here unless objects are
    given. Stops with a SurveyError naming what to change."""
    if ci_method not in CI_METHODS:
        raise EstimationError(f"置信区间方法应为 {'、'.join(CI_METHODS)} 之一")
    if lonely_psu not in LONELY_RULES:
        raise EstimationError(f"单 PSU 分层的处理规则应为 {'、'.join(LONELY_RULES)} 之一")
    progress("读取文件", READING)
    if not isinstance(instrument, Instrument):
        instrument = load_instrument(instrument)
    if not isinstance(responses, Responses):
        table = read_responses_table(responses)
        progress(f"检查 {len(table.rows):,} 行答卷", VALIDATING)
        responses = validate_table(table, instrument, skip_rows=skip_rows, skip_bad_rows=skip_bad_rows)
        del table
    progress(f"为 {responses.n:,} 位受访者计分", SCORING)
    scores = score(instrument, responses)
    raking: RakeResult | None = None
    weights, calibration = responses.weight, None
    if margins is not None:
        progress("加权（迭代比例拟合）", RAKING)
        if not isinstance(margins, Margins):
            margins = read_margins(margins)
        raking = rake(
            responses.weight,
            responses.groups,
            margins,
            epsilon=epsilon,
            max_iter=max_iter,
            partial=partial,
            trim=trim,
        )
        weights, calibration = raking.weights, raking.calibration
    design = Design.from_responses(responses, weights, calibration, lonely_psu)
    wanted = grouping_variables(responses, by, sae_area)
    progress("估计比例、标准误与置信区间", ESTIMATING)
    estimates = estimate(
        instrument, design, scores, responses.groups, wanted, ci_method=ci_method, level=level
    )
    sae_result = None
    if sae_area is not None:
        if covariates is None:
            raise EstimationError("小区域估计需要协变量文件（--covariates）")
        progress("小区域估计", SMALL_AREAS)
        overall = estimates[0]
        sae_result = small_area_estimates(
            direct_from_estimates(estimates, sae_area),
            read_covariates(covariates, sae_area),
            city_estimate=overall.rate,
            city_deff=overall.deff,
            fallback=sae_fallback,
        )
        if sae_area not in by:
            estimates = [e for e in estimates if list(e.group) != [sae_area]]
    return Analysis(
        instrument, responses, scores, raking, design, estimates, by, ci_method, lonely_psu, level, sae_result
    )

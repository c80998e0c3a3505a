"""The whole job: read responses → score → rake → estimate overall and by group → small areas."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import EstimationError
from .estimation import Design, DomainEstimate, estimate
from .instrument import Instrument, load_instrument
from .raking import Margins, RakeResult, Trim, rake, read_margins
from .responses import Responses, read_responses
from .sae import SaeResult, direct_from_estimates, read_covariates, small_area_estimates
from .scoring import Scores, score


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
) -> Analysis:
    if not isinstance(instrument, Instrument):
        instrument = load_instrument(instrument)
    if not isinstance(responses, Responses):
        responses = read_responses(responses, instrument, skip_rows=skip_rows, skip_bad_rows=skip_bad_rows)
    scores = score(instrument, responses)
    raking: RakeResult | None = None
    weights, calibration = responses.weight, None
    if margins is not None:
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
    estimates = estimate(
        instrument, design, scores, responses.groups, wanted, ci_method=ci_method, level=level
    )
    sae_result = None
    if sae_area is not None:
        if covariates is None:
            raise EstimationError("小区域估计需要协变量文件（--covariates）")
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

"""Survey estimation core (pure Python + numpy/scipy, no Django): questionnaire, responses, scoring,
raking, design-based estimation matching R's survey package, and Fay–Herriot small-area estimates.

    from kesu.domain.survey import analyse
    result = analyse("responses.csv", "demo", margins="margins.csv", by=["gender", "urban"])
    result.overall.rate, result.overall.ci
"""

from __future__ import annotations

from .analysis import Analysis, analyse
from .errors import (
    EstimationError,
    InstrumentError,
    MarginsError,
    Problem,
    ResponsesError,
    SaeError,
    SurveyError,
)
from .estimation import Design, DomainEstimate, estimate
from .instrument import Instrument, load_instrument, parse_instrument, preset_names
from .raking import Margins, RakeResult, Trim, rake, read_margins
from .responses import Responses, read_responses
from .scoring import Scores, score

__all__ = [
    "Analysis",
    "Design",
    "DomainEstimate",
    "EstimationError",
    "Instrument",
    "InstrumentError",
    "Margins",
    "MarginsError",
    "Problem",
    "RakeResult",
    "Responses",
    "ResponsesError",
    "SaeError",
    "Scores",
    "SurveyError",
    "Trim",
    "analyse",
    "estimate",
    "load_instrument",
    "parse_instrument",
    "preset_names",
    "rake",
    "read_margins",
    "read_responses",
    "score",
]

"""Values pre-filled from what Kesu already records, so nothing is typed twice.

A source is registered under "<form>.<indicator code>" (e.g. "kepu.a_events") with a label (where the value comes
from), a function (submission, period) → value or None (None: nothing known for this respondent) and its
counting rule in words. Apps add sources from their AppConfig.ready() (kesu.datasets.prefill_sources has the
built-in ones: activities, volunteers, bases, volunteer service); the fill page shows each value marked 系统预填
with its source and rule, and the respondent may change it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kesu.datasets.models import Submission
from kesu.domain.data_sets import Prefill
from kesu.domain.reporting_periods import Period

PrefillFunction = Callable[[Submission, Period], float | None]


@dataclass(frozen=True)
class Source:
    label: str
    fn: PrefillFunction
    rule: str


_SOURCES: dict[str, Source] = {}


def register_prefill(key: str, label: str, fn: PrefillFunction, rule: str) -> None:
    """Register (or replace) the source of one indicator, key "<form>.<code>"."""
    _SOURCES[key] = Source(label, fn, rule)


def prefills(submission: Submission) -> dict[str, Prefill]:
    """code → the value Kesu records for this respondent and period, with its source and rule."""
    found: dict[str, Prefill] = {}
    period = submission.round.period
    prefix = f"{submission.round.template}."
    for key, source in _SOURCES.items():
        if key.startswith(prefix):
            value = source.fn(submission, period)
            if value is not None:
                found[key[len(prefix):]] = Prefill(float(value), source.label, source.rule)
    return found


def sources_of(template: str) -> dict[str, Source]:
    """code → registered source, for the page that lists what is pre-filled."""
    prefix = f"{template}."
    return {key[len(prefix):]: source for key, source in _SOURCES.items() if key.startswith(prefix)}

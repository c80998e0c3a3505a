"""Targets whose values another app counts live (e.g. volunteers registered, science bases named).

tracking defines this registry and asks it; the counting app registers a source in its AppConfig.ready().
So tracking never imports that app: the dashboard, assessment, roll-up and read cache use only these
functions. With no source registered every target keeps its reported values.
The same app may register totals (period_totals) that evaluations list: volunteers, teams, bases, service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import NamedTuple, Protocol

from kesu.domain.target_progress import Observation
from kesu.plans.models import Plan


class LiveSource(Protocol):
    def live_plan_ids(self, plan_ids: Iterable[int]) -> set[int]:
        """The plans among these with at least one target counted live."""

    def values(self, plan: Plan, as_of: dt.date) -> dict[int, tuple[float, str]]:
        """target id → (value on `as_of`, counting rule in words)."""

    def series(self, plan: Plan, as_of: dt.date) -> dict[int, tuple[list[Observation], str]]:
        """target id → (observations up to `as_of`, counting rule in words)."""


_SOURCES: dict[str, LiveSource] = {}


def register_live_source(name: str, source: LiveSource) -> None:
    """Register (or replace) the source called `name`; called from an AppConfig.ready()."""
    _SOURCES[name] = source


def live_plan_ids(plan_ids: Iterable[int]) -> set[int]:
    ids = list(plan_ids)
    return set().union(*(source.live_plan_ids(ids) for source in _SOURCES.values())) if ids else set()


def live_values(plan: Plan, as_of: dt.date) -> dict[int, tuple[float, str]]:
    """target id → (live value, counting rule), for every live target of the plan."""
    result: dict[int, tuple[float, str]] = {}
    for source in _SOURCES.values():
        result.update(source.values(plan, as_of))
    return result


def apply_live_series(plan: Plan, as_of: dt.date, series: dict[int, list[Observation]]) -> dict[int, str]:
    """Replace the reported series of every live target by its live observations (in place); return
    target id → counting rule, to be put before the progress basis."""
    rules: dict[int, str] = {}
    for source in _SOURCES.values():
        for target_id, (observations, rule) in source.series(plan, as_of).items():
            series[target_id] = observations
            rules[target_id] = rule
    return rules


class Total(NamedTuple):
    label: str  # 在册科技志愿者人数
    value: float
    unit: str
    rule: str  # how it is counted, in words


TotalsSource = Callable[[Plan, dt.date, dt.date], list[Total]]
_TOTALS: dict[str, TotalsSource] = {}


def register_totals_source(name: str, source: TotalsSource) -> None:
    """Register (or replace) a source of totals over a span of days (volunteers, teams, bases, service…)."""
    _TOTALS[name] = source


def period_totals(plan: Plan, start: dt.date, end: dt.date) -> list[Total]:
    """Every registered source's totals for the plan's area: stocks on `end`, flows from `start` to `end`."""
    return [total for source in _TOTALS.values() for total in source(plan, start, end)]

"""Which reporting cycle is current, and which approved report counts as a measure's latest, when a plan
has cycles of several frequencies (季度, 半年, 年度). One rule for the dashboard, the public page, the summary,
the assessment, the roll-up and the API.

- current cycle: in the latest year that has a started cycle, the finest frequency opened that year
  (季度 before 半年 before 年度), and of that frequency the started cycle whose period ends last;
- latest report of a (measure, unit): the approved report whose period ends last; at the same end the
  longer period counts (a year's report over its fourth quarter's) — an approved annual report always counts;
- counted cycles (report counts, reporting rates): no stretch of time twice — finer cycles first, a cycle
  overlapping one already counted is left out (the year when its quarters are there);
- a unit with no approved report in the current cycle keeps its last approved one, marked “沿用…已审核数据”.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Protocol, TypeVar

from kesu.domain.reporting_periods import Period, PeriodType

CURRENT_RULE = ("当前周期：取最近有填报的年份中最细的填报频次（季度、半年、年度依次优先），"
                "其中已开始的最近一期。")
LATEST_RULE = ("最新进展：每个牵头单位每项措施取时段最晚的审核通过报告，同一时段结束的季度与年度报告以年度报告为准；"
               "新一期尚未审核通过的，沿用上一期已审核数据并注明，不计为0。")
COUNT_RULE = "报告数和报送率按时段不重叠的周期计算：同一年既有季度又有年度填报时按季度计，年度填报不重复计入。"

FINENESS = {PeriodType.QUARTER: 0, PeriodType.HALF: 1, PeriodType.YEAR: 2}


class HasPeriod(Protocol):
    @property
    def period(self) -> Period: ...


C = TypeVar("C", bound=HasPeriod)
R = TypeVar("R")
K = TypeVar("K", bound=Hashable)


def recency(period: Period) -> tuple[dt.date, int]:
    """Sort key of “more recent”: later end first; at the same end the longer period."""
    return period.ends_on, period.months


def main_frequency(cycles: Iterable[HasPeriod], today: dt.date) -> PeriodType | None:
    """The finest frequency opened in the latest year that has a started cycle (or any cycle, if none started)."""
    periods = [c.period for c in cycles]
    started = [p for p in periods if p.starts_on <= today] or periods
    if not started:
        return None
    year = max(p.year for p in started)
    return min((p.type for p in started if p.year == year), key=FINENESS.__getitem__)


def current_cycle(cycles: Sequence[C], today: dt.date, frequency: PeriodType | None = None) -> C | None:
    """The current cycle of `frequency` (by default the plan's main frequency) on `today`.

    The started cycle whose period ends last; when none has started yet, the one that starts first.
    """
    frequency = frequency or main_frequency(cycles, today)
    same = [c for c in cycles if c.period.type == frequency]
    started = [c for c in same if c.period.starts_on <= today]
    if started:
        return max(started, key=lambda c: c.period.ends_on)
    return min(same, key=lambda c: c.period.starts_on, default=None)


def counted_cycles(cycles: Iterable[C]) -> list[C]:
    """The cycles whose reports are counted, so that no stretch of time is counted twice (finer first)."""
    chosen: list[C] = []
    for cycle in sorted(cycles, key=lambda c: (FINENESS[c.period.type], c.period.starts_on)):
        p = cycle.period
        if all(p.ends_on < o.period.starts_on or o.period.ends_on < p.starts_on for o in chosen):
            chosen.append(cycle)
    return sorted(chosen, key=lambda c: c.period.starts_on)


def latest_of(items: Iterable[R], key: Callable[[R], K], period_of: Callable[[R], Period]) -> dict[K, R]:
    """Per key (e.g. (measure, unit)), the item of the most recent period (see `recency`)."""
    latest: dict[K, R] = {}
    for item in items:
        k = key(item)
        if k not in latest or recency(period_of(item)) > recency(period_of(latest[k])):
            latest[k] = item
    return latest


def carried_note(source: Period, current: Period | None) -> str:
    """“沿用2026年第三季度已审核数据” when the latest approved report is older than the current cycle, else ""."""
    if current is None or recency(source) >= recency(current):
        return ""
    return f"沿用{source.label}已审核数据"

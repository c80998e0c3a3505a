"""Reporting periods (季度/半年/年度), deadlines, lock times and the reporting/on-time rates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class PeriodType(StrEnum):
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


PERIOD_TYPE_LABELS = {PeriodType.QUARTER: "季度", PeriodType.HALF: "半年", PeriodType.YEAR: "年度"}
_QUARTER_NAMES = "一二三四"


@dataclass(frozen=True)
class Period:
    type: PeriodType
    year: int
    number: int  # quarter 1–4, half 1–2, year 1

    def __post_init__(self) -> None:
        limit = {PeriodType.QUARTER: 4, PeriodType.HALF: 2, PeriodType.YEAR: 1}[self.type]
        if not 1 <= self.number <= limit:
            raise ValueError(f"{PERIOD_TYPE_LABELS[self.type]}序号应在 1 到 {limit} 之间")

    @property
    def months(self) -> int:
        return {PeriodType.QUARTER: 3, PeriodType.HALF: 6, PeriodType.YEAR: 12}[self.type]

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.year, (self.number - 1) * self.months + 1, 1)

    @property
    def ends_on(self) -> dt.date:
        last_month = self.number * self.months
        if last_month == 12:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, last_month + 1, 1) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        if self.type == PeriodType.QUARTER:
            return f"{self.year}年第{_QUARTER_NAMES[self.number - 1]}季度"
        if self.type == PeriodType.HALF:
            return f"{self.year}年{'上' if self.number == 1 else '下'}半年"
        return f"{self.year}年度"


DEADLINE_DAYS = 10  # the usual deadline: ten days after the period ends
_ANSWER_DAYS = 14  # a cycle opened after its period gives units at least two weeks


@dataclass(frozen=True)
class CycleSuggestion:
    """What the new-cycle form offers: a period the plan accepts (or none) and whether the plan has ended."""

    period: Period | None
    deadline: dt.date | None
    plan_ended: bool


def quarter_of(day: dt.date) -> Period:
    return Period(PeriodType.QUARTER, day.year, (day.month - 1) // 3 + 1)


def suggest_cycle(plan_start: int, plan_end: int, today: dt.date, taken: frozenset[Period] = frozenset()) -> CycleSuggestion:
    """The next cycle an office would open: this quarter (or the next one not yet opened) within the plan's
    years; the first quarter before the plan starts; once the plan has ended, its final year's annual report
    (终期总结) if not yet opened, else nothing: a cycle outside the plan's years is refused."""
    if today.year > plan_end:
        final = Period(PeriodType.YEAR, plan_end, 1)
        if final in taken:
            return CycleSuggestion(None, None, plan_ended=True)
        return CycleSuggestion(final, today + dt.timedelta(days=_ANSWER_DAYS), plan_ended=True)
    period = quarter_of(today) if today.year >= plan_start else Period(PeriodType.QUARTER, plan_start, 1)
    while period in taken:
        if period.number == 4:
            if period.year == plan_end:
                return CycleSuggestion(None, None, plan_ended=False)
            period = Period(PeriodType.QUARTER, period.year + 1, 1)
        else:
            period = Period(PeriodType.QUARTER, period.year, period.number + 1)
    deadline = max(period.ends_on + dt.timedelta(days=DEADLINE_DAYS), today + dt.timedelta(days=_ANSWER_DAYS))
    return CycleSuggestion(period, deadline, plan_ended=False)


def end_of_day(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """The last moment of a day in the office's time zone: a deadline of 7月10日 means until 24:00 that day."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def lock_time(deadline: dt.date, lock_days: int, tz: dt.tzinfo) -> dt.datetime:
    return end_of_day(deadline + dt.timedelta(days=lock_days), tz)


def is_on_time(submitted_at: dt.datetime | None, deadline: dt.date, tz: dt.tzinfo) -> bool:
    return submitted_at is not None and submitted_at < end_of_day(deadline, tz)


@dataclass(frozen=True)
class Rates:
    expected: int
    submitted: int
    on_time: int

    @property
    def reporting_rate(self) -> float | None:
        """Reports submitted (at any time) out of reports expected."""
        return self.submitted / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        """Reports first submitted by the deadline out of reports expected."""
        return self.on_time / self.expected if self.expected else None

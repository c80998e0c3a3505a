"""Leading-group meetings (领导小组会议): when a decision (议定事项) is overdue, the on-time completion rate of
decisions and the member units' attendance. Plain Python: callers pass dates and ids."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

RATE_RULE = (
    "议定事项按期办结率 = 在办结时限当日或之前办结的事项数 ÷ 办结时限已到（时限早于或等于今天）的事项数；"
    "时限未到的事项不计入分母，提前办结的也不计入分子，逾期后才办结的计入分母、不计入分子。"
)
OVERDUE_RULE = "办结时限已过（早于今天）仍未办结的议定事项为逾期。"
ATTENDANCE_RULE = "出席率 = 成员单位出席的会议次数 ÷ 当年召开的会议次数。"


@dataclass(frozen=True)
class DecisionDates:
    due_on: dt.date
    completed_on: dt.date | None


def is_overdue(due_on: dt.date, completed_on: dt.date | None, today: dt.date) -> bool:
    """Not completed, and its due date has passed."""
    return completed_on is None and due_on < today


def days_overdue(due_on: dt.date, today: dt.date) -> int:
    return max((today - due_on).days, 0)


@dataclass(frozen=True)
class OnTimeRate:
    on_time: int  # completed on or before the due date, among those due
    due: int  # due on or before today
    rate: float | None  # None when nothing is due yet


def on_time_rate(decisions: Iterable[DecisionDates], today: dt.date) -> OnTimeRate:
    """议定事项按期办结率 (RATE_RULE)."""
    due = [d for d in decisions if d.due_on <= today]
    on_time = sum(1 for d in due if d.completed_on is not None and d.completed_on <= d.due_on)
    return OnTimeRate(on_time, len(due), on_time / len(due) if due else None)


@dataclass(frozen=True)
class Attendance:
    attended: int
    meetings: int
    rate: float | None


def attendance_rates(attended_by_meeting: Iterable[set[int]], unit_ids: Iterable[int]) -> dict[int, Attendance]:
    """For each unit: of the year's meetings (each given as the set of attending unit ids), how many it attended."""
    meetings = list(attended_by_meeting)
    result = {}
    for unit_id in unit_ids:
        count = sum(1 for attending in meetings if unit_id in attending)
        result[unit_id] = Attendance(count, len(meetings), count / len(meetings) if meetings else None)
    return result

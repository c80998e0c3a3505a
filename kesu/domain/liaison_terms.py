"""Terms of office of a unit's 分管领导 and 联络员, and the attendance rate of a liaison training (联络员培训).

A term runs from `valid_from` to `valid_to` inclusive (None: still in office). Naming a successor closes the
previous term on the day before the successor starts (never before the day it began), so history is kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ATTENDANCE_RULE = ("参训率 = 实到联络员 ÷ 应到联络员。应到：培训当日在任的各成员单位联络员（不含分管领导）；"
                   "实到：应到者中登记参加培训的人数。")


def closing_day(previous_from: dt.date, successor_from: dt.date) -> dt.date:
    """The last day of the previous term when a successor starts on `successor_from`."""
    return max(previous_from, successor_from - dt.timedelta(days=1))


def in_office(valid_from: dt.date, valid_to: dt.date | None, day: dt.date) -> bool:
    return valid_from <= day and (valid_to is None or day <= valid_to)


@dataclass(frozen=True)
class Attendance:
    expected: int
    attended: int

    @property
    def rate(self) -> float | None:
        """Share of the expected liaisons who attended (0–1); None when no liaison was in office."""
        return self.attended / self.expected if self.expected else None

    @property
    def text(self) -> str:
        if self.rate is None:
            return "无应到联络员"
        return f"{self.attended}/{self.expected}（{self.rate * 100:.1f}%）"


def attendance(expected_ids: set[int], attended_ids: set[int]) -> Attendance:
    """Only attendees who were expected count (a leader or someone no longer in office is not a liaison present)."""
    return Attendance(expected=len(expected_ids), attended=len(expected_ids & attended_ids))

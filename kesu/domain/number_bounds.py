"""Sensible ranges of the numbers people type in, and the Chinese refusal that names the field and its range.

One place for every bound, shared by web forms, API schemas, CLI options and the actions behind them: a number
that is not finite (NaN, Infinity) or is absurd (a time limit of 2·10⁹ hours, 10³⁰⁰ points) is refused before
it is stored, because stored it breaks every later computation or JSON answer that touches it.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from dataclasses import dataclass

# Largest value a 64-bit primary key can hold; bounds every id read from a request.
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Bound:
    low: float
    high: float
    integer: bool = False
    unit: str = ""

    def describe(self) -> str:
        """“1 至 720 之间的整数（小时）”."""
        kind = "整数" if self.integer else "数字"
        unit = f"（{self.unit}）" if self.unit else ""
        return f"{_number(self.low)} 至 {_number(self.high)} 之间的{kind}{unit}"

    def refusal(self, label: str, value: object) -> str | None:
        """The message refusing `value` for the field `label`, or None when the value is acceptable."""
        number = as_number(value)
        if number is None or not self.low <= number <= self.high or (self.integer and number != int(number)):
            return f"“{label}”应为 {self.describe()}。"
        return None

    def check(self, label: str, value: object) -> float:
        """The value as a number, or ValueError with the Chinese refusal."""
        message = self.refusal(label, value)
        if message is not None:
            raise ValueError(message)
        return as_number(value)  # type: ignore[return-value]


def as_number(value: object) -> float | None:
    """A finite number, or None (text that is no number, NaN, ±Infinity, booleans)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        number = float(str(value).strip()) if not isinstance(value, float) else value
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def argument_type(bound: Bound, label: str) -> Callable[[str], float]:
    """An argparse `type=` for a command-line option: its value within `bound`, else the Chinese refusal."""

    def parse(text: str) -> float:
        refusal = bound.refusal(label, text)
        if refusal:
            raise argparse.ArgumentTypeError(refusal)
        number = as_number(text)
        return int(number) if bound.integer else number  # type: ignore[arg-type]

    return parse


def _number(value: float) -> str:
    """1000, 1000 万, 1 万亿 — how a large round bound reads in Chinese."""
    if value != int(value):
        return f"{value:g}"
    whole = int(value)
    for size, name in ((10**12, "万亿"), (10**8, "亿"), (10**4, "万")):
        if abs(whole) >= size * 10 ** (0 if size > 10**4 else 2) and whole % size == 0:
            return f"{whole // size} {name}"
    return str(whole)


# Shares and rates in percent.
PERCENT = Bound(0, 100, unit="%")
# The headline literacy rate's standard error, in percentage points.
PERCENT_POINTS = Bound(0, 100, unit="百分点")
# Points of one item of the yearly assessment rubric, a unit's manual score, and an adjustment up or down.
RUBRIC_POINTS = Bound(0, 1000, unit="分")
SCORE_ADJUSTMENT = Bound(-1000, 1000, unit="分")
# Time limit of one step of a service order (the longest is a month).
TIME_LIMIT_HOURS = Bound(1, 720, integer=True, unit="小时")
# A plan target's value and a value reported against it (people, sessions, yuan, percent ...).
TARGET_VALUE = Bound(0, 10**12)
# People attending one activity or service.
PARTICIPANTS = Bound(0, 10**7, integer=True, unit="人")
# Volunteers' service hours at one activity, summed over its volunteers (kesu.campaigns).
ACTIVITY_VOLUNTEER_HOURS = Bound(0, 10**6, unit="小时")
# Row numbers of an uploaded spreadsheet.
ROW_NUMBER = Bound(1, 10**6, integer=True)
# How often the background worker polls, and `run_jobs --loop` (0: run once).
POLL_SECONDS = Bound(1, 86400, unit="秒")
LOOP_SECONDS = Bound(0, 86400, unit="秒")
# Survey estimation: confidence level, weight trimming (multiples of the mean weight), raking iterations.
CONFIDENCE_LEVEL = Bound(0.5, 0.999)
WEIGHT_TRIM_UPPER = Bound(1, 1000, unit="倍")
WEIGHT_TRIM_LOWER = Bound(0, 1, unit="倍")
RAKING_ITERATIONS = Bound(1, 10000, integer=True, unit="次")
RAKING_EPSILON = Bound(1e-15, 10**6)

"""Number bounds: NaN, Infinity, text and absurd values are refused with a Chinese message naming the field and
the allowed range; command-line options use the same rules."""

import argparse
import datetime as dt
import math

import pytest

from kesu.domain.dispatch import DEFAULT_LIMIT_HOURS, State, Step, due_at
from kesu.domain.number_bounds import (
    PERCENT,
    RUBRIC_POINTS,
    TARGET_VALUE,
    TIME_LIMIT_HOURS,
    argument_type,
    as_number,
)
from kesu.domain.survey.cli import main as survey_main


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-Infinity", "1e309", float("nan"), math.inf, "abc", "", None,
                                   True, "1001", -0.5])
def test_rubric_points_refuse_what_is_not_a_sensible_number(value):
    assert RUBRIC_POINTS.refusal("创新加分的分值", value) == "“创新加分的分值”应为 0 至 1000 之间的数字（分）。"


@pytest.mark.parametrize("value", ["0", "12.5", 1000, " 30 "])
def test_rubric_points_accept_sensible_numbers(value):
    assert RUBRIC_POINTS.refusal("分值", value) is None


def test_whole_numbers_and_large_ranges_read_naturally():
    assert TIME_LIMIT_HOURS.refusal("部门领单", "1.5") == "“部门领单”应为 1 至 720 之间的整数（小时）。"
    assert TIME_LIMIT_HOURS.refusal("部门领单", 2 * 10**9) is not None
    assert TARGET_VALUE.describe() == "0 至 1 万亿 之间的数字"
    assert PERCENT.describe() == "0 至 100 之间的数字（%）"


def test_as_number_only_returns_finite_numbers():
    assert as_number("1e309") is None
    assert as_number(10**30) == 10**30
    assert as_number("3") == 3.0


def test_argument_type_gives_argparse_the_chinese_refusal():
    parse = argument_type(TIME_LIMIT_HOURS, "时限")
    assert parse("24") == 24 and isinstance(parse("24"), int)
    with pytest.raises(argparse.ArgumentTypeError, match="“时限”应为 1 至 720 之间的整数"):
        parse("nan")


def test_the_survey_command_refuses_a_confidence_level_of_nan(capsys):
    with pytest.raises(SystemExit) as exit_:
        survey_main(["estimate", "--responses", "x.csv", "--instrument", "demo", "--level", "nan"])
    assert exit_.value.code == 2
    assert "“置信水平”应为 0.5 至 0.999 之间的数字" in capsys.readouterr().err


def test_a_stored_absurd_time_limit_cannot_overflow_the_due_date():
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    due = due_at(State.SUBMITTED, start, {Step.REVIEW: 2 * 10**9})
    assert due == start + dt.timedelta(hours=TIME_LIMIT_HOURS.high)
    assert due_at(State.SUBMITTED, start) == start + dt.timedelta(hours=DEFAULT_LIMIT_HOURS[Step.REVIEW])

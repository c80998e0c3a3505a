import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kesu.domain.reporting_periods import (
    Period,
    PeriodType,
    Rates,
    is_on_time,
    lock_time,
    quarter_of,
    suggest_cycle,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_it_names_and_bounds_periods():
    q2 = Period(PeriodType.QUARTER, 2023, 2)
    assert (q2.label, q2.starts_on, q2.ends_on) == ("2023年第二季度", dt.date(2023, 4, 1), dt.date(2023, 6, 30))
    assert Period(PeriodType.HALF, 2024, 2).label == "2024年下半年"
    assert Period(PeriodType.YEAR, 2024, 1).ends_on == dt.date(2024, 12, 31)
    with pytest.raises(ValueError):
        Period(PeriodType.QUARTER, 2023, 5)


def test_it_counts_the_whole_deadline_day_as_on_time():
    deadline = dt.date(2023, 7, 10)
    assert is_on_time(dt.datetime(2023, 7, 10, 23, 59, tzinfo=SHANGHAI), deadline, SHANGHAI)
    assert not is_on_time(dt.datetime(2023, 7, 11, 0, 0, tzinfo=SHANGHAI), deadline, SHANGHAI)
    assert not is_on_time(None, deadline, SHANGHAI)


def test_it_locks_days_after_the_deadline():
    assert lock_time(dt.date(2023, 7, 10), 7, SHANGHAI) == dt.datetime(2023, 7, 18, tzinfo=SHANGHAI)


def test_it_computes_rates_over_expected_reports():
    rates = Rates(expected=8, submitted=6, on_time=4)
    assert (rates.reporting_rate, rates.on_time_rate) == (0.75, 0.5)
    assert Rates(0, 0, 0).reporting_rate is None


def test_the_suggested_cycle_is_this_quarter_within_the_plan():
    today = dt.date.today()
    suggestion = suggest_cycle(today.year - 2, today.year + 2, today)
    assert suggestion.period == quarter_of(today) and not suggestion.plan_ended
    assert suggestion.deadline == max(suggestion.period.ends_on + dt.timedelta(days=10), today + dt.timedelta(days=14))
    taken = frozenset({quarter_of(today)})
    assert suggest_cycle(today.year - 2, today.year + 2, today, taken).period != quarter_of(today)


def test_a_plan_not_yet_started_suggests_its_first_quarter():
    today = dt.date.today()
    assert suggest_cycle(today.year + 1, today.year + 5, today).period == Period(PeriodType.QUARTER, today.year + 1, 1)


def test_an_ended_plan_suggests_its_final_report_then_nothing():
    today = dt.date.today()
    ended = suggest_cycle(today.year - 5, today.year - 1, today)
    assert ended.plan_ended and ended.period == Period(PeriodType.YEAR, today.year - 1, 1)
    assert ended.deadline > today
    done = suggest_cycle(today.year - 5, today.year - 1, today, frozenset({ended.period}))
    assert done.plan_ended and done.period is None and done.deadline is None

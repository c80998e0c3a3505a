import datetime as dt
from dataclasses import dataclass

from kesu.domain.current_cycle import (
    carried_note,
    counted_cycles,
    current_cycle,
    latest_of,
    main_frequency,
)
from kesu.domain.reporting_periods import Period, PeriodType

YEAR = dt.date.today().year  # any year: the rules only compare periods
Q, H, Y = PeriodType.QUARTER, PeriodType.HALF, PeriodType.YEAR


@dataclass(frozen=True)
class Cycle:
    name: str
    period: Period


def cycle(kind: PeriodType, number: int = 1, year: int = YEAR) -> Cycle:
    period = Period(kind, year, number)
    return Cycle(period.label, period)


def test_the_current_cycle_is_the_finest_frequency_of_the_latest_year_not_a_newly_opened_year():
    quarters = [cycle(Q, n) for n in (1, 2, 3)]
    annual = cycle(Y)
    cycles = [*quarters, annual]
    early_december = dt.date(YEAR, 12, 4)
    assert main_frequency(cycles, early_december) == Q
    assert current_cycle(cycles, early_december) == quarters[2]
    assert current_cycle(cycles, early_december, Y) == annual
    fourth = cycle(Q, 4)
    assert current_cycle([*cycles, fourth], early_december) == fourth


def test_a_plan_that_moved_to_yearly_reporting_has_the_year_as_current():
    cycles = [cycle(Q, n, YEAR - 1) for n in (1, 2, 3, 4)] + [cycle(Y, 1, YEAR)]
    assert current_cycle(cycles, dt.date(YEAR, 6, 1)).period == Period(Y, YEAR, 1)


def test_a_cycle_of_a_period_not_yet_begun_is_current_only_when_nothing_has_begun():
    this, following = cycle(Q, 4, YEAR - 1), cycle(Q, 1, YEAR + 1)
    assert current_cycle([this, following], dt.date(YEAR, 3, 1)) == this
    assert current_cycle([following], dt.date(YEAR, 3, 1)) == following
    assert current_cycle([], dt.date(YEAR, 3, 1)) is None


def test_an_approved_annual_report_counts_over_the_quarters_of_its_year():
    reports = [("edu", cycle(Q, 3)), ("edu", cycle(Y)), ("edu", cycle(Q, 4)), ("kx", cycle(Q, 2))]
    latest = latest_of(reports, key=lambda r: r[0], period_of=lambda r: r[1].period)
    assert latest["edu"][1].period.type == Y
    assert latest["kx"][1].period == Period(Q, YEAR, 2)
    next_quarter = ("edu", cycle(Q, 1, YEAR + 1))
    assert latest_of([*reports, next_quarter], lambda r: r[0], lambda r: r[1].period)["edu"] == next_quarter


def test_the_same_stretch_of_time_is_counted_once():
    quarters = [cycle(Q, n) for n in (1, 2, 3, 4)]
    counted = counted_cycles([cycle(Y), *quarters, cycle(H, 2)])
    assert counted == quarters
    assert counted_cycles([cycle(Y), cycle(Y, 1, YEAR - 1)]) == [cycle(Y, 1, YEAR - 1), cycle(Y)]


def test_a_value_from_an_earlier_cycle_is_marked_as_carried_forward():
    q3, q4 = Period(Q, YEAR, 3), Period(Q, YEAR, 4)
    assert carried_note(q3, q4) == f"沿用{YEAR}年第三季度已审核数据"
    assert carried_note(q4, q4) == ""
    assert carried_note(Period(Y, YEAR, 1), q4) == "", "the year's report is not older than its last quarter"
    assert carried_note(q3, None) == ""

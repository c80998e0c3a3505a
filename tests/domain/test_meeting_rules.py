"""Leading-group meeting rules: overdue decisions, the on-time completion rate, attendance (dates from today)."""

from __future__ import annotations

import datetime as dt

from kesu.domain.meeting_rules import DecisionDates, attendance_rates, days_overdue, is_overdue, on_time_rate

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


def test_a_decision_is_overdue_only_when_open_after_its_due_date():
    assert is_overdue(TODAY - DAY, None, TODAY)
    assert not is_overdue(TODAY, None, TODAY)  # due today: still in time
    assert not is_overdue(TODAY + DAY, None, TODAY)
    assert not is_overdue(TODAY - 10 * DAY, TODAY - DAY, TODAY)  # completed late: no longer overdue
    assert days_overdue(TODAY - 3 * DAY, TODAY) == 3
    assert days_overdue(TODAY + 3 * DAY, TODAY) == 0


def test_on_time_rate_counts_decisions_due_so_far():
    decisions = [
        DecisionDates(TODAY - 10 * DAY, TODAY - 12 * DAY),  # due, done early: on time
        DecisionDates(TODAY - 10 * DAY, TODAY - 10 * DAY),  # due, done on the day: on time
        DecisionDates(TODAY - 10 * DAY, TODAY - 2 * DAY),  # due, done late
        DecisionDates(TODAY - 1 * DAY, None),  # due, open (overdue)
        DecisionDates(TODAY, None),  # due today, still open: counts as due, not yet on time
        DecisionDates(TODAY + 5 * DAY, TODAY - DAY),  # not due yet (done early): left out
        DecisionDates(TODAY + 5 * DAY, None),  # not due yet: left out
    ]
    rate = on_time_rate(decisions, TODAY)
    assert (rate.on_time, rate.due) == (2, 5)
    assert rate.rate == 0.4


def test_on_time_rate_with_nothing_due_is_none():
    assert on_time_rate([DecisionDates(TODAY + DAY, None)], TODAY).rate is None
    assert on_time_rate([], TODAY).rate is None


def test_attendance_over_a_years_meetings():
    rates = attendance_rates([{1, 2}, {1}, {1, 3}, set()], [1, 2, 4])
    assert (rates[1].attended, rates[1].meetings, rates[1].rate) == (3, 4, 0.75)
    assert rates[2].rate == 0.25
    assert rates[4].rate == 0.0
    assert attendance_rates([], [1])[1].rate is None

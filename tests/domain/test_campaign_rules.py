"""Theme campaign rules: participants by audience group, windows, who took part, idle units (dates from today)."""

from __future__ import annotations

import datetime as dt

import pytest

from kesu.domain.campaign_rules import (
    AUDIENCE_LABELS,
    CampaignProblem,
    Registered,
    Window,
    audience_counts_words,
    audience_words,
    check_window,
    idle,
    participants_of,
    recurring_day,
    shares,
    took_part,
)

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


def test_the_audience_groups_carry_the_plans_words():
    assert list(AUDIENCE_LABELS.values()) == ["老年人", "农民", "青少年/学生", "产业工人", "领导干部", "公众"]
    assert audience_words(["public", "elderly"]) == "老年人、公众"  # fixed order, whatever was ticked first
    assert audience_counts_words({"public": 5, "elderly": 30}) == "老年人 30、公众 5"
    assert audience_counts_words({}) == ""


def test_participants_are_the_sum_of_the_groups_when_groups_are_given():
    assert participants_of(None, {"elderly": 30, "farmers": 12}) == 42
    assert participants_of(42, {"elderly": 30, "farmers": 12}) == 42
    assert participants_of(80, {}) == 80
    assert participants_of(None, {}) == 0


def test_a_head_count_that_contradicts_the_groups_is_refused():
    with pytest.raises(CampaignProblem, match="50.*42"):
        participants_of(50, {"elderly": 30, "farmers": 12})
    with pytest.raises(CampaignProblem, match="老年人"):
        participants_of(None, {"elderly": -1})
    with pytest.raises(CampaignProblem, match="未知"):
        participants_of(None, {"aliens": 3})


def test_a_window_must_run_forwards_within_its_year():
    check_window(TODAY - DAY, TODAY, TODAY.year)
    with pytest.raises(CampaignProblem, match="结束日期"):
        check_window(TODAY, TODAY - DAY, TODAY.year)
    with pytest.raises(CampaignProblem, match=str(TODAY.year + 5)):
        check_window(TODAY, TODAY, TODAY.year + 5)


def test_taking_part_needs_a_photo_inside_the_window():
    window = Window(1, TODAY - 7 * DAY, TODAY)
    activities = [
        Registered(1, unit=10, held_on=TODAY - DAY, photos=2),   # counts
        Registered(1, unit=11, held_on=TODAY - DAY, photos=0),   # no photo
        Registered(1, unit=12, held_on=TODAY - 8 * DAY, photos=1),  # before the window
        Registered(2, unit=13, held_on=TODAY - DAY, photos=1),   # another campaign
    ]
    assert took_part(window, activities) == {10}


def test_shares_count_only_invitations():
    windows = [Window(1, TODAY - 7 * DAY, TODAY), Window(2, TODAY - 30 * DAY, TODAY - 20 * DAY)]
    invited = [(1, 10), (2, 10), (1, 11)]
    activities = [Registered(1, 10, TODAY, 1), Registered(2, 10, TODAY, 1), Registered(1, 99, TODAY, 1)]
    # unit 10 did campaign 1 but registered campaign 2's activity after its window; unit 99 was never invited
    assert shares(windows, invited, activities) == {10: (1, 2), 11: (0, 1)}


def test_idle_units_keep_the_given_order():
    assert idle([5, 3, 9], [9, 1]) == [5, 3]


def test_a_yearly_campaign_day_is_this_years_when_past_else_last_years():
    assert recurring_day(dt.date(TODAY.year, 12, 4), 9, 20) == dt.date(TODAY.year, 9, 20)
    assert recurring_day(dt.date(TODAY.year, 3, 1), 5, 20) == dt.date(TODAY.year - 1, 5, 20)
    assert recurring_day(dt.date(TODAY.year, 5, 20), 5, 20) == dt.date(TODAY.year, 5, 20)

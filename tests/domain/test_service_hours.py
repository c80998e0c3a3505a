import datetime as dt

import pytest

from kesu.domain.service_hours import (
    HoursRefused,
    Session,
    check_members,
    check_overlaps,
    check_recorder,
    hours_between,
    hours_from_record,
    round_hours,
    star_level,
    summarise,
)

DAY = dt.datetime(2026, 4, 18, tzinfo=dt.UTC)


def at(hour: float) -> dt.datetime:
    return DAY + dt.timedelta(hours=hour)


def test_it_rounds_down_to_the_half_hour():
    assert [round_hours(h) for h in (0.4, 0.5, 1.74, 2.0, 2.99, -1)] == [0.0, 0.5, 1.5, 2.0, 2.5, 0.0]


def test_it_counts_sign_in_to_sign_out():
    assert hours_between(at(9), at(11.8)) == 2.5
    assert hours_between(at(9), at(9.25)) == 0.0
    with pytest.raises(HoursRefused, match="晚于签到"):
        hours_between(at(10), at(9))
    with pytest.raises(HoursRefused, match="12 小时"):
        hours_between(at(0), at(13))


def test_it_gives_everyone_on_a_service_record_the_services_duration_unless_fewer():
    assert hours_from_record(3, [1, 2, 3], {2: 1.2}) == {1: 3.0, 2: 1.0, 3: 3.0}
    with pytest.raises(HoursRefused, match="超过了本次服务时长"):
        hours_from_record(3, [1], {1: 4}, names={1: "张三"})
    with pytest.raises(HoursRefused, match="至少选择一名"):
        hours_from_record(3, [])
    with pytest.raises(HoursRefused, match="大于 0"):
        hours_from_record(0, [1])
    with pytest.raises(HoursRefused, match="按天分别登记"):
        hours_from_record(13, [1])


def test_it_refuses_overlapping_sessions_of_one_volunteer():
    existing = [Session(1, at(9), at(11), "服务单 KS-1")]
    check_overlaps([Session(1, at(11), at(12)), Session(2, at(9), at(11))], existing)
    with pytest.raises(HoursRefused, match="李四.*KS-1"):
        check_overlaps([Session(1, at(10), at(12))], existing, names={1: "李四"})
    with pytest.raises(HoursRefused, match="重复计时"):
        check_overlaps([Session(3, at(9), at(10)), Session(3, at(9.5), at(10.5))], [])


def test_it_lets_only_the_organiser_record():
    check_recorder(5, [5, 8])
    check_recorder(5, [], office=True)
    with pytest.raises(HoursRefused, match="谁组织、谁记录"):
        check_recorder(5, [8])
    with pytest.raises(HoursRefused, match="谁组织、谁记录"):
        check_recorder(None, [8])


def test_it_counts_only_approved_members():
    check_members([1, 2], [1, 2, 3])
    with pytest.raises(HoursRefused, match="王五不是本服务队"):
        check_members([1, 4], [1, 2], names={4: "王五"})


def test_it_summarises_a_volunteers_record_by_year():
    summary = summarise([(dt.date(2025, 5, 1), 2.0), (dt.date(2026, 1, 3), 1.5), (dt.date(2026, 2, 3), 3.0)])
    assert (summary.total, summary.services, summary.by_year) == (6.5, 3, {2025: 2.0, 2026: 4.5})


def test_it_grades_stars_by_total_hours():
    assert [star_level(h) for h in (99.5, 100, 650, 1500)] == [0, 1, 3, 5]

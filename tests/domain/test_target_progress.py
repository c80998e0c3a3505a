import datetime as dt

from kesu.domain.target_progress import Observation, Status, TargetSpec, assess

CUMULATIVE = TargetSpec(10000, ">=", 2025, False, "人次")


def test_it_has_no_status_without_approved_values():
    assert assess(CUMULATIVE, [], 2021, dt.date(2023, 1, 1)).status == Status.NO_DATA


def test_it_projects_a_cumulative_target_from_the_average_pace():
    # 5000 by the end of 2022 after two years: 2500 a year, three years to go → about 12500 by the end of 2025.
    progress = assess(CUMULATIVE, [Observation(dt.date(2022, 12, 31), 5000)], 2021, dt.date(2023, 1, 5))
    assert progress.status == Status.ON_TRACK
    assert abs(progress.projected - 12500) < 30
    assert progress.share == 0.5
    assert "平均进度" in progress.basis and "计划期初按 0 计" in progress.basis


def test_it_uses_the_trend_of_several_reports():
    obs = [Observation(dt.date(2021, 12, 31), 1000), Observation(dt.date(2022, 12, 31), 2000)]
    progress = assess(CUMULATIVE, obs, 2021, dt.date(2023, 1, 5))
    assert progress.status == Status.BEHIND  # 1000 a year → about 5000
    assert abs(progress.projected - 5000) < 30
    assert "线性趋势" in progress.basis


def test_it_flags_a_target_close_to_the_line_as_at_risk():
    # 3500 after two years → about 8750 (87.5% of the target).
    progress = assess(CUMULATIVE, [Observation(dt.date(2022, 12, 31), 3500)], 2021, dt.date(2023, 1, 5))
    assert progress.status == Status.AT_RISK


def test_it_reports_a_reached_target_and_a_missed_deadline():
    assert assess(CUMULATIVE, [Observation(dt.date(2024, 6, 30), 10000)], 2021, dt.date(2024, 7, 1)).status == Status.REACHED
    late = assess(CUMULATIVE, [Observation(dt.date(2025, 12, 31), 9000)], 2021, dt.date(2026, 2, 1))
    assert late.status == Status.BEHIND


def test_it_prorates_a_yearly_target_over_the_year():
    yearly = TargetSpec(2000, ">=", None, True, "人")
    half = assess(yearly, [Observation(dt.date(2023, 6, 30), 1100)], 2021, dt.date(2023, 7, 1))
    assert half.status == Status.ON_TRACK and half.projected > 2000
    assert assess(yearly, [Observation(dt.date(2023, 12, 31), 1500)], 2021, dt.date(2024, 1, 2)).status == Status.BEHIND


def test_it_checks_a_standing_requirement_against_the_latest_value():
    weekly = TargetSpec(2, ">=", None, False, "节/周")
    assert assess(weekly, [Observation(dt.date(2023, 6, 30), 2)], 2021, dt.date(2023, 7, 1)).status == Status.REACHED
    assert assess(weekly, [Observation(dt.date(2023, 6, 30), 1)], 2021, dt.date(2023, 7, 1)).status == Status.BEHIND


def test_it_respects_a_strict_comparator():
    strict = TargetSpec(14.5, ">", 2025, False, "%")
    assert assess(strict, [Observation(dt.date(2025, 12, 31), 14.5)], 2021, dt.date(2026, 1, 5)).status == Status.BEHIND

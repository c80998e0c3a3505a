import datetime as dt

from kesu.domain.evaluation_rules import verdict
from kesu.domain.target_progress import Observation, TargetSpec

TODAY = dt.date(2026, 12, 4)  # the rules take the day as an argument; these cases lie before it


def test_a_cumulative_target_is_judged_on_its_last_value_by_the_deadline():
    spec = TargetSpec(1000, ">=", 2023, False, "人")
    obs = [Observation(dt.date(2022, 12, 31), 600), Observation(dt.date(2023, 12, 31), 1000), Observation(dt.date(2024, 6, 30), 2000)]
    result = verdict(spec, obs, 2021, 2025, TODAY)
    assert result.reached is True and result.final.value == 1000 and result.label == "已达成"
    assert result.baseline.startswith("0（2021年初")
    assert "2023年12月31日" in result.rule


def test_a_strict_comparator_needs_more_than_the_goal():
    spec = TargetSpec(50, ">", 2025, False, "%")
    assert verdict(spec, [Observation(dt.date(2025, 9, 30), 50)], 2021, 2025, TODAY).reached is False


def test_a_yearly_target_uses_only_the_last_years_value():
    spec = TargetSpec(10, ">=", None, True, "场")
    obs = [Observation(dt.date(2024, 12, 31), 12), Observation(dt.date(2025, 6, 30), 4)]
    result = verdict(spec, obs, 2021, 2025, TODAY)
    assert result.reached is False and result.final.value == 4 and result.baseline.startswith("12场")


def test_a_mid_term_evaluation_says_the_deadline_is_later_and_no_data_is_no_verdict():
    spec = TargetSpec(10, ">=", 2025, False, "家")
    result = verdict(spec, [Observation(dt.date(2022, 12, 31), 11)], 2021, 2023, TODAY)
    assert result.label == "尚未到期（目前已达成）"
    assert verdict(spec, [], 2021, 2025, TODAY).label == "暂无数据"


def test_a_deadline_not_yet_passed_is_not_judged_yet():
    spec = TargetSpec(10, ">=", 2026, False, "家")
    result = verdict(spec, [Observation(dt.date(2026, 9, 30), 4)], 2021, 2026, dt.date(2026, 12, 4))
    assert result.label == "尚未到期（目前未达成）" and "2026年底才到期" in result.rule

"""Proposals linking a plan's measures and targets to its successor's, each with its reason in words."""

from kesu.domain.current_plan import PlanTerm, current_plan, overlaps, plan_in_force
from kesu.domain.plan_succession import MeasureItem, Proposal, TargetItem, propose_measures, propose_targets


def test_a_continuing_measure_is_proposed_with_its_similarity():
    old = [MeasureItem(1, "实施高素质农民培育计划", "farmers"), MeasureItem(2, "促进一带一路科技人文交流", "cooperation")]
    new = [MeasureItem(11, "深入实施高素质农民培育计划", "farmers"), MeasureItem(12, "建设县域科普智慧平台", "informatization")]
    proposals = propose_measures(old, new)
    assert [(p.old_id, p.new_id) for p in proposals] == [(1, 11)]
    assert proposals[0].reason.startswith("措施内容相近（相似度 0.")


def test_the_same_title_says_so_and_nothing_alike_gives_no_proposal():
    assert propose_measures([MeasureItem(1, "实施智慧助老行动")], [MeasureItem(2, "实施智慧助老行动")])[0].reason == "措施名称相同"
    assert propose_measures([MeasureItem(1, "实施智慧助老行动")], [MeasureItem(2, "拓展国际科技人文交流渠道")]) == []
    assert propose_measures([], [MeasureItem(2, "实施智慧助老行动")]) == []


def test_of_two_candidates_the_closer_one_wins_and_the_other_stays_free():
    old = [MeasureItem(1, "开展老年人健康科普服务"), MeasureItem(2, "开展老年人健康科普服务活动")]
    new = [MeasureItem(11, "开展老年人健康科普服务活动")]
    assert [(p.old_id, p.new_id) for p in propose_measures(old, new)] == [(2, 11)]


def test_targets_pair_by_indicator_and_unit_only():
    old = [TargetItem(1, "科技志愿服务队数量", "支", 100), TargetItem(2, "中小学科学教师培训", "人次", 101),
           TargetItem(3, "科普教育基地数量", "个", 102)]
    new = [TargetItem(11, "科技志愿服务队数量", "支", 200), TargetItem(12, "中小学科学教师培训", "%", 201),
           TargetItem(13, "市级科普教育基地数量", "个", 202)]
    proposals = propose_targets(old, new, [Proposal(1 + 99, 200, 0.9, "")])
    assert [(p.old_id, p.new_id) for p in proposals] == [(1, 11), (3, 13)]  # 人次 never becomes %
    assert proposals[0].reason == "指标名称相同，所属措施相衔接"
    assert proposals[1].reason.startswith("指标名称相近（相似度 0.")


def test_two_old_targets_with_the_same_indicator_prefer_the_linked_measure():
    old = [TargetItem(1, "科普讲座场次", "场", 100), TargetItem(2, "科普讲座场次", "场", 101)]
    new = [TargetItem(11, "科普讲座场次", "场", 201)]
    proposals = propose_targets(old, new, [Proposal(101, 201, 0.8, "")])
    assert [(p.old_id, p.new_id) for p in proposals] == [(2, 11)]


def test_the_current_plan_is_the_open_published_one_containing_this_year():
    old = PlanTerm(1, 2021, 2025, published=True, ended=False)
    new = PlanTerm(2, 2026, 2030, published=False, ended=False)
    assert current_plan([old, new], 2026) == old  # the successor is still a draft: the old one stays current
    assert current_plan([old, PlanTerm(2, 2026, 2030, True, False)], 2026).id == 2
    ended = PlanTerm(1, 2021, 2025, published=True, ended=True)
    assert current_plan([ended, new], 2026) == new  # an ended plan gives way even to a draft
    assert current_plan([ended], 2026) == ended  # still browsable when it is the only one
    assert current_plan([], 2026) is None
    future = PlanTerm(3, 2031, 2035, True, False)
    assert current_plan([PlanTerm(2, 2026, 2030, True, False), future], 2026).id == 2  # not one not yet started


def test_a_years_work_counts_for_the_plan_in_force_that_year_even_if_it_has_ended():
    ended = PlanTerm(1, 2021, 2025, published=True, ended=True)
    new = PlanTerm(2, 2026, 2030, published=True, ended=False)
    assert plan_in_force([ended, new], 2024) == ended
    assert plan_in_force([ended, new], 2027) == new
    overlapping = PlanTerm(3, 2025, 2029, published=True, ended=False)
    assert plan_in_force([ended, overlapping], 2025) == overlapping  # the later-starting of two overlapping
    assert plan_in_force([ended, new], 2035) == new  # no plan covers the year: the current one


def test_overlapping_periods():
    assert overlaps(2021, 2025, 2025, 2030)
    assert not overlaps(2021, 2025, 2026, 2030)

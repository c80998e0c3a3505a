from kesu.domain import scoring_rubric
from kesu.domain.scoring_rubric import DEFAULT_ITEMS, Item, UnitFacts, rank, score_unit

ITEMS = [Item(str(i), kind, label, points) for i, (kind, label, points) in enumerate(DEFAULT_ITEMS)]


def test_it_scores_each_item_with_its_rule():
    facts = UnitFacts(
        expected_reports=4, on_time_reports=3,
        measure_progress=["completed", "in_progress"], target_statuses=["reached", "at_risk"],
        manual={"3": 8}, adjustments=[(-2, "材料不全")],
    )
    score = score_unit(ITEMS, facts)
    assert [i.earned for i in score.items] == [15.0, 42.5, 15.0, 8.0]
    assert score.total == 78.5
    assert "3/4" in score.items[0].rule


def test_it_caps_manual_points_at_the_items_maximum():
    score = score_unit(ITEMS, UnitFacts(manual={"3": 25}))
    assert score.items[3].earned == 10


def test_it_gives_nothing_for_missing_data():
    assert score_unit(ITEMS, UnitFacts()).total == 0


def test_it_ranks_ties_together():
    assert rank({1: 90, 2: 85, 3: 90, 4: 70}) == {1: 1, 3: 1, 2: 3, 4: 4}


def test_a_share_item_scores_done_over_due_with_its_rule():
    item = scoring_rubric.Item("9", scoring_rubric.DECISIONS, "议定事项按期办结", 10)
    facts = scoring_rubric.UnitFacts(shares={scoring_rubric.DECISIONS: scoring_rubric.Share(3, 4, "项议定事项按期办结")})
    score = scoring_rubric.score_item(item, facts)
    assert score.earned == 7.5
    assert score.rule == "10 分 × 3/4 项议定事项按期办结"


def test_a_share_item_with_nothing_due_earns_full_points():
    item = scoring_rubric.Item("9", scoring_rubric.ATTENDANCE, "会议出席", 5)
    assert scoring_rubric.score_item(item, scoring_rubric.UnitFacts()).earned == 5
    facts = scoring_rubric.UnitFacts(shares={scoring_rubric.ATTENDANCE: scoring_rubric.Share(0, 0, "次会议出席")})
    score = scoring_rubric.score_item(item, facts)
    assert score.earned == 5 and "按满分计" in score.rule


def test_a_share_never_exceeds_the_items_points():
    item = scoring_rubric.Item("9", scoring_rubric.CAMPAIGNS, "参加主题活动", 4)
    facts = scoring_rubric.UnitFacts(shares={scoring_rubric.CAMPAIGNS: scoring_rubric.Share(3, 2, "次主题活动")})
    assert scoring_rubric.score_item(item, facts).earned == 4

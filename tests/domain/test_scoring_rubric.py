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

from kesu.domain.rollup_rules import AreaValue, Kind, Spread, kind_of, roll_up


def test_rates_and_shares_are_told_apart_from_counts():
    assert kind_of("学生科普活动参与率", "%") is Kind.RATE
    assert kind_of("参与率", "") is Kind.RATE
    assert kind_of("科普经费占比", "") is Kind.RATE
    assert kind_of("千人注册科技志愿者", "‰") is Kind.RATE
    assert kind_of("专（兼）职科技教师", "名/校") is Kind.RATE, "1 per school in each area is not 2 per school"
    assert kind_of("学校安排", "次/学期") is Kind.RATE
    assert kind_of("科技志愿服务队人数", "人") is Kind.COUNT
    assert kind_of("科普讲座", "场") is Kind.COUNT


def test_a_rate_target_is_never_summed_180_percent():
    rolled = roll_up("学生科普活动参与率", "%", [AreaValue("襄汾县", 90, 85), AreaValue("乡宁县", 90, 70)])
    assert rolled.kind is Kind.RATE
    assert rolled.target_total is None and rolled.current_total is None and rolled.share is None
    assert rolled.target_spread == Spread(90, 90, 90)
    assert rolled.current_spread == Spread(70, 77.5, 85)
    assert rolled.weighted_current is None, "no population known"
    assert "不相加" in rolled.rule


def test_a_rate_is_weighted_by_population_when_every_reporting_area_has_one():
    rolled = roll_up("参与率", "%", [AreaValue("甲", 90, 80, population=300_000),
                                     AreaValue("乙", 90, 60, population=100_000), AreaValue("丙", 90, None)])
    assert rolled.weighted_current == 75
    assert rolled.reported == 2


def test_counts_are_summed_and_an_area_without_a_value_is_not_a_zero():
    rolled = roll_up("科技志愿服务队人数", "人", [AreaValue("甲", 3000, 1200), AreaValue("乙", 3000, None)])
    assert (rolled.target_total, rolled.current_total, rolled.share) == (6000, 1200, 0.2)
    assert rolled.reported == 1
    assert roll_up("场次", "场", [AreaValue("甲", 10, None)]).current_total is None

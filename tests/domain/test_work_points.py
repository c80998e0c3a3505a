"""Work points from a parsed 工作要点, the proposed measure of each point, and what a revised document changes."""

from __future__ import annotations

import pytest

from kesu.domain.plan_parsing import parse_plan
from kesu.domain.work_points import (
    LINK_THRESHOLD,
    Measure,
    NoPointsFound,
    ParsedPoint,
    StoredPoint,
    likeness,
    pairing,
    points_from_parsed,
    propose_link,
    revise,
)

TEXT = """晋城市2026年全民科学素质工作要点

一、青少年科学素质提升行动
1.深化科学家精神进校园行动，全年组织报告会不少于30场。（牵头单位：市教育局、市科协；配合单位：团市委）
2.举办青少年科技创新大赛。（牵头单位：市科协；配合单位：市教育局）

二、基层科普能力提升工程
3.组织全国科普日主场活动。（牵头单位：市科协）
"""

MEASURES = [
    Measure(11, "提升基础教育阶段科学教育水平", "青少年科学素质提升行动"),
    Measure(12, "推进科学家精神进校园行动", "青少年科学素质提升行动"),
    Measure(21, "实施高素质农民培育计划", "农民科学素质提升行动"),
    Measure(31, "健全基层科普服务体系", "基层科普能力提升工程"),
]


def test_the_plan_parser_reads_a_work_points_document_into_points_in_order():
    points = points_from_parsed(parse_plan(TEXT))
    assert [p.position for p in points] == [1, 2, 3]
    assert points[0].text.startswith("深化科学家精神进校园行动")
    assert points[0].section == "青少年科学素质提升行动"
    assert points[0].lead == ("市教育局", "市科协") and points[0].support == ("团市委",)
    assert points[2].section == "基层科普能力提升工程" and points[2].lead == ("市科协",) and points[2].support == ()


def test_a_document_without_points_is_refused_naming_the_file_and_the_expected_form():
    with pytest.raises(NoPointsFound) as refused:
        points_from_parsed({"sections": [{"title": "组织保障", "tasks": []}]}, "要点.txt")
    assert "要点.txt" in str(refused.value) and "牵头单位" in str(refused.value)


def test_the_measure_with_the_closest_wording_is_proposed_with_the_reason():
    proposal = propose_link("深化科学家精神进校园行动，全年组织报告会不少于30场", "青少年科学素质提升行动", MEASURES)
    assert proposal.measure_id == 12
    assert "推进科学家精神进校园行动" in proposal.reason and "相似度" in proposal.reason


def test_a_point_like_no_measure_is_proposed_as_new_this_year():
    proposal = propose_link("组织全国科普日主场活动", "基层科普能力提升工程", MEASURES)
    assert proposal.measure_id is None and proposal.score < LINK_THRESHOLD
    assert "本年新增" in proposal.reason
    assert propose_link("任何内容", "", []).measure_id is None


def test_likeness_counts_shared_character_pairs():
    assert likeness("实施智慧助老行动", "实施智慧助老行动") == 1.0
    assert likeness("实施智慧助老行动", "健全基层科普服务体系") == 0.0
    assert 0 < likeness("广泛开展职业技能培训和职工技能竞赛", "广泛开展职业技能培训") < 1


def test_a_revision_lists_added_removed_and_changed_points_and_keeps_a_reworded_point():
    stored = [StoredPoint(1, "举办青少年科技创新大赛", ("市科协",), ("市教育局",)),
              StoredPoint(2, "开展科普讲解大赛", ("市科协",), ()),
              StoredPoint(3, "组织全国科普日主场活动", ("市科协",), ())]
    new = [ParsedPoint(1, "", "举办第十届青少年科技创新大赛", ("市科协",), ("市教育局", "团市委")),
           ParsedPoint(2, "", "组织全国科普日主场活动", ("市科协",), ()),
           ParsedPoint(3, "", "新建社区科普e站20个", ("市科协",), ())]
    changes = revise(stored, new)
    kinds = {(c.kind, c.text) for c in changes}
    assert ("新增", "新建社区科普e站20个") in kinds and ("删除", "开展科普讲解大赛") in kinds
    changed = next(c for c in changes if c.kind == "修改")
    assert changed.stored_id == 1 and any("配合单位" in d for d in changed.details)
    assert all(c.text != "组织全国科普日主场活动" for c in changes)  # unchanged: not listed
    assert pairing(stored, new) == {1: 1, 2: 3}


def test_the_same_units_in_another_order_are_no_change():
    stored = [StoredPoint(1, "举办青少年科技创新大赛", ("市教育局", "市科协"), ())]
    assert revise(stored, [ParsedPoint(1, "", "举办青少年科技创新大赛", ("市科协", "市教育局"), ())]) == []

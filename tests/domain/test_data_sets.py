"""Data-collection forms: checking a filled form, pre-fill, aggregation (kesu.domain.data_sets)."""

from __future__ import annotations

import pytest

from kesu.domain.data_set_templates import KEPU, SCHOOL, TEMPLATES, VENUE
from kesu.domain.data_sets import (
    DataRefused,
    FormDefinition,
    Indicator,
    Prefill,
    Section,
    aggregate,
    check_respondent,
    fraction_rule,
    merge_prefill,
    validate,
)


def _refusal(definition: FormDefinition, raw: dict, **kwargs) -> DataRefused:
    with pytest.raises(DataRefused) as caught:
        validate(definition, raw, **kwargs)
    return caught.value


def test_the_shipped_templates_are_consistent() -> None:
    assert set(TEMPLATES) == {"kepu", "school", "venue"}
    assert [s.title[:2] for s in KEPU.sections] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert KEPU.depth("p_volunteers") == 2 and KEPU.depth("p_part") == 1 and KEPU.depth("p_total") == 0


def test_a_part_larger_than_its_total_is_refused_naming_both() -> None:
    refusal = _refusal(SCHOOL, {"s_teachers": "2", "s_teachers_full": "3"})
    assert [p.code for p in refusal.problems] == ["s_teachers_full"]
    assert "「专职科技教师」（3）是「科技教师（专、兼职）」的其中项，不能大于合计（2）" in refusal.message
    assert refusal.message.endswith("未保存任何内容。")


def test_non_overlapping_parts_together_cannot_exceed_the_total() -> None:
    refusal = _refusal(KEPU, {"a_events": "10", "a_lectures": "6", "a_exhibitions": "3", "a_contests": "2"})
    assert "其中项「科普（技）讲座」＋「科普（技）展览」＋「科普（技）竞赛」之和（11）不能大于「科普活动举办次数」（10）" in refusal.message
    assert validate(KEPU, {"a_events": "11", "a_lectures": "6", "a_exhibitions": "3", "a_contests": "2"})["a_events"] == 11


def test_overlapping_parts_are_only_checked_one_by_one() -> None:
    values = validate(KEPU, {"p_total": "10", "p_full": "4", "p_part": "6", "p_women": "7"})
    assert values["p_women"] == 7


def test_an_exact_sum_rule_names_the_sum_it_expected() -> None:
    refusal = _refusal(KEPU, {"p_total": "10", "p_full": "4", "p_part": "5"})
    assert "「科普人员总数」（10）应等于「科普专职人员」＋「科普兼职人员」（9）" in refusal.message
    assert validate(KEPU, {"p_total": "10", "p_full": "4"})["p_part"] is None  # checked once every part is filled


@pytest.mark.parametrize(("typed", "words"), [
    ("-3", "「在校学生数」不能为负数（填写了 -3）"),
    ("12.5", "「在校学生数」应为整数（单位：人），填写了 12.5"),
    ("很多", "「在校学生数」应填数字，“很多”不是数字"),
    ("nan", "「在校学生数」应填数字"),
    ("1e30", "「在校学生数」不能超过"),
])
def test_bad_numbers_are_refused_naming_the_indicator(typed: str, words: str) -> None:
    refusal = _refusal(SCHOOL, {"s_students": typed})
    assert words in refusal.message
    assert [p.code for p in refusal.problems] == ["s_students"]


def test_decimals_are_accepted_where_the_indicator_allows_them() -> None:
    assert validate(VENUE, {"b_area": "1,250.5"})["b_area"] == 1250.5
    assert "「全年开放天数」不能超过 366天" in _refusal(VENUE, {"b_open_days": "400"}).message


def test_every_problem_is_named_at_once() -> None:
    refusal = _refusal(SCHOOL, {"s_students": "-1", "s_teachers": "1.5", "s_lectures": "x"})
    assert [p.code for p in refusal.problems] == ["s_students", "s_teachers", "s_lectures"]


def test_submitting_needs_every_indicator_but_a_draft_does_not() -> None:
    assert validate(VENUE, {"b_area": "300"})["b_visitors"] is None
    refusal = _refusal(VENUE, {"b_area": "300"}, complete=True)
    assert "「接待人次」未填写（没有的填 0）" in refusal.message
    assert "b_area" not in [p.code for p in refusal.problems]


def test_a_respondent_outside_the_assignment_is_refused() -> None:
    check_respondent({("unit", 1), ("school", 4)}, ("school", 4), "襄汾县第一中学")
    with pytest.raises(DataRefused, match="“乡宁县科协”不在本轮统计的填报对象中"):
        check_respondent({("unit", 1)}, ("unit", 9), "乡宁县科协")


def test_prefilled_values_are_marked_editable_and_keep_their_source() -> None:
    prefills = {"a_events": Prefill(12, "科普活动登记", "本单位当年登记的科普活动场次"),
                "a_participants": Prefill(860, "科普活动登记", "参与人数之和")}
    sections = merge_prefill(KEPU, {"a_participants": 900.0}, prefills)
    cells = {c.indicator.code: c for s in sections for c in s.cells}
    assert cells["a_events"].text == "12" and cells["a_events"].prefilled and cells["a_events"].prefill.source == "科普活动登记"
    assert cells["a_participants"].text == "900" and cells["a_participants"].changed  # the respondent corrected it
    assert cells["p_total"].text == "" and not cells["p_total"].prefilled and cells["a_lectures"].depth == 1


def test_a_refused_form_shows_back_what_was_typed() -> None:
    prefills = {"a_events": Prefill(12, "科普活动登记", "")}
    cells = {c.indicator.code: c for s in merge_prefill(KEPU, {}, prefills, typed={"a_events": "十二"}) for c in s.cells}
    assert cells["a_events"].text == "十二" and cells["a_events"].changed


def test_aggregation_sums_counts_and_recomputes_rates_and_shares() -> None:
    rows = [
        {"s_students": 1000.0, "s_participants": 900.0, "s_teachers": 3.0},
        {"s_students": 100.0, "s_participants": 10.0, "s_teachers": 0.0},
        {"s_students": None, "s_participants": 50.0, "s_teachers": None},  # not counted in the rate or share
    ]
    result = aggregate(SCHOOL, rows)
    assert result.respondents == 3
    assert result.totals["s_students"] == 1100 and result.reported["s_students"] == 2
    assert result.totals["s_participants"] == 960
    assert result.value("s_participation") == pytest.approx(910 / 1100 * 100)  # not the mean of 90% and 10%
    assert result.fractions["s_with_teacher"].done == 1 and result.fractions["s_with_teacher"].due == 2
    assert result.value("s_with_teacher") == 50
    assert aggregate(SCHOOL, []).value("s_participation") is None


def test_every_rate_and_share_states_its_rule() -> None:
    assert "不取各对象比率的平均" in fraction_rule(SCHOOL, "s_participation")
    assert "「科技教师（专、兼职）」不少于 1人的填报对象数 ÷ 填报了该项的对象数" in fraction_rule(SCHOOL, "s_with_teacher")


def test_a_definition_with_unknown_codes_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        FormDefinition("x", "x", ("unit",), (Section("一", ("a",)),), (Indicator("a", "甲", "人", parent="zz"),))

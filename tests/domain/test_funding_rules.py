"""科普经费 rules: amounts and population checked, per capita, growth, rates, shares, the standard and 经费保障."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kesu.domain import funding_rules as rules


def test_amounts_are_decimals_in_wan_with_two_places():
    assert rules.amount("预算", "12.345") == D("12.35")
    assert rules.amount("预算", 3) == D("3.00")
    assert rules.amount("预算", "1,200") == D("1200.00")
    assert rules.amount("预算", "") is None
    assert rules.amount("预算", D("0.1")) + rules.amount("预算", D("0.2")) == D("0.3")


@pytest.mark.parametrize(("value", "words"), [
    ("-5", "不能为负数"), ("abc", "不是数字"), ("nan", "不是数字"), ("Infinity", "不是数字"), ("1e12", "超过"),
])
def test_bad_amounts_are_refused_naming_the_field(value, words):
    with pytest.raises(rules.FundingRefused) as refused:
        rules.amount("本级财政科普专项经费（预算）", value)
    assert "本级财政科普专项经费（预算）" in str(refused.value) and words in str(refused.value)
    assert refused.value.field == "本级财政科普专项经费（预算）"


def test_a_required_amount_must_be_filled():
    with pytest.raises(rules.FundingRefused, match="请填写“计划经费（万元）”"):
        rules.amount("计划经费（万元）", " ", required=True)


def test_population_zero_is_refused_and_blank_is_allowed():
    assert rules.population("") is None
    assert rules.population("230,000") == 230000
    for bad, words in (("0", "应大于 0"), ("-3", "应大于 0"), ("12.5", "不是整数"), ("许多", "不是数字"), ("3000000000", "20 亿")):
        with pytest.raises(rules.FundingRefused, match=words):
            rules.population(bad)


def test_per_capita_is_special_times_ten_thousand_over_population():
    assert rules.per_capita(D("460"), 230000).value == D("20.00")
    assert rules.per_capita(D("100"), 300000).value == D("3.33")
    missing = rules.per_capita(D("460"), None)
    assert (missing.value, missing.missing) == (None, "无法计算：缺少常住人口")
    assert rules.per_capita(D("460"), 0).missing == "无法计算：缺少常住人口"
    assert rules.per_capita(None, 1000).missing == rules.NO_SPECIAL


def test_special_uses_received_then_budgeted_and_says_which():
    assert rules.special_of(D("100"), D("90")) == rules.Special(D("90"), "到位数")
    assert rules.special_of(D("100"), None) == rules.Special(D("100"), "预算数")
    assert rules.special_of(None, None).value is None


def test_growth_against_last_year():
    assert rules.growth(D("110"), D("100")).value == D("0.1")
    assert rules.growth(D("90"), D("100")).value == D("-0.1")
    assert rules.growth(D("90"), None).missing == "无法计算：缺少上年专项经费"
    assert rules.growth(D("90"), D("0")).missing == "无法计算：上年专项经费为 0"


def test_received_and_execution_rates():
    assert rules.received_rate(D("200"), D("150")).value == D("0.75")
    assert not rules.received_rate(D("0"), D("150")).known
    assert rules.execution_rate(D("30"), D("120")).value == D("0.25")
    assert rules.execution_rate(D("0"), D("0")).missing == "无法计算：尚无计划经费"


def test_shares_by_section_put_unlinked_lines_last():
    shares = rules.shares_by_section([("", D("20")), ("青少年", D("50")), ("农民", D("30")), ("青少年", D("0"))])
    assert [(s.section, s.planned, s.share.value) for s in shares] == [
        ("青少年", D("50"), D("0.5")), ("农民", D("30"), D("0.3")), ("未关联措施", D("20"), D("0.2"))]
    assert rules.shares_by_section([]) == []


def test_sources_refuse_special_above_government_total():
    rules.check_sources(rules.Sources(D("100"), D("100")))
    rules.check_sources(rules.Sources(None, D("100")))
    with pytest.raises(rules.FundingRefused, match="大于“政府拨款”"):
        rules.check_sources(rules.Sources(D("80"), D("100")))


def test_standard_verdicts():
    assert rules.standard_verdict(rules.Figure(D("2.5")), D("2")).state == "met"
    assert rules.standard_verdict(rules.Figure(D("2")), D("2")).met  # equal to the standard is met
    not_met = rules.standard_verdict(rules.Figure(D("1.5")), D("2"))
    assert (not_met.state, not_met.text) == ("not_met", "未达标（1.5 < 2 元/人）")
    assert rules.standard_verdict(rules.Figure(D("1.5")), None).text == "无法判断：尚未设定人均经费标准"
    assert rules.standard_verdict(rules.per_capita(D("3"), None), D("2")).text == "无法判断：缺少常住人口"
    with pytest.raises(rules.FundingRefused):
        rules.standard("-1")
    assert rules.standard("2.5") == D("2.50")


def test_guarantee_counts_only_conditions_that_can_be_judged():
    met, low = rules.Verdict("met", ""), rules.Verdict("not_met", "")
    unknown = rules.Verdict("unknown", "")
    assert (rules.guarantee(met, met).done, rules.guarantee(met, met).due) == (2, 2)
    assert (rules.guarantee(met, low).done, rules.guarantee(met, low).due) == (1, 2)
    assert (rules.guarantee(unknown, met).done, rules.guarantee(unknown, met).due) == (1, 1)
    assert rules.guarantee(unknown, unknown).due == 0
    assert rules.growth_verdict(D("100"), D("100")).met
    assert rules.growth_verdict(D("99"), D("100")).state == "not_met"
    assert rules.growth_verdict(D("99"), None).state == "unknown"


def test_wan_text():
    assert rules.wan_text(D("12.50")) == "12.5"
    assert rules.wan_text(D("1200.00")) == "1,200"
    assert rules.wan_text(None) == "—"

import pytest

from kesu.domain.unit_names import is_all_members, unit_key


@pytest.mark.parametrize("spelling", ["市教育局", "教育局", "市教育局（科技局）", "晋城市教育局", "晋城教育局", "市教育局(科技局)"])
def test_it_folds_spellings_of_one_department(spelling):
    assert unit_key(spelling, "晋城市") == unit_key("市教育局", "晋城市")


@pytest.mark.parametrize("other", ["团市委", "市委", "市科技局", "市生态环境局襄汾分局"])
def test_it_keeps_different_units_apart(other):
    assert unit_key(other, "晋城市") != unit_key("市教育局", "晋城市")


def test_it_folds_party_committee_organs_with_and_without_prefix():
    assert unit_key("市委宣传部", "乌海市") == unit_key("宣传部", "乌海市")
    assert unit_key("县委组织部", "襄汾县") == unit_key("组织部", "襄汾县")


def test_it_does_not_read_market_regulation_as_a_city_prefix():
    assert unit_key("市场监督管理局", "乌海市") == unit_key("市市场监督管理局", "乌海市")


@pytest.mark.parametrize("phrase", ["各成员单位", "领导小组各成员单位", "县全民科学素质纲要实施工作领导小组各成员单位"])
def test_it_recognises_phrases_for_every_member_unit(phrase):
    assert is_all_members(phrase)
    assert not is_all_members("县科协")

import numpy as np
import pytest

from kesu.domain.survey import Margins, MarginsError, Trim, rake, read_margins
from kesu.domain.survey.responses import Categorical


def _groups():
    rng = np.random.default_rng(3)
    n = 400
    return (
        rng.lognormal(3, 0.5, n),
        {
            "gender": Categorical.from_values(rng.choice(["男", "女"], n)),
            "urban": Categorical.from_values(rng.choice(["城镇", "乡村"], n, p=[0.7, 0.3])),
            "education": Categorical.from_values(rng.choice(["小学及以下", "初中", "高中", "大专及以上"], n)),
        },
    )


MARGINS = {
    "gender": {"男": 5100.0, "女": 4900.0},
    "urban": {"城镇": 6000.0, "乡村": 4000.0},
    "education": {"小学及以下": 2500.0, "初中": 3800.0, "高中": 2000.0, "大专及以上": 1700.0},
}


def _totals(weights, cat):
    return dict(zip(cat.labels, np.bincount(cat.codes, weights=weights), strict=True))


def test_it_rakes_to_the_margins_and_reports_convergence():
    w, groups = _groups()
    result = rake(w, groups, Margins(MARGINS))
    assert result.converged and 2 <= result.iterations < 100
    assert result.max_change < result.epsilon
    assert result.history[-1] == result.max_change and len(result.history) == result.iterations
    for var, totals in MARGINS.items():
        got = _totals(result.weights, groups[var])
        for cat, total in totals.items():
            assert got[cat] == pytest.approx(total, rel=1e-8)


def test_it_reports_non_convergence_with_the_iterations():
    w, groups = _groups()
    result = rake(w, groups, Margins(MARGINS), max_iter=1, epsilon=1e-12)
    assert not result.converged and result.iterations == 1
    assert "迭代 1 次后仍未收敛" in result.warnings[-1]
    inconsistent = {**MARGINS, "urban": {"城镇": 7000.0, "乡村": 4000.0}}
    result = rake(w, groups, Margins(inconsistent), max_iter=30)
    assert not result.converged and result.max_margin_error > 0.01
    assert any("合计不一致" in x for x in result.warnings)
    assert any("不能同时满足" in x for x in result.warnings)


def test_it_names_the_categories_missing_on_each_side():
    w, groups = _groups()
    bad = {
        **MARGINS,
        "education": {"小学及以下": 2500.0, "初中": 3800.0, "高中（含中专）": 2000.0, "大专及以上": 1700.0},
    }
    with pytest.raises(MarginsError) as caught:
        rake(w, groups, Margins(bad))
    text = str(caught.value)
    assert "变量“education”（文化程度）的类别与数据不一致" in text
    assert "样本中有而控制数中没有：“高中”" in text
    assert "控制数中有而样本中没有：“高中（含中专）”" in text


def test_it_refuses_an_empty_category_unless_partial():
    w, groups = _groups()
    empty = {**MARGINS, "education": {**MARGINS["education"], "研究生": 300.0}}
    with pytest.raises(MarginsError, match="“研究生”（没有受访者"):
        rake(w, groups, Margins(empty))
    result = rake(w, groups, Margins(empty), partial=True)
    assert result.converged and any("研究生" in x for x in result.warnings)
    # a category with population 0 that nobody has is simply dropped (as R does)
    zero = {**MARGINS, "education": {**MARGINS["education"], "研究生": 0.0}}
    assert rake(w, groups, Margins(zero)).converged
    # a sample category whose population total is 0 cannot be raked
    zero_present = {**MARGINS, "urban": {"城镇": 10000.0, "乡村": 0.0}}
    with pytest.raises(MarginsError, match="控制数为 0 但样本中有受访者：“乡村”"):
        rake(w, groups, Margins(zero_present))


def test_it_refuses_a_variable_missing_from_the_data():
    w, groups = _groups()
    with pytest.raises(MarginsError, match="答卷中没有这一列"):
        rake(w, groups, Margins({"occupation": {"工人": 1.0}}))


def test_it_trims_weights_and_keeps_the_margins():
    w, groups = _groups()
    w[:5] *= 40  # a few huge design weights
    plain = rake(w, groups, Margins(MARGINS))
    assert plain.weights.max() / plain.weights.mean() > 5
    result = rake(w, groups, Margins(MARGINS), trim=Trim(upper=3.0))
    assert result.trim is not None and result.trim.cycles >= 1
    assert result.trim.within_bounds
    assert result.weights.max() / result.weights.mean() <= 3.0 * 1.001
    for var, totals in MARGINS.items():
        got = _totals(result.weights, groups[var])
        for cat, total in totals.items():
            assert got[cat] == pytest.approx(total, rel=1e-8)


def test_it_reads_margins_files(tmp_path, fixtures):
    m = read_margins(fixtures / "demo_margins.csv")
    assert m.variables == ["gender", "urban", "age_group", "education", "region"]
    assert len(set(m.grand_totals().values())) == 1
    (tmp_path / "gbk.csv").write_bytes(
        "变量,类别,总体数\ngender,男,10\ngender,女,-1\ngender,男,3\n".encode("gbk")
    )
    with pytest.raises(MarginsError) as caught:
        read_margins(tmp_path / "gbk.csv")
    assert "第 3 行" in str(caught.value) and "不能为负数" in str(caught.value)
    assert "第 4 行：变量“gender”的类别“男”重复" in str(caught.value)

"""Kesu's estimates against R's survey package (tools/r/make_fixtures.R → r_reference.json).

Rate/shares/means to 1e-6 relative, SE, CI bounds and design effects to 1e-4 relative, for every case
(raked and not, every lonely-PSU rule), the whole sample and every category of every group variable.
Where R has no usable answer (a share of 0 or 1, a zero variance, fewer than 1 degree of freedom) the
documented Kesu rule is checked instead.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from kesu.domain.survey import Design, Margins, estimate, rake, read_margins, read_responses, score
from kesu.domain.survey.estimation import clopper_pearson

BY = ["gender", "urban", "age_group", "education", "occupation", "region"]
CASES = [
    "main",
    "main_unraked",
    "edge_adjust",
    "edge_average",
    "edge_certainty",
    "edge_remove",
    "edge_unraked_adjust",
    "edge_unraked_average",
]
_cache: dict = {}


def _run(case, fixtures, instrument, method):
    key = (case["responses"], case["raked"], case["lonely_psu"], method)
    if key not in _cache:
        r = _cache.get(case["responses"]) or read_responses(fixtures / case["responses"], instrument)
        _cache[case["responses"]] = r
        s = score(instrument, r)
        weights, cal = r.weight, None
        if case["raked"]:
            m = read_margins(fixtures / case["margins"])
            m = Margins({v: m.totals[v] for v in case["rake"]["variables"]})
            result = rake(r.weight, r.groups, m)
            assert result.converged
            weights, cal = result.weights, result.calibration
            np.testing.assert_allclose(weights, case["rake"]["weights"], rtol=1e-9)
        design = Design.from_responses(r, weights, cal, lonely_psu=case["lonely_psu"])
        res = estimate(instrument, design, s, r.groups, BY, ci_method=method)
        _cache[key] = {json.dumps(e.group, ensure_ascii=False, sort_keys=True): e for e in res}
    return _cache[key]


def close(a, b, rtol, what):
    assert a is not None and b is not None, what
    assert abs(a - b) <= rtol * abs(b) + 1e-15, f"{what}: kesu {a!r} vs R {b!r}"


@pytest.mark.parametrize("method", ["logit", "kg"])
@pytest.mark.parametrize("name", CASES)
def test_it_matches_r(name, method, fixtures, demo_instrument, r_reference):
    case = r_reference["cases"][name]
    got = _run(case, fixtures, demo_instrument, method)
    ci_key = "ci_logit" if method == "logit" else "ci_beta"
    checked = rules = 0
    for ref in case["estimates"]:
        group = ref["group"] or {}
        label = f"{name} {group}"
        e = got[json.dumps(group, ensure_ascii=False, sort_keys=True)]
        assert e.n == ref["n"], label
        assert e.df == ref["df"], label
        close(e.population, ref["population"], 1e-9, label + " population")
        head = ref["levels"][demo_instrument.headline]
        close(e.rate, head["share"], 1e-6, label + " rate")
        for share in e.levels:
            r = ref["levels"][share.level]
            what = f"{label} {share.level}"
            close(share.share, r["share"], 1e-6, what + " share")
            if r["se"] is None:
                # R: NaN ("average" with no other stratum); Kesu falls back to "adjust" and says so
                assert any("改按 adjust" in n for n in e.notes) and share.se >= 0, what
                assert 0 <= share.ci[0] <= share.share <= share.ci[1] <= 1, what
                rules += 1
                continue
            degenerate = r["se"] < 1e-12 or share.share in (0.0, 1.0)
            if degenerate:
                # Kesu rule: SE 0, deff undefined, Clopper–Pearson interval on n respondents
                assert share.se < 1e-12 and share.deff is None, what
                assert share.ci == pytest.approx(clopper_pearson(round(share.share * e.n), e.n)), what
                rules += 1
                continue
            close(share.se, r["se"], 1e-4, what + " se")
            close(share.deff, r["deff"], 1e-4, what + " deff")
            if ref["df"] < 1:
                # R gives NaN; Kesu uses 1 degree of freedom and says so
                assert r[ci_key][0] is None and any("自由度" in n for n in e.notes), what
                assert 0 <= share.ci[0] < share.share < share.ci[1] <= 1, what
                rules += 1
                continue
            close(share.ci[0], r[ci_key][0], 1e-4, what + " ci low")
            close(share.ci[1], r[ci_key][1], 1e-4, what + " ci high")
            checked += 1
        for mean in [*e.dimensions, e.score]:
            r = ref["dimensions"][mean.dimension]
            what = f"{label} {mean.dimension}"
            close(mean.mean, r["mean"], 1e-6, what + " mean")
            if r["se"] is None or r["se"] < 1e-12:
                continue
            close(mean.se, r["se"], 1e-4, what + " se")
            if r["deff"] is not None:
                close(mean.deff, r["deff"], 1e-4, what + " deff")
    assert checked > 0
    assert len(got) == len(case["estimates"])
    if name.startswith("edge"):
        assert rules > 0  # the edge case exercises the documented rules


def test_it_has_a_group_whose_rate_is_zero_and_a_lonely_psu(r_reference):
    edge = r_reference["cases"]["edge_adjust"]["estimates"]
    zero = [e for e in edge if e["group"] == {"occupation": "宗教职业者"}]
    assert zero and zero[0]["levels"]["literate"]["share"] == 0
    assert zero[0]["levels"]["literate"]["ci_beta"][0] is None  # R: NaN for Korn–Graubard
    adjust = r_reference["cases"]["edge_adjust"]["estimates"][0]["levels"]["literate"]["se"]
    certainty = r_reference["cases"]["edge_certainty"]["estimates"][0]["levels"]["literate"]["se"]
    assert adjust != certainty


def test_it_refuses_a_lonely_psu_with_rule_fail(fixtures, demo_instrument):
    from kesu.domain.survey import EstimationError

    r = read_responses(fixtures / "edge_responses.csv", demo_instrument)
    with pytest.raises(EstimationError, match="只有一个初级抽样单元"):
        Design.from_responses(r, lonely_psu="fail")

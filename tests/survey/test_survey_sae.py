"""Fay–Herriot small-area estimates against samplics' EblupAreaModel (fixture from tools/r/make_sae_reference.py,
and live when samplics is installed)."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from kesu.domain.survey.sae import AreaDirect, Covariates, eblup, fit_reml, small_area_estimates


def _cases(fixtures):
    return json.loads((fixtures / "sae_reference.json").read_text(encoding="utf-8"))["cases"]


def _ours(inputs):
    y = np.array(inputs["y"])
    psi = np.array(inputs["se"]) ** 2
    X = np.column_stack([np.ones(len(y)), np.array(inputs["X"])])
    fit = fit_reml(y, psi, X)
    return fit, eblup(y, psi, X, fit)


@pytest.mark.parametrize("name", ["synthetic_30", "demo_regions", "zero_variance"])
def test_it_matches_samplics(name, fixtures):
    case = _cases(fixtures)[name]
    ref = case["samplics"]
    fit, res = _ours(case["inputs"])
    assert fit.converged
    assert fit.sigma2_v == pytest.approx(ref["sigma2_v"], rel=1e-6, abs=1e-12)
    np.testing.assert_allclose(fit.beta, ref["beta"], rtol=1e-6)
    np.testing.assert_allclose(res.estimate, ref["eblup"], rtol=1e-6)
    np.testing.assert_allclose(res.mse, ref["mse"], rtol=1e-6)
    if name == "zero_variance":
        assert fit.sigma2_v == 0 and fit.at_zero
        np.testing.assert_allclose(res.gamma, 0)


def test_it_matches_samplics_live(fixtures):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        samplics = pytest.importorskip("samplics")
    inputs = _cases(fixtures)["synthetic_30"]["inputs"]
    model = samplics.EblupAreaModel(method=samplics.FitMethod.reml)
    area = np.array(inputs["area"])
    model.fit(
        yhat=np.array(inputs["y"]),
        X=np.array(inputs["X"]),
        area=area,
        error_std=np.array(inputs["se"]),
        tol=1e-12,
        maxiter=1000,
    )
    model.predict(X=np.array(inputs["X"]), area=area)
    fit, res = _ours(inputs)
    assert fit.sigma2_v == pytest.approx(model.re_std**2, rel=1e-6)
    np.testing.assert_allclose(res.estimate, [model.area_est[a] for a in area], rtol=1e-6)
    np.testing.assert_allclose(res.mse, [model.area_mse[a] for a in area], rtol=1e-6)


def _inputs(fixtures):
    inputs = _cases(fixtures)["synthetic_30"]["inputs"]
    direct = [
        AreaDirect(a, 100, y, se, 1000.0 + 10 * i)
        for i, (a, y, se) in enumerate(zip(inputs["area"], inputs["y"], inputs["se"], strict=True))
    ]
    cov = Covariates(
        "region",
        ["x1", "x2"],
        {a: {"x1": x[0], "x2": x[1]} for a, x in zip(inputs["area"], inputs["X"], strict=True)},
        {a: 1000.0 + 10 * i for i, a in enumerate(inputs["area"])},
    )
    return direct, cov


def test_it_benchmarks_and_reports_diagnostics(fixtures):
    direct, cov = _inputs(fixtures)
    result = small_area_estimates(direct, cov, city_estimate=0.2)
    pops = np.array([a.population for a in result.areas])
    bench = np.array([a.benchmarked for a in result.areas])
    assert np.sum(pops * bench) / pops.sum() == pytest.approx(0.2, rel=1e-12)
    fit, res = _ours(_cases(fixtures)["synthetic_30"]["inputs"])
    np.testing.assert_allclose([a.eblup for a in result.areas], res.estimate, rtol=1e-9)
    np.testing.assert_allclose([a.gamma for a in result.areas], res.gamma, rtol=1e-9)
    y = np.array([d.estimate for d in direct])
    psi = np.array([d.se**2 for d in direct])
    W = np.sum((y - res.estimate) ** 2 / (psi + res.mse))
    assert result.brown_statistic == pytest.approx(W) and result.brown_df == 30
    assert 0 <= result.brown_p_value <= 1
    d = result.diagnostics()
    assert d["median_cv_eblup"] < d["median_cv_direct"]  # the model gains precision
    assert all(0 < a.gamma < 1 for a in result.areas)


def test_it_handles_zero_variance_areas_and_unsampled_areas(fixtures):
    direct, cov = _inputs(fixtures)
    direct[0] = AreaDirect(direct[0].area, 12, 0.0, 0.0, 500.0)  # rate 0: no direct variance
    direct = direct[:-1]  # last area has no respondents
    result = small_area_estimates(direct, cov, city_estimate=0.2, city_deff=2.0)
    first, last = result.areas[0], result.areas[-1]
    assert first.variance_source == "smoothed"
    assert first.direct_se == pytest.approx(np.sqrt(0.2 * 0.8 * 2.0 / 12))
    assert not last.in_sample and last.eblup == pytest.approx(last.synthetic) and last.gamma == 0
    assert any("没有受访者" in n for n in result.notes)


def test_it_falls_back_when_the_area_variance_is_zero(fixtures):
    inputs = _cases(fixtures)["zero_variance"]["inputs"]
    direct = [
        AreaDirect(a, 50, y, se, 100.0)
        for a, y, se in zip(inputs["area"], inputs["y"], inputs["se"], strict=True)
    ]
    cov = Covariates(
        "region",
        ["x1", "x2"],
        {a: {"x1": x[0], "x2": x[1]} for a, x in zip(inputs["area"], inputs["X"], strict=True)},
        None,
    )
    synthetic = small_area_estimates(direct, cov, city_estimate=0.2)
    assert synthetic.sigma2_v == 0 and synthetic.fallback == "synthetic"
    assert all(a.eblup == pytest.approx(a.synthetic) for a in synthetic.areas)
    kept = small_area_estimates(direct, cov, city_estimate=0.2, fallback="direct")
    assert kept.fallback == "direct"
    assert [a.eblup for a in kept.areas] == pytest.approx(inputs["y"])
    assert [a.mse for a in kept.areas] == pytest.approx(np.array(inputs["se"]) ** 2)

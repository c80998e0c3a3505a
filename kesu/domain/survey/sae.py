"""Area-level small-area estimation: the Fay–Herriot model, REML, EBLUP, Prasad–Rao MSE, benchmarking.

Model (Rao & Molina 2015, ch. 6): direct estimate y_d = x_d'β + v_d + e_d, v_d ~ N(0, σ²_v), e_d ~ N(0, ψ_d)
with ψ_d the (known) sampling variance of the direct estimate.

* σ²_v by REML, Fisher scoring: score ½(y'PPy − tr P), information ½ tr(PP), P = V⁻¹ − V⁻¹X(X'V⁻¹X)⁻¹X'V⁻¹;
  kept ≥ 0 (if a step goes below 0 it stops at 0 when the score there is ≤ 0).
* EBLUP θ_d = γ_d y_d + (1 − γ_d) x_d'β̂, shrinkage γ_d = σ²_v / (σ²_v + ψ_d); β̂ by GLS.
* MSE (Prasad–Rao, REML): g1 + g2 + 2·g3 with g1 = γψ, g2 = (1 − γ)² x'(X'V⁻¹X)⁻¹x,
  g3 = (1 − γ)²/(σ²_v + ψ) · 2/Σ(σ²_v + ψ)⁻².
* Zero area variance (REML gives σ²_v = 0): `fallback="synthetic"` (default) accepts it — every area gets
  the regression-synthetic estimate x'β̂ with the Prasad–Rao MSE at σ²_v = 0 (g2 + 2·g3), exactly what the
  formulas give; `fallback="direct"` keeps the direct estimates (MSE = ψ) instead. Either way it is reported.
* Areas with covariates but no respondents get the synthetic estimate, MSE σ²_v + x'(X'V⁻¹X)⁻¹x.
* Areas whose direct variance is 0 (a rate of 0 or 1, or one PSU) get a smoothed variance
  ψ_d = p(1 − p)·deff / n_d from the city's rate p and design effect (noted per area).
* Ratio benchmarking: θ_d^B = θ_d · θ_city / Σ a_d θ_d with a_d the areas' population shares, so that the
  population-weighted county estimates add up to the direct city estimate.
* Diagnostics: shrinkage γ_d, CV of the direct estimate and of the EBLUP, and the Brown et al. (2001) test
  W = Σ (y_d − θ_d)² / (ψ_d + MSE_d) ~ χ²(m) of agreement between model and direct estimates.

Cross-checked in tests against samplics' `EblupAreaModel` (REML) on the same inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import stats

from .errors import SaeError, SurveyError
from .tables import read_table

AREA_ALIASES = {"地区": "region", "区县": "region", "县区": "region"}
POPULATION_COLUMNS = ("population", "人口", "常住人口", "总体数")


@dataclass
class FhFit:
    sigma2_v: float
    beta: np.ndarray
    beta_cov: np.ndarray  # (X'V⁻¹X)⁻¹
    iterations: int
    converged: bool
    at_zero: bool


def fit_reml(
    y: np.ndarray, psi: np.ndarray, X: np.ndarray, *, tol: float = 1e-10, max_iter: int = 200
) -> FhFit:
    """REML estimate of σ²_v by Fisher scoring, and the GLS β̂ at it."""
    y = np.asarray(y, dtype=np.float64)
    psi = np.asarray(psi, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    m, p = X.shape
    if m <= p:
        raise SaeError(f"有直接估计的地区只有 {m} 个，不足以估计含 {p} 个参数的 Fay–Herriot 模型")

    def P_matrix(s2: float) -> np.ndarray:
        vinv = 1.0 / (s2 + psi)
        XtVX = X.T @ (X * vinv[:, None])
        A = np.linalg.solve(XtVX, (X * vinv[:, None]).T)  # (p, m)
        return np.diag(vinv) - (X * vinv[:, None]) @ A

    def score_info(s2: float) -> tuple[float, float]:
        P = P_matrix(s2)
        Py = P @ y
        return 0.5 * (Py @ Py - np.trace(P)), 0.5 * float(np.sum(P * P))

    s2 = float(max(np.var(y, ddof=p) - np.mean(psi), np.median(psi) * 0.1, 1e-12))
    converged = False
    at_zero = False
    iterations = 0
    while iterations < max_iter:
        iterations += 1
        score, info = score_info(s2)
        new = s2 + score / info
        if new <= 0:
            zero_score, _ = score_info(0.0)
            if zero_score <= 0:
                s2, converged, at_zero = 0.0, True, True
                break
            new = s2 / 2
        if abs(new - s2) <= tol * max(s2, float(np.mean(psi))):
            s2 = new
            converged = True
            break
        s2 = new
    vinv = 1.0 / (s2 + psi)
    XtVX = X.T @ (X * vinv[:, None])
    cov = np.linalg.inv(XtVX)
    beta = cov @ (X.T @ (vinv * y))
    return FhFit(float(s2), beta, cov, iterations, converged, at_zero)


@dataclass
class EblupResult:
    estimate: np.ndarray
    mse: np.ndarray
    gamma: np.ndarray
    synthetic: np.ndarray
    g1: np.ndarray
    g2: np.ndarray
    g3: np.ndarray


def eblup(y: np.ndarray, psi: np.ndarray, X: np.ndarray, fit: FhFit) -> EblupResult:
    s2 = fit.sigma2_v
    v = s2 + psi
    gamma = s2 / v
    synthetic = X @ fit.beta
    est = gamma * y + (1 - gamma) * synthetic
    g1 = gamma * psi
    g2 = (1 - gamma) ** 2 * np.einsum("ij,jk,ik->i", X, fit.beta_cov, X)
    var_s2 = 2.0 / np.sum(1.0 / v**2)
    g3 = (1 - gamma) ** 2 / v * var_s2
    return EblupResult(est, g1 + g2 + 2 * g3, gamma, synthetic, g1, g2, g3)


@dataclass
class Covariates:
    area_column: str
    names: list[str]  # covariate names, in file order
    values: dict[str, dict[str, float]]  # area → covariate → value
    population: dict[str, float] | None


def read_covariates(path: str | Path, area: str = "region") -> Covariates:
    try:
        table = read_table(path)
    except SurveyError as error:
        raise SaeError(str(error)) from error
    header = [AREA_ALIASES.get(h, h) for h in table.header]
    if area not in header:
        raise SaeError(f"{table.name} 缺少地区列“{area}”")
    ia = header.index(area)
    ipop = next((header.index(c) for c in POPULATION_COLUMNS if c in header), None)
    cols = [(i, h) for i, h in enumerate(header) if i not in (ia, ipop) and h and h not in ("name", "名称")]
    problems: list[str] = []
    values: dict[str, dict[str, float]] = {}
    population: dict[str, float] | None = {} if ipop is not None else None
    numeric_cols = []
    for i, h in cols:
        cells = [c[i] if i < len(c) else "" for _, c in table.rows]
        try:
            [float(x.replace(",", "")) for x in cells]
            numeric_cols.append((i, h))
        except ValueError:
            bad = next((n, c) for (n, row), c in zip(table.rows, cells, strict=True) if not _is_number(c))
            problems.append(f"第 {bad[0]} 行，列“{h}”：协变量不是数值（读到“{bad[1]}”）")
    for number, cells in table.rows:
        name = cells[ia].strip() if ia < len(cells) else ""
        if not name:
            problems.append(f"第 {number} 行：缺少地区名")
            continue
        if name in values:
            problems.append(f"第 {number} 行：地区“{name}”重复")
            continue
        values[name] = {h: float(cells[i].replace(",", "")) for i, h in numeric_cols}
        if population is not None and ipop is not None:
            text = cells[ipop].strip().replace(",", "")
            if not _is_number(text) or float(text) <= 0:
                problems.append(f"第 {number} 行，列“{header[ipop]}”：人口数应为正数（读到“{text}”）")
            else:
                population[name] = float(text)
    if not numeric_cols:
        problems.append(f"{table.name} 没有数值型协变量列")
    if problems:
        raise SaeError("协变量文件有误：\n" + "\n".join(f"  - {p}" for p in problems))
    return Covariates(area, [h for _, h in numeric_cols], values, population)


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
        return True
    except ValueError:
        return False


@dataclass
class AreaDirect:
    area: str
    n: int
    estimate: float
    se: float
    population: float  # estimated from the weights
    deff: float | None = None


@dataclass
class AreaEstimate:
    area: str
    n: int
    in_sample: bool
    direct: float | None
    direct_se: float | None
    variance_source: str  # "direct", "smoothed" or "none"
    eblup: float
    mse: float
    gamma: float
    synthetic: float
    benchmarked: float
    population: float
    cv_direct: float | None
    cv_eblup: float | None


@dataclass
class SaeResult:
    area_variable: str
    covariates: list[str]
    sigma2_v: float
    beta: dict[str, float]
    beta_se: dict[str, float]
    iterations: int
    converged: bool
    fallback: str | None  # None, "synthetic" or "direct" (σ²_v = 0)
    areas: list[AreaEstimate]
    benchmark_target: float
    benchmark_factor: float
    brown_statistic: float
    brown_df: int
    brown_p_value: float
    notes: list[str] = field(default_factory=list)

    def diagnostics(self) -> dict[str, float | None]:
        sampled = [a for a in self.areas if a.in_sample]
        cv_d = [a.cv_direct for a in sampled if a.cv_direct is not None]
        cv_e = [a.cv_eblup for a in sampled if a.cv_eblup is not None]
        return {
            "mean_shrinkage": float(np.mean([a.gamma for a in sampled])) if sampled else None,
            "median_cv_direct": float(np.median(cv_d)) if cv_d else None,
            "median_cv_eblup": float(np.median(cv_e)) if cv_e else None,
            "brown_statistic": self.brown_statistic,
            "brown_df": self.brown_df,
            "brown_p_value": self.brown_p_value,
        }


def small_area_estimates(
    direct: Sequence[AreaDirect],
    covariates: Covariates,
    *,
    city_estimate: float,
    city_deff: float | None = None,
    fallback: str = "synthetic",
    tol: float = 1e-10,
) -> SaeResult:
    """Fay–Herriot EBLUP for every area of the covariates file, benchmarked to the direct city estimate."""
    if fallback not in ("synthetic", "direct"):
        raise SaeError("σ²_v 为 0 时的处理应为 synthetic 或 direct")
    notes: list[str] = []
    by_area = {d.area: d for d in direct if d.n > 0}
    missing = sorted(set(by_area) - set(covariates.values))
    if missing:
        raise SaeError(f"协变量文件缺少以下地区：{'、'.join(missing)}")
    areas = list(covariates.values)
    names = covariates.names
    X_all = np.array([[1.0] + [covariates.values[a][h] for h in names] for a in areas])
    sampled = [i for i, a in enumerate(areas) if a in by_area]
    y = np.array([by_area[areas[i]].estimate for i in sampled])
    psi = np.array([by_area[areas[i]].se ** 2 for i in sampled])
    source = ["direct"] * len(sampled)
    deff = city_deff if city_deff is not None and city_deff > 0 else 1.0
    for k, i in enumerate(sampled):
        d = by_area[areas[i]]
        if not psi[k] > 0:
            psi[k] = city_estimate * (1 - city_estimate) * deff / max(d.n, 1)
            source[k] = "smoothed"
            notes.append(
                f"地区“{d.area}”的直接估计方差为 0（比例 {d.estimate:.4g}），改用平滑方差 p(1−p)·deff/n = {psi[k]:.3g}"
            )
    X = X_all[sampled]
    fit = fit_reml(y, psi, X, tol=tol)
    used_fallback: str | None = None
    res = eblup(y, psi, X, fit)
    est_s, mse_s = res.estimate.copy(), res.mse.copy()
    if fit.sigma2_v == 0:
        used_fallback = fallback
        if fallback == "direct":
            est_s, mse_s = y.copy(), psi.copy()
            notes.append("REML 估计的地区间方差 σ²_v = 0：按设定保留各地区的直接估计")
        else:
            notes.append(
                "REML 估计的地区间方差 σ²_v = 0：各地区取回归合成估计（EBLUP 完全收缩），MSE 按 σ²_v = 0 的 Prasad–Rao 公式"
            )
    if not fit.converged:
        notes.append(f"REML 迭代 {fit.iterations} 次未收敛")
    eblup_all = X_all @ fit.beta
    mse_all = fit.sigma2_v + np.einsum("ij,jk,ik->i", X_all, fit.beta_cov, X_all)
    gamma_all = np.zeros(len(areas))
    for k, i in enumerate(sampled):
        eblup_all[i] = est_s[k]
        mse_all[i] = mse_s[k]
        gamma_all[i] = res.gamma[k]
    for a in areas:
        if a not in by_area:
            notes.append(f"地区“{a}”没有受访者：取回归合成估计")
    if covariates.population is not None:
        pops = np.array([covariates.population.get(a, np.nan) for a in areas])
    else:
        pops = np.array([by_area[a].population if a in by_area else np.nan for a in areas])
    if np.isnan(pops).any():
        lacking = [a for a, p in zip(areas, pops, strict=True) if np.isnan(p)]
        raise SaeError(
            f"协变量文件缺少人口数（population 列），无法对没有受访者的地区 {'、'.join(lacking)} 做基准化"
        )
    shares = pops / pops.sum()
    factor = float(city_estimate / np.sum(shares * eblup_all)) if np.sum(shares * eblup_all) > 0 else 1.0
    bench = eblup_all * factor
    if np.any(bench > 1):
        notes.append("比率基准化后有地区的估计超过 1，已截断为 1（截断后合计不再严格等于全市直接估计）")
        bench = np.minimum(bench, 1.0)
    out: list[AreaEstimate] = []
    for i, a in enumerate(areas):
        d = by_area.get(a)
        k = sampled.index(i) if d is not None else None
        out.append(
            AreaEstimate(
                area=a,
                n=d.n if d else 0,
                in_sample=d is not None,
                direct=d.estimate if d else None,
                direct_se=float(np.sqrt(psi[k])) if k is not None else None,
                variance_source=source[k] if k is not None else "none",
                eblup=float(eblup_all[i]),
                mse=float(mse_all[i]),
                gamma=float(gamma_all[i]),
                synthetic=float(X_all[i] @ fit.beta),
                benchmarked=float(bench[i]),
                population=float(pops[i]),
                cv_direct=float(np.sqrt(psi[k]) / d.estimate)
                if d and k is not None and d.estimate > 0
                else None,
                cv_eblup=float(np.sqrt(mse_all[i]) / eblup_all[i]) if eblup_all[i] > 0 else None,
            )
        )
    W = float(np.sum((y - est_s) ** 2 / (psi + mse_s)))
    m = len(sampled)
    se_beta = np.sqrt(np.diag(fit.beta_cov))
    labels = ["(截距)"] + names
    return SaeResult(
        area_variable=covariates.area_column,
        covariates=names,
        sigma2_v=fit.sigma2_v,
        beta=dict(zip(labels, map(float, fit.beta), strict=True)),
        beta_se=dict(zip(labels, map(float, se_beta), strict=True)),
        iterations=fit.iterations,
        converged=fit.converged,
        fallback=used_fallback,
        areas=out,
        benchmark_target=float(city_estimate),
        benchmark_factor=factor,
        brown_statistic=W,
        brown_df=m,
        brown_p_value=float(stats.chi2.sf(W, m)),
        notes=notes,
    )


def direct_from_estimates(estimates: Sequence[object], area: str) -> list[AreaDirect]:
    """Area direct estimates (headline rate) from the domain estimates of the `area` variable."""
    out = []
    for e in estimates:
        group: Mapping[str, str] = e.group  # type: ignore[attr-defined]
        if list(group) == [area]:
            out.append(AreaDirect(group[area], e.n, e.rate, e.se, e.population, e.deff))  # type: ignore[attr-defined]
    return out

"""Design-based estimation for a stratified cluster sample, as R's survey package computes it.

Design: `svydesign(ids=~psu, strata=~stratum, weights=~weight, nest=TRUE)` (with-replacement first stage,
no finite population correction), optionally raked with `rake()`. For every domain (overall, or one
category of a grouping variable, as a subset of the raked design) and every outcome (the share reaching
each level, the mean score per dimension and of the total) this module gives what R gives with
`svymean(..., deff=TRUE)`, `svyciprop(..., method="logit")` / `method="beta"` and `degf()`:

* estimate: the weighted mean Σw·y / Σw over the domain;
* variance: Taylor linearisation. The influence values z = w·1[domain]·(y − ȳ)/Σw are, for a raked design,
  first replaced by their raking residuals exactly as `survey:::svyrecvar` does for a `"raking"`
  postStrata entry: ten sweeps of `x ← x − psw_k · ave(x / psw_k, margin_k)` over the margins, where
  `psw_k` are the weights right after margin k in the last raking iteration. The sweeps run on
  cross-classification cells (every respondent of a cell shares the same ratio psw_k / w), so they cost
  nothing per respondent; the residual PSU totals are then Σ_PSU z − Σ_cells (Σ_PSU∩cell w) · h(cell).
  Per stratum h with n_h PSUs: n_h/(n_h − 1) · Σ (t_PSU − t̄_h)²; summed over strata.
* design effect: variance ÷ the variance under simple random sampling without replacement of the same
  size from a population of the estimated size, R's default `deff=TRUE`:
  V_srs = n/(n − 1) · s²_w · (N̂ − n)/(N̂ · n), s²_w the weighted variance of y in the domain.
* degrees of freedom: PSUs with respondents in the domain − strata with respondents in the domain.
* logit interval (default): logit(p) ± t_{0.975, df} · se / (p(1 − p)), back-transformed (svyglm Wald
  interval of `svyciprop(method="logit")`).
* Korn–Graubard interval (`svyciprop(method="beta")`): n* = p(1 − p)/se² · (t_{α/2, N−1} / t_{α/2, df})²,
  [Beta⁻¹(α/2; n*p, n*(1 − p) + 1), Beta⁻¹(1 − α/2; n*p + 1, n*(1 − p))], where N is R's `nrow(design)`:
  all respondents for a raked design (R keeps every row of a subset of a calibrated design), the domain's
  respondents otherwise.

Rules where R would give NaN or stop (each estimate lists the rule applied in `notes`):

* a share of 0 or 1 (or a zero variance): the standard error is 0, the design effect is undefined (None)
  and the interval is the exact Clopper–Pearson interval for the domain's n respondents, e.g.
  [0, 1 − (α/2)^(1/n)] for a share of 0 — for both interval methods;
* fewer than 1 degree of freedom (all of a domain's respondents in one PSU per stratum): intervals use
  1 degree of freedom;
* a stratum with a single PSU (R option `survey.lonely.psu`), chosen with `lonely_psu=`:
  "adjust" (default) — the PSU is centred at the overall mean (contributes its squared total), as R's
  "adjust"; "average" — the stratum gets the average variance of the other strata (R's "average");
  "certainty" / "remove" — the stratum contributes no variance (R's "certainty" / "remove", identical for a
  one-stage design); "fail" — refuse, naming the strata (R's default "fail").
* the estimated population smaller than the sample (weights not scaled to the population): design effect
  None (R gives NA), noted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse, special, stats

from .errors import EstimationError
from .instrument import Instrument
from .raking import Calibration
from .responses import Categorical, Responses
from .scoring import Scores

LONELY_RULES = ("adjust", "average", "certainty", "remove", "fail")
CI_METHODS = ("logit", "kg")
RAKING_SWEEPS = 10  # fixed in survey:::svyrecvar
ZERO_SE = 1e-10  # a standard error below 1e-10·sqrt(p(1 − p)) is rounding noise: treated as 0


@dataclass
class Share:
    level: str
    name: str
    min: float
    share: float
    se: float
    ci: tuple[float, float]
    deff: float | None


@dataclass
class Mean:
    dimension: str
    name: str
    points: float
    mean: float
    se: float
    ci: tuple[float, float]
    deff: float | None


@dataclass
class DomainEstimate:
    group: dict[str, str]
    n: int
    population: float
    df: int
    rate: float
    se: float
    ci: tuple[float, float]
    deff: float | None
    levels: list[Share]
    dimensions: list[Mean]
    score: Mean
    notes: list[str] = field(default_factory=list)


class Design:
    """Stratified cluster design (PSUs nested in strata) with final weights and, if raked, its calibration."""

    def __init__(
        self,
        stratum: Categorical,
        psu: Categorical,
        weights: np.ndarray,
        calibration: Calibration | None = None,
        lonely_psu: str = "adjust",
    ):
        if lonely_psu not in LONELY_RULES:
            raise EstimationError(
                f"单 PSU 分层的处理规则应为 {'、'.join(LONELY_RULES)} 之一（读到“{lonely_psu}”）"
            )
        self.stratum = stratum.codes.astype(np.int64)
        self.psu = psu.codes.astype(np.int64)
        self.weights = np.asarray(weights, dtype=np.float64)
        self.calibration = calibration
        self.lonely_psu = lonely_psu
        self.n = len(self.weights)
        self.n_strata = len(stratum.labels)
        self.n_psus = len(psu.labels)
        self.psu_stratum = np.zeros(self.n_psus, dtype=np.int64)
        self.psu_stratum[self.psu] = self.stratum
        self.psus_per_stratum = np.bincount(self.psu_stratum, minlength=self.n_strata)
        self.order = np.argsort(self.psu_stratum, kind="stable")
        self.starts = np.concatenate(([0], np.cumsum(self.psus_per_stratum)[:-1]))
        self.lonely = np.flatnonzero(self.psus_per_stratum == 1)
        self.lonely_labels = [stratum.labels[h] for h in self.lonely]
        if len(self.lonely) and lonely_psu == "fail":
            raise EstimationError(
                f"分层 {'、'.join(self.lonely_labels)} 只有一个初级抽样单元（PSU），无法估计方差；"
                "请合并分层，或选择单 PSU 处理规则 adjust / average / certainty / remove"
            )
        self.average_fallback = np.zeros(0, dtype=bool)
        self._pairs: sparse.csr_matrix | None = None
        self._cell_counts: np.ndarray | None = None

    @classmethod
    def from_responses(
        cls,
        responses: Responses,
        weights: np.ndarray | None = None,
        calibration: Calibration | None = None,
        lonely_psu: str = "adjust",
    ) -> Design:
        return cls(
            responses.stratum,
            responses.psu,
            responses.weight if weights is None else weights,
            calibration,
            lonely_psu,
        )

    @property
    def calibrated(self) -> bool:
        return self.calibration is not None

    def _psu_cell_weights(self) -> sparse.csr_matrix:
        """Σ w over each (PSU, raking cell) pair, as a sparse PSU × cell matrix."""
        if self._pairs is None:
            cal = self.calibration
            assert cal is not None
            self._pairs = sparse.csr_matrix(
                (self.weights, (self.psu, cal.cell.astype(np.int64))), shape=(self.n_psus, cal.n_cells)
            )
            self._pairs.sum_duplicates()
            self._cell_counts = np.bincount(cal.cell, minlength=cal.n_cells).astype(np.float64)
        return self._pairs

    def raking_adjustment(self, T: np.ndarray) -> np.ndarray:
        """h(cell) for each column of T (Σ over a cell of z/w): the raking residual is z − w·h(cell)."""
        cal = self.calibration
        assert cal is not None
        self._psu_cell_weights()
        n_e = self._cell_counts
        R = T.copy()
        H = np.zeros_like(T)
        onehots = []
        for k, size in enumerate(cal.n_categories):
            cats = cal.cell_categories[k]
            onehot = sparse.csr_matrix(
                (np.ones(len(cats)), (cats, np.arange(len(cats)))), shape=(size, len(cats))
            )
            n_k = onehot @ n_e
            with np.errstate(divide="ignore", invalid="ignore"):
                inv = np.where(n_k > 0, 1.0 / n_k, 0.0)
            onehots.append((cats, onehot, inv))
        for _ in range(RAKING_SWEEPS):
            for k, (cats, onehot, inv) in enumerate(onehots):
                tau = cal.tau[k][:, None]
                A = (onehot @ (R / tau)) * inv[:, None]
                Ae = A[cats] * tau
                R -= n_e[:, None] * Ae
                H += Ae
        return H

    def stratum_variance(self, t: np.ndarray, strata_present: np.ndarray | None = None) -> np.ndarray:
        """Variance from PSU totals t (PSUs × M); strata_present (strata × M) only matters for "average"."""
        ts = t[self.order]
        counts = self.psus_per_stratum
        nonempty = counts > 0
        starts = self.starts[nonempty]
        sums = np.zeros((self.n_strata, t.shape[1]))
        sums[nonempty] = np.add.reduceat(ts, starts, axis=0)
        means = sums / np.maximum(counts, 1)[:, None]
        dev = ts - np.repeat(means, counts, axis=0)
        ss = np.zeros_like(sums)
        ss[nonempty] = np.add.reduceat(dev * dev, starts, axis=0)
        scale = np.where(counts > 1, counts / np.maximum(counts - 1, 1), 0.0)
        per = ss * scale[:, None]
        self.average_fallback = np.zeros(t.shape[1], dtype=bool)
        if len(self.lonely) == 0:
            return per.sum(axis=0)
        lonely = self.lonely
        if self.lonely_psu == "adjust":
            per[lonely] = sums[lonely] ** 2
            return per.sum(axis=0)
        if self.lonely_psu in ("certainty", "remove"):
            per[lonely] = 0.0
            return per.sum(axis=0)
        # average: lonely strata get the mean of the others (R: sum over OK strata × nstrat / nokstrat)
        if strata_present is None:
            present = np.ones((self.n_strata, t.shape[1]), dtype=bool)
        else:
            present = strata_present
        adjusted = per.copy()
        adjusted[lonely] = sums[lonely] ** 2
        per[lonely] = 0.0
        nstrat = present.sum(axis=0)
        nok = nstrat - present[lonely].sum(axis=0)
        # no other stratum to average over (R: NaN) → the "adjust" value, noted by the caller
        self.average_fallback = nok <= 0
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(nok > 0, per.sum(axis=0) * nstrat / np.maximum(nok, 1), adjusted.sum(axis=0))


def _t(df: np.ndarray | float, q: float) -> np.ndarray:
    return stats.t.ppf(q, np.maximum(df, 1))


def logit_ci(p: float, se: float, df: float, level: float = 0.95) -> tuple[float, float]:
    half = _t(df, 1 - (1 - level) / 2) * se / (p * (1 - p))
    lp = np.log(p / (1 - p))
    return float(special.expit(lp - half)), float(special.expit(lp + half))


def kg_ci(p: float, se: float, df: float, nrow: int, level: float = 0.95) -> tuple[float, float]:
    alpha = 1 - level
    n_eff = p * (1 - p) / se**2
    n_eff *= (stats.t.ppf(alpha / 2, max(nrow - 1, 1)) / _t(df, alpha / 2)) ** 2
    low = special.betaincinv(n_eff * p, n_eff * (1 - p) + 1, alpha / 2)
    high = special.betaincinv(n_eff * p + 1, n_eff * (1 - p), 1 - alpha / 2)
    return float(low), float(high)


def clopper_pearson(x: float, n: int, level: float = 0.95) -> tuple[float, float]:
    alpha = 1 - level
    low = 0.0 if x <= 0 else float(special.betaincinv(x, n - x + 1, alpha / 2))
    high = 1.0 if x >= n else float(special.betaincinv(x + 1, n - x, 1 - alpha / 2))
    return low, high


@dataclass
class _Batch:
    n: np.ndarray  # (G,)
    population: np.ndarray  # (G,)
    df: np.ndarray  # (G,)
    mean: np.ndarray  # (G, J)
    var: np.ndarray  # (G, J)
    s2: np.ndarray  # (G, J) weighted variance of y within the domain
    average_fallback: np.ndarray  # (G,) bool: "average" had no other stratum, "adjust" used


class Estimator:
    """Level shares and dimension means for the whole sample and any grouping, sharing precomputed sums."""

    def __init__(self, design: Design, scores: Scores):
        self.design = design
        self.scores = scores
        self.L = len(scores.level_mins)
        w = design.weights
        self.numeric = np.vstack([scores.dimensions, scores.total[None, :]])  # (D+1, n)
        self.wy = self.numeric * w
        self.wy2 = self.wy * self.numeric
        self.reached = scores.reached.astype(np.int64)

    def batch(self, codes: np.ndarray | None, G: int) -> _Batch:
        d = self.design
        L1 = self.L + 1
        P = d.n_psus
        w = d.weights
        if codes is None:
            gp = d.psu
            g = None
        else:
            g = codes.astype(np.int64)
            gp = g * P + d.psu
        idx = gp * L1 + self.reached
        A = np.bincount(idx, weights=w, minlength=G * P * L1).reshape(G, P, L1)
        counts = np.bincount(gp, minlength=G * P).reshape(G, P)
        # cumulative: share reaching level position l = reached > l
        WSy = np.cumsum(A[:, :, ::-1], axis=2)[:, :, ::-1][:, :, 1:]  # (G, P, L)
        WS1 = A.sum(axis=2)  # (G, P)
        D1 = self.numeric.shape[0]
        WSnum = np.empty((G, P, D1))
        for j in range(D1):
            WSnum[:, :, j] = np.bincount(gp, weights=self.wy[j], minlength=G * P).reshape(G, P)
        WS = np.concatenate([WSy, WSnum], axis=2)  # (G, P, J)
        J = WS.shape[2]
        W_D = WS1.sum(axis=1)  # (G,)
        n_D = counts.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = WS.sum(axis=1) / W_D[:, None]  # (G, J)
            Z = (WS - mean[:, None, :] * WS1[:, :, None]) / W_D[:, None, None]
        Z = np.nan_to_num(Z)
        if d.calibrated:
            cal = d.calibration
            C = cal.n_cells
            cell = cal.cell.astype(np.int64)
            ge = cell if g is None else g * C + cell
            U = np.bincount(ge * L1 + self.reached, minlength=G * C * L1).reshape(G, C, L1).astype(np.float64)
            USy = np.cumsum(U[:, :, ::-1], axis=2)[:, :, ::-1][:, :, 1:]
            US1 = U.sum(axis=2)
            USnum = np.empty((G, C, D1))
            for j in range(D1):
                USnum[:, :, j] = np.bincount(ge, weights=self.numeric[j], minlength=G * C).reshape(G, C)
            US = np.concatenate([USy, USnum], axis=2)
            with np.errstate(divide="ignore", invalid="ignore"):
                T = (US - mean[:, None, :] * US1[:, :, None]) / W_D[:, None, None]
            T = np.nan_to_num(T)
            T2 = T.transpose(1, 0, 2).reshape(C, G * J)
            H = d.raking_adjustment(T2)
            adj = d._psu_cell_weights() @ H  # (P, G*J)
            Z = Z - adj.reshape(P, G, J).transpose(1, 0, 2)
        t = Z.transpose(1, 0, 2).reshape(P, G * J)
        present_psu = counts > 0  # (G, P)
        strata_present = np.zeros((G, d.n_strata), dtype=bool)
        for gi in range(G):
            strata_present[gi] = np.bincount(d.psu_stratum[present_psu[gi]], minlength=d.n_strata) > 0
        if d.calibrated:
            sp = None
        else:
            sp = np.repeat(strata_present.T[:, :, None], J, axis=2).reshape(d.n_strata, G * J)
        var = d.stratum_variance(t, sp).reshape(G, J)
        fallback = d.average_fallback.reshape(G, J).any(axis=1)
        df = present_psu.sum(axis=1) - strata_present.sum(axis=1)
        # weighted variance of y within the domain, for the design effect
        s2 = np.empty((G, J))
        m = mean[:, : self.L]
        s2[:, : self.L] = m * (1 - m)
        for j in range(D1):
            sq = (
                np.bincount(g, weights=self.wy2[j], minlength=G)
                if g is not None
                else np.array([self.wy2[j].sum()])
            )
            with np.errstate(divide="ignore", invalid="ignore"):
                s2[:, self.L + j] = np.maximum(sq / W_D - mean[:, self.L + j] ** 2, 0.0)
        return _Batch(n_D, W_D, df, mean, var, s2, fallback)


def _deff(v: float, s2: float, n: int, N: float, notes: list[str], what: str) -> float | None:
    if n < 2:
        notes.append(f"{what}：样本不足 2 人，设计效应无定义")
        return None
    if N < n:
        notes.append(f"{what}：估计总体数小于样本量（权重未按总体放大），设计效应无定义（R 给出 NA）")
        return None
    vsrs = n / (n - 1) * s2 * (N - n) / (N * n)
    if not vsrs > 0:
        notes.append(f"{what}：简单随机抽样方差为 0，设计效应无定义")
        return None
    return float(v / vsrs)


def build_estimates(
    instrument: Instrument,
    batch: _Batch,
    labels: Sequence[dict[str, str]],
    *,
    design: Design,
    ci_method: str = "logit",
    level: float = 0.95,
) -> list[DomainEstimate]:
    if ci_method not in CI_METHODS:
        raise EstimationError(f"置信区间方法应为 logit 或 kg（读到“{ci_method}”）")
    levels_desc = list(instrument.levels)  # highest first
    levels_asc = sorted(levels_desc, key=lambda lv: lv.min)
    position = {lv.id: k for k, lv in enumerate(levels_asc)}
    L = len(levels_asc)
    q = 1 - (1 - level) / 2
    out: list[DomainEstimate] = []
    for gi, group in enumerate(labels):
        n = int(batch.n[gi])
        if n == 0:
            continue
        notes: list[str] = []
        N = float(batch.population[gi])
        df = int(batch.df[gi])
        if df < 1:
            notes.append(f"自由度为 {df}（该组受访者集中在每层一个 PSU 内），置信区间按自由度 1 计算")
        if batch.average_fallback[gi]:
            notes.append(
                "该组受访者全部位于单 PSU 分层，无其他分层可取平均（average）：改按 adjust 规则计算方差"
            )
        nrow = design.n if design.calibrated else n
        shares: dict[str, Share] = {}
        for lv in levels_asc:
            j = position[lv.id]
            p = float(batch.mean[gi, j])
            v = float(max(batch.var[gi, j], 0.0))
            se = float(np.sqrt(v))
            what = f"“{lv.name}”比例"
            if p <= 0 or p >= 1 or se <= ZERO_SE * np.sqrt(p * (1 - p)):
                se = 0.0
                ci = clopper_pearson(round(p * n), n, level)
                notes.append(
                    f"{what}为 {p:.4g}（标准误 0）：置信区间取 {n} 名受访者的 Clopper–Pearson 精确区间，设计效应无定义"
                )
                deff = None
            else:
                ci = logit_ci(p, se, df, level) if ci_method == "logit" else kg_ci(p, se, df, nrow, level)
                deff = _deff(v, float(batch.s2[gi, j]), n, N, notes, what)
            shares[lv.id] = Share(lv.id, lv.name, lv.min, p, se, ci, deff)
        means: list[Mean] = []
        items = [(d.id, d.name, d.points) for d in instrument.dimensions] + [
            ("total", "总分", instrument.total_points)
        ]
        for j, (did, name, points) in enumerate(items):
            m = float(batch.mean[gi, L + j])
            v = float(max(batch.var[gi, L + j], 0.0))
            se = float(np.sqrt(v))
            half = float(_t(df, q)) * se
            deff = _deff(v, float(batch.s2[gi, L + j]), n, N, notes, f"{name}均分") if se > 0 else None
            means.append(Mean(did, name, points, m, se, (m - half, m + half), deff))
        head = shares[instrument.headline]
        out.append(
            DomainEstimate(
                group=dict(group),
                n=n,
                population=N,
                df=df,
                rate=head.share,
                se=head.se,
                ci=head.ci,
                deff=head.deff,
                levels=[shares[lv.id] for lv in levels_desc],
                dimensions=means[:-1],
                score=means[-1],
                notes=notes,
            )
        )
    return out


def estimate(
    instrument: Instrument,
    design: Design,
    scores: Scores,
    groups: dict[str, Categorical] | None = None,
    by: Sequence[str] = (),
    *,
    ci_method: str = "logit",
    level: float = 0.95,
) -> list[DomainEstimate]:
    """Overall estimate first, then one per category of each `by` variable (as subsets of the design)."""
    estimator = Estimator(design, scores)
    results = build_estimates(
        instrument, estimator.batch(None, 1), [{}], design=design, ci_method=ci_method, level=level
    )
    for var in by:
        if groups is None or var not in groups:
            raise EstimationError(f"答卷中没有分组变量“{var}”")
        cat = groups[var]
        batch = estimator.batch(cat.codes, len(cat.labels))
        labels = [{var: lab} for lab in cat.labels]
        results.extend(
            build_estimates(instrument, batch, labels, design=design, ci_method=ci_method, level=level)
        )
    return results

"""Raking (iterative proportional fitting) of design weights to population margins.

Margins come as a CSV `variable,category,total` (e.g. from the census or a statistical yearbook). The
algorithm is the one of R's `survey::rake()`: each iteration post-stratifies on every margin in turn; it has
converged when no cell of the cross-classification of all raking variables moved by `epsilon` or more
(`epsilon` < 1 is relative to the sum of the design weights, as in R). Because every respondent of one
cross-classification cell is scaled by the same factor, the iterations run on the cell totals, then the
respondents' weights are scaled once — identical to raking respondent by respondent, and fast at 10⁶ rows.

Category matching follows R's `postStratify(partial=FALSE)`: a category in the data but not in the margins,
or in the margins (with a positive total) but not in the data, is refused with a message naming the
variable and the categories missing on each side. `partial=True` drops population categories absent
from the sample (with a warning) instead. A category whose population total is 0 and that nobody in the
sample has is dropped silently (as R does).

The result also keeps what the variance needs: the cell of each respondent, each margin's category per cell
and the factors of the last iteration (see `estimation`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import MarginsError, SurveyError
from .responses import GROUP_NAMES, Categorical
from .tables import read_table

MARGIN_ALIASES = {
    "变量": "variable",
    "类别": "category",
    "分类": "category",
    "总体数": "total",
    "人数": "total",
}


@dataclass
class Margins:
    """Population totals per variable and category, in file order."""

    totals: dict[str, dict[str, float]]

    @property
    def variables(self) -> list[str]:
        return list(self.totals)

    def grand_totals(self) -> dict[str, float]:
        return {v: float(sum(c.values())) for v, c in self.totals.items()}


def read_margins(path: str | Path) -> Margins:
    try:
        table = read_table(path)
    except SurveyError as error:
        raise MarginsError([str(error)]) from error
    header = [MARGIN_ALIASES.get(h.strip(), h.strip().lower()) for h in table.header]
    problems: list[str] = []
    for needed in ("variable", "category", "total"):
        if needed not in header:
            problems.append(f"{table.name} 缺少“{needed}”列（应为 variable,category,total）")
    if problems:
        raise MarginsError(problems)
    iv, ic, it = header.index("variable"), header.index("category"), header.index("total")
    totals: dict[str, dict[str, float]] = {}
    for number, cells in table.rows:
        cells = cells + [""] * (len(header) - len(cells))
        var, cat, text = cells[iv].strip(), cells[ic].strip(), cells[it].strip().replace(",", "")
        if not var or not cat:
            problems.append(f"第 {number} 行：缺少变量名或类别")
            continue
        try:
            value = float(text)
        except ValueError:
            problems.append(f"第 {number} 行：变量“{var}”类别“{cat}”的总体数不是数值（读到“{text}”）")
            continue
        if not np.isfinite(value) or value < 0:
            problems.append(f"第 {number} 行：变量“{var}”类别“{cat}”的总体数不能为负数（读到“{text}”）")
            continue
        if cat in totals.setdefault(var, {}):
            problems.append(f"第 {number} 行：变量“{var}”的类别“{cat}”重复")
            continue
        totals[var][cat] = value
    if not totals and not problems:
        problems.append(f"{table.name} 没有任何控制数")
    if problems:
        raise MarginsError(problems)
    return Margins(totals)


@dataclass(frozen=True)
class Trim:
    """Weight trimming bounds, as multiples of the mean weight (e.g. upper=5: no weight above 5× the mean).

    Trimming alternates with raking (trim, re-rake) until the raked weights respect the bounds within
    `tolerance` or `max_cycles` is reached; the margins always hold at the end.
    """

    lower: float | None = None
    upper: float | None = None
    max_cycles: int = 20
    tolerance: float = 1e-3


@dataclass
class Calibration:
    """What the linearised variance of a raked design needs (mirrors R's `postStrata` of class "raking")."""

    cell: np.ndarray  # (n,) int: cross-classification cell of each respondent (observed cells only)
    cell_categories: np.ndarray  # (K, cells) int: category of each margin per cell
    n_categories: tuple[int, ...]
    tau: np.ndarray  # (K, cells): weights right after margin k in the last iteration ÷ final weights

    @property
    def n_cells(self) -> int:
        return self.cell_categories.shape[1]


@dataclass
class TrimReport:
    cycles: int
    trimmed: int  # respondents whose weight was cut in the last trimming cycle
    lower: float | None  # absolute bounds used in the last cycle
    upper: float | None
    max_ratio: float  # largest weight ÷ mean weight at the end
    min_ratio: float
    within_bounds: bool


@dataclass
class RakeResult:
    weights: np.ndarray
    iterations: int
    converged: bool
    max_change: float  # largest change of a cell total in the last iteration
    epsilon: float  # absolute convergence threshold used
    variables: list[str]
    history: list[float]
    calibration: Calibration
    warnings: list[str] = field(default_factory=list)
    trim: TrimReport | None = None
    max_margin_error: float = 0.0  # largest |raked total − population total| / population total

    def summary(self) -> dict[str, object]:
        out: dict[str, object] = {
            "variables": self.variables,
            "iterations": self.iterations,
            "converged": self.converged,
            "max_change": self.max_change,
            "epsilon": self.epsilon,
            "max_margin_error": self.max_margin_error,
            "warnings": self.warnings,
        }
        if self.trim is not None:
            out["trim"] = {
                "cycles": self.trim.cycles,
                "trimmed": self.trim.trimmed,
                "lower": self.trim.lower,
                "upper": self.trim.upper,
                "max_ratio": self.trim.max_ratio,
                "min_ratio": self.trim.min_ratio,
                "within_bounds": self.trim.within_bounds,
            }
        return out


def _quote(values: list[str]) -> str:
    return "、".join(f"“{v}”" for v in values)


def match_margins(
    groups: Mapping[str, Categorical], weights: np.ndarray, margins: Margins, *, partial: bool = False
) -> tuple[list[np.ndarray], list[np.ndarray], list[str]]:
    """Per raking variable: respondents' category codes and the population total of each code.

    Raises MarginsError naming the variable and the categories missing on each side.
    """
    problems: list[str] = []
    warnings: list[str] = []
    codes_out: list[np.ndarray] = []
    grand: dict[str, float] = {}
    targets_out: list[np.ndarray] = []
    for var, totals in margins.totals.items():
        label = f"变量“{var}”" + (f"（{GROUP_NAMES[var]}）" if var in GROUP_NAMES else "")
        if var not in groups:
            problems.append(f"{label}：答卷中没有这一列，不能按它加权")
            continue
        cat = groups[var]
        counts = np.bincount(cat.codes, minlength=len(cat.labels))
        present = [lab for lab, c in zip(cat.labels, counts, strict=True) if c > 0]
        only_sample = [lab for lab in present if lab not in totals]
        only_pop = [c for c, t in totals.items() if t > 0 and c not in present]
        zero_pop = [c for c, t in totals.items() if t == 0 and c in present]
        if only_sample or only_pop or zero_pop:
            parts = []
            if only_sample:
                parts.append(f"样本中有而控制数中没有：{_quote(only_sample)}")
            if only_pop and not partial:
                parts.append(
                    f"控制数中有而样本中没有：{_quote(only_pop)}（没有受访者，无法调整到该类别的总体数）"
                )
            if zero_pop:
                parts.append(f"控制数为 0 但样本中有受访者：{_quote(zero_pop)}")
            if parts:
                problems.append(f"{label}的类别与数据不一致——" + "；".join(parts))
            if only_pop and partial:
                warnings.append(f"{label}：控制数中的类别 {_quote(only_pop)} 在样本中没有受访者，已忽略")
        target = np.array([totals.get(lab, np.nan) for lab in cat.labels], dtype=np.float64)
        grand[var] = float(sum(totals[c] for c in present if c in totals))
        codes_out.append(cat.codes)
        targets_out.append(target)
    if problems:
        raise MarginsError(problems)
    values = list(grand.values())
    if values and max(values) - min(values) > 1e-9 * max(values):
        detail = "，".join(f"{v} 合计 {g:,.0f}" for v, g in grand.items())
        warnings.append(f"各变量的控制数合计不一致（{detail}），迭代可能不收敛")
    return codes_out, targets_out, warnings


def rake(
    weights: np.ndarray,
    groups: Mapping[str, Categorical],
    margins: Margins,
    *,
    epsilon: float = 1e-10,
    max_iter: int = 100,
    partial: bool = False,
    trim: Trim | None = None,
) -> RakeResult:
    """Rake `weights` to `margins`; reports iterations and convergence instead of failing when it does not."""
    weights = np.asarray(weights, dtype=np.float64)
    codes, targets, warnings = match_margins(groups, weights, margins, partial=partial)
    variables = margins.variables
    sizes = tuple(len(t) for t in targets)
    # Cross-classification cells that occur in the data.
    combined = np.zeros(len(weights), dtype=np.int64)
    for c, size in zip(codes, sizes, strict=True):
        combined = combined * size + c
    space = int(np.prod(sizes, dtype=np.float64))
    if space <= 20_000_000:
        used = np.bincount(combined, minlength=space) > 0
        lookup = np.cumsum(used) - 1
        cell = lookup[combined].astype(np.int32)
        observed = np.flatnonzero(used)
    else:
        observed, cell = np.unique(combined, return_inverse=True)
        cell = cell.astype(np.int32)
    cell_categories = np.empty((len(sizes), len(observed)), dtype=np.int32)
    rest = observed.copy()
    for k in range(len(sizes) - 1, -1, -1):
        cell_categories[k] = rest % sizes[k]
        rest //= sizes[k]

    base = weights
    trim_report: TrimReport | None = None
    result = _rake_cells(base, cell, cell_categories, targets, epsilon, max_iter)
    if trim is not None and (trim.lower is not None or trim.upper is not None):
        cycles = 0
        trimmed = 0
        lo_abs = hi_abs = None
        within = False
        while True:
            final, *_ = result
            mean = final.mean()
            lo_abs = trim.lower * mean if trim.lower is not None else None
            hi_abs = trim.upper * mean if trim.upper is not None else None
            too_low = (
                final < lo_abs * (1 - trim.tolerance) if lo_abs is not None else np.zeros(len(final), bool)
            )
            too_high = (
                final > hi_abs * (1 + trim.tolerance) if hi_abs is not None else np.zeros(len(final), bool)
            )
            within = not (too_low.any() or too_high.any())
            if within or cycles >= trim.max_cycles:
                break
            clipped = np.clip(
                final, lo_abs if lo_abs is not None else None, hi_abs if hi_abs is not None else None
            )
            trimmed = int(np.count_nonzero(clipped != final))
            cycles += 1
            result = _rake_cells(clipped, cell, cell_categories, targets, epsilon, max_iter)
        final = result[0]
        trim_report = TrimReport(
            cycles,
            trimmed,
            lo_abs,
            hi_abs,
            float(final.max() / final.mean()),
            float(final.min() / final.mean()),
            within,
        )
        if not within:
            warnings.append(
                f"修剪权重 {cycles} 轮后仍有权重超出界限（最大/平均 = {trim_report.max_ratio:.3g}）"
            )
    final, iterations, converged, delta, eps_abs, history, tau = result
    misfit = 0.0
    for c, target in zip(codes, targets, strict=True):
        got = np.bincount(c, weights=final, minlength=len(target))
        ok = np.isfinite(target) & (target > 0)
        if ok.any():
            misfit = max(misfit, float(np.max(np.abs(got[ok] - target[ok]) / target[ok])))
    if converged and misfit > 1e-6:
        converged = False
        warnings.append(f"迭代已停止变化，但各变量的控制数不能同时满足（最大相对偏差 {misfit:.3g}）")
    elif not converged:
        warnings.append(
            f"迭代 {iterations} 次后仍未收敛（最后一次单元格最大变化 {delta:.6g}，阈值 {eps_abs:.6g}）"
        )
    calibration = Calibration(cell, cell_categories, sizes, tau)
    return RakeResult(
        final,
        iterations,
        converged,
        delta,
        eps_abs,
        variables,
        history,
        calibration,
        warnings,
        trim_report,
        misfit,
    )


def _rake_cells(
    weights: np.ndarray,
    cell: np.ndarray,
    cell_categories: np.ndarray,
    targets: list[np.ndarray],
    epsilon: float,
    max_iter: int,
) -> tuple[np.ndarray, int, bool, float, float, list[float], np.ndarray]:
    n_cells = cell_categories.shape[1]
    start = np.bincount(cell, weights=weights, minlength=n_cells)
    current = start.copy()
    eps_abs = epsilon * float(weights.sum()) if epsilon < 1 else float(epsilon)
    K = len(targets)
    factors = [np.ones(len(t)) for t in targets]
    history: list[float] = []
    converged = False
    iterations = 0
    delta = float("inf")
    old = current.copy()
    while iterations < max_iter:
        iterations += 1
        for k in range(K):
            cats = cell_categories[k]
            totals = np.bincount(cats, weights=current, minlength=len(targets[k]))
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(totals > 0, targets[k] / totals, 1.0)
            factor = np.where(np.isnan(factor), 1.0, factor)
            factors[k] = factor
            current = current * factor[cats]
        delta = float(np.max(np.abs(current - old))) if n_cells else 0.0
        history.append(delta)
        if delta < eps_abs:
            converged = True
            break
        old = current.copy()
    # tau_k = (weights right after margin k in the last iteration) / final weights
    tau = np.ones((K, n_cells))
    running = np.ones(n_cells)
    for k in range(K - 1, -1, -1):
        tau[k] = running
        running = running / factors[k][cell_categories[k]]
    ratio = current / start
    final = weights * ratio[cell]
    return final, iterations, converged, delta, eps_abs, history, tau

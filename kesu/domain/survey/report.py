"""Results as JSON-ready dicts (`kesu-survey-estimate/1`) and as a Chinese text table.

Every estimate has: `group` (object, empty for the whole sample), `n`, `population`, `rate`, `se`,
`ci` [low, high], `deff` (null where undefined, with the reason in `notes`), `df`, `levels` (each level's
`id`, `name`, `min`, `share`, `se`, `ci`, `deff`), `dimensions` and `score` (mean scores), `notes`.
"""

from __future__ import annotations

from typing import Any

from .analysis import Analysis
from .estimation import DomainEstimate, Mean, Share
from .responses import GROUP_NAMES
from .sae import SaeResult

FORMAT = "kesu-survey-estimate/1"
CI_NAMES = {"logit": "logit 变换区间", "kg": "Korn–Graubard 区间"}
LONELY_NAMES = {
    "adjust": "以总体均值为中心（adjust）",
    "average": "取其他分层方差的平均（average）",
    "certainty": "视为必然入样（certainty）",
    "remove": "不计方差（remove）",
    "fail": "报错（fail）",
}


def _ci(ci: tuple[float, float]) -> list[float]:
    return [float(ci[0]), float(ci[1])]


def share_dict(s: Share) -> dict[str, Any]:
    return {
        "id": s.level,
        "name": s.name,
        "min": s.min,
        "share": s.share,
        "se": s.se,
        "ci": _ci(s.ci),
        "deff": s.deff,
    }


def mean_dict(m: Mean) -> dict[str, Any]:
    return {
        "id": m.dimension,
        "name": m.name,
        "points": m.points,
        "mean": m.mean,
        "se": m.se,
        "ci": _ci(m.ci),
        "deff": m.deff,
    }


def estimate_dict(e: DomainEstimate) -> dict[str, Any]:
    return {
        "group": dict(e.group),
        "n": e.n,
        "population": e.population,
        "rate": e.rate,
        "se": e.se,
        "ci": _ci(e.ci),
        "deff": e.deff,
        "df": e.df,
        "levels": [share_dict(s) for s in e.levels],
        "dimensions": [mean_dict(m) for m in e.dimensions],
        "score": mean_dict(e.score),
        "notes": list(e.notes),
    }


def sae_dict(s: SaeResult) -> dict[str, Any]:
    return {
        "area_variable": s.area_variable,
        "method": "Fay–Herriot EBLUP (REML), Prasad–Rao MSE, ratio benchmarking",
        "covariates": s.covariates,
        "sigma2_v": s.sigma2_v,
        "beta": s.beta,
        "beta_se": s.beta_se,
        "iterations": s.iterations,
        "converged": s.converged,
        "fallback": s.fallback,
        "benchmark": {"target": s.benchmark_target, "factor": s.benchmark_factor},
        "diagnostics": s.diagnostics(),
        "areas": [
            {
                "area": a.area,
                "n": a.n,
                "direct": a.direct,
                "direct_se": a.direct_se,
                "variance_source": a.variance_source,
                "eblup": a.eblup,
                "mse": a.mse,
                "rmse": a.mse**0.5,
                "shrinkage": a.gamma,
                "synthetic": a.synthetic,
                "benchmarked": a.benchmarked,
                "population": a.population,
                "cv_direct": a.cv_direct,
                "cv_eblup": a.cv_eblup,
            }
            for a in s.areas
        ],
        "notes": list(s.notes),
    }


def analysis_dict(a: Analysis) -> dict[str, Any]:
    out: dict[str, Any] = {
        "format": FORMAT,
        "instrument": a.instrument.summary(),
        "headline": a.instrument.headline,
        "design": {
            "respondents": a.responses.n,
            "strata": a.design.n_strata,
            "psus": a.design.n_psus,
            "lonely_psu": a.lonely_psu,
            "lonely_strata": a.design.lonely_labels,
            "ci_method": a.ci_method,
            "level": a.level,
        },
        "raking": a.raking.summary() if a.raking else None,
        "warnings": list(a.responses.warnings),
        "skipped": [{"row": p.row, "column": p.column, "message": p.message} for p in a.responses.skipped],
        "estimates": [estimate_dict(e) for e in a.estimates],
    }
    if a.sae is not None:
        out["sae"] = sae_dict(a.sae)
    return out


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.2f}%"


def _num(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def render(a: Analysis) -> str:
    ins = a.instrument
    head = ins.headline_level
    lines = [
        f"问卷：{ins.name}（满分 {ins.total_points:g} 分，{len(ins.items)} 题）",
        f"受访者：{a.responses.n} 人，{a.design.n_strata} 个分层，{a.design.n_psus} 个初级抽样单元",
    ]
    if a.raking:
        r = a.raking
        state = "已收敛" if r.converged else "未收敛"
        lines.append(
            f"加权：按 {'、'.join(r.variables)} 迭代比例拟合 {r.iterations} 次，{state}（最大变化 {r.max_change:.3g}）"
        )
        lines.extend(f"  注意：{w}" for w in r.warnings)
    else:
        lines.append("加权：使用设计权重（未提供总体控制数）")
    lines.append(
        f"置信区间：{CI_NAMES[a.ci_method]}，{a.level:.0%}；单 PSU 分层：{LONELY_NAMES[a.lonely_psu]}"
    )
    lines.extend(f"  注意：{w}" for w in a.responses.warnings)
    lines.append("")
    header = ["分组", "样本量", "估计总体", f"{head.name}比例", "标准误", "95%置信区间", "设计效应"]
    header += [f"≥{lv.min:g}分" for lv in ins.levels if lv.id != head.id]
    rows = []
    for e in a.estimates:
        label = (
            "全体" if not e.group else "；".join(f"{GROUP_NAMES.get(k, k)}={v}" for k, v in e.group.items())
        )
        row = [
            label,
            str(e.n),
            f"{e.population:,.0f}",
            _pct(e.rate),
            _pct(e.se),
            f"{_pct(e.ci[0])}–{_pct(e.ci[1])}",
            _num(e.deff),
        ]
        row += [_pct(s.share) for s in e.levels if s.level != head.id]
        rows.append(row)
    lines.append(_table(header, rows))
    overall = a.overall
    lines.append("")
    lines.append(
        "各维度平均得分（全体）："
        + "，".join(f"{m.name} {m.mean:.2f}/{m.points:g}" for m in overall.dimensions)
        + f"，总分 {overall.score.mean:.2f}/{overall.score.points:g}"
    )
    notes = [(e, n) for e in a.estimates for n in e.notes]
    if notes:
        lines.append("")
        lines.append("说明：")
        for e, n in notes:
            label = (
                "全体"
                if not e.group
                else "；".join(f"{GROUP_NAMES.get(k, k)}={v}" for k, v in e.group.items())
            )
            lines.append(f"  [{label}] {n}")
    if a.sae is not None:
        s = a.sae
        lines.append("")
        lines.append(
            f"小区域估计（Fay–Herriot，REML）：σ²_v = {s.sigma2_v:.3g}，迭代 {s.iterations} 次；"
            f"基准化系数 {s.benchmark_factor:.4f}（全市直接估计 {_pct(s.benchmark_target)}）"
        )
        rows = [
            [
                x.area,
                str(x.n),
                _pct(x.direct),
                _pct(x.direct_se),
                _pct(x.eblup),
                _pct(x.mse**0.5),
                _num(x.gamma, 3),
                _pct(x.benchmarked),
                _num(x.cv_direct, 3),
                _num(x.cv_eblup, 3),
            ]
            for x in s.areas
        ]
        lines.append(
            _table(
                [
                    "地区",
                    "样本量",
                    "直接估计",
                    "标准误",
                    "EBLUP",
                    "RMSE",
                    "收缩系数",
                    "基准化后",
                    "CV直接",
                    "CV模型",
                ],
                rows,
            )
        )
        d = s.diagnostics()
        lines.append(
            f"Brown 检验：W = {d['brown_statistic']:.3f}，自由度 {d['brown_df']}，p = {d['brown_p_value']:.3f}"
        )
        lines.extend(f"  注意：{n}" for n in s.notes)
    return "\n".join(lines)

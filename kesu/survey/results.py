"""The stored report (`kesu-survey-estimate/1` JSON) arranged for the results page and the Excel export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString

from kesu.domain.survey.report import CI_NAMES, LONELY_NAMES
from kesu.domain.survey.responses import GROUP_NAMES
from kesu.survey.charts import Interval, interval_chart


def group_name(var: str) -> str:
    return GROUP_NAMES.get(var, var)


@dataclass
class GroupTable:
    variable: str
    name: str
    estimates: list[dict[str, Any]]
    chart: SafeString | None = None


def headline_level(result: dict[str, Any]) -> dict[str, Any]:
    head = result["headline"]
    return next(lv for lv in result["instrument"]["levels"] if lv["id"] == head)


def other_levels(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The levels besides the headline, highest first (as the instrument lists them)."""
    head = result["headline"]
    return [lv for lv in result["instrument"]["levels"] if lv["id"] != head]


def level_share(estimate: dict[str, Any], level_id: str) -> dict[str, Any] | None:
    return next((s for s in estimate["levels"] if s["id"] == level_id), None)


def group_tables(result: dict[str, Any], *, charts: bool = True) -> list[GroupTable]:
    tables: dict[str, GroupTable] = {}
    overall = result["estimates"][0]
    for estimate in result["estimates"][1:]:
        var = next(iter(estimate["group"]))
        table = tables.setdefault(var, GroupTable(var, group_name(var), []))
        table.estimates.append(estimate)
    if charts:
        head = headline_level(result)["name"]
        for table in tables.values():
            table.chart = interval_chart(
                [(e["group"][table.variable], [Interval(e["rate"], *e["ci"])]) for e in table.estimates],
                reference=overall["rate"], reference_label="全体",
                title=f"按{table.name}分组的{head}比例及95%置信区间",
            )
    return list(tables.values())


def dimension_rows(result: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(label, estimate) for the whole sample and every group, for the table of mean scores."""
    rows = [("全体", result["estimates"][0])]
    for e in result["estimates"][1:]:
        var, value = next(iter(e["group"].items()))
        rows.append((f"{group_name(var)}：{value}", e))
    return rows


def sae_chart(sae: dict[str, Any]) -> SafeString:
    rows = []
    for a in sae["areas"]:
        intervals = []
        if a["direct"] is not None and a["direct_se"] is not None:
            intervals.append(Interval(a["direct"], max(0.0, a["direct"] - 1.96 * a["direct_se"]), a["direct"] + 1.96 * a["direct_se"]))
        else:
            intervals.append(Interval(a["eblup"], None, None))
        intervals.append(Interval(a["eblup"], max(0.0, a["eblup"] - 1.96 * a["rmse"]), a["eblup"] + 1.96 * a["rmse"]))
        rows.append((a["area"], intervals))
    return interval_chart(
        rows, series=("直接估计 ±1.96·SE", "EBLUP ±1.96·RMSE"), reference=sae["benchmark"]["target"],
        reference_label="全域直接估计", title="各地区直接估计与模型估计（EBLUP）",
    )


def method_lines(result: dict[str, Any], options: dict[str, Any]) -> list[str]:
    design = result["design"]
    lines = [
        f"问卷：{result['instrument']['name']}（满分 {result['instrument']['total_points']:g} 分，{result['instrument']['items']} 题）；"
        f"“{headline_level(result)['name']}”为总分不低于 {headline_level(result)['min']:g} 分。",
        f"样本：{design['respondents']} 位受访者，{design['strata']} 个分层，{design['psus']} 个初级抽样单元（PSU）。",
        f"方差：泰勒线性化（分层整群抽样，PSU 有放回，无有限总体校正），加权调整的影响按迭代比例拟合的残差计入；"
        f"置信区间：{CI_NAMES.get(design['ci_method'], design['ci_method'])}，{design['level']:.0%}；"
        f"单 PSU 分层：{LONELY_NAMES.get(design['lonely_psu'], design['lonely_psu'])}。",
        "设计效应：方差与同样本量简单随机抽样方差之比（与 R survey 包 deff=TRUE 一致）。",
    ]
    if design.get("lonely_strata"):
        lines.append(f"只有一个 PSU 的分层：{'、'.join(design['lonely_strata'])}。")
    skipped = options.get("skip_rows") or []
    if skipped:
        lines.append(f"按确认跳过了答卷中 {len(skipped)} 行有问题的数据（见“跳过的行”）。")
    return lines

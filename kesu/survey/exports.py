"""A finished run as an .xlsx workbook: the same tables as the results page, numbers kept as numbers."""

from __future__ import annotations

from typing import Any

from kesu.infra.xlsx import Workbook, append_row, save_workbook, write_table, write_title
from kesu.survey.models import SurveyRun
from kesu.survey.results import dimension_rows, group_name, headline_level, method_lines

PCT = "0.00%"
NUM = "0.00"


def _format(ws, first_row: int, columns: dict[int, str]) -> None:
    for row in ws.iter_rows(min_row=first_row, max_row=ws.max_row):
        for cell in row:
            fmt = columns.get(cell.column)
            if fmt and isinstance(cell.value, float):
                cell.number_format = fmt


def _estimate_rows(result: dict[str, Any]) -> list[list]:
    rows = []
    for e in result["estimates"]:
        var, value = next(iter(e["group"].items()), ("", "全体"))
        rows.append([
            group_name(var) if var else "全体", value, e["n"], e["population"], e["rate"], e["se"], e["ci"][0],
            e["ci"][1], e["deff"], e["df"], "；".join(e["notes"]),
        ])
    return rows


def run_workbook(run: SurveyRun) -> bytes:
    result = run.result
    head = headline_level(result)
    wb = Workbook()

    ws = wb.active
    ws.title = "比例估计"
    header = ["分组变量", "类别", "样本量", "估计总体", f"{head['name']}比例", "标准误", "95%CI下限", "95%CI上限",
              "设计效应", "自由度", "说明"]
    write_title(ws, f"{run.jurisdiction.name}{run.title}：{head['name']}的比例", len(header))
    write_table(ws, header, _estimate_rows(result), [12, 16, 9, 13, 14, 10, 11, 11, 9, 8, 40])
    _format(ws, 3, {4: "#,##0", 5: PCT, 6: PCT, 7: PCT, 8: PCT, 9: NUM})

    ws = wb.create_sheet("各水平")
    header = ["分组变量", "类别", "水平", "最低分", "比例", "标准误", "95%CI下限", "95%CI上限", "设计效应"]
    write_title(ws, "各水平的比例（累计：达到该水平及以上）", len(header))
    rows = []
    for e in result["estimates"]:
        var, value = next(iter(e["group"].items()), ("", "全体"))
        for s in e["levels"]:
            rows.append([group_name(var) if var else "全体", value, s["name"], s["min"], s["share"], s["se"],
                         s["ci"][0], s["ci"][1], s["deff"]])
    write_table(ws, header, rows, [12, 16, 18, 8, 10, 10, 11, 11, 9])
    _format(ws, 3, {5: PCT, 6: PCT, 7: PCT, 8: PCT, 9: NUM})

    ws = wb.create_sheet("维度得分")
    header = ["分组", "维度", "满分", "平均得分", "标准误", "95%CI下限", "95%CI上限", "设计效应"]
    write_title(ws, "各维度平均得分", len(header))
    rows = []
    for label, e in dimension_rows(result):
        for m in [*e["dimensions"], e["score"]]:
            rows.append([label, m["name"], m["points"], m["mean"], m["se"], m["ci"][0], m["ci"][1], m["deff"]])
    write_table(ws, header, rows, [22, 20, 8, 10, 10, 11, 11, 9])
    _format(ws, 3, {4: NUM, 5: NUM, 6: NUM, 7: NUM, 8: NUM})

    ws = wb.create_sheet("加权")
    raking = result.get("raking")
    write_title(ws, "加权调整（迭代比例拟合）", 2)
    if raking:
        rows = [
            ["加权变量", "、".join(group_name(v) for v in raking["variables"])],
            ["迭代次数", raking["iterations"]],
            ["是否收敛", "是" if raking["converged"] else "否"],
            ["最后一次单元格最大变化", raking["max_change"]],
            ["收敛阈值", raking["epsilon"]],
            ["控制数最大相对偏差", raking["max_margin_error"]],
        ]
        trim = raking.get("trim")
        if trim:
            rows += [
                ["修剪轮数", trim["cycles"]],
                ["最后一轮被修剪的权重数", trim["trimmed"]],
                ["权重下限", trim["lower"] if trim["lower"] is not None else "—"],
                ["权重上限", trim["upper"] if trim["upper"] is not None else "—"],
                ["最大权重/平均权重", trim["max_ratio"]],
                ["最小权重/平均权重", trim["min_ratio"]],
                ["是否在界限内", "是" if trim["within_bounds"] else "否"],
            ]
        rows += [["注意", w] for w in raking["warnings"]]
    else:
        rows = [["加权", "未提供总体控制数：使用设计权重"]]
    write_table(ws, ["项目", "值"], rows, [26, 60])

    sae = result.get("sae")
    if sae:
        ws = wb.create_sheet("小区域估计")
        header = ["地区", "样本量", "直接估计", "直接估计标准误", "EBLUP", "RMSE", "收缩系数", "合成估计", "基准化后",
                  "人口数", "CV直接", "CV模型"]
        write_title(ws, f"小区域估计（{sae['method']}）", len(header))
        rows = [
            [a["area"], a["n"], a["direct"], a["direct_se"], a["eblup"], a["rmse"], a["shrinkage"], a["synthetic"],
             a["benchmarked"], a["population"], a["cv_direct"], a["cv_eblup"]]
            for a in sae["areas"]
        ]
        write_table(ws, header, rows, [12, 8, 10, 12, 10, 10, 10, 10, 10, 12, 9, 9])
        _format(ws, 3, {3: PCT, 4: PCT, 5: PCT, 6: PCT, 7: "0.000", 8: PCT, 9: PCT, 10: "#,##0", 11: "0.000", 12: "0.000"})
        d = sae["diagnostics"]
        append_row(ws, [])
        for label, value in [
            ("地区间方差 σ²_v", sae["sigma2_v"]),
            ("基准化系数", sae["benchmark"]["factor"]),
            ("基准化目标（全域直接估计）", sae["benchmark"]["target"]),
            ("平均收缩系数", d["mean_shrinkage"]),
            ("Brown 检验 W", d["brown_statistic"]),
            ("Brown 检验自由度", d["brown_df"]),
            ("Brown 检验 p 值", d["brown_p_value"]),
            *[(f"回归系数 {k}", v) for k, v in sae["beta"].items()],
            *[("注意", n) for n in sae["notes"]],
        ]:
            append_row(ws, [label, value])

    ws = wb.create_sheet("说明")
    write_title(ws, "方法与数据说明", 2)
    rows = [["说明", line] for line in method_lines(result, run.options)]
    rows += [["数据文件", run.responses_name], ["总体控制数", run.margins_name or "—"],
             ["问卷", run.instrument_label], ["注意", "；".join(result.get("warnings", [])) or "—"]]
    rows += [["跳过的行", f"第 {p['row']} 行" + (f"，列“{p['column']}”" if p.get("column") else "") + f"：{p['message']}"]
             for p in result.get("skipped", [])]
    write_table(ws, ["项目", "内容"], rows, [14, 100])
    return save_workbook(wb)


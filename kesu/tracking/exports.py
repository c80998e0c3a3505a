"""The yearly assessment as an Excel sheet: rank, unit, each item's points, adjustments, total."""

from __future__ import annotations

from kesu.infra.xlsx import Workbook, append_row, save_workbook, write_table, write_title
from kesu.plans.models import Plan
from kesu.tracking.assessment import ScoreRow
from kesu.tracking.models import RubricItem


def scores_workbook(plan: Plan, year: int, items: list[RubricItem], rows: list[ScoreRow]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年度考核"
    header = ["名次", "单位"] + [f"{i.label}（{i.points:g}分）" for i in items] + ["加减分", "总分", "加减分理由"]
    write_title(ws, f"{plan.jurisdiction.name}{year}年度全民科学素质工作考核得分", len(header))
    body = [
        [r.rank, r.unit.name, *[s.earned for s in r.score.items], r.score.adjustment, r.score.total,
         "；".join(f"{d:+g} {reason}" for d, reason in r.adjustments)]
        for r in rows
    ]
    write_table(ws, header, body, [6, 22] + [14] * len(items) + [8, 8, 40])
    append_row(ws, [])
    append_row(ws, ["计分规则：" + "；".join(f"{s.item.label}：{s.rule}" for s in rows[0].score.items) if rows else "无得分数据"])
    return save_workbook(wb)

"""The year's work points as an .xlsx (through kesu.infra.xlsx, which writes formula-like text as text)."""

from __future__ import annotations

from kesu.infra.xlsx import Workbook, append_row, save_workbook, write_table, write_title
from kesu.plans.models import Plan
from kesu.tracking.models import ItemReport
from kesu.workpoints.models import WorkPoint


def _status(report: ItemReport | None) -> str:
    return f"{report.cycle}：{report.get_progress_display()}（{report.state_label}）" if report else "暂无报告"


def points_workbook(plan: Plan, year: int, rows: list[tuple[WorkPoint, list]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年工作要点"
    header = ["序号", "所属部分", "工作要点", "关联措施", "牵头单位", "配合单位", "未识别的单位", "最近报告"]
    write_title(ws, f"{plan.jurisdiction.name}{year}年全民科学素质工作要点", len(header))
    body = [
        [p.position, p.section, p.text, p.task.title if p.task else "本年新增",
         "、".join(u.name for u in p.lead_units.all()), "、".join(u.name for u in p.support_units.all()),
         p.unmatched_units, "；".join(f"{u.name}：{_status(r)}" for u, r in latest)]
        for p, latest in rows
    ]
    write_table(ws, header, body, [6, 22, 50, 36, 22, 30, 16, 40])
    append_row(ws, [])
    append_row(ws, ["“最近报告”为各牵头单位在本年度最近一期填报周期中的报告（科协办公室导出含全部状态，其他人只含已提交和已审核通过的）。"])
    return save_workbook(wb)

"""Excel sheets of tracking: a cycle's reports, and the yearly assessment (rank, unit, each item's points,
adjustments, total)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from kesu.infra.xlsx import Workbook, append_row, save_workbook, write_table, write_title
from kesu.plans.models import Plan
from kesu.plans.templatetags.kesu_format import num
from kesu.tracking.assessment import ScoreRow
from kesu.tracking.cycle_items import label_of
from kesu.tracking.models import ItemReport, Report, ReportingCycle, RubricItem


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


def report_values(report: Report) -> str:
    """The report's target values as one line: 学生科普活动参与率：60%；…"""
    return "；".join(f"{v.target.indicator}：{num(v.value)}{v.target.unit}" for v in report.values.all())


def _submitted(report: Report | ItemReport) -> str:
    return f"{timezone.localtime(report.submitted_at):%Y-%m-%d %H:%M}" if report.submitted_at else ""


def cycle_workbook(plan: Plan, cycle: ReportingCycle, reports: list[Report], items: Sequence[ItemReport] = ()) -> bytes:
    """The measures' reports, and on a second sheet the item reports (年度工作要点, 议定事项…) when there are any."""
    wb = Workbook()
    ws = wb.active
    ws.title = "进展报告"
    header = ["序号", "单位", "任务", "措施", "审核状态", "推进状态", "工作进展", "目标填报值", "审核意见", "提交时间"]
    write_title(ws, f"{plan.jurisdiction.name}{cycle}全民科学素质工作进展报告", len(header))
    body = [
        [i, r.unit.name, r.task.section.title, r.task.title, r.state_label, r.get_progress_display(), r.summary,
         report_values(r), r.return_reason, _submitted(r)]
        for i, r in enumerate(reports, start=1)
    ]
    write_table(ws, header, body, [6, 18, 24, 36, 10, 10, 60, 30, 30, 16])
    if items:
        ws = wb.create_sheet("事项报告")
        header = ["序号", "类别", "事项", "牵头单位", "审核状态", "推进状态", "工作进展", "审核意见", "提交时间"]
        write_title(ws, f"{plan.jurisdiction.name}{cycle}年度工作要点和议定事项报告", len(header))
        body = [[i, label_of(r.source), r.title, r.unit.name, r.state_label, r.get_progress_display(), r.summary,
                 r.return_reason, _submitted(r)] for i, r in enumerate(items, start=1)]
        write_table(ws, header, body, [6, 14, 40, 18, 10, 10, 60, 30, 16])
    return save_workbook(wb)

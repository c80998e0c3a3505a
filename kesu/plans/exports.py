"""Excel exports: the division of labour (分工表) and the target list (量化目标表), as an office prints them."""

from __future__ import annotations

from urllib.parse import quote

from kesu.domain.number_text import comparator_text
from kesu.infra.xlsx import CENTER, Workbook, append_row, save_workbook, write_table, write_title
from kesu.plans.models import Plan, Target
from kesu.plans.queries import division_matrix
from kesu.plans.serialize import plan_sections


def content_disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def division_workbook(plan: Plan) -> bytes:
    """Sheet 1: every measure with its lead and supporting units. Sheet 2: the units × sections matrix."""
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分工"
    write_title(ws, f"{plan.title} 重点任务分工", 5)
    rows = []
    for section in plan_sections(plan):
        for number, task in enumerate(section.tasks.all(), start=1):
            duties = list(task.responsibilities.all())
            rows.append([
                section.title, f"{number}. {task.title}",
                "、".join(r.written_name for r in duties if r.role == "lead"),
                "、".join(r.written_name for r in duties if r.role == "support"),
                "；".join(str(t) for t in task.targets.all()),
            ])
    write_table(ws, ["章节", "措施", "牵头单位", "配合单位", "量化目标"], rows, [22, 40, 24, 50, 26])

    matrix = division_matrix(plan)
    ws2 = wb.create_sheet("分工矩阵")
    write_title(ws2, f"{plan.title} 成员单位分工矩阵", len(matrix.sections) + 3)
    header = ["成员单位", "牵头措施数", "配合措施数"] + [s.title for s in matrix.sections]
    body = [[r.unit.name, r.lead_count, r.support_count, *r.marks] for r in matrix.rows]
    write_table(ws2, header, body, [22, 10, 10] + [12] * len(matrix.sections))
    for row in ws2.iter_rows(min_row=3, min_col=2):
        for cell in row:
            cell.alignment = CENTER
    if matrix.all_member_phrases:
        append_row(ws2, [f"注：“{'”“'.join(matrix.all_member_phrases)}”指全体成员单位，已计入各单位的“配合”。"])
    return save_workbook(wb)


def targets_workbook(plan: Plan) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "量化目标"
    write_title(ws, f"{plan.title} 量化目标", 9)
    targets = Target.objects.filter(task__section__plan=plan).select_related("task__section").order_by(
        "task__section__position", "task__position", "position"
    )
    rows = []
    if plan.target_value is not None:
        rows.append([
            "总体目标", "公民具备科学素质的比例", "公民具备科学素质的比例", plan.target_value, "%",
            comparator_text(plan.target_comparator), plan.target_year, "否",
            f"基线：{plan.baseline_year}年 {plan.baseline_value}%" if plan.baseline_value is not None else "",
        ])
    for t in targets:
        rows.append([
            t.task.section.title, t.task.title, t.indicator, t.value, t.unit, comparator_text(t.comparator),
            t.year or "", "是" if t.annual else "否", t.text,
        ])
    write_table(ws, ["章节", "措施", "指标", "目标值", "单位", "比较", "截止年份", "每年", "原文"], rows,
           [20, 30, 24, 10, 8, 8, 10, 6, 40])
    return save_workbook(wb)

"""Work points in the other apps' registries: reported in cycles (kesu.tracking.cycle_items: every point of the
cycle's year is due for its lead units in each cycle of that year), and the 工作总结's section
"年度工作要点落实情况" (kesu.tracking.summary_sections: each point's status from its latest approved report)."""

from __future__ import annotations

from django.urls import reverse

from kesu.plans.models import Plan
from kesu.tracking.cycle_items import DueItem, latest_reports
from kesu.tracking.models import ItemReport, ReportingCycle
from kesu.tracking.summary_sections import SummarySection
from kesu.workpoints.models import WorkPoint

SOURCE = "workpoint"
SUMMARY_RULE = ("年度工作要点落实情况：每条要点的每个牵头单位取其本年度最近一期审核通过的报告的推进状态和进展；"
                "没有审核通过的报告的写“暂无审核通过的报告”。")


def _due(point: WorkPoint) -> DueItem:
    leads = tuple(u.pk for u in point.lead_units.all() if not u.stands_for_all)
    return DueItem(point.pk, point.text, leads, reverse("workpoints-point", args=[point.pk]))


class WorkPointItems:
    label = "年度工作要点"
    in_assessment = True

    def due_items(self, cycle: ReportingCycle) -> list[DueItem]:
        points = WorkPoint.objects.filter(workplan__plan_id=cycle.plan_id, workplan__year=cycle.year).prefetch_related("lead_units")
        return [_due(p) for p in points]

    def for_task(self, task_id: int, year: int) -> list[DueItem]:
        points = WorkPoint.objects.filter(task_id=task_id, workplan__year=year).prefetch_related("lead_units")
        return [_due(p) for p in points]

    def item_url(self, source_id: int) -> str | None:
        return reverse("workpoints-point", args=[source_id]) if WorkPoint.objects.filter(pk=source_id).exists() else None


def latest_status(points: list[WorkPoint], states: tuple[str, ...]) -> dict[tuple[int, int], ItemReport]:
    """(point id, unit id) → the unit's latest report on the point among those in `states`."""
    return latest_reports(SOURCE, [p.pk for p in points], states)


def summary_section(plan: Plan, year: int) -> SummarySection | None:
    points = list(WorkPoint.objects.filter(workplan__plan=plan, workplan__year=year).prefetch_related("lead_units"))
    if not points:
        return None
    latest = latest_status(points, ("approved",))
    lines = []
    for point in points:
        parts = []
        for unit in point.lead_units.all():
            report = latest.get((point.pk, unit.pk))
            if report is None:
                parts.append(f"{unit.name}：暂无审核通过的报告")
            else:
                parts.append(f"{unit.name}（{report.get_progress_display()}）：{report.summary or '未填写具体进展'}")
        done = "；".join(parts) or "未明确牵头单位"
        lines.append(f"{point.position}. {point.text}——{done}")
    return SummarySection("年度工作要点落实情况", lines, SUMMARY_RULE)

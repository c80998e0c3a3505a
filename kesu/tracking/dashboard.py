"""Read models for the dashboards: progress by section and unit, the unit × section heat map, overdue
reports, and the roll-up of a city's (or province's) jurisdictions. Counting rules are stated in RULES.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone

from kesu.domain.plan_revision import normalized
from kesu.domain.scoring_rubric import PROGRESS_CREDIT
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.plans.models import Plan, Responsibility, Section, Target
from kesu.tracking.live_values import live_plan_ids, live_values
from kesu.tracking.models import Report, ReportingCycle, TargetValue

PROGRESS_ORDER = ["completed", "in_progress", "behind", "not_started"]
RULES = {
    "progress": "措施进展取每个牵头单位最近一期审核通过的报告；没有审核通过报告的计为“未启动”。",
    "on_track": "推进正常＝最新状态为“已完成”或“推进中”的措施数÷措施总数（按牵头单位计）。",
    "heat": "热力图每格＝该单位在该章节牵头措施的平均推进得分（已完成 1，推进中 0.7，滞后 0.3，未启动 0）。",
    "rollup_targets": "同名同单位的量化目标跨地区相加：目标值相加，当前值取各地最新一期审核通过的填报值"
                      "（已设置实时统计的目标取实时统计数）相加。",
}


def latest_cycle(plan: Plan) -> ReportingCycle | None:
    return plan.cycles.order_by("-year", "-number").first()


def latest_progress(plan: Plan) -> dict[tuple[int, int], str]:
    """(task, lead unit) → progress of its most recent approved report."""
    rows = (
        Report.objects.filter(cycle__plan=plan, state="approved")
        .order_by("cycle__year", "cycle__number")
        .values_list("task_id", "unit_id", "progress")
    )
    return {(task, unit): progress for task, unit, progress in rows}


def lead_pairs(plan: Plan) -> list[tuple[int, int, int]]:
    """(section, task, unit) for every lead responsibility of the plan's measures."""
    return list(
        Responsibility.objects.filter(section__plan=plan, task__isnull=False, role="lead")
        .exclude(unit__stands_for_all=True)
        .values_list("section_id", "task_id", "unit_id")
    )


@dataclass
class SectionRow:
    section: Section
    counts: dict[str, int]
    total: int

    @property
    def shares(self) -> list[tuple[str, float]]:
        return [(p, self.counts.get(p, 0) / self.total if self.total else 0.0) for p in PROGRESS_ORDER]

    @property
    def on_track(self) -> float | None:
        if not self.total:
            return None
        return (self.counts.get("completed", 0) + self.counts.get("in_progress", 0)) / self.total


@dataclass
class HeatRow:
    unit: MemberUnit
    cells: list[float | None]


@dataclass
class Dashboard:
    sections: list[SectionRow]
    heat_sections: list[Section]
    heat_rows: list[HeatRow]
    overall: SectionRow | None = None
    overdue: list[Report] = field(default_factory=list)


def plan_dashboard(plan: Plan) -> Dashboard:
    sections = list(plan.sections.order_by("position"))
    latest = latest_progress(plan)
    pairs = lead_pairs(plan)
    counts: dict[int, Counter] = defaultdict(Counter)
    credit: dict[tuple[int, int], list[float]] = defaultdict(list)
    for section_id, task_id, unit_id in pairs:
        progress = latest.get((task_id, unit_id), "not_started")
        counts[section_id][progress] += 1
        credit[(unit_id, section_id)].append(PROGRESS_CREDIT[progress])
    rows = [SectionRow(s, dict(counts[s.pk]), sum(counts[s.pk].values())) for s in sections]
    overall_counts = sum((counts[s.pk] for s in sections), Counter())
    overall = SectionRow(Section(title="全部措施"), dict(overall_counts), sum(overall_counts.values()))
    units = MemberUnit.objects.in_bulk({u for u, _ in credit})
    heat_rows = [
        HeatRow(unit, [(sum(v) / len(v)) if (v := credit.get((unit.pk, s.pk))) else None for s in sections])
        for unit in sorted(units.values(), key=lambda u: u.name)
    ]
    now = timezone.now()
    overdue = list(
        Report.objects.filter(cycle__plan=plan, state__in=["draft", "returned"], cycle__deadline__lt=timezone.localdate())
        .filter(cycle__locks_at__gt=now - timezone.timedelta(days=365))
        .select_related("unit", "task", "cycle")
        .order_by("cycle__deadline", "unit__name")[:100]
    )
    return Dashboard(rows, sections, heat_rows, overall, overdue)


# ---------------------------------------------------------------------------- roll-up


@dataclass
class RollupRow:
    plan: Plan
    cycle_label: str
    expected: int
    submitted: int
    measures: int
    on_track: int

    @property
    def reporting_rate(self) -> float | None:
        return self.submitted / self.expected if self.expected else None

    @property
    def on_track_share(self) -> float | None:
        return self.on_track / self.measures if self.measures else None


@dataclass
class SummedTarget:
    indicator: str
    unit: str
    plans: int
    target_total: float
    current_total: float

    @property
    def share(self) -> float | None:
        return self.current_total / self.target_total if self.target_total else None


def rollup(jurisdiction: Jurisdiction, plans: list[Plan]) -> tuple[list[RollupRow], list[SummedTarget]]:
    """One row per plan below `jurisdiction` (latest cycle of each), and targets summed across them."""
    plan_ids = [p.pk for p in plans]
    latest = dict(
        ReportingCycle.objects.filter(plan_id__in=plan_ids).order_by().values("plan_id")
        .annotate(last=Max("id")).values_list("plan_id", "last")
    )
    cycles = ReportingCycle.objects.in_bulk(list(latest.values()))
    report_counts = {
        row["cycle_id"]: row
        for row in Report.objects.filter(cycle_id__in=latest.values()).order_by().values("cycle_id").annotate(
            expected=Count("id"), submitted=Count("id", filter=Q(first_submitted_at__isnull=False)),
            on_track=Count("id", filter=Q(state="approved", progress__in=["completed", "in_progress"])),
        )
    }
    rows = []
    for plan in plans:
        cycle_id = latest.get(plan.pk)
        counts = report_counts.get(cycle_id, {})
        rows.append(RollupRow(
            plan, str(cycles[cycle_id]) if cycle_id else "未开启填报", counts.get("expected", 0),
            counts.get("submitted", 0), counts.get("expected", 0), counts.get("on_track", 0),
        ))
    return rows, summed_targets(plan_ids, list(latest.values()))


def summed_targets(plan_ids: list[int], cycle_ids: list[int]) -> list[SummedTarget]:
    groups: dict[tuple[str, str], dict] = {}
    for indicator, unit, value, plan_id in Target.objects.filter(task__section__plan_id__in=plan_ids, annual=False).values_list(
        "indicator", "unit", "value", "task__section__plan_id"
    ):
        group = groups.setdefault((normalized(indicator), unit), {"label": indicator, "plans": set(), "target": 0.0, "current": 0.0})
        group["plans"].add(plan_id)
        group["target"] += value
    current: dict[tuple[str, str, int], float] = {}
    for indicator, unit, value, plan_id in TargetValue.objects.filter(
        report__cycle_id__in=cycle_ids, report__state="approved", target__annual=False
    ).values_list("target__indicator", "target__unit", "value", "report__cycle__plan_id"):
        key = (normalized(indicator), unit, plan_id)
        current[key] = max(value, current.get(key, value))
    today = timezone.localdate()
    for plan in Plan.objects.filter(pk__in=live_plan_ids(plan_ids)):
        bound = live_values(plan, today)  # live counts replace reported values, as on the plan's own pages
        for target in Target.objects.filter(pk__in=bound):
            current[(normalized(target.indicator), target.unit, plan.pk)] = bound[target.pk][0]
    for (indicator, unit, _plan), value in current.items():
        if (indicator, unit) in groups:
            groups[(indicator, unit)]["current"] += value
    summed = [
        SummedTarget(g["label"], unit, len(g["plans"]), g["target"], g["current"])
        for (_, unit), g in groups.items() if len(g["plans"]) > 1
    ]
    return sorted(summed, key=lambda t: (-t.plans, t.indicator))

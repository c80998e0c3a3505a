"""Read models for the dashboards: progress by section and unit, the unit × section heat map, overdue
reports, and the roll-up of a city's (or province's) jurisdictions. Counting rules are stated in RULES.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from kesu.domain import rollup_rules
from kesu.domain.current_cycle import CURRENT_RULE, LATEST_RULE, carried_note, recency
from kesu.domain.plan_revision import normalized
from kesu.domain.reporting_periods import Period
from kesu.domain.scoring_rubric import PROGRESS_CREDIT
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.plans.current import current_of
from kesu.plans.models import Plan, Responsibility, Section, Target
from kesu.tracking.latest import PERIOD_FIELDS, current_cycle, current_cycles, latest_progress_rows, period_of
from kesu.tracking.live_values import live_plan_ids, live_values
from kesu.tracking.models import Report, ReportingCycle, TargetValue
from kesu.tracking.populations import populations

PROGRESS_ORDER = ["completed", "in_progress", "behind", "not_started"]
RULES = {
    "progress": f"{LATEST_RULE}没有审核通过报告的计为“未启动”。",
    "current": CURRENT_RULE,
    "on_track": "推进正常＝最新状态为“已完成”或“推进中”的措施数÷措施总数（按牵头单位计）。",
    "heat": "热力图每格＝该单位在该章节牵头措施的平均推进得分（已完成 1，推进中 0.7，滞后 0.3，未启动 0）。",
    "rollup_targets": "同名同单位的量化目标跨地区汇总，当前值取各地最新审核通过的填报值（新一期未审核的沿用上一期，"
                      "已设置实时统计的目标取实时统计数）。" + rollup_rules.COUNT_RULE + rollup_rules.RATE_RULE,
}


def latest_cycle(plan: Plan) -> ReportingCycle | None:
    """The plan's current cycle (kesu.domain.current_cycle)."""
    return current_cycle(plan)


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
    carried: int = 0  # statuses taken from an approved report older than the current cycle (“沿用”)


def plan_dashboard(plan: Plan) -> Dashboard:
    sections = list(plan.sections.order_by("position"))
    rows_by_pair = latest_progress_rows([plan.pk])
    latest = {(task, unit): progress for (_, task, unit), (progress, _) in rows_by_pair.items()}
    pairs = lead_pairs(plan)
    current = current_cycle(plan)
    carried = sum(
        bool(carried_note(rows_by_pair[key][1], current.period if current else None))
        for _, task_id, unit_id in pairs if (key := (plan.pk, task_id, unit_id)) in rows_by_pair
    )
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
        HeatRow(unit, [round(sum(v) / len(v), 2) if (v := credit.get((unit.pk, s.pk))) else None for s in sections])
        for unit in sorted(units.values(), key=lambda u: u.name)
    ]
    now = timezone.now()
    overdue = list(
        Report.objects.filter(cycle__plan=plan, state__in=["draft", "returned"], cycle__deadline__lt=timezone.localdate())
        .filter(cycle__locks_at__gt=now - timezone.timedelta(days=365))
        .select_related("unit", "task", "cycle")
        .order_by("cycle__deadline", "unit__name")[:100]
    )
    return Dashboard(rows, sections, heat_rows, overall, overdue, carried)


# ---------------------------------------------------------------------------- roll-up


@dataclass
class RollupRow:
    plan: Plan
    cycle_label: str
    expected: int  # reports of the current cycle
    submitted: int
    measures: int  # (measure, lead unit) pairs of the plan
    on_track: int  # of them, latest approved status 已完成/推进中 (carried forward from earlier cycles if need be)
    carried: int = 0  # statuses taken from a cycle before the current one (“沿用”)

    @property
    def reporting_rate(self) -> float | None:
        return self.submitted / self.expected if self.expected else None

    @property
    def on_track_share(self) -> float | None:
        return self.on_track / self.measures if self.measures else None


def plans_below(jurisdiction: Jurisdiction) -> list[Plan]:
    """The current plan of every jurisdiction below `jurisdiction` (not its own), in the order of the tree."""
    return current_of(
        Plan.objects.filter(jurisdiction__path__startswith=jurisdiction.path)
        .exclude(jurisdiction=jurisdiction).select_related("jurisdiction").order_by("jurisdiction__path")
    )


def rollup(jurisdiction: Jurisdiction, plans: list[Plan]) -> tuple[list[RollupRow], list[rollup_rules.Rolled]]:
    """One row per plan below `jurisdiction` (its current cycle), and the targets they share, rolled up by kind."""
    plan_ids = [p.pk for p in plans]
    current = current_cycles(plan_ids)
    report_counts = {
        row["cycle_id"]: row
        for row in Report.objects.filter(cycle_id__in=[c.pk for c in current.values()]).order_by().values("cycle_id")
        .annotate(expected=Count("id"), submitted=Count("id", filter=Q(first_submitted_at__isnull=False)))
    }
    pairs: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for plan_id, task_id, unit_id in Responsibility.objects.filter(
        section__plan_id__in=plan_ids, task__isnull=False, role="lead"
    ).exclude(unit__stands_for_all=True).values_list("section__plan_id", "task_id", "unit_id"):
        pairs[plan_id].add((task_id, unit_id))
    on_track: Counter = Counter()
    carried: Counter = Counter()
    for (plan_id, task_id, unit_id), (progress, period) in latest_progress_rows(plan_ids).items():
        if (task_id, unit_id) not in pairs[plan_id]:
            continue
        on_track[plan_id] += progress in ("completed", "in_progress")
        cycle = current.get(plan_id)
        carried[plan_id] += bool(carried_note(period, cycle.period if cycle else None))
    rows = []
    for plan in plans:
        cycle = current.get(plan.pk)
        counts = report_counts.get(cycle.pk, {}) if cycle else {}
        rows.append(RollupRow(
            plan, str(cycle) if cycle else "未开启填报", counts.get("expected", 0), counts.get("submitted", 0),
            len(pairs[plan.pk]), on_track[plan.pk], carried[plan.pk],
        ))
    return rows, summed_targets(plans, current)


def summed_targets(plans: list[Plan], current: dict[int, ReportingCycle]) -> list[rollup_rules.Rolled]:
    """Targets shared (same indicator and unit) by several plans, rolled up by kind (kesu.domain.rollup_rules):
    counts summed, rates shown per area with min/median/max. Each area's current value is its latest approved one."""
    plan_ids = [p.pk for p in plans]
    areas = {p.pk: p.jurisdiction.name for p in plans}
    labels: dict[tuple[str, str], str] = {}
    goals: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    group_of: dict[int, tuple[str, str]] = {}
    for pk, indicator, unit, value, plan_id in Target.objects.filter(
        task__section__plan_id__in=plan_ids, annual=False
    ).values_list("pk", "indicator", "unit", "value", "task__section__plan_id"):
        key = (normalized(indicator), unit)
        labels.setdefault(key, indicator)
        goals[key][plan_id] = max(value, goals[key].get(plan_id, value))  # a plan's milestones: its final value
        group_of[pk] = key
    latest: dict[tuple[tuple[str, str], int], tuple[Period | None, float]] = {}
    for target_id, value, plan_id, *fields in TargetValue.objects.filter(
        report__cycle__plan_id__in=plan_ids, report__state="approved", target__annual=False
    ).order_by().values_list("target_id", "value", "report__cycle__plan_id", *(f"report__{f}" for f in PERIOD_FIELDS)):
        slot, period = (group_of[target_id], plan_id), period_of(*fields)
        seen = latest.get(slot)
        if seen is None or recency(period) > recency(seen[0]):
            latest[slot] = (period, value)
        elif recency(period) == recency(seen[0]):  # several lead units: the largest, as on the plan's pages
            latest[slot] = (period, max(value, seen[1]))
    today = timezone.localdate()
    for plan in Plan.objects.filter(pk__in=live_plan_ids(plan_ids)):
        bound = live_values(plan, today)  # live counts replace reported values, as on the plan's own pages
        for target in Target.objects.filter(pk__in=bound):
            latest[(group_of.get(target.pk, (normalized(target.indicator), target.unit)), plan.pk)] = (None, bound[target.pk][0])
    jurisdiction_of = {p.pk: p.jurisdiction_id for p in plans}
    people = populations(sorted(set(jurisdiction_of.values())), today.year)
    rolled = []
    for key, by_plan in goals.items():
        if len(by_plan) < 2:
            continue
        values = []
        for plan_id, goal in by_plan.items():
            period, value = latest.get((key, plan_id), (None, None))
            cycle = current.get(plan_id)
            note = carried_note(period, cycle.period if cycle else None) if period else ""
            values.append(rollup_rules.AreaValue(areas[plan_id], goal, value, people.get(jurisdiction_of[plan_id]), note=note))
        rolled.append(rollup_rules.roll_up(labels[key], key[1], sorted(values, key=lambda a: a.area)))
    return sorted(rolled, key=lambda t: (-len(t.areas), t.indicator))

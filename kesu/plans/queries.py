"""Read models for the pages: the division-of-labour matrix, a unit's measures, the side-by-side comparison."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from kesu.org.models import MemberUnit
from kesu.plans.models import Plan, Responsibility, Section, Target, Task

LEAD, SUPPORT = Responsibility.Role.LEAD, Responsibility.Role.SUPPORT


@dataclass
class MatrixRow:
    unit: MemberUnit
    marks: list[str]  # per section: "牵头", "配合" or ""
    lead_count: int = 0  # measures led
    support_count: int = 0  # measures supported (named explicitly)


@dataclass
class Matrix:
    sections: list[Section]
    rows: list[MatrixRow]
    all_member_phrases: list[str] = field(default_factory=list)  # e.g. 各成员单位, applied to every row


def _task_responsibilities(plan: Plan) -> list[Responsibility]:
    return list(
        Responsibility.objects.filter(section__plan=plan, task__isnull=False)
        .select_related("unit", "task", "section")
        .order_by("section__position", "task__position", "position")
    )


def division_matrix(plan: Plan) -> Matrix:
    """Units × sections with 牵头/配合 marks: the table an office prints and posts."""
    sections = list(plan.sections.order_by("position"))
    column = {s.pk: i for i, s in enumerate(sections)}
    rows: dict[int, MatrixRow] = {}
    all_sections: set[int] = set()
    phrases: list[str] = []
    for r in _task_responsibilities(plan):
        if r.unit.stands_for_all:
            all_sections.add(column[r.section_id])
            if r.unit.name not in phrases:
                phrases.append(r.unit.name)
            continue
        row = rows.setdefault(r.unit_id, MatrixRow(unit=r.unit, marks=[""] * len(sections)))
        i = column[r.section_id]
        if r.role == LEAD:
            row.lead_count += 1
            row.marks[i] = "牵头"
        else:
            row.support_count += 1
            row.marks[i] = row.marks[i] or "配合"
    for row in rows.values():
        for i in all_sections:
            row.marks[i] = row.marks[i] or "配合"
    ordered = sorted(rows.values(), key=lambda r: (-r.lead_count, -r.support_count, r.unit.name))
    return Matrix(sections=sections, rows=ordered, all_member_phrases=phrases)


@dataclass
class UnitDuties:
    leads: list[Task]
    supports: list[Task]
    through_all_members: list[Task]  # measures assigned to 各成员单位, which includes this unit


def unit_duties(plan: Plan, unit: MemberUnit) -> UnitDuties:
    duties = UnitDuties(leads=[], supports=[], through_all_members=[])
    rows = _task_responsibilities(plan)
    named = {r.task_id for r in rows if r.unit_id == unit.pk}
    seen: set[int] = set()
    for r in rows:
        if r.unit_id == unit.pk:
            (duties.leads if r.role == LEAD else duties.supports).append(r.task)
        elif r.unit.stands_for_all and not unit.stands_for_all and r.task_id not in named | seen:
            duties.through_all_members.append(r.task)
            seen.add(r.task_id)
    return duties


def plan_units(plan: Plan) -> list[tuple[MemberUnit, int, int]]:
    """Units named in a plan with their lead and support counts, busiest first."""
    counts: dict[int, Counter] = defaultdict(Counter)
    units: dict[int, MemberUnit] = {}
    for r in _task_responsibilities(plan):
        counts[r.unit_id][r.role] += 1
        units[r.unit_id] = r.unit
    return sorted(
        ((units[i], c[LEAD], c[SUPPORT]) for i, c in counts.items()),
        key=lambda item: (-item[1], -item[2], item[0].name),
    )


@dataclass
class PlanSummary:
    plan: Plan
    sections_by_group: dict[str, Section]
    task_count: int
    target_count: int
    top_leads: list[tuple[str, int]]


def summarize(plan: Plan) -> PlanSummary:
    sections = list(plan.sections.order_by("position"))
    task_count = Task.objects.filter(section__plan=plan).count()
    target_count = Target.objects.filter(task__section__plan=plan).count()
    leads = Counter(
        name
        for name in Responsibility.objects.filter(section__plan=plan, task__isnull=False, role=LEAD).values_list(
            "unit__name", flat=True
        )
    )
    return PlanSummary(
        plan=plan,
        sections_by_group={s.group: s for s in sections},
        task_count=task_count,
        target_count=target_count,
        top_leads=leads.most_common(5),
    )

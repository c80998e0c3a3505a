"""Lookups shared by the actions, figures and pages: the plan of a year, the measures a unit leads, the standard."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q, QuerySet

from kesu.funding.models import FundingStandard, FundingYear
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.plans.current import plan_in_force_of
from kesu.plans.models import Plan, Responsibility, Task


def plan_for(jurisdiction: Jurisdiction, year: int) -> Plan | None:
    """The jurisdiction's plan in force in the year (kesu.domain.current_plan.plan_in_force)."""
    return plan_in_force_of(jurisdiction, year)


def units_of(jurisdiction: Jurisdiction) -> QuerySet[MemberUnit]:
    return MemberUnit.objects.filter(jurisdiction=jurisdiction, stands_for_all=False).order_by("name")


def tasks_of(plan: Plan | None) -> QuerySet[Task]:
    if plan is None:
        return Task.objects.none()
    return Task.objects.filter(section__plan=plan).select_related("section").order_by("section__position", "position")


def led_tasks(plan: Plan | None, unit_ids: Iterable[int]) -> QuerySet[Task]:
    """The measures of the plan that these units lead (named on the measure, or on its whole section)."""
    if plan is None:
        return Task.objects.none()
    lead = Responsibility.objects.filter(section__plan=plan, role=Responsibility.Role.LEAD, unit_id__in=list(unit_ids))
    return tasks_of(plan).filter(
        Q(pk__in=lead.filter(task__isnull=False).values("task_id"))
        | Q(section_id__in=lead.filter(task__isnull=True).values("section_id"))
    ).distinct()


def leads(unit: MemberUnit, task: Task) -> bool:
    return led_tasks(task.section.plan, [unit.pk]).filter(pk=task.pk).exists()


def lead_unit_ids(plan: Plan) -> set[int]:
    return set(Responsibility.objects.filter(section__plan=plan, role=Responsibility.Role.LEAD)
               .values_list("unit_id", flat=True))


def latest_populations(jurisdiction_ids: list[int], year: int) -> dict[int, int]:
    """常住人口 of each jurisdiction in the year, or in the latest year before it that has one (the roll-up's weights)."""
    found: dict[int, int] = {}
    rows = FundingYear.objects.filter(jurisdiction_id__in=jurisdiction_ids, year__lte=year, population__isnull=False)
    for jurisdiction_id, people in rows.order_by("-year").values_list("jurisdiction_id", "population"):
        found.setdefault(jurisdiction_id, people)
    return found


def standard_for(jurisdiction: Jurisdiction, year: int) -> tuple[Decimal | None, str]:
    """The per-capita standard in force (元/人) and where it comes from: the nearest of this jurisdiction and those
    above it that set one, its latest setting up to the year."""
    chain = [*jurisdiction.ancestors(), jurisdiction]
    settings = {(s.jurisdiction_id, s.year): s for s in
                FundingStandard.objects.filter(jurisdiction__in=chain, year__lte=year).order_by("-year")}
    for area in reversed(chain):
        found = [s for (j, _), s in settings.items() if j == area.pk]
        if found:
            best = max(found, key=lambda s: s.year)
            return best.yuan_per_person, f"{area.name}设定（{best.year}年）"
    return None, ""

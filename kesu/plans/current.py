"""The current plan of each jurisdiction (kesu.domain.current_plan's rule), for dashboards, home blocks, roll-ups,
the plans list and the API: one plan per jurisdiction, never an ended one while its successor is there."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone

from kesu.domain.current_plan import PlanTerm, current_plan, plan_in_force
from kesu.org.models import Jurisdiction
from kesu.plans.models import Plan


def _term(plan: Plan) -> PlanTerm:
    return PlanTerm(plan.pk, plan.period_start, plan.period_end, plan.status == Plan.Status.PUBLISHED, plan.is_ended)


def current_of(plans: Iterable[Plan]) -> list[Plan]:
    """Of the given plans, the current one of each jurisdiction, in the order given."""
    plans = list(plans)
    year = timezone.localdate().year
    by_jurisdiction: dict[int, list[Plan]] = defaultdict(list)
    for plan in plans:
        by_jurisdiction[plan.jurisdiction_id].append(plan)
    chosen = set()
    for group in by_jurisdiction.values():
        term = current_plan((_term(p) for p in group), year)
        chosen.add(term.id)
    return [p for p in plans if p.pk in chosen]


def current_plan_of(jurisdiction: Jurisdiction | int) -> Plan | None:
    plans = current_of(Plan.objects.filter(jurisdiction=jurisdiction).select_related("jurisdiction"))
    return plans[0] if plans else None


def plan_in_force_of(jurisdiction: Jurisdiction | int, year: int) -> Plan | None:
    """The jurisdiction's plan that a year's work counts for (kesu.domain.current_plan.plan_in_force)."""
    plans = {p.pk: p for p in Plan.objects.filter(jurisdiction=jurisdiction).select_related("jurisdiction")}
    term = plan_in_force((_term(p) for p in plans.values()), year)
    return plans[term.id] if term else None

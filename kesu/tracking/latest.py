"""kesu.domain.current_cycle applied to the database: the current cycle of a plan, each (measure, lead unit)'s
latest approved report, the cycles counted in a year. Every page and the API ask here, so “latest” means one thing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import QuerySet
from django.utils import timezone

from kesu.domain import current_cycle as rule
from kesu.domain.reporting_periods import Period, PeriodType
from kesu.plans.models import Plan
from kesu.tracking.models import Report, ReportingCycle

PERIOD_FIELDS = ("cycle__period_type", "cycle__year", "cycle__number")


def period_of(period_type: str, year: int, number: int) -> Period:
    return Period(PeriodType(period_type), year, number)


def current_cycle(plan: Plan, today: dt.date | None = None) -> ReportingCycle | None:
    return rule.current_cycle(list(plan.cycles.all()), today or timezone.localdate())


def current_cycles(plan_ids: list[int], today: dt.date | None = None) -> dict[int, ReportingCycle]:
    """plan id → its current cycle, in one query."""
    by_plan: dict[int, list[ReportingCycle]] = defaultdict(list)
    for cycle in ReportingCycle.objects.filter(plan_id__in=plan_ids).order_by():
        by_plan[cycle.plan_id].append(cycle)
    today = today or timezone.localdate()
    return {plan_id: current for plan_id, cycles in by_plan.items() if (current := rule.current_cycle(cycles, today))}


def latest_approved(reports: QuerySet[Report]) -> dict[tuple[int, int], Report]:
    """(measure, lead unit) → its latest approved report among `reports` (an annual report over its quarters)."""
    approved = reports.filter(state="approved").select_related("cycle", "unit").order_by()
    return rule.latest_of(approved, key=lambda r: (r.task_id, r.unit_id), period_of=lambda r: r.cycle.period)


def latest_progress_rows(plan_ids: list[int]) -> dict[tuple[int, int, int], tuple[str, Period]]:
    """(plan, measure, lead unit) → (progress, period) of the latest approved report, from plain rows."""
    rows = Report.objects.filter(cycle__plan_id__in=plan_ids, state="approved").order_by().values_list(
        "cycle__plan_id", "task_id", "unit_id", "progress", *PERIOD_FIELDS
    )
    latest = rule.latest_of(
        ((plan, task, unit, progress, period_of(*p)) for plan, task, unit, progress, *p in rows),
        key=lambda row: row[:3], period_of=lambda row: row[4],
    )
    return {key: (row[3], row[4]) for key, row in latest.items()}


def counted_cycle_ids(cycles: list[ReportingCycle]) -> set[int]:
    """The cycles whose reports are counted (报送率, 报告数): each stretch of time once."""
    return {c.pk for c in rule.counted_cycles(cycles)}


def mark_carried(reports: list[Report], current: ReportingCycle | None) -> None:
    """Set `report.carried` (“沿用…已审核数据” or "") against the plan's current cycle, for templates."""
    for report in reports:
        report.carried = rule.carried_note(report.cycle.period, current.period if current else None)

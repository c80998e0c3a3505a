"""Decisions (议定事项) reported in cycles (kesu.tracking.cycle_items): a decision is due in a cycle while it is
open (未办结) and was decided on or before the end of the cycle's period; its lead units report. An approved
report saying 已完成 does not close the decision: the office closes it on the meetings page."""

from __future__ import annotations

from django.urls import reverse

from kesu.meetings.models import Decision
from kesu.tracking.access import SHARED_STATES
from kesu.tracking.cycle_items import DueItem, latest_reports
from kesu.tracking.models import ItemReport, ReportingCycle

SOURCE = "decision"


def _due(decision: Decision) -> DueItem:
    return DueItem(decision.pk, decision.text, tuple(u.pk for u in decision.lead_units.all()),
                   reverse("meetings-decision", args=[decision.pk]))


class DecisionItems:
    label = "议定事项"
    in_assessment = False  # decisions have their own rubric item (议定事项按期办结率)

    def due_items(self, cycle: ReportingCycle) -> list[DueItem]:
        decisions = (Decision.objects.filter(meeting__jurisdiction_id=cycle.plan.jurisdiction_id, status=Decision.Status.OPEN,
                                             meeting__held_on__lte=cycle.period.ends_on)
                     .prefetch_related("lead_units").order_by("meeting__held_on", "pk"))
        return [_due(d) for d in decisions]

    def for_task(self, task_id: int, year: int) -> list[DueItem]:
        return []

    def item_url(self, source_id: int) -> str | None:
        return reverse("meetings-decision", args=[source_id]) if Decision.objects.filter(pk=source_id).exists() else None


def latest_shared_reports(decision: Decision) -> list[ItemReport]:
    """Each lead unit's latest submitted or approved report on the decision (what its page shows)."""
    latest = latest_reports(SOURCE, [decision.pk], SHARED_STATES)
    return sorted(latest.values(), key=lambda r: r.unit.name)

"""What the import page shows before anything is stored: each staged point with its units (unknown names
listed), the proposed measure and the reason, and for a re-import the changes against the stored points."""

from __future__ import annotations

from dataclasses import dataclass

from kesu.domain import work_points as rules
from kesu.org.models import MemberUnit
from kesu.plans.actions import UnitResolver
from kesu.plans.models import Task
from kesu.workpoints.actions import pending_points, resolve_units, stored_points
from kesu.workpoints.forms import NEW
from kesu.workpoints.models import PendingWorkPoints, WorkPlan, WorkPoint


@dataclass
class PointPreview:
    point: rules.ParsedPoint
    leads: list[MemberUnit]
    supports: list[MemberUnit]
    unknown: list[str]
    proposal: rules.Proposal
    initial: str  # the choice preselected: the stored link of a revised point, else the proposal
    revises: WorkPoint | None


@dataclass
class Preview:
    points: list[PointPreview]
    changes: list[rules.PointChange]
    workplan: WorkPlan | None

    @property
    def unknown(self) -> list[str]:
        return sorted({name for p in self.points for name in p.unknown})


def build_preview(pending: PendingWorkPoints) -> Preview:
    plan = pending.plan
    workplan = WorkPlan.objects.filter(plan=plan, year=pending.year).first()
    staged = pending_points(pending)
    stored = stored_points(workplan)
    pairs = rules.pairing(stored, staged)
    by_id = {p.pk: p for p in workplan.points.all()} if workplan else {}
    tasks = Task.objects.filter(section__plan=plan).select_related("section")
    measures = [rules.Measure(t.pk, t.title, t.section.title) for t in tasks]
    resolver = UnitResolver(plan.jurisdiction)
    points = []
    for point in staged:
        leads, unknown_leads = resolve_units(resolver, point.lead)
        supports, unknown_supports = resolve_units(resolver, point.support)
        proposal = rules.propose_link(point.text, point.section, measures)
        revises = by_id.get(pairs.get(point.position, 0))
        if revises is not None:
            initial = str(revises.task_id) if revises.task_id else NEW
        else:
            initial = NEW if proposal.measure_id is None else str(proposal.measure_id)
        points.append(PointPreview(point, leads, supports, unknown_leads + unknown_supports, proposal, initial, revises))
    return Preview(points, rules.revise(stored, staged) if stored else [], workplan)

"""Roles in tracking, enforced on the server for pages, downloads and the API alike.

- office admin (科协办公室管理员) of the plan's jurisdiction: opens cycles, reviews every report, grants
  exceptions, scores; sees drafts too.
- unit reporter (成员单位填报员): only its own unit's reports (drafts included) and contributions to the
  measures its unit supports.
- leader/viewer, and office or viewer accounts of higher jurisdictions (supervisors): read-only, and only
  what was submitted — never a unit's draft or a returned report.
Who is office, supervisor or reporter is decided once, in kesu.org.access.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kesu.domain import report_workflow as workflow
from kesu.org.access import User, is_office_admin, reporter_unit_ids, roles_of, supervises
from kesu.org.models import MemberUnit
from kesu.plans.models import Plan, Responsibility
from kesu.tracking.models import CycleReport, Evidence, ItemReport, Report

SHARED_STATES = ("submitted", "approved")


def can_view_report(user: User, report: Report | ItemReport) -> bool:
    """The unit's own reporters and the office always; supervisors once it is submitted (measures' and item reports)."""
    plan = report.cycle.plan
    if report.unit_id in reporter_unit_ids(user, plan.jurisdiction) or is_office_admin(user, plan.jurisdiction):
        return True
    return report.state in SHARED_STATES and supervises(user, plan.jurisdiction)


def can_contribute(user: User, report: Report) -> MemberUnit | None:
    """The supporting unit as which the user may add a contribution to this report, if any."""
    units = reporter_unit_ids(user, report.cycle.plan.jurisdiction)
    if not units:
        return None
    supporting = Responsibility.objects.filter(task_id=report.task_id, role="support", unit_id__in=units).select_related("unit")
    row = supporting.first()
    return row.unit if row else None


def visible_reports(user: User, plan: Plan) -> QuerySet[Report]:
    reports = Report.objects.filter(cycle__plan=plan)
    if is_office_admin(user, plan.jurisdiction):
        return reports
    own = Q(unit_id__in=reporter_unit_ids(user, plan.jurisdiction))
    if supervises(user, plan.jurisdiction):
        return reports.filter(own | Q(state__in=SHARED_STATES))
    return reports.filter(own)


def visible_item_reports(user: User, plan: Plan) -> QuerySet[ItemReport]:
    """The rule of the measures' reports (visible_reports): the office all, a unit its own,
    supervisors what was submitted."""
    reports = ItemReport.objects.filter(cycle__plan=plan)
    if is_office_admin(user, plan.jurisdiction):
        return reports
    own = reports.filter(unit_id__in=reporter_unit_ids(user, plan.jurisdiction))
    if supervises(user, plan.jurisdiction):
        return own | reports.filter(state__in=SHARED_STATES)
    return own


def reports_visible_to(user: User) -> QuerySet[Report]:
    """Every report the user may open, across plans (the rule of can_view_report as one query)."""
    roles = roles_of(user)
    if roles.user_id is None:
        return Report.objects.none()
    if roles.superuser:
        return Report.objects.all()
    condition = Q(cycle__plan__jurisdiction_id__in=roles.office_ids) | Q(unit_id__in=roles.reporter_unit_ids())
    for path in roles.supervised_paths:
        condition |= Q(state__in=SHARED_STATES, cycle__plan__jurisdiction__path__startswith=path)
    return Report.objects.filter(condition)


def can_download_evidence(user: User, evidence: Evidence) -> bool:
    if evidence.report_id is not None:
        return can_view_report(user, evidence.report)
    plan = evidence.activity.plan
    return (
        evidence.unit_id in reporter_unit_ids(user, plan.jurisdiction)
        or is_office_admin(user, plan.jurisdiction)
        or supervises(user, plan.jurisdiction)
    )


def can_track_plan(user: User, plan: Plan) -> bool:
    """Takes part in the plan's tracking: its office, a supervisor, or a reporter of one of its units."""
    return is_office_admin(user, plan.jurisdiction) or supervises(user, plan.jurisdiction) or bool(reporter_unit_ids(user, plan.jurisdiction))


def can_view_assessment(user: User, plan: Plan) -> bool:
    """Sees dashboards, scores and summaries: the office and the leaders/supervisors above, not unit reporters."""
    return is_office_admin(user, plan.jurisdiction) or supervises(user, plan.jurisdiction)


def reporter_may_edit(user: User, report: CycleReport) -> bool:
    """A reporter of the report's unit may change it: its state and the cycle's window allow it, the plan is open."""
    plan = report.cycle.plan
    return (report.unit_id in reporter_unit_ids(user, plan.jurisdiction) and not plan.is_ended
            and workflow.editable_by_reporter(workflow.State(report.state), report.window()))


def office_may_review(user: User, report: CycleReport) -> bool:
    """The plan's office approves or returns a submitted report, while the plan is open."""
    plan = report.cycle.plan
    return is_office_admin(user, plan.jurisdiction) and report.state == workflow.State.SUBMITTED and not plan.is_ended

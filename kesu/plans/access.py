"""Plan-level access: published plans are visible to every signed-in user; drafts only within scope.

An ended plan (已结束, replaced by its successor) stays visible as it was, but is read-only: every write action on
it, in every app, calls ensure_plan_open() first.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from kesu.domain.refusals import Refused
from kesu.org.access import User, in_scope, is_office_admin, jurisdictions_in_scope
from kesu.plans.models import Plan

PUBLIC_STATUSES = (Plan.Status.PUBLISHED, Plan.Status.ENDED)


class PlanEnded(Refused, PermissionDenied):
    """A write on an ended plan. Also a PermissionDenied, so that a page which does not catch it answers 403 with
    this message (never 500); pages that catch Refused show it beside the form."""

    def __init__(self, plan: Plan) -> None:
        ended = f"于{plan.ended_on:%Y年%m月%d日}" if plan.ended_on else ""
        super().__init__(f"《{plan.title}》已{ended}结束，只读，不能再修改、填报或审核。请在现行方案中办理。")


def ensure_plan_open(plan: Plan) -> None:
    """Refuse any write on an ended plan (read from the database, so a plan ended meanwhile counts)."""
    if plan.is_ended or Plan.objects.filter(pk=plan.pk, status=Plan.Status.ENDED).exists():
        raise PlanEnded(plan)


def visible_plans(user: User) -> QuerySet[Plan]:
    if not user.is_authenticated:
        return Plan.objects.none()
    return Plan.objects.filter(
        Q(status__in=PUBLIC_STATUSES) | Q(jurisdiction__in=jurisdictions_in_scope(user))
    ).select_related("jurisdiction")


def can_view_plan(user: User, plan: Plan) -> bool:
    if not user.is_authenticated:
        return False
    return plan.status in PUBLIC_STATUSES or in_scope(user, plan.jurisdiction)


def can_edit_plan(user: User, plan: Plan) -> bool:
    """Corrections to the plan: its office admins, while the plan has not ended."""
    return not plan.is_ended and is_office_admin(user, plan.jurisdiction)

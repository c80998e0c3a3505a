"""Plan-level access: published plans are visible to every signed-in user; drafts only within scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kesu.org.access import User, in_scope, is_office_admin, jurisdictions_in_scope
from kesu.plans.models import Plan


def visible_plans(user: User) -> QuerySet[Plan]:
    if not user.is_authenticated:
        return Plan.objects.none()
    return Plan.objects.filter(
        Q(status=Plan.Status.PUBLISHED) | Q(jurisdiction__in=jurisdictions_in_scope(user))
    ).select_related("jurisdiction")


def can_view_plan(user: User, plan: Plan) -> bool:
    if not user.is_authenticated:
        return False
    return plan.status == Plan.Status.PUBLISHED or in_scope(user, plan.jurisdiction)


def can_edit_plan(user: User, plan: Plan) -> bool:
    return is_office_admin(user, plan.jurisdiction)

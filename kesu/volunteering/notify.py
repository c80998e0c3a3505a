"""Notices for the people handling an order: the in-app notice (站内提醒), e-mail and every extra channel in
KESU_NOTIFIERS (e.g. an SMS gateway), through the same outbox as tracking (kesu/notices/outbox.py): delivered
after commit and retried, so a failing channel never undoes or interrupts a move."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from kesu.notices import outbox
from kesu.org.models import Jurisdiction, Membership
from kesu.volunteering.models import ServiceArea, ServiceRole, Team


def notify(user_ids: Iterable[int], title: str, body: str, link: str) -> int:
    return outbox.notify(get_user_model().objects.filter(pk__in=set(user_ids), is_active=True), title, body, link)


def office_users(jurisdiction: Jurisdiction) -> list[int]:
    return list(Membership.objects.filter(jurisdiction=jurisdiction, role=Membership.Role.OFFICE_ADMIN)
                .values_list("user_id", flat=True))


def officer_users(township: ServiceArea, village: ServiceArea | None = None) -> list[int]:
    areas = [township.pk] + ([village.pk] if village is not None else [])
    return list(ServiceRole.objects.filter(kind=ServiceRole.Kind.OFFICER, area_id__in=areas).values_list("user_id", flat=True))


def claimer_users(unit_id: int | None) -> list[int]:
    if unit_id is None:
        return []
    return list(ServiceRole.objects.filter(kind=ServiceRole.Kind.CLAIMER, unit_id=unit_id).values_list("user_id", flat=True))


def team_admin_users(team_ids: Iterable[int]) -> list[int]:
    return list(ServiceRole.objects.filter(kind=ServiceRole.Kind.TEAM_ADMIN, team_id__in=list(team_ids))
                .values_list("user_id", flat=True))


def pool_teams(jurisdiction: Jurisdiction) -> list[int]:
    """Active pool teams of the order's jurisdiction or above."""
    return list(Team.objects.filter(in_pool=True, jurisdiction_id__in=jurisdiction_and_above(jurisdiction))
                .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=timezone.localdate())).values_list("pk", flat=True))


def jurisdiction_and_above(jurisdiction: Jurisdiction) -> list[int]:
    return [int(part) for part in jurisdiction.path.strip("/").split("/") if part]

"""Notices for the people handling an order: an in-app notice (站内提醒), e-mail after commit, and every extra
channel in KESU_NOTIFIERS (e.g. an SMS gateway) — the same channels tracking uses."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from kesu.org.models import Jurisdiction, Membership
from kesu.services.models import ServiceArea, ServiceRole, Team
from kesu.tracking.models import Notice


def notify(user_ids: Iterable[int], title: str, body: str, link: str) -> int:
    users = list(get_user_model().objects.filter(pk__in=set(user_ids), is_active=True))
    if not users:
        return 0
    Notice.objects.bulk_create(Notice(user=u, title=title[:200], body=body, link=link) for u in users)
    recipients = [u.email for u in users if u.email]
    notifiers = list(settings.KESU_NOTIFIERS)

    def deliver() -> None:
        if recipients:
            send_mail(title, f"{body}\n\n{settings.KESU_SITE_URL}{link}", None, recipients, fail_silently=True)
        for path in notifiers:
            notifier = import_string(path)
            for user in users:
                notifier(user=user, title=title, body=body, link=f"{settings.KESU_SITE_URL}{link}")

    transaction.on_commit(deliver)
    return len(users)


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

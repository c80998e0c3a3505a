"""Who may see and change what. Every view and export asks these functions; nothing is checked in templates only.

Rules: a user sees everything of the jurisdictions they belong to and of every jurisdiction below them
(a city sees its counties); published plans are visible to every signed-in user; only an office admin of
the plan's own jurisdiction changes it.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from kesu.org.models import Jurisdiction, Membership

User = AbstractBaseUser | AnonymousUser

# While a request is served: user id -> that user's memberships, so every check of the request shares one load.
# Opened and closed by the request_started/request_finished signals (kesu.org.apps); None outside requests
# (jobs, commands, tests calling these functions directly), where every call reads the database as before.
_request_memberships: ContextVar[dict[int, list[Membership]] | None] = ContextVar("kesu_request_memberships", default=None)


def open_request_scope(**_: object) -> None:
    _request_memberships.set({})


def close_request_scope(**_: object) -> None:
    _request_memberships.set(None)


def forget_memberships(user_id: int) -> None:
    """A membership of this user changed during the request: the next check reads them again."""
    loaded = _request_memberships.get()
    if loaded is not None:
        loaded.pop(user_id, None)


def memberships_of(user: User) -> list[Membership]:
    """The user's memberships with their jurisdictions: one query per request, shared by every access check."""
    if user.pk is None:
        return []
    loaded = _request_memberships.get()
    if loaded is not None and user.pk in loaded:
        return loaded[user.pk]
    rows = list(Membership.objects.filter(user_id=user.pk).select_related("jurisdiction"))
    if loaded is not None:
        loaded[user.pk] = rows
    return rows


def jurisdictions_in_scope(user: User) -> QuerySet[Jurisdiction]:
    """The jurisdictions a user belongs to, and everything below them."""
    if not user.is_authenticated:
        return Jurisdiction.objects.none()
    if user.is_superuser:
        return Jurisdiction.objects.all()
    paths = [m.jurisdiction.path for m in memberships_of(user)]
    if not paths:
        return Jurisdiction.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Jurisdiction.objects.filter(condition)


def home_jurisdictions(user: User) -> list[Jurisdiction]:
    """The jurisdictions a user is a member of (not those below)."""
    if user.is_superuser:
        return list(Jurisdiction.objects.filter(parent__isnull=True))
    return [m.jurisdiction for m in memberships_of(user)]


def in_scope(user: User, jurisdiction: Jurisdiction) -> bool:
    """The jurisdiction is one the user belongs to or one below them (same rule as jurisdictions_in_scope)."""
    if not user.is_authenticated or jurisdiction.pk is None:
        return False
    if user.is_superuser:
        return True
    return any(jurisdiction.path.startswith(m.jurisdiction.path) for m in memberships_of(user))


def is_office_admin(user: User, jurisdiction: Jurisdiction) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(
        m.jurisdiction_id == jurisdiction.pk and m.role == Membership.Role.OFFICE_ADMIN for m in memberships_of(user)
    )


def administered_jurisdictions(user: User) -> QuerySet[Jurisdiction]:
    if user.is_superuser:
        return Jurisdiction.objects.all()
    return Jurisdiction.objects.filter(
        memberships__user_id=user.pk, memberships__role=Membership.Role.OFFICE_ADMIN
    )

"""Who may see and change what. Every view and export asks these functions; nothing is checked in templates only.

Rules: a user sees everything of the jurisdictions they belong to and of every jurisdiction below them
(a city sees its counties); published plans are visible to every signed-in user; only an office admin of
the plan's own jurisdiction changes it.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from kesu.org.models import Jurisdiction, Membership

User = AbstractBaseUser | AnonymousUser


def _memberships(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user_id=user.pk).select_related("jurisdiction")


def jurisdictions_in_scope(user: User) -> QuerySet[Jurisdiction]:
    """The jurisdictions a user belongs to, and everything below them."""
    if not user.is_authenticated:
        return Jurisdiction.objects.none()
    if user.is_superuser:
        return Jurisdiction.objects.all()
    paths = [m.jurisdiction.path for m in _memberships(user)]
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
    return [m.jurisdiction for m in _memberships(user)]


def in_scope(user: User, jurisdiction: Jurisdiction) -> bool:
    return jurisdictions_in_scope(user).filter(pk=jurisdiction.pk).exists()


def is_office_admin(user: User, jurisdiction: Jurisdiction) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user_id=user.pk, jurisdiction=jurisdiction, role=Membership.Role.OFFICE_ADMIN
    ).exists()


def administered_jurisdictions(user: User) -> QuerySet[Jurisdiction]:
    if user.is_superuser:
        return Jurisdiction.objects.all()
    return Jurisdiction.objects.filter(
        memberships__user_id=user.pk, memberships__role=Membership.Role.OFFICE_ADMIN
    )

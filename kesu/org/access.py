"""Who may see and change what. Every view and export asks these functions; nothing is checked in templates only.

Rules: a user sees everything of the jurisdictions they belong to and of every jurisdiction below them
(a city sees its counties); published plans are visible to every signed-in user; only an office admin of
the plan's own jurisdiction changes it.

Each membership rule is defined once, on `Roles` (one user's memberships, loaded once per request):
- office admin of a jurisdiction (科协办公室管理员): `Roles.is_office_for` / `is_office_admin`;
- supervises a jurisdiction: an office or viewer account of it or of one above it (read-only below its own):
  `Roles.supervises` / `supervises`;
- administers a jurisdiction: office admin of it or of one above it: `Roles.administers` / `administers`;
- in scope: member (any role) of it or of one above it: `Roles.in_scope` / `in_scope`;
- unit reporter (成员单位填报员) of units: `Roles.reporter_unit_ids` / `reporter_unit_ids`.
Apps build on these (tracking, survey, services, the API); templates read the properties of `request.roles`
(set by `kesu.org.middleware.RolesMiddleware`) or booleans the view computed, never memberships themselves.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import cached_property

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


SUPERVISING_ROLES = (Membership.Role.OFFICE_ADMIN, Membership.Role.VIEWER)


class Roles:
    """One user's roles in the jurisdictions: memberships are read on first use (once per request)."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.user_id: int | None = user.pk if user.is_authenticated else None
        self.superuser = bool(user.is_authenticated and user.is_superuser)

    @cached_property
    def memberships(self) -> list[Membership]:
        return memberships_of(self.user) if self.user_id is not None else []

    @cached_property
    def office_ids(self) -> frozenset[int]:
        """Jurisdictions where the user is the office."""
        return frozenset(m.jurisdiction_id for m in self.memberships if m.role == Membership.Role.OFFICE_ADMIN)

    @cached_property
    def office_paths(self) -> frozenset[str]:
        return frozenset(m.jurisdiction.path for m in self.memberships if m.role == Membership.Role.OFFICE_ADMIN)

    @cached_property
    def supervised_paths(self) -> frozenset[str]:
        """Paths of the jurisdictions supervised as office or viewer (each covers everything below it)."""
        return frozenset(m.jurisdiction.path for m in self.memberships if m.role in SUPERVISING_ROLES)

    @cached_property
    def member_paths(self) -> frozenset[str]:
        return frozenset(m.jurisdiction.path for m in self.memberships)

    def is_office_for(self, jurisdiction: Jurisdiction) -> bool:
        """Office admin of this very jurisdiction (a superuser counts as every office)."""
        return self.superuser or (jurisdiction.pk is not None and jurisdiction.pk in self.office_ids)

    def administers(self, jurisdiction: Jurisdiction) -> bool:
        """Office admin of this jurisdiction or of one above it (its area)."""
        return self.superuser or any(jurisdiction.path.startswith(path) for path in self.office_paths)

    def supervises(self, jurisdiction: Jurisdiction) -> bool:
        """Office or viewer account of this jurisdiction or of one above it."""
        return self.superuser or any(jurisdiction.path.startswith(path) for path in self.supervised_paths)

    def in_scope(self, jurisdiction: Jurisdiction) -> bool:
        """Member (any role) of this jurisdiction or of one above it."""
        if self.user_id is None or jurisdiction.pk is None:
            return False
        return self.superuser or any(jurisdiction.path.startswith(path) for path in self.member_paths)

    def reporter_unit_ids(self, jurisdiction: Jurisdiction | None = None) -> set[int]:
        """The member units the user reports for (in this jurisdiction, or in any)."""
        return {
            m.unit_id for m in self.memberships
            if m.role == Membership.Role.UNIT_REPORTER and m.unit_id is not None
            and (jurisdiction is None or m.jurisdiction_id == jurisdiction.pk)
        }

    # Properties for templates (which cannot pass arguments).

    @property
    def is_any_office(self) -> bool:
        """Office admin somewhere (or superuser): office menus and settings."""
        return self.superuser or bool(self.office_ids)

    @property
    def supervises_any(self) -> bool:
        """Office or viewer somewhere (or superuser): statistics and registers of an area."""
        return self.superuser or bool(self.supervised_paths)

    @property
    def belongs_anywhere(self) -> bool:
        """Member (any role) of a jurisdiction, or superuser: has an area whose survey and plans it reads."""
        return self.superuser or bool(self.member_paths)

    @property
    def is_unit_reporter(self) -> bool:
        return bool(self.reporter_unit_ids())

    @property
    def can_open_admin_site(self) -> bool:
        """Django's /admin/ is for superusers only."""
        return self.superuser


def roles_of(user: User) -> Roles:
    return Roles(user)


def is_office_admin(user: User, jurisdiction: Jurisdiction) -> bool:
    return roles_of(user).is_office_for(jurisdiction)


def supervises(user: User, jurisdiction: Jurisdiction) -> bool:
    return roles_of(user).supervises(jurisdiction)


def administers(user: User, jurisdiction: Jurisdiction) -> bool:
    return roles_of(user).administers(jurisdiction)


def in_scope(user: User, jurisdiction: Jurisdiction) -> bool:
    """The jurisdiction is one the user belongs to or one below them (same rule as jurisdictions_in_scope)."""
    return roles_of(user).in_scope(jurisdiction)


def reporter_unit_ids(user: User, jurisdiction: Jurisdiction | None = None) -> set[int]:
    return roles_of(user).reporter_unit_ids(jurisdiction)


def jurisdictions_in_scope(user: User) -> QuerySet[Jurisdiction]:
    """The jurisdictions a user belongs to, and everything below them."""
    return _at_or_below(roles_of(user), "member_paths")


def supervised_jurisdictions(roles: Roles) -> QuerySet[Jurisdiction]:
    """The jurisdictions the user supervises (as office or viewer), and everything below them."""
    return _at_or_below(roles, "supervised_paths")


def _at_or_below(roles: Roles, paths_attribute: str) -> QuerySet[Jurisdiction]:
    if roles.user_id is None:
        return Jurisdiction.objects.none()
    if roles.superuser:
        return Jurisdiction.objects.all()
    paths = getattr(roles, paths_attribute)
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


def administered_jurisdictions(user: User) -> QuerySet[Jurisdiction]:
    """The jurisdictions where the user is the office (every one for a superuser)."""
    if user.is_superuser:
        return Jurisdiction.objects.all()
    return Jurisdiction.objects.filter(
        memberships__user_id=user.pk, memberships__role=Membership.Role.OFFICE_ADMIN
    )

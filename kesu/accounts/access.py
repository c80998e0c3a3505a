"""Who manages which accounts (rule in kesu.domain.account_rules): an office admin manages its jurisdiction and
those below it ("its area"); a superuser manages every jurisdiction. Read fresh from the database on every
call, so a POST is checked against the roles of that moment, not those of the page that was shown."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from kesu.accounts.models import Profile
from kesu.domain.account_rules import child_level, within
from kesu.org.access import forget_memberships, roles_of
from kesu.org.models import Jurisdiction, Membership

User = AbstractBaseUser | AnonymousUser


def area_paths(user: User) -> list[str]:
    """Paths of the jurisdictions the user administers ('' = everything, for a superuser): kesu.org's office rule,
    on memberships read again now (not those loaded earlier in the request)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return [""]
    forget_memberships(user.pk)
    return sorted(roles_of(user).office_paths)


def _under(paths: list[str], field: str) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def area(user: User) -> QuerySet[Jurisdiction]:
    """The jurisdictions whose accounts the user manages, in tree order."""
    paths = area_paths(user)
    return Jurisdiction.objects.filter(_under(paths, "path")).order_by("path") if paths else Jurisdiction.objects.none()


def manages_jurisdiction(user: User, jurisdiction: Jurisdiction) -> bool:
    return within(jurisdiction.path, area_paths(user))


def visible_accounts(user: User) -> QuerySet:
    """Accounts with a role in the user's area, or opened by an office in it."""
    users = get_user_model().objects.all()
    paths = area_paths(user)
    if not paths:
        return users.none()
    if paths == [""]:
        return users
    with_role = Membership.objects.filter(_under(paths, "jurisdiction__path")).values("user_id")
    opened = Profile.objects.filter(_under(paths, "jurisdiction__path")).values("user_id")
    return users.filter(Q(pk__in=with_role) | Q(pk__in=opened))


def account_paths(target: AbstractBaseUser) -> list[str]:
    paths = list(Membership.objects.filter(user_id=target.pk).values_list("jurisdiction__path", flat=True))
    opened = Profile.objects.filter(user_id=target.pk, jurisdiction__isnull=False).values_list("jurisdiction__path", flat=True)
    return paths + list(opened)


def manages_account(user: User, target: AbstractBaseUser) -> bool:
    """May the user deactivate, reset or unlock this whole account? Every role it holds must be in the user's
    area; nobody manages their own account here, and only a superuser manages a superuser or staff account."""
    if not user.is_authenticated or target.pk == user.pk:
        return False
    if user.is_superuser:
        return True
    if target.is_superuser or target.is_staff:
        return False
    paths, mine = account_paths(target), area_paths(user)
    return bool(paths) and all(within(p, mine) for p in paths)


def may_change_roles(user: User, target: AbstractBaseUser, jurisdiction: Jurisdiction) -> bool:
    """Grant or revoke a role of `target` in `jurisdiction`: in the user's area, never one's own roles."""
    if not user.is_authenticated or target.pk == user.pk:
        return False
    if target.is_superuser and not user.is_superuser:
        return False
    return manages_jurisdiction(user, jurisdiction)


def home_jurisdiction(target: AbstractBaseUser) -> Jurisdiction | None:
    """Where an account belongs: the office that opened it, else its highest role."""
    profile = Profile.objects.filter(user_id=target.pk).select_related("jurisdiction").first()
    if profile is not None and profile.jurisdiction is not None:
        return profile.jurisdiction
    membership = Membership.objects.filter(user_id=target.pk).select_related("jurisdiction").order_by("jurisdiction__path").first()
    return membership.jurisdiction if membership else None


def parents_for_new_jurisdiction(user: User) -> QuerySet[Jurisdiction]:
    """Where the user may create a jurisdiction one level down: the city/province offices it runs itself."""
    if not user.is_authenticated or not user.is_active:
        return Jurisdiction.objects.none()
    found = Jurisdiction.objects.exclude(level=Jurisdiction.Level.COUNTY).order_by("path")
    if user.is_superuser:
        return found
    return found.filter(memberships__user_id=user.pk, memberships__role=Membership.Role.OFFICE_ADMIN)


def may_create_under(user: User, parent: Jurisdiction | None) -> bool:
    if parent is None:
        return user.is_authenticated and user.is_active and user.is_superuser
    return child_level(parent.level) is not None and parents_for_new_jurisdiction(user).filter(pk=parent.pk).exists()

"""Whose API tokens a user may see and revoke: their own, and — for an office admin — those of the accounts in
its area (the jurisdictions it administers and everything below, the area rule of kesu.org.access).

An account counts as in the area only when every role it holds lies inside it, so that a county office never
reaches the tokens of a city account that also happens to hold a role in the county. Superusers see all tokens;
no office sees a superuser's.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from kesu.api.models import ApiToken
from kesu.org.access import User, administered_jurisdictions, roles_of
from kesu.org.models import Membership


def managed_accounts(user: User) -> QuerySet:
    """Accounts (other than the user) whose tokens the user may list and revoke as an office admin."""
    accounts = get_user_model().objects.exclude(pk=user.pk)
    if not user.is_authenticated:
        return accounts.none()
    if user.is_superuser:
        return accounts
    paths = list(administered_jurisdictions(user).values_list("path", flat=True))
    if not paths:
        return accounts.none()
    inside = Q()
    for path in paths:
        inside |= Q(jurisdiction__path__startswith=path)
    return (
        accounts.filter(pk__in=Membership.objects.filter(inside).values("user_id"))
        .exclude(pk__in=Membership.objects.exclude(inside).values("user_id"))
        .exclude(is_superuser=True)
    )


def is_token_manager(user: User) -> bool:
    return roles_of(user).is_any_office


def visible_tokens(user: User) -> QuerySet[ApiToken]:
    """Tokens the user may see and revoke."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(Q(user_id=user.pk) | Q(user__in=managed_accounts(user)))

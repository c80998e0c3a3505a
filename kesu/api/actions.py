"""Every write of API tokens: do_<verb>_<noun>() in one transaction that also writes the token's history row."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kesu.api.models import MAX_DAYS, ApiToken, ApiTokenEvent
from kesu.domain.refusals import Refused

Actor = AbstractBaseUser | None


class TokenRefused(Refused):
    """A token that cannot be issued; the message is a complete Chinese sentence."""


def _actor_id(actor: Actor) -> int | None:
    return actor.pk if actor is not None and actor.is_authenticated else None


@transaction.atomic
def do_create_api_token(owner, actor: Actor, *, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """Issue a token for `owner` valid for `days` days; returns it and its key, which is never stored or shown again."""
    name = (name or "").strip()
    if not name:
        raise TokenRefused("请填写令牌用途，例如对接的系统名称。")
    if len(name) > 100:
        raise TokenRefused("令牌用途不能超过 100 个字。")
    if scope not in ApiToken.Scope.values:
        raise TokenRefused("令牌权限只能是“只读”或“读写”。")
    if not 1 <= days <= MAX_DAYS:
        raise TokenRefused(f"有效期应为 1 至 {MAX_DAYS} 天。")
    if not owner.is_active:
        raise TokenRefused(f"账号“{owner.get_username()}”已停用，不能创建令牌。")
    token = ApiToken(user=owner, name=name, scope=scope, expires_at=timezone.now() + dt.timedelta(days=days))
    key = token.set_new_key()
    token.save()
    ApiTokenEvent.objects.create(
        token=token, kind=ApiTokenEvent.Kind.CREATED, actor_id=_actor_id(actor),
        detail=f"{token.get_scope_display()}，有效期至 {timezone.localtime(token.expires_at):%Y-%m-%d}",
    )
    return token, key


@transaction.atomic
def do_revoke_api_token(token: ApiToken, actor: Actor) -> bool:
    """Revoke a token at once; False (and no history row) when it was revoked already."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        return False
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    token.revoked_at = locked.revoked_at
    ApiTokenEvent.objects.create(token=locked, kind=ApiTokenEvent.Kind.REVOKED, actor_id=_actor_id(actor))
    return True

"""One function per account event; each writes an AccountEvent row, the history of accounts and roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from kesu.accounts.models import AccountEvent
from kesu.org.models import Jurisdiction, Membership

Actor = AbstractBaseUser | None
Kind = AccountEvent.Kind


def _record(kind: str, actor: Actor, target: AbstractBaseUser | None, jurisdiction: Jurisdiction | None,
            details: str = "") -> None:
    AccountEvent.objects.create(
        kind=kind, actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
        target=target, target_name=target.get_username() if target is not None else "",
        jurisdiction=jurisdiction, details=details[:500],
    )


def role_text(membership: Membership) -> str:
    unit = f"（{membership.unit.name}）" if membership.unit_id else ""
    return f"{membership.jurisdiction.name} {membership.get_role_display()}{unit}"


def account_created(actor: Actor, user: AbstractBaseUser, jurisdiction: Jurisdiction, how: str) -> None:
    _record(Kind.CREATED, actor, user, jurisdiction, f"{user.first_name}；{how}")


def account_deactivated(actor: Actor, user: AbstractBaseUser, jurisdiction: Jurisdiction | None) -> None:
    _record(Kind.DEACTIVATED, actor, user, jurisdiction)


def account_reactivated(actor: Actor, user: AbstractBaseUser, jurisdiction: Jurisdiction | None) -> None:
    _record(Kind.REACTIVATED, actor, user, jurisdiction)


def password_reset(actor: Actor, user: AbstractBaseUser, jurisdiction: Jurisdiction | None) -> None:
    _record(Kind.PASSWORD_RESET, actor, user, jurisdiction, "临时密码，首次登录须修改")


def password_changed(user: AbstractBaseUser, jurisdiction: Jurisdiction | None) -> None:
    _record(Kind.PASSWORD_CHANGED, user, user, jurisdiction)


def role_granted(actor: Actor, membership: Membership, replaced: str = "") -> None:
    details = role_text(membership) + (f"（原为：{replaced}）" if replaced else "")
    _record(Kind.ROLE_GRANTED, actor, membership.user, membership.jurisdiction, details)


def role_revoked(actor: Actor, membership: Membership) -> None:
    _record(Kind.ROLE_REVOKED, actor, membership.user, membership.jurisdiction, role_text(membership))


def locked_out(user: AbstractBaseUser, jurisdiction: Jurisdiction | None, failures: int) -> None:
    _record(Kind.LOCKED_OUT, None, user, jurisdiction, f"连续 {failures} 次密码错误")


def unlocked(actor: Actor, user: AbstractBaseUser, jurisdiction: Jurisdiction | None) -> None:
    _record(Kind.UNLOCKED, actor, user, jurisdiction)


def jurisdiction_created(actor: Actor, jurisdiction: Jurisdiction) -> None:
    parent = f"，上级：{jurisdiction.parent.name}" if jurisdiction.parent_id else ""
    _record(Kind.JURISDICTION_CREATED, actor, None, jurisdiction,
            f"{jurisdiction.name}（{jurisdiction.get_level_display()}{parent}）")

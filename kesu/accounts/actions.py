"""Every write of accounts: do_<verb>_<noun>() in one transaction with its history row. Each action checks the
actor's right itself, against the roles of that moment (PermissionDenied), and refuses what makes no sense
(AccountRefused, with the reason in Chinese)."""

from __future__ import annotations

from dataclasses import dataclass

from axes.utils import reset as reset_sign_in_failures
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from kesu.accounts import access, events
from kesu.accounts.models import AccountImport, Profile
from kesu.domain.account_rules import child_level, temporary_password
from kesu.domain.refusals import Refused
from kesu.org.models import Jurisdiction, Membership, MemberUnit

Actor = AbstractBaseUser
Role = Membership.Role


class AccountRefused(Refused):
    pass


@dataclass(frozen=True)
class NewAccount:
    user: AbstractBaseUser
    password: str  # the temporary password, to be shown once and never stored in clear
    unit: MemberUnit | None
    row: int = 0


def _locked_user(target: AbstractBaseUser) -> AbstractBaseUser:
    return get_user_model().objects.select_for_update().get(pk=target.pk)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("您不能管理该账号或该地区的账号。")


def _check_role(jurisdiction: Jurisdiction, role: str, unit: MemberUnit | None) -> None:
    if role not in Role.values:
        raise AccountRefused("未知的角色。")
    if role == Role.UNIT_REPORTER and (unit is None or unit.jurisdiction_id != jurisdiction.pk or unit.stands_for_all):
        raise AccountRefused(f"成员单位填报员须属于{jurisdiction.name}的一个成员单位。")


def _open_account(actor: Actor | None, jurisdiction: Jurisdiction, username: str, name: str, phone: str,
                  role: str, unit: MemberUnit | None, how: str) -> NewAccount:
    _check_role(jurisdiction, role, unit)
    users = get_user_model().objects
    if users.filter(username__iexact=username).exists():
        raise AccountRefused(f"账号“{username}”已被使用。")
    password = temporary_password()
    try:
        with transaction.atomic():
            user = users.create_user(username, password=password, first_name=name)
    except IntegrityError as error:  # created by someone else a moment ago
        raise AccountRefused(f"账号“{username}”已被使用。") from error
    Profile.objects.create(user=user, jurisdiction=jurisdiction, phone=phone, must_change_password=True)
    membership = Membership.objects.create(user=user, jurisdiction=jurisdiction, role=role,
                                           unit=unit if role == Role.UNIT_REPORTER else None)
    events.account_created(actor, user, jurisdiction, how)
    events.role_granted(actor, membership)
    return NewAccount(user, password, membership.unit)


@transaction.atomic
def do_create_account(actor: Actor, jurisdiction: Jurisdiction, username: str, name: str, phone: str,
                      role: str, unit: MemberUnit | None = None) -> NewAccount:
    """A new account with one role in `jurisdiction` and a temporary password it must change at first sign-in."""
    _require(access.manages_jurisdiction(actor, jurisdiction))
    return _open_account(actor, jurisdiction, username, name, phone, role, unit, "逐个新建")


@transaction.atomic
def do_import_accounts(actor: Actor, batch: AccountImport) -> list[NewAccount]:
    """Create every account of a checked .xlsx, or none. A batch is imported once: a repeated confirmation
    (double click, reload) finds it already imported and creates nothing."""
    from kesu.accounts.importing import check_batch

    batch = AccountImport.objects.select_for_update().select_related("jurisdiction").get(pk=batch.pk)
    _require(batch.uploaded_by_id == actor.pk and access.manages_jurisdiction(actor, batch.jurisdiction))
    if batch.imported_at is not None:
        raise AccountRefused(f"该文件已于 {timezone.localtime(batch.imported_at):%Y-%m-%d %H:%M} 导入，没有重复创建账号。"
                             "临时密码只显示一次；如有遗失，请在账号页面重置密码。")
    checked = check_batch(batch)
    if checked.problems:
        raise AccountRefused(f"文件有 {len(checked.problems)} 处问题，未创建任何账号。")
    created = []
    for number, data in checked.rows:
        new = _open_account(actor, batch.jurisdiction, data["username"], data["name"], data["phone"], data["role"],
                            data["unit"], f"从 Excel 导入（{batch.name} 第 {number} 行）")
        created.append(NewAccount(new.user, new.password, new.unit, number))
    batch.imported_at, batch.imported_count, batch.data = timezone.now(), len(created), b""
    batch.save(update_fields=["imported_at", "imported_count", "data"])
    return created


@transaction.atomic
def do_deactivate_account(actor: Actor, target: AbstractBaseUser) -> None:
    """The account can no longer sign in; its sessions end at their next request. History and roles stay."""
    target = _locked_user(target)
    _require(access.manages_account(actor, target))
    if not target.is_active:
        raise AccountRefused("该账号已经停用。")
    target.is_active = False
    target.save(update_fields=["is_active"])
    events.account_deactivated(actor, target, access.home_jurisdiction(target))


@transaction.atomic
def do_reactivate_account(actor: Actor, target: AbstractBaseUser) -> None:
    target = _locked_user(target)
    _require(access.manages_account(actor, target))
    if target.is_active:
        raise AccountRefused("该账号没有停用。")
    target.is_active = True
    target.save(update_fields=["is_active"])
    events.account_reactivated(actor, target, access.home_jurisdiction(target))


@transaction.atomic
def do_reset_password(actor: Actor, target: AbstractBaseUser) -> str:
    """A new temporary password (returned, to be shown once); the account must change it at its next sign-in,
    and every session it has open ends (the password hash in them no longer matches)."""
    target = _locked_user(target)
    _require(access.manages_account(actor, target))
    password = temporary_password()
    target.set_password(password)
    target.save(update_fields=["password"])
    Profile.objects.update_or_create(user=target, defaults={"must_change_password": True})
    events.password_reset(actor, target, access.home_jurisdiction(target))
    return password


@transaction.atomic
def do_unlock_account(actor: Actor, target: AbstractBaseUser) -> int:
    """Forget the account's failed sign-ins, so that it can sign in again before the cool-off ends."""
    target = _locked_user(target)
    _require(access.manages_account(actor, target))
    cleared = reset_sign_in_failures(username=target.get_username())
    if not cleared:
        raise AccountRefused("该账号没有登录失败记录，无需解锁。")
    events.unlocked(actor, target, access.home_jurisdiction(target))
    return cleared


@transaction.atomic
def do_grant_role(actor: Actor, target: AbstractBaseUser, jurisdiction: Jurisdiction, role: str,
                  unit: MemberUnit | None = None) -> Membership:
    """Give `target` a role in `jurisdiction` (one role per jurisdiction: an existing one is replaced)."""
    target = _locked_user(target)
    _require(access.may_change_roles(actor, target, jurisdiction))
    _check_role(jurisdiction, role, unit)
    unit = unit if role == Role.UNIT_REPORTER else None
    current = Membership.objects.select_related("jurisdiction", "unit").filter(user=target, jurisdiction=jurisdiction).first()
    if current is not None and current.role == role and current.unit_id == (unit.pk if unit else None):
        raise AccountRefused(f"该账号已是{events.role_text(current)}。")
    replaced = events.role_text(current) if current is not None else ""
    membership, _ = Membership.objects.update_or_create(user=target, jurisdiction=jurisdiction,
                                                        defaults={"role": role, "unit": unit})
    events.role_granted(actor, membership, replaced)
    return membership


@transaction.atomic
def do_revoke_role(actor: Actor, membership: Membership) -> None:
    membership = (Membership.objects.select_for_update(of=("self",)).select_related("user", "jurisdiction", "unit")
                  .get(pk=membership.pk))
    _require(access.may_change_roles(actor, membership.user, membership.jurisdiction))
    events.role_revoked(actor, membership)
    membership.delete()


@transaction.atomic
def do_change_password(user: AbstractBaseUser, new_password: str) -> None:
    """The user's own new password (already checked by the validators); ends the must-change state."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    Profile.objects.update_or_create(user=user, defaults={"must_change_password": False,
                                                          "password_changed_at": timezone.now()})
    events.password_changed(user, access.home_jurisdiction(user))


@dataclass(frozen=True)
class NewJurisdiction:
    jurisdiction: Jurisdiction
    admin: NewAccount


@transaction.atomic
def do_create_jurisdiction(actor: Actor, parent: Jurisdiction | None, name: str, admin_username: str,
                           admin_name: str, admin_phone: str) -> NewJurisdiction:
    """A jurisdiction one level below `parent` (a province without parent, superusers only) and its first office
    admin, who gets a temporary password."""
    _require(access.may_create_under(actor, parent))
    level = child_level(parent.level) if parent is not None else Jurisdiction.Level.PROVINCE
    if Jurisdiction.objects.filter(name=name).exists():
        raise AccountRefused(f"已有名为“{name}”的地区。")
    try:
        with transaction.atomic():
            jurisdiction = Jurisdiction.objects.create(name=name, level=level, parent=parent)
    except IntegrityError as error:
        raise AccountRefused(f"已有名为“{name}”的地区。") from error
    events.jurisdiction_created(actor, jurisdiction)
    admin = _open_account(actor, jurisdiction, admin_username, admin_name, admin_phone, Role.OFFICE_ADMIN, None,
                          f"新建{jurisdiction.name}时开设的首个管理员")
    return NewJurisdiction(jurisdiction, admin)

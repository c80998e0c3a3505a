"""Accounts beyond Django's User: a profile (name, phone, home jurisdiction, must-change-password flag), the
history of every account change, and .xlsx batches of new accounts waiting for confirmation.

Roles themselves stay in kesu.org (Membership)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kesu.infra.uploads import StagedUpload
from kesu.org.models import Jurisdiction
from kesu.volunteering.crypto import EncryptedTextField, mask_phone


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kesu_profile")
    # The jurisdiction whose office opened the account: it stays in that office's list even without a role.
    jurisdiction = models.ForeignKey(Jurisdiction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    phone = EncryptedTextField("手机", blank=True, default="")
    must_change_password = models.BooleanField("须修改密码", default=False)
    password_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "账号资料"
        verbose_name_plural = "账号资料"

    def __str__(self) -> str:
        return str(self.user)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class AccountEvent(models.Model):
    """One change to an account or its roles, or a new jurisdiction: the history the account pages show."""

    class Kind(models.TextChoices):
        CREATED = "created", "新建账号"
        DEACTIVATED = "deactivated", "停用账号"
        REACTIVATED = "reactivated", "启用账号"
        PASSWORD_RESET = "password_reset", "重置密码"
        PASSWORD_CHANGED = "password_changed", "修改密码"
        ROLE_GRANTED = "role_granted", "授予角色"
        ROLE_REVOKED = "role_revoked", "撤销角色"
        LOCKED_OUT = "locked_out", "登录失败过多被锁定"
        UNLOCKED = "unlocked", "解除锁定"
        JURISDICTION_CREATED = "jurisdiction_created", "新建地区"

    kind = models.CharField("操作", max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_name = models.CharField("账号", max_length=150, blank=True)
    jurisdiction = models.ForeignKey(Jurisdiction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    details = models.CharField("说明", max_length=500, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "账号操作记录"
        verbose_name_plural = "账号操作记录"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target_name}"


class AccountImport(StagedUpload):
    """An uploaded .xlsx of new accounts: checked, shown, and created only when the office confirms (once)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "账号导入批次"
        verbose_name_plural = "账号导入批次"

"""API tokens: a long random key shown once; only its SHA-256 hash is stored, with a short prefix for display.

Each token has a scope (read-only tokens may only GET) and an expiry date; every issue and revocation writes an
ApiTokenEvent, the tokens' history."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

KEY_PREFIX = "kesu_"
DISPLAY_LENGTH = len(KEY_PREFIX) + 8
# last_used_at is a hint for the admin, not an audit log: write it at most once a minute per token.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
DEFAULT_DAYS = 365
MAX_DAYS = 3 * 365


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        """Not revoked, of an active account; expiry is judged by the caller (an expired key gets its own answer)."""
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def authenticate(self, key: str) -> ApiToken | None:
        """The active token whose key this is (perhaps expired: see `is_expired`), or None. Marks it used."""
        if not key or not key.startswith(KEY_PREFIX) or len(key) > 200:
            return None
        token = self.active().select_related("user").filter(key_hash=hash_key(key)).first()
        if token is not None and not token.is_expired:
            token.touch()
        return token


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "只读"
        READ_WRITE = "read_write", "读写"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100, help_text="例如：对接的系统名称")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField("令牌前缀", max_length=DISPLAY_LENGTH, editable=False)
    scope = models.CharField("权限", max_length=10, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("到期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def read_only(self) -> bool:
        return self.scope == self.Scope.READ

    @property
    def status_label(self) -> str:
        if self.revoked_at is not None:
            return "已吊销"
        return "已过期" if self.is_expired else "有效"

    def set_new_key(self) -> str:
        """Give the token a fresh key and return it; the key itself is never stored."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        self.key_hash = hash_key(key)
        self.prefix = key[:DISPLAY_LENGTH]
        return key

    def touch(self) -> None:
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= LAST_USED_RESOLUTION:
            self.last_used_at = now
            type(self).objects.filter(pk=self.pk).update(last_used_at=now)


class ApiTokenEvent(models.Model):
    """One issue or revocation of a token: who did it, when."""

    class Kind(models.TextChoices):
        CREATED = "created", "创建令牌"
        REVOKED = "revoked", "吊销令牌"

    token = models.ForeignKey(ApiToken, verbose_name="令牌", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("操作", max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    detail = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "令牌记录"
        verbose_name_plural = "令牌记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.token}"

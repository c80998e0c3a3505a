"""API tokens: a long random key shown once; only its SHA-256 hash is stored, with a short prefix for display."""

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


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def authenticate(self, key: str) -> ApiToken | None:
        """The active token whose key this is, or None. Marks it used."""
        if not key or not key.startswith(KEY_PREFIX) or len(key) > 200:
            return None
        token = self.active().select_related("user").filter(key_hash=hash_key(key)).first()
        if token is not None:
            token.touch()
        return token


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100, help_text="例如：对接的系统名称")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField("令牌前缀", max_length=DISPLAY_LENGTH, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
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
        return self.revoked_at is None

    def set_new_key(self) -> str:
        """Give the token a fresh key and return it; the key itself is never stored."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        self.key_hash = hash_key(key)
        self.prefix = key[:DISPLAY_LENGTH]
        return key

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        token = cls(user=user, name=name)
        key = token.set_new_key()
        token.save()
        return token, key

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            type(self).objects.filter(pk=self.pk, revoked_at__isnull=True).update(revoked_at=self.revoked_at)

    def touch(self) -> None:
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= LAST_USED_RESOLUTION:
            self.last_used_at = now
            type(self).objects.filter(pk=self.pk).update(last_used_at=now)

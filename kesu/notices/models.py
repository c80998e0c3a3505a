"""The outbox: one row per delivery of a notice through an external channel, written in the transaction of the
action that caused it, sent after commit and retried with backoff (kesu/notices/outbox.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="收件人", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField("渠道", max_length=200)  # "email", or the dotted path of a KESU_NOTIFIERS channel
    address = models.CharField("邮箱", max_length=254, blank=True)  # the e-mail address when the notice was written
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=500, blank=True)  # absolute (KESU_SITE_URL + path)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", default=timezone.now)
    last_error = models.TextField("最近一次错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "待发送通知"
        verbose_name_plural = "待发送通知"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"


class Notice(models.Model):
    """An in-app notice (站内提醒) for one user. Its table keeps the name it had when it lived in tracking."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    created_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "tracking_notice"
        verbose_name = "站内提醒"
        verbose_name_plural = "站内提醒"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="tracking_no_user_id_e3dec2_idx")]

    def __str__(self) -> str:
        return self.title

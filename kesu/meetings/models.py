"""Leading-group meetings (领导小组会议), their decisions (议定事项) and the history of both."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone

from kesu.infra.uploads import StoredFile
from kesu.org.models import Jurisdiction, MemberUnit


class Meeting(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", "领导小组全体会议"
        JOINT = "joint", "联席会议"
        LIAISON = "liaison", "联络员会议"
        TOPIC = "topic", "专题会"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField("会议类型", max_length=20, choices=Kind.choices)
    title = models.CharField("会议名称", max_length=200)
    held_on = models.DateField("会议日期")
    chair = models.CharField("主持人", max_length=100)
    place = models.CharField("地点", max_length=200, blank=True)
    attending_units = models.ManyToManyField(MemberUnit, blank=True, related_name="+", verbose_name="出席单位")
    attendees = models.TextField("出席人员", blank=True, help_text="每行一人，如：张三（县科协主席）")
    agenda = models.TextField("会议议程", blank=True)
    minutes = models.ForeignKey("MinutesFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "领导小组会议"
        verbose_name_plural = "领导小组会议"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    @property
    def attendee_lines(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


def minutes_path(instance: MinutesFile, filename: str) -> str:
    return f"meetings/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class MinutesFile(StoredFile):
    """The uploaded minutes (会议记录/纪要) of a meeting, served only through an access-checked view."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_files")
    file = models.FileField(upload_to=minutes_path)


class Decision(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "未办结"
        DONE = "done", "已办结"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField("议定事项")
    lead_units = models.ManyToManyField(MemberUnit, related_name="+", verbose_name="牵头单位")
    support_units = models.ManyToManyField(MemberUnit, blank=True, related_name="+", verbose_name="配合单位")
    due_on = models.DateField("办结时限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField("办结日期", null=True, blank=True)
    note = models.TextField("办理情况", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "议定事项"
        verbose_name_plural = "议定事项"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text[:50]


class MeetingEvent(models.Model):
    """One change to a meeting or a decision: who, when, what (field, old and new value)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, null=True, on_delete=models.SET_NULL, related_name="events")
    decision = models.ForeignKey(Decision, null=True, on_delete=models.SET_NULL, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=30)
    subject = models.CharField(max_length=300, blank=True)
    field = models.CharField(max_length=50, blank=True)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"

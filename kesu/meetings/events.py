"""History rows of meetings and decisions (MeetingEvent), one function per kind of change."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from kesu.meetings.models import Decision, Meeting, MeetingEvent

Actor = AbstractBaseUser | None


class EventKind(models.TextChoices):
    MEETING_RECORDED = "meeting_recorded", "登记会议"
    MEETING_CHANGED = "meeting_changed", "修改会议"
    MINUTES_UPLOADED = "minutes_uploaded", "上传会议记录"
    DECISION_ADDED = "decision_added", "新增议定事项"
    DECISION_CHANGED = "decision_changed", "修改议定事项"
    DECISION_COMPLETED = "decision_completed", "议定事项办结"
    DECISION_REOPENED = "decision_reopened", "议定事项重新打开"


def label_of(kind: str) -> str:
    try:
        return EventKind(kind).label
    except ValueError:
        return kind


def record(meeting: Meeting, actor: Actor, kind: EventKind, *, decision: Decision | None = None,
           field: str = "", old: object = "", new: object = "") -> None:
    subject = decision.text[:100] if decision is not None else str(meeting)
    MeetingEvent.objects.create(
        jurisdiction_id=meeting.jurisdiction_id, meeting=meeting, decision=decision,
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None, kind=kind,
        subject=subject[:300], field=field, old="" if old is None else str(old), new="" if new is None else str(new),
    )

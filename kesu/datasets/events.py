"""History rows of statistics rounds (DataEvent), one kind per change."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from kesu.datasets.models import DataEvent, Round, Submission
from kesu.org.models import Jurisdiction

Actor = AbstractBaseUser | None


class EventKind(models.TextChoices):
    ROUND_OPENED = "round_opened", "开启统计"
    ASSIGNED = "assigned", "指定填报对象"
    UNASSIGNED = "unassigned", "移除填报对象"
    SAVED = "saved", "保存填报"
    SUBMITTED = "submitted", "提交"
    RETURNED = "returned", "退回"
    APPROVED = "approved", "审核通过"
    REMINDED = "reminded", "催报提醒"
    SCHOOLS_IMPORTED = "schools_imported", "导入学校名单"
    BINDING_SET = "binding_set", "设置目标取数"
    BINDING_REMOVED = "binding_removed", "解除目标取数"


def label_of(kind: str) -> str:
    try:
        return EventKind(kind).label
    except ValueError:
        return kind


def record(jurisdiction: Jurisdiction, actor: Actor, kind: EventKind, *, round: Round | None = None,
           submission: Submission | None = None, subject: str = "", field: str = "", old: object = "",
           new: object = "") -> None:
    DataEvent.objects.create(
        jurisdiction=jurisdiction, round=round or (submission.round if submission else None), submission=submission,
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None, kind=kind,
        subject=(subject or (submission.name if submission else str(round or "")))[:300], field=field[:100],
        old="" if old is None else str(old), new="" if new is None else str(new),
    )

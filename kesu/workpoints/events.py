"""History rows of the yearly work points (WorkPointEvent), one function per kind of change."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from kesu.plans import data_version
from kesu.workpoints.models import WorkPlan, WorkPoint, WorkPointEvent

Actor = AbstractBaseUser | None


class EventKind(models.TextChoices):
    IMPORTED = "imported", "导入工作要点"
    REVISED = "revised", "按修订稿更新"
    POINT_ADDED = "point_added", "新增工作要点"
    POINT_CHANGED = "point_changed", "修改工作要点"
    POINT_REMOVED = "point_removed", "删除工作要点"


def label_of(kind: str) -> str:
    try:
        return EventKind(kind).label
    except ValueError:
        return kind


def record(workplan: WorkPlan, actor: Actor, kind: EventKind, *, point: WorkPoint | None = None, subject: str = "",
           field: str = "", old: object = "", new: object = "") -> None:
    WorkPointEvent.objects.create(
        plan_id=workplan.plan_id, year=workplan.year, point=point, kind=kind,
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
        subject=(subject or (point.text if point else f"{workplan.year}年工作要点"))[:300], field=field,
        old="" if old is None else str(old), new="" if new is None else str(new),
    )
    data_version.bump(workplan.plan_id)  # cached pages of the plan (cycle lists) show the change

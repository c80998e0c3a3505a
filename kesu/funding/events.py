"""History rows of funding (FundingEvent), one kind per change."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from kesu.funding.models import FundingEvent
from kesu.org.models import Jurisdiction

Actor = AbstractBaseUser | None


class EventKind(models.TextChoices):
    YEAR_SAVED = "year_saved", "修改年度经费"
    STANDARD_SET = "standard_set", "设定人均经费标准"
    LINE_ADDED = "line_added", "新增分配项目"
    LINE_CHANGED = "line_changed", "修改分配项目"
    LINE_REMOVED = "line_removed", "删除分配项目"
    LINES_IMPORTED = "lines_imported", "导入分配表"
    SPENDING_RECORDED = "spending_recorded", "登记支出"
    SPENDING_CHANGED = "spending_changed", "修改支出"
    SPENDING_REMOVED = "spending_removed", "删除支出"
    UNIT_FUNDING_SAVED = "unit_funding_saved", "填报单位经费"


def label_of(kind: str) -> str:
    try:
        return EventKind(kind).label
    except ValueError:
        return kind


def record(jurisdiction: Jurisdiction, year: int, actor: Actor, kind: EventKind, *, subject: str = "",
           field: str = "", old: object = "", new: object = "") -> None:
    FundingEvent.objects.create(
        jurisdiction=jurisdiction, year=year, actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
        kind=kind, subject=subject[:300], field=field[:80], old="" if old is None else str(old),
        new="" if new is None else str(new),
    )

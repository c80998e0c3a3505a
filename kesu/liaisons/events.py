"""History rows of the liaison roster (LiaisonEvent), one kind per change; shown on the 变更记录 page."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from kesu.liaisons.models import LiaisonEvent
from kesu.org.models import Jurisdiction, MemberUnit

Actor = AbstractBaseUser | None


class Kind(models.TextChoices):
    LIAISON_SET = "liaison_set", "任命/更换"
    LIAISON_ENDED = "liaison_ended", "离任"
    MOBILE_REVEALED = "mobile_revealed", "查看完整手机号"
    CONTACTS_EXPORTED = "contacts_exported", "导出通讯录（含完整号码）"
    TRAINING_RECORDED = "training_recorded", "登记培训"


def label_of(kind: str) -> str:
    try:
        return Kind(kind).label
    except ValueError:
        return kind


def record(kind: Kind, actor: Actor, jurisdiction: Jurisdiction, subject: str, detail: str = "",
           unit: MemberUnit | None = None) -> LiaisonEvent:
    return LiaisonEvent.objects.create(
        jurisdiction=jurisdiction, unit=unit, kind=kind, subject=subject[:300], detail=detail,
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
    )

"""History rows of campaigns (CampaignEvent), one kind per change."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from kesu.campaigns.models import Campaign, CampaignEvent

Actor = AbstractBaseUser | None


class EventKind(models.TextChoices):
    OPENED = "opened", "开启主题活动"
    CASCADED = "cascaded", "由上级下发"
    CHANGED = "changed", "修改主题活动"
    ACTIVITY_REGISTERED = "activity_registered", "登记活动"
    ACTIVITY_CHANGED = "activity_changed", "修改活动"
    ACTIVITY_WITHDRAWN = "activity_withdrawn", "撤回活动"
    URGED = "urged", "催报"


def label_of(kind: str) -> str:
    try:
        return EventKind(kind).label
    except ValueError:
        return kind


def record(campaign: Campaign, actor: Actor, kind: EventKind, *, subject: str = "", field: str = "",
           old: object = "", new: object = "") -> None:
    CampaignEvent.objects.create(
        jurisdiction_id=campaign.jurisdiction_id, campaign=campaign,
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None, kind=kind,
        subject=(subject or str(campaign))[:300], field=field, old="" if old is None else str(old),
        new="" if new is None else str(new),
    )

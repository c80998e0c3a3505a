"""History of the service's set-up and registries: each write records one ServiceEvent row (who, where, what,
old and new values as JSON); `describe` says in words what changed, for the page 操作记录."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from kesu.org.models import Jurisdiction
from kesu.volunteering.models import (
    BaseReview,
    ScienceBase,
    ServiceEvent,
    ServiceSettings,
    Team,
    TeamMembership,
    Volunteer,
)

Actor = AbstractBaseUser | None
Kind = ServiceEvent.Kind

SNAPSHOT_MODELS: dict[str, type[models.Model]] = {
    Kind.LIMITS_CHANGED: ServiceSettings, Kind.TEAM_SAVED: Team, Kind.VOLUNTEER_SAVED: Volunteer,
    Kind.BASE_SAVED: ScienceBase,
}
NOT_BOUND = "按进展报告填报"


def record(kind: Kind, actor: Actor, jurisdiction: Jurisdiction, subject: str, *, old: object = None,
           new: object = None, **details: object) -> ServiceEvent:
    """One history row; old/new are JSON values (a dict of field → value for a saved record, text otherwise)."""
    payload = {"old": old, "new": new} | details
    return ServiceEvent.objects.create(
        kind=kind, actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
        jurisdiction=jurisdiction, subject=subject[:300], details=payload,
    )


def _shown(value: object, choices: dict | None = None) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


def _field_changes(model: type[models.Model], old: dict, new: dict) -> list[str]:
    changes = []
    for name, value in new.items():
        if old.get(name) == value:
            continue
        field = model._meta.get_field(name)
        choices = dict(field.choices) if field.choices else None
        changes.append(f"{field.verbose_name}：{_shown(old.get(name), choices)} → {_shown(value, choices)}")
    return changes


def describe(event: ServiceEvent) -> str:
    """What changed, in words (never the ID or phone numbers: the history only says that they changed)."""
    details = event.details or {}
    old, new = details.get("old"), details.get("new")
    kind = event.kind
    if kind in SNAPSHOT_MODELS:
        if old is None and kind != Kind.LIMITS_CHANGED:
            return "新建"
        changes = _field_changes(SNAPSHOT_MODELS[kind], old or {}, new or {})
        if details.get("personal_changed"):
            changes.append(f"{'、'.join(details['personal_changed'])}已修改（内容不记入记录）")
        if kind == Kind.LIMITS_CHANGED and details.get("inherited"):
            changes.append("此前沿用上级或默认时限")
        return "；".join(changes) or "内容未变"
    if kind in (Kind.TOPIC_TOGGLED, Kind.AREA_TOGGLED):
        return "启用" if new else "停用"
    if kind == Kind.TOPIC_ADDED:
        return f"说明：{new}" if new else ""
    if kind == Kind.AREA_SAVED:
        parts = ["新建乡镇/街道"] if details.get("township_created") else []
        return "；".join(parts + ([f"新增村/社区：{'、'.join(new)}"] if new else []))
    if kind in (Kind.MEMBERSHIP_REQUESTED, Kind.MEMBERSHIP_DECIDED):
        labels = dict(TeamMembership.Status.choices)
        return f"{_shown(old, labels)} → {_shown(new, labels)}" if old else _shown(new, labels)
    if kind == Kind.BASE_REVIEWED:
        labels = dict(BaseReview.Outcome.choices)
        text = f"{_shown(old, labels)} → {_shown(new, labels)}" if old else _shown(new, labels)
        return f"{text}（{details['note']}）" if details.get("note") else text
    if kind in (Kind.TARGET_BOUND, Kind.TARGET_UNBOUND):
        return f"{old['rule'] if old else NOT_BOUND} → {new['rule'] if new else NOT_BOUND}"
    if kind == Kind.HOURS_RECORDED:
        hours = f"{new:g} 小时" if isinstance(new, (int, float)) else ""
        return f"{old:g} 小时 → {hours}" if isinstance(old, (int, float)) else hours
    if kind == Kind.CONTACTS_EXPORTED:
        return f"导出 {new} 人的完整身份证号、手机号（号码不记入记录）"
    if kind == Kind.IMPORT_UPLOADED:
        return f"{new}，待确认"
    if kind == Kind.IMPORT_CONFIRMED:
        skipped = details.get("skipped") or []
        return f"导入 {new} 条" + (f"，跳过第 {'、'.join(map(str, skipped))} 行" if skipped else "")
    return ""  # roles: the subject names the account, the role and its area, unit or team

"""Writes of the office's set-up of the service: time limits, topics, areas, service roles, science education
bases and plan targets bound to live counts. Each is one transaction that also records a ServiceEvent (who,
when, what, old and new values); views only parse, check access, call one of these and render."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from kesu.domain.refusals import Refused
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.plans.access import ensure_plan_open
from kesu.plans.models import Target
from kesu.volunteering import events
from kesu.volunteering.actions import limits_for
from kesu.volunteering.binding import KINDS, rule_text
from kesu.volunteering.models import (
    ScienceBase,
    ServiceArea,
    ServiceRole,
    ServiceSettings,
    TargetBinding,
    Team,
    Topic,
)

Actor = AbstractBaseUser | None
Kind = events.Kind

LIMIT_FIELDS = ("review_hours", "claim_hours", "assign_hours", "accept_hours", "serve_hours", "confirm_hours")
BASE_FIELDS = ("name", "level", "host", "kind", "opening", "area", "address", "designated_year", "note")
ROLE_OBJECT = {ServiceRole.Kind.OFFICER: "area", ServiceRole.Kind.CLAIMER: "unit", ServiceRole.Kind.TEAM_ADMIN: "team"}


class SetupRefused(Refused):
    """The change is not possible; the message says why, in words the office understands."""


# ---------------------------------------------------------------------------- time limits, topics, areas


@transaction.atomic
def do_save_time_limits(jurisdiction: Jurisdiction, actor: Actor, hours: dict[str, int]) -> ServiceSettings:
    """The office's own time limits (hours per step); the history keeps the limits in force before and after."""
    current = ServiceSettings.objects.select_for_update().filter(jurisdiction=jurisdiction).first()
    old = {f"{step.value}_hours": value for step, value in limits_for(jurisdiction).items()}
    saved = current or ServiceSettings(jurisdiction=jurisdiction)
    for name in LIMIT_FIELDS:
        setattr(saved, name, hours[name])
    saved.updated_by = actor
    saved.save()
    new = {name: getattr(saved, name) for name in LIMIT_FIELDS}
    changed = {name: [old[name], new[name]] for name in LIMIT_FIELDS if old[name] != new[name]}
    events.record(Kind.LIMITS_CHANGED, actor, jurisdiction, f"{jurisdiction.name}服务时限", old=old, new=new,
                  changed=changed, inherited=current is None)
    return saved


@transaction.atomic
def do_add_topic(jurisdiction: Jurisdiction, actor: Actor, name: str, description: str = "") -> tuple[Topic, bool]:
    """A new topic at the end of the list; (topic, False) when one of that name exists (nothing written)."""
    topic, created = Topic.objects.get_or_create(
        jurisdiction=jurisdiction, name=name.strip(),
        defaults={"description": description, "position": Topic.objects.filter(jurisdiction=jurisdiction).count()})
    if created:
        events.record(Kind.TOPIC_ADDED, actor, jurisdiction, topic.name, new=description)
    return topic, created


@transaction.atomic
def do_toggle_topic(topic: Topic, actor: Actor) -> Topic:
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    topic.active = not topic.active
    topic.save(update_fields=["active"])
    events.record(Kind.TOPIC_TOGGLED, actor, topic.jurisdiction, topic.name, old=not topic.active, new=topic.active)
    return topic


@transaction.atomic
def do_save_areas(jurisdiction: Jurisdiction, actor: Actor, township_name: str, villages: str) -> ServiceArea:
    """A township (created if new) and the villages named (those already there are kept as they are)."""
    township, created = ServiceArea.objects.get_or_create(
        jurisdiction=jurisdiction, parent=None, name=township_name.strip(),
        defaults={"kind": ServiceArea.Kind.TOWNSHIP,
                  "position": ServiceArea.objects.filter(jurisdiction=jurisdiction, parent=None).count()})
    names = [n.strip() for n in villages.replace("，", "、").replace(",", "、").split("、") if n.strip()]
    added = []
    for position, name in enumerate(names):
        _, new = ServiceArea.objects.get_or_create(jurisdiction=jurisdiction, parent=township, name=name,
                                                   defaults={"kind": ServiceArea.Kind.VILLAGE, "position": position})
        if new:
            added.append(name)
    if created or added:
        events.record(Kind.AREA_SAVED, actor, jurisdiction, township.name, new=added, township_created=created)
    return township


@transaction.atomic
def do_toggle_area(area: ServiceArea, actor: Actor) -> ServiceArea:
    area = ServiceArea.objects.select_for_update(of=("self",)).select_related("parent").get(pk=area.pk)
    area.active = not area.active
    area.save(update_fields=["active"])
    events.record(Kind.AREA_TOGGLED, actor, area.jurisdiction, str(area), old=not area.active, new=area.active)
    return area


# ---------------------------------------------------------------------------- service roles


def role_jurisdiction_id(role: ServiceRole) -> int:
    return (role.area or role.unit or role.team).jurisdiction_id


def _role_text(role: ServiceRole) -> str:
    return f"{role.user.get_username()} · {role.get_kind_display()} · {role.area or role.unit or role.team}"


@transaction.atomic
def do_grant_role(actor: Actor, user: AbstractBaseUser, kind: str,
                  held: ServiceArea | MemberUnit | Team) -> ServiceRole:
    """A service role on an area (officer), a member unit (claimer) or a team (team admin)."""
    role = ServiceRole(user=user, kind=kind, granted_by=actor, **{ROLE_OBJECT[ServiceRole.Kind(kind)]: held})
    try:
        with transaction.atomic():
            role.save()
    except IntegrityError as error:
        raise SetupRefused("该账号已有这个角色") from error
    events.record(Kind.ROLE_GRANTED, actor, held.jurisdiction, _role_text(role), new=_role_text(role),
                  user=user.get_username(), role=kind)
    return role


@transaction.atomic
def do_revoke_role(role: ServiceRole, actor: Actor) -> None:
    role = ServiceRole.objects.select_for_update(of=("self",)).select_related("user", "area__parent", "unit", "team") \
        .get(pk=role.pk)
    text = _role_text(role)
    jurisdiction = (role.area or role.unit or role.team).jurisdiction
    role.delete()
    events.record(Kind.ROLE_REVOKED, actor, jurisdiction, text, old=text, user=role.user.get_username(), role=role.kind)


# ---------------------------------------------------------------------------- science education bases


@transaction.atomic
def do_save_base(jurisdiction: Jurisdiction, actor: Actor, data: dict, base: ScienceBase | None = None) -> ScienceBase:
    """Create or correct a base; one name per level in a jurisdiction."""
    if ScienceBase.objects.filter(jurisdiction=jurisdiction, name=data["name"], level=data["level"]) \
            .exclude(pk=base.pk if base else None).exists():
        raise SetupRefused("同一等级已有同名基地")
    if base is not None:
        base = ScienceBase.objects.select_for_update().get(pk=base.pk)
    old = {name: _plain(getattr(base, name)) for name in BASE_FIELDS} if base else None
    base = base or ScienceBase(jurisdiction=jurisdiction)
    for name in BASE_FIELDS:
        setattr(base, name, data[name])
    base.save()
    new = {name: _plain(getattr(base, name)) for name in BASE_FIELDS}
    events.record(Kind.BASE_SAVED, actor, jurisdiction, base.name, old=old, new=new)
    return base


def _plain(value: object) -> object:
    """A JSON value for the history: model instances by their name, everything else as it is or as text."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


# ---------------------------------------------------------------------------- plan targets bound to live counts


def _binding_state(binding: TargetBinding | None) -> dict | None:
    if binding is None:
        return None
    return {"kind": binding.kind, "levels": binding.levels, "activity_kinds": binding.activity_kinds,
            "audiences": binding.audiences, "rule": rule_text(binding)}


def _locked_target(target: Target) -> tuple[Target, TargetBinding | None]:
    target = Target.objects.select_for_update(of=("self",)).select_related("task__section__plan__jurisdiction") \
        .get(pk=target.pk)
    ensure_plan_open(target.task.section.plan)  # binding or unbinding a target of an ended plan is refused
    return target, TargetBinding.objects.filter(target=target).first()


@transaction.atomic
def do_bind_target(target: Target, actor: Actor, kind: str, levels: list[str], activity_kinds: list[str],
                   audiences: list[str] = ()) -> TargetBinding:
    """The target's current value becomes a live count of the kind given (with its filters; `audiences` keeps only
    activities for those groups and, for participants, only those groups' participants)."""
    if kind not in KINDS:
        raise SetupRefused("请选择统计口径")
    target, before = _locked_target(target)
    binding, _ = TargetBinding.objects.update_or_create(target=target, defaults={
        "kind": kind, "levels": levels, "activity_kinds": activity_kinds, "audiences": list(audiences), "created_by": actor})
    events.record(Kind.TARGET_BOUND, actor, target.task.section.plan.jurisdiction, target.indicator,
                  old=_binding_state(before), new=_binding_state(binding), target=target.pk)
    return binding


@transaction.atomic
def do_unbind_target(target: Target, actor: Actor) -> None:
    """Back to values reported in progress reports; nothing written when the target was not bound."""
    target, before = _locked_target(target)
    if before is None:
        return
    before_state = _binding_state(before)
    before.delete()
    events.record(Kind.TARGET_UNBOUND, actor, target.task.section.plan.jurisdiction, target.indicator,
                  old=before_state, new=None, target=target.pk)

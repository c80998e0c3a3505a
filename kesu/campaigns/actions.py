"""Every write about campaigns: do_<verb>_<noun>() in one transaction with its history row. Edits carry the version
the editor saw; a change made meanwhile by someone else is refused (StaleCampaign), never silently overwritten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from kesu.campaigns import events
from kesu.campaigns.events import EventKind
from kesu.campaigns.models import Campaign, CampaignActivity
from kesu.domain.campaign_rules import check_window, idle
from kesu.domain.refusals import Refused
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.org.unit_recipients import extra_recipients
from kesu.plans.current import plan_in_force_of
from kesu.plans.models import Plan
from kesu.tracking.actions import do_record_activity
from kesu.volunteering.models import ScienceBase, ServiceArea
from kesu.volunteering.notify import notify, office_users, officer_users

Actor = AbstractBaseUser | None

CAMPAIGN_FIELDS = ("name", "year", "kind", "starts_on", "ends_on", "theme", "notes")


class CampaignRefused(Refused):
    pass


class StaleCampaign(Refused):
    def __init__(self) -> None:
        super().__init__("这个主题活动在您打开之后已被他人修改，您的修改没有保存。请查看最新内容后再修改（您填写的内容仍保留在表单中）。")


@dataclass(frozen=True)
class Invited:
    """Who a campaign invites: member units, townships and science bases, all of its own jurisdiction."""

    units: list[MemberUnit]
    townships: list[ServiceArea]
    bases: list[ScienceBase]

    def check(self, jurisdiction: Jurisdiction) -> None:
        if any(u.jurisdiction_id != jurisdiction.pk for u in self.units):
            raise CampaignRefused("参加单位只能是本地区的成员单位。", field="invited_units")
        if any(t.jurisdiction_id != jurisdiction.pk or t.parent_id is not None for t in self.townships):
            raise CampaignRefused("参加乡镇/街道只能是本地区的乡镇/街道。", field="townships")
        if any(b.jurisdiction_id != jurisdiction.pk for b in self.bases):
            raise CampaignRefused("参加科普基地只能是本地区的基地。", field="bases")


def _names(rows: Iterable[Model]) -> str:
    return "、".join(sorted(str(getattr(r, "name", r)) for r in rows))


def _checked(data: Mapping) -> None:
    check_window(data["starts_on"], data["ends_on"], data["year"])  # CampaignProblem names the field
    if not data["name"].strip():
        raise CampaignRefused("请填写活动名称。", field="name")


def _save_new(jurisdiction: Jurisdiction, actor: Actor, data: Mapping, parent: Campaign | None) -> Campaign:
    campaign = Campaign(jurisdiction=jurisdiction, parent=parent, created_by=actor if actor and actor.is_authenticated else None,
                        **{f: data[f] for f in CAMPAIGN_FIELDS})
    campaign.name = campaign.name.strip()
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError as error:
        raise CampaignRefused(f"{jurisdiction.name}{campaign.year}年已有名为“{campaign.name}”的主题活动。", field="name") from error
    return campaign


@transaction.atomic
def do_open_campaign(jurisdiction: Jurisdiction, actor: Actor, data: Mapping, invited: Invited,
                     cascade: bool = False) -> Campaign:
    """Open a campaign and tell the invited units and townships. With `cascade` (下发到各县), every county below
    gets its own campaign with the same name, window and theme; each county's office then invites its own units."""
    _checked(data)
    invited.check(jurisdiction)
    campaign = _save_new(jurisdiction, actor, data, None)
    campaign.invited_units.set(invited.units)
    campaign.townships.set(invited.townships)
    campaign.bases.set(invited.bases)
    events.record(campaign, actor, EventKind.OPENED, new=(
        f"{campaign.starts_on:%Y-%m-%d}至{campaign.ends_on:%Y-%m-%d}；单位 {len(invited.units)} 个，"
        f"乡镇/街道 {len(invited.townships)} 个，基地 {len(invited.bases)} 家"))
    _announce(campaign, [u.pk for u in invited.units], [t.pk for t in invited.townships])
    if cascade:
        counties = Jurisdiction.objects.filter(parent=jurisdiction).order_by("name")
        if not counties:
            raise CampaignRefused(f"{jurisdiction.name}没有下级地区，不能下发。", field="cascade")
        for county in counties:
            child = _save_new(county, actor, data, campaign)
            events.record(child, actor, EventKind.CASCADED, new=f"{jurisdiction.name}下发")
            notify(office_users(county), f"{jurisdiction.name}下发主题活动：{child}",
                   f"请邀请本地区成员单位和乡镇参加（{child.starts_on:%Y-%m-%d}至{child.ends_on:%Y-%m-%d}）。",
                   reverse("campaigns-campaign", args=[child.pk]))
    return campaign


@transaction.atomic
def do_edit_campaign(campaign: Campaign, actor: Actor, expected_version: int, data: Mapping, invited: Invited) -> Campaign:
    """Change a campaign: each changed field is recorded; newly invited units and townships are told."""
    campaign = Campaign.objects.select_for_update().select_related("jurisdiction").get(pk=campaign.pk)
    if campaign.version != expected_version:
        raise StaleCampaign()
    _checked(data)
    invited.check(campaign.jurisdiction)
    for field in CAMPAIGN_FIELDS:
        new = data[field].strip() if isinstance(data[field], str) else data[field]
        if getattr(campaign, field) != new:
            old = _shown(campaign, field)
            setattr(campaign, field, new)
            events.record(campaign, actor, EventKind.CHANGED, field=str(Campaign._meta.get_field(field).verbose_name),
                          old=old, new=_shown(campaign, field))
    before_units = set(campaign.invited_units.values_list("pk", flat=True))
    before_townships = set(campaign.townships.values_list("pk", flat=True))
    for label, relation, rows in (("参加单位", campaign.invited_units, invited.units),
                                  ("参加乡镇/街道", campaign.townships, invited.townships),
                                  ("参加科普基地", campaign.bases, invited.bases)):
        old = _names(relation.all())
        if old != _names(rows):
            relation.set(rows)
            events.record(campaign, actor, EventKind.CHANGED, field=label, old=old, new=_names(rows))
    campaign.version += 1
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError as error:
        raise CampaignRefused(f"本年度已有名为“{campaign.name}”的主题活动。", field="name") from error
    _announce(campaign, [u.pk for u in invited.units if u.pk not in before_units],
              [t.pk for t in invited.townships if t.pk not in before_townships])
    return campaign


def _shown(campaign: Campaign, field: str) -> str:
    display = getattr(campaign, f"get_{field}_display", None)
    value = display() if display else getattr(campaign, field)
    return value.strftime("%Y-%m-%d") if isinstance(value, dt.date) else str(value or "")


def _unit_users(unit_ids: Iterable[int]) -> list[int]:
    ids = list(Membership.objects.filter(unit_id__in=list(unit_ids), role=Membership.Role.UNIT_REPORTER)
               .values_list("user_id", flat=True))
    for unit in MemberUnit.objects.filter(pk__in=list(unit_ids)):
        ids += [u.pk for u in extra_recipients(unit)]
    return ids


def _township_users(township_ids: Iterable[int]) -> list[int]:
    return [pk for area in ServiceArea.objects.filter(pk__in=list(township_ids)) for pk in officer_users(area)]


def _announce(campaign: Campaign, unit_ids: list[int], township_ids: list[int]) -> int:
    users = _unit_users(unit_ids) + _township_users(township_ids)
    if not users:
        return 0
    body = f"活动时间 {campaign.starts_on:%Y-%m-%d} 至 {campaign.ends_on:%Y-%m-%d}。请组织活动并登记（含照片）。"
    return notify(users, f"请参加{campaign.jurisdiction.name}{campaign}", body, reverse("campaigns-campaign", args=[campaign.pk]))


# ---------------------------------------------------------------------------- activities


@dataclass(frozen=True)
class Involved:
    """Scientists and volunteers at an activity (head counts) and the volunteers' service hours in total."""

    scientists: int = 0
    volunteers: int = 0
    volunteer_hours: float = 0.0


def plan_for(campaign: Campaign) -> Plan:
    """The plan an activity of the campaign counts for: the jurisdiction's plan in force in the campaign's year
    (kesu.domain.current_plan.plan_in_force); an ended plan is read-only, so its activities are refused."""
    plan = plan_in_force_of(campaign.jurisdiction, campaign.year)
    if plan is None or plan.is_ended:
        raise CampaignRefused(f"{campaign.jurisdiction.name}没有可登记活动的实施方案（尚未导入或均已结束），活动无处计入。")
    return plan


@transaction.atomic
def do_register_activity(campaign: Campaign, actor: Actor, unit: MemberUnit | None, township: ServiceArea | None,
                         data: Mapping, audiences: Mapping[str, int], uploads: list[UploadedFile],
                         involved: Involved) -> CampaignActivity:
    """An invited unit (or township) registers an activity held under the campaign: date, place, online/offline,
    audience groups with their participants, the scientists and volunteers involved, photos."""
    if (unit is None) == (township is None):
        raise CampaignRefused("请选择举办活动的单位或乡镇/街道（二选一）。", field="held_by")
    if unit is not None and not campaign.invited_units.filter(pk=unit.pk).exists():
        raise CampaignRefused(f"{unit.name}不在本次主题活动的参加单位中。", field="held_by")
    if township is not None and not campaign.townships.filter(pk=township.pk).exists():
        raise CampaignRefused(f"{township.name}不在本次主题活动的参加乡镇/街道中。", field="held_by")
    if data["held_on"] > timezone.localdate():
        raise CampaignRefused("活动日期不能晚于今天（请在活动举办后登记）。", field="held_on")
    held_by = unit.name if unit is not None else township.name
    activity = do_record_activity(plan_for(campaign), unit, actor, {**data, "kind": campaign.kind}, uploads,
                                  audiences=audiences, held_by=held_by)
    entry = CampaignActivity.objects.create(
        campaign=campaign, activity=activity, township=township, scientists=involved.scientists,
        volunteers=involved.volunteers, volunteer_hours=involved.volunteer_hours)
    events.record(campaign, actor, EventKind.ACTIVITY_REGISTERED, subject=f"{held_by}：{activity.title}",
                  new=f"{activity.held_on:%Y-%m-%d}，{activity.participants} 人，照片 {len(uploads)} 个")
    return entry


@transaction.atomic
def do_urge_campaign(campaign: Campaign, actor: Actor) -> int:
    """催报: a notice to every invited unit and township that has registered nothing yet; returns people notified."""
    entries = campaign.entries.select_related("activity")
    units = idle(list(campaign.invited_units.order_by("name").values_list("pk", flat=True)),
                 [e.activity.unit_id for e in entries if e.township_id is None])
    townships = idle(list(campaign.townships.order_by("name").values_list("pk", flat=True)), [e.township_id for e in entries])
    if not units and not townships:
        raise CampaignRefused("所有参加单位和乡镇/街道都已登记活动，无需催报。")
    users = _unit_users(units) + _township_users(townships)
    body = f"本次主题活动 {campaign.ends_on:%Y-%m-%d} 结束，贵单位尚未登记活动，请尽快登记（含照片）。"
    notified = notify(users, f"催报：{campaign}尚未登记活动", body, reverse("campaigns-campaign", args=[campaign.pk]))
    names = _names(MemberUnit.objects.filter(pk__in=units)) + ("；" if units and townships else "") + \
        _names(ServiceArea.objects.filter(pk__in=townships))
    events.record(campaign, actor, EventKind.URGED, new=f"{names}（通知 {notified} 人）")
    return notified

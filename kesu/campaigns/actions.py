"""Every write about campaigns: do_<verb>_<noun>() in one transaction with its history row. Edits carry the version
the editor saw; a change made meanwhile by someone else is refused (StaleCampaign), never silently overwritten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from kesu.campaigns import events
from kesu.campaigns.events import EventKind
from kesu.campaigns.models import Campaign, CampaignActivity
from kesu.domain.campaign_rules import audience_counts_words, check_window, idle, participants_of
from kesu.domain.evidence_rules import check_evidence
from kesu.domain.refusals import Refused
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.org.unit_recipients import extra_recipients
from kesu.plans.access import ensure_plan_open
from kesu.plans.current import plan_in_force_of
from kesu.plans.models import Plan
from kesu.tracking.actions import do_record_activity
from kesu.tracking.models import Activity, ActivityAudience, Evidence
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


def _check_holder(campaign: Campaign, unit: MemberUnit | None, township: ServiceArea | None) -> str:
    """The unit or township holding an activity must be invited (one of the two); returns its name."""
    if (unit is None) == (township is None):
        raise CampaignRefused("请选择举办活动的单位或乡镇/街道（二选一）。", field="held_by")
    if unit is not None and not campaign.invited_units.filter(pk=unit.pk).exists():
        raise CampaignRefused(f"{unit.name}不在本次主题活动的参加单位中。", field="held_by")
    if township is not None and not campaign.townships.filter(pk=township.pk).exists():
        raise CampaignRefused(f"{township.name}不在本次主题活动的参加乡镇/街道中。", field="held_by")
    return unit.name if unit is not None else township.name


def _check_date(data: Mapping) -> None:
    if data["held_on"] > timezone.localdate():
        raise CampaignRefused("活动日期不能晚于今天（请在活动举办后登记）。", field="held_on")


@transaction.atomic
def do_register_activity(campaign: Campaign, actor: Actor, unit: MemberUnit | None, township: ServiceArea | None,
                         data: Mapping, audiences: Mapping[str, int], uploads: list[UploadedFile],
                         involved: Involved) -> CampaignActivity:
    """An invited unit (or township) registers an activity held under the campaign: date, place, online/offline,
    audience groups with their participants, the scientists and volunteers involved, photos."""
    held_by = _check_holder(campaign, unit, township)
    _check_date(data)
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


# ---------------------------------------------------------------------------- correcting and withdrawing activities


class StaleActivity(Refused):
    def __init__(self) -> None:
        super().__init__("这条活动登记在您打开之后已被他人修改或撤回，您的操作没有保存。请查看最新内容后再办理（您填写的内容仍保留在表单中）。")


@dataclass(frozen=True)
class Photos:
    """Photos added to an activity and the ids of its photos to remove."""

    added: list[UploadedFile]
    removed: list[int]


ACTIVITY_FIELDS = {"title": "活动名称", "held_on": "日期", "place": "地点", "online": "形式", "description": "简要情况",
                   "participants": "参与人数"}
INVOLVED_FIELDS = {"scientists": "参与科技工作者（人）", "volunteers": "参与志愿者（人）", "volunteer_hours": "志愿服务时长合计（小时）"}


def _locked_entry(entry: CampaignActivity, expected_version: int) -> CampaignActivity:
    """The entry locked for the change, its plan still open, unchanged since the editor opened it."""
    fresh = CampaignActivity.objects.select_for_update().filter(pk=entry.pk).first()
    if fresh is None or fresh.version != expected_version:
        raise StaleActivity()
    ensure_plan_open(fresh.activity.plan)  # the plan the activity counts for has ended: read-only
    return fresh


def _shown_value(activity: Activity, field: str) -> str:
    value = getattr(activity, field)
    if field == "online":
        return activity.get_online_display()
    return value.strftime("%Y-%m-%d") if isinstance(value, dt.date) else str(value)


def _delete_files_after_commit(photos: list[Evidence]) -> None:
    """Stored files go once the change is committed (a refused change keeps them)."""
    files = [(e.file.storage, e.file.name) for e in photos]

    def delete() -> None:
        for storage, name in files:
            storage.delete(name)
    transaction.on_commit(delete)


def _checked_uploads(uploads: list[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    checked = []
    for upload in uploads:
        head = upload.read(16)
        upload.seek(0)
        checked.append((upload, check_evidence(upload.name, upload.size, head, settings.KESU_MAX_EVIDENCE)))
    return checked


@transaction.atomic
def do_edit_campaign_activity(entry: CampaignActivity, actor: Actor, expected_version: int, unit: MemberUnit | None,
                              township: ServiceArea | None, data: Mapping, audiences: Mapping[str, int],
                              involved: Involved, photos: Photos) -> CampaignActivity:
    """Correct a registered activity (the registration's fields, photos added or removed) with the registration's
    checks; each changed field is recorded with its old and new value. Refused when changed or withdrawn meanwhile."""
    entry = _locked_entry(entry, expected_version)
    campaign, activity = entry.campaign, entry.activity
    before_holder = entry.held_by
    if (unit, township) == (activity.unit, entry.township):
        held_by = before_holder  # unchanged: kept even if no longer invited
    else:
        held_by = _check_holder(campaign, unit, township)
    _check_date(data)
    audiences = {group: n for group, n in audiences.items() if n is not None}
    participants = participants_of(data.get("participants"), audiences)
    checked = _checked_uploads(photos.added)
    changes: list[tuple[str, str, str]] = []
    if held_by != before_holder:
        changes.append(("举办单位/乡镇", before_holder, held_by))
    new_values = {**{f: data[f] for f in ACTIVITY_FIELDS if f != "participants"}, "participants": participants}
    for field, label in ACTIVITY_FIELDS.items():
        new = new_values[field].strip() if isinstance(new_values[field], str) else new_values[field]
        if getattr(activity, field) != new:
            old = _shown_value(activity, field)
            setattr(activity, field, new)
            changes.append((label, old, _shown_value(activity, field)))
    old_groups = {a.group: a.participants for a in activity.audiences.all()}
    if old_groups != audiences:
        changes.append(("受众群体", audience_counts_words(old_groups), audience_counts_words(audiences)))
        activity.audiences.all().delete()
        ActivityAudience.objects.bulk_create(ActivityAudience(activity=activity, group=g, participants=n)
                                             for g, n in audiences.items())
    for field, label in INVOLVED_FIELDS.items():
        if getattr(entry, field) != getattr(involved, field):
            changes.append((label, f"{getattr(entry, field):g}", f"{getattr(involved, field):g}"))
            setattr(entry, field, getattr(involved, field))
    removed = list(activity.evidence.filter(pk__in=photos.removed))
    if removed:
        changes.append(("删除照片", "、".join(e.original_name for e in removed), ""))
        _delete_files_after_commit(removed)
        activity.evidence.filter(pk__in=[e.pk for e in removed]).delete()
    for upload, content_type in checked:
        Evidence.objects.create(activity=activity, unit=unit, file=upload, original_name=upload.name,
                                content_type=content_type, size=upload.size, uploaded_by=actor)
    if checked:
        changes.append(("新增照片", "", "、".join(upload.name for upload, _ in checked)))
    if not changes:
        return entry  # saved unchanged: no new version, nothing to record
    activity.unit, entry.township = unit, township
    activity.save()
    activity.evidence.update(unit=unit)
    entry.version += 1
    entry.save()
    for label, old, new in changes:
        events.record(campaign, actor, EventKind.ACTIVITY_CHANGED, subject=f"{held_by}：{activity.title}", field=label,
                      old=old, new=new)
    return entry


@transaction.atomic
def do_withdraw_campaign_activity(entry: CampaignActivity, actor: Actor, expected_version: int, reason: str) -> None:
    """Withdraw (delete) a registered activity with its photos; the reason is recorded in the campaign's history and
    the campaign's figures and report no longer count it."""
    reason = reason.strip()
    if not reason:
        raise CampaignRefused("请填写撤回原因。", field="reason")
    entry = _locked_entry(entry, expected_version)
    activity = entry.activity
    photos = list(activity.evidence.all())
    events.record(entry.campaign, actor, EventKind.ACTIVITY_WITHDRAWN, subject=f"{entry.held_by}：{activity.title}",
                  field="撤回原因", old=f"{activity.held_on:%Y-%m-%d}，{activity.participants} 人，照片 {len(photos)} 个",
                  new=reason)
    _delete_files_after_commit(photos)
    activity.delete()  # the entry, its audience groups and its photos' rows go with it

"""Service records and volunteer hours: written by the team that organised the service (谁组织、谁记录).

The rules (rounding, overlaps, who records, members only) are in kesu.domain.service_hours; this module
loads what they need and writes ServiceRecord / ServiceHours rows.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from kesu.domain import service_hours as rules
from kesu.domain.dispatch import Move, State
from kesu.domain.evidence_rules import EvidenceRefused, check_evidence
from kesu.domain.service_hours import HoursRefused, Session
from kesu.tracking.models import Activity
from kesu.volunteering import actions, events
from kesu.volunteering.access import Roles
from kesu.volunteering.models import (
    OrderEvent,
    ServiceHours,
    ServiceOrder,
    ServicePhoto,
    ServiceRecord,
    Team,
    TeamMembership,
    Volunteer,
)

__all__ = ["EvidenceRefused", "HoursRefused"]

PHOTO_TYPES = (".jpg", ".jpeg", ".png")
MAX_PHOTOS = 9


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())


def active_member_ids(team: Team, on: dt.date | None = None) -> set[int]:
    rows = TeamMembership.objects.filter(team=team, status=TeamMembership.Status.ACTIVE)
    if on is not None:
        rows = rows.exclude(joined_on__gt=on)
    return set(rows.values_list("volunteer_id", flat=True))


def _existing_sessions(volunteer_ids: set[int], start: dt.datetime, end: dt.datetime, *, order: ServiceOrder | None = None,
                       activity: Activity | None = None) -> list[Session]:
    rows = ServiceHours.objects.filter(volunteer_id__in=volunteer_ids, start__lt=end, end__gt=start).select_related("order", "activity")
    if order is not None:
        rows = rows.exclude(order=order)
    if activity is not None:
        rows = rows.exclude(activity=activity)
    return [Session(h.volunteer_id, h.start, h.end, h.source_label) for h in rows]


def _check_photos(photos: list[UploadedFile], already: int = 0) -> list[tuple[UploadedFile, str]]:
    if len(photos) + already > MAX_PHOTOS:
        raise EvidenceRefused(f"每次服务最多上传 {MAX_PHOTOS} 张照片。")
    checked = []
    for photo in photos:
        if not photo.name.lower().endswith(PHOTO_TYPES):
            raise EvidenceRefused(f"“{photo.name}”不是照片：只能上传 JPG 或 PNG 图片。")
        head = photo.read(16)
        photo.seek(0)
        checked.append((photo, check_evidence(photo.name, photo.size, head, settings.KESU_MAX_EVIDENCE)))
    return checked


@transaction.atomic
def do_record_service(order: ServiceOrder, user, roles: Roles, data: dict, fewer: dict[int, float] | None = None,
                      photos: list[UploadedFile] = ()) -> ServiceRecord:
    """The team records the service: the order becomes 已服务待评价 and every listed volunteer gets hours.

    While the order waits for the requester's rating, the team may record again (amend); the volunteers'
    hours of this order are then replaced. The history keeps both.
    """
    locked = ServiceOrder.objects.select_for_update(of=("self",)).select_related("team").get(pk=order.pk)
    amending = locked.state == State.SERVED
    team = locked.team
    office = roles.is_office_for(order.jurisdiction)
    rules.check_recorder(team.pk if team else None, roles.team_ids, office=office and amending)
    volunteers: list[Volunteer] = list(data["volunteers"])
    names = {v.pk: v.name for v in volunteers}
    rules.check_members([v.pk for v in volunteers], active_member_ids(team, data["served_on"]), names)
    hours = rules.hours_from_record(data["duration_hours"], [v.pk for v in volunteers], fewer, names)
    start = _aware(data["served_on"], data["start_time"])
    end = start + dt.timedelta(hours=data["duration_hours"])
    sessions = [Session(v, start, start + dt.timedelta(hours=h) if h else start, f"服务单 {locked.code}")
                for v, h in hours.items() if h]
    rules.check_overlaps(sessions, _existing_sessions(set(hours), start, end, order=locked), names)
    checked = _check_photos(list(photos), ServicePhoto.objects.filter(record__order=locked).count())

    if amending:
        OrderEvent.objects.create(order=locked, actor_id=user.pk, role="志愿服务队", kind=OrderEvent.Kind.RECORD_AMENDED,
                                  from_state=State.SERVED, to_state="", detail=f"{team.name}修改服务记录", public=False)
    else:
        actions._apply(locked, Move.RECORD, user=user, roles=roles,
                       detail=f"{team.name}：{data['served_on']:%Y-%m-%d}，{data['duration_hours']:g} 小时，服务 {data['attendees']} 人")
    record, _ = ServiceRecord.objects.update_or_create(order=locked, defaults={
        "team": team, "served_on": data["served_on"], "start_time": data["start_time"],
        "duration_hours": data["duration_hours"], "attendees": data["attendees"], "summary": data["summary"],
        "recorded_by": user,
    })
    ServiceHours.objects.filter(order=locked).delete()
    ServiceHours.objects.bulk_create(
        ServiceHours(volunteer_id=v, team=team, order=locked, served_on=data["served_on"], start=start,
                     end=start + dt.timedelta(hours=h), hours=h, method=ServiceHours.Method.RECORD, recorded_by=user)
        for v, h in hours.items()
    )
    for photo, content_type in checked:
        ServicePhoto.objects.create(record=record, file=photo, original_name=photo.name, content_type=content_type,
                                    size=photo.size, uploaded_by=user)
    return record


@transaction.atomic
def do_record_sign_hours(team: Team, user, roles: Roles, volunteer: Volunteer, sign_in: dt.datetime, sign_out: dt.datetime,
                         *, order: ServiceOrder | None = None, activity: Activity | None = None) -> ServiceHours:
    """One volunteer's hours from sign-in/sign-out, for an activity (or an order) the team organised."""
    if (order is None) == (activity is None):
        raise HoursRefused("请选择服务单或活动。")
    rules.check_recorder(team.pk, roles.team_ids, office=roles.is_office_for(team.jurisdiction))
    if order is not None and order.team_id != team.pk:
        raise HoursRefused("只能为本队承接的服务单登记时长。")
    if order is not None and order.state not in (State.ACCEPTED, State.SERVED, State.CLOSED):
        raise HoursRefused("服务单尚未由本队接单，不能登记时长。")
    if sign_out > timezone.now() + dt.timedelta(minutes=5):
        raise HoursRefused("签退时间不能晚于现在。")
    day = timezone.localtime(sign_in).date()
    rules.check_members([volunteer.pk], active_member_ids(team, day), {volunteer.pk: volunteer.name})
    hours = rules.hours_between(sign_in, sign_out)
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()  # one writer per volunteer at a time
    rules.check_overlaps([Session(volunteer.pk, sign_in, sign_out)],
                         _existing_sessions({volunteer.pk}, sign_in, sign_out, order=order, activity=activity),
                         {volunteer.pk: volunteer.name})
    before = ServiceHours.objects.filter(volunteer=volunteer, order=order, activity=activity).values_list("hours", flat=True).first()
    entry, _ = ServiceHours.objects.update_or_create(
        volunteer=volunteer, order=order, activity=activity,
        defaults={"team": team, "served_on": day, "start": sign_in, "end": sign_out, "hours": hours,
                  "method": ServiceHours.Method.SIGN, "recorded_by": user},
    )
    if order is not None:
        OrderEvent.objects.create(order=order, actor_id=user.pk, role="志愿服务队", kind=OrderEvent.Kind.HOURS, public=False,
                                  detail=f"{volunteer.name} 签到签退 {hours:g} 小时")
    else:
        events.record(events.Kind.HOURS_RECORDED, user, team.jurisdiction, f"{volunteer.name} · {activity.title}",
                      old=None if before is None else float(before), new=float(hours), team=team.name)
    return entry


def volunteer_summary(volunteer: Volunteer) -> rules.Summary:
    return rules.summarise(volunteer.hours.values_list("served_on", "hours"))

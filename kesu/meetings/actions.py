"""Every write about meetings: do_<verb>_<noun>() in one transaction with its history row. Edits carry the version
the editor saw; a change made meanwhile by someone else is refused (StaleEdit), never silently overwritten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from kesu.domain.evidence_rules import check_evidence
from kesu.domain.refusals import Refused
from kesu.meetings import events
from kesu.meetings.cycle_items import SOURCE as DECISION_SOURCE
from kesu.meetings.events import EventKind
from kesu.meetings.models import Decision, Meeting, MinutesFile
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.plans.models import Plan
from kesu.tracking.actions import do_add_due_items_to_open_cycles, do_withdraw_items

Actor = AbstractBaseUser | None

MEETING_FIELDS = ("kind", "title", "held_on", "chair", "place", "attendees", "agenda")
DECISION_FIELDS = ("text", "due_on")


class StaleEdit(Refused):
    def __init__(self) -> None:
        super().__init__("这条记录在您打开之后已被他人修改，您的修改没有保存。请查看最新内容后再修改。")


class MeetingRefused(Refused):
    pass


def _label(model: type[Model], field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


def _shown(instance: Model, field: str) -> str:
    display = getattr(instance, f"get_{field}_display", None)
    value = display() if display else getattr(instance, field)
    return value.strftime("%Y-%m-%d") if isinstance(value, dt.date) else str(value or "")


def _names(units: Iterable[MemberUnit]) -> str:
    return "、".join(sorted(u.name for u in units))


def _check_units(jurisdiction: Jurisdiction, units: Iterable[MemberUnit]) -> list[MemberUnit]:
    units = list(units)
    if any(u.jurisdiction_id != jurisdiction.pk for u in units):
        raise MeetingRefused("只能选择本地区的成员单位。")
    return units


def _locked(model: type[Model], pk: int, expected_version: int | None) -> Model:
    row = model.objects.select_for_update().get(pk=pk)
    if expected_version is not None and row.version != expected_version:
        raise StaleEdit()
    return row


def _store_minutes(meeting: Meeting, actor: Actor, upload: UploadedFile) -> None:
    head = upload.read(16)
    upload.seek(0)
    content_type = check_evidence(upload.name, upload.size, head, settings.KESU_MAX_EVIDENCE)
    minutes = MinutesFile.objects.create(meeting=meeting, file=upload, original_name=upload.name,
                                         content_type=content_type, size=upload.size, uploaded_by=actor)
    old = meeting.minutes.original_name if meeting.minutes else ""
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes"])
    events.record(meeting, actor, EventKind.MINUTES_UPLOADED, field="会议记录", old=old, new=upload.name)


@transaction.atomic
def do_record_meeting(jurisdiction: Jurisdiction, actor: Actor, data: dict, units: Iterable[MemberUnit],
                      minutes: UploadedFile | None = None) -> Meeting:
    """A new meeting with its attending units (and, when given, its minutes file)."""
    units = _check_units(jurisdiction, units)
    meeting = Meeting.objects.create(
        jurisdiction=jurisdiction, created_by=actor if actor is not None and actor.is_authenticated else None,
        **{field: data[field] for field in MEETING_FIELDS},
    )
    meeting.attending_units.set(units)
    events.record(meeting, actor, EventKind.MEETING_RECORDED, new=f"{meeting.get_kind_display()}，出席单位 {len(units)} 个")
    if minutes is not None:
        _store_minutes(meeting, actor, minutes)
    return meeting


@transaction.atomic
def do_edit_meeting(meeting: Meeting, actor: Actor, expected_version: int, data: dict, units: Iterable[MemberUnit],
                    minutes: UploadedFile | None = None) -> Meeting:
    """Change a meeting: each changed field is recorded with its old and new value."""
    meeting = _locked(Meeting, meeting.pk, expected_version)
    units = _check_units(meeting.jurisdiction, units)
    for field in MEETING_FIELDS:
        if getattr(meeting, field) != data[field]:
            old = _shown(meeting, field)
            setattr(meeting, field, data[field])
            events.record(meeting, actor, EventKind.MEETING_CHANGED, field=_label(Meeting, field), old=old, new=_shown(meeting, field))
    old_units, new_units = _names(meeting.attending_units.all()), _names(units)
    if old_units != new_units:
        meeting.attending_units.set(units)
        events.record(meeting, actor, EventKind.MEETING_CHANGED, field="出席单位", old=old_units, new=new_units)
    meeting.version += 1
    meeting.save()
    if minutes is not None:
        _store_minutes(meeting, actor, minutes)
    return meeting


@transaction.atomic
def do_add_decision(meeting: Meeting, actor: Actor, text: str, due_on: dt.date, lead: Iterable[MemberUnit],
                    support: Iterable[MemberUnit] = ()) -> Decision:
    lead, support = _check_units(meeting.jurisdiction, lead), _check_units(meeting.jurisdiction, support)
    if not text.strip():
        raise MeetingRefused("请填写议定事项内容。")
    if not lead:
        raise MeetingRefused("议定事项至少要有一个牵头单位。")
    decision = Decision.objects.create(meeting=meeting, text=text.strip(), due_on=due_on)
    decision.lead_units.set(lead)
    decision.support_units.set([u for u in support if u not in lead])
    events.record(meeting, actor, EventKind.DECISION_ADDED, decision=decision,
                  new=f"牵头：{_names(lead)}；办结时限：{due_on:%Y-%m-%d}")
    _report_in_open_cycles(meeting, actor)
    return decision


def _report_in_open_cycles(meeting: Meeting, actor: Actor) -> None:
    """A decision added (or given new lead units) joins the open cycles of the area's plans at once."""
    do_add_due_items_to_open_cycles(Plan.objects.filter(jurisdiction_id=meeting.jurisdiction_id), actor)


@transaction.atomic
def do_edit_decision(decision: Decision, actor: Actor, expected_version: int, text: str, due_on: dt.date,
                     lead: Iterable[MemberUnit], support: Iterable[MemberUnit] = ()) -> Decision:
    decision = _locked(Decision, decision.pk, expected_version)
    meeting = decision.meeting
    lead, support = _check_units(meeting.jurisdiction, lead), _check_units(meeting.jurisdiction, support)
    if not text.strip() or not lead:
        raise MeetingRefused("议定事项须有内容和至少一个牵头单位。")
    data = {"text": text.strip(), "due_on": due_on}
    for field in DECISION_FIELDS:
        if getattr(decision, field) != data[field]:
            old = _shown(decision, field)
            setattr(decision, field, data[field])
            events.record(meeting, actor, EventKind.DECISION_CHANGED, decision=decision, field=_label(Decision, field),
                          old=old, new=_shown(decision, field))
    support = [u for u in support if u not in lead]
    for label, relation, units in (("牵头单位", decision.lead_units, lead), ("配合单位", decision.support_units, support)):
        old = _names(relation.all())
        if old != _names(units):
            relation.set(units)
            events.record(meeting, actor, EventKind.DECISION_CHANGED, decision=decision, field=label, old=old, new=_names(units))
    decision.version += 1
    decision.save()
    _report_in_open_cycles(meeting, actor)
    return decision


@transaction.atomic
def do_complete_decision(decision: Decision, actor: Actor, expected_version: int, completed_on: dt.date, note: str) -> Decision:
    """Mark a decision 已办结 on a date (not in the future, not before its meeting) with a note on what was done."""
    decision = _locked(Decision, decision.pk, expected_version)
    if decision.status == Decision.Status.DONE:
        raise MeetingRefused("这项议定事项已经办结。")
    if not note.strip():
        raise MeetingRefused("请填写办理情况。")
    if completed_on < decision.meeting.held_on or completed_on > timezone.localdate():
        raise MeetingRefused("办结日期应在会议日期之后、不晚于今天。")
    decision.status, decision.completed_on, decision.note = Decision.Status.DONE, completed_on, note.strip()
    decision.version += 1
    decision.save()
    events.record(decision.meeting, actor, EventKind.DECISION_COMPLETED, decision=decision, field="状态",
                  old="未办结", new=f"已办结（{completed_on:%Y-%m-%d}）：{decision.note}")
    for plan in Plan.objects.filter(jurisdiction_id=decision.meeting.jurisdiction_id):  # no longer due: drafts go
        do_withdraw_items(plan, DECISION_SOURCE, [decision.pk], actor)
    return decision


@transaction.atomic
def do_reopen_decision(decision: Decision, actor: Actor, expected_version: int, reason: str) -> Decision:
    """The office reopens a decision marked done by mistake (the completion stays in the history)."""
    decision = _locked(Decision, decision.pk, expected_version)
    if decision.status != Decision.Status.DONE:
        raise MeetingRefused("这项议定事项尚未办结。")
    if not reason.strip():
        raise MeetingRefused("请填写重新打开的原因。")
    old = f"已办结（{decision.completed_on:%Y-%m-%d}）"
    decision.status, decision.completed_on = Decision.Status.OPEN, None
    decision.version += 1
    decision.save()
    events.record(decision.meeting, actor, EventKind.DECISION_REOPENED, decision=decision, field="状态", old=old,
                  new=f"未办结：{reason.strip()}")
    _report_in_open_cycles(decision.meeting, actor)
    return decision

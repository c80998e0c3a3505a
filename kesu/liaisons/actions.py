"""Every write of the liaison roster: one transaction each, with its history row (kesu.liaisons.events)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from kesu.domain.liaison_terms import closing_day
from kesu.domain.refusals import Refused
from kesu.liaisons import events
from kesu.liaisons.access import may_edit
from kesu.liaisons.exports import contacts_workbook
from kesu.liaisons.models import LiaisonEntry, Training
from kesu.liaisons.roster import liaisons_in_office, roster
from kesu.org.access import Roles
from kesu.org.models import Jurisdiction, MemberUnit

Actor = AbstractBaseUser | None


class LiaisonRefused(Refused):
    status = 403


def _check_office(roles: Roles, jurisdiction: Jurisdiction, what: str) -> None:
    if not may_edit(roles, jurisdiction):
        raise LiaisonRefused(f"只有{jurisdiction.name}科协办公室可以{what}。")


@transaction.atomic
def do_set_liaison(unit: MemberUnit, post: str, data: dict, actor: Actor, roles: Roles) -> LiaisonEntry:
    """Name the unit's 分管领导 or 联络员 from data["valid_from"]; the predecessor's term closes the day before."""
    _check_office(roles, unit.jurisdiction, "修改联络员名册")
    start: dt.date = data["valid_from"]
    previous = LiaisonEntry.objects.select_for_update().filter(unit=unit, post=post, valid_to__isnull=True).first()
    if previous is not None:
        if start < previous.valid_from:
            raise Refused(f"任职起始日期不能早于现任{previous.name}的任职起始日期（{previous.valid_from:%Y-%m-%d}）。",
                          field="valid_from")
        previous.valid_to = closing_day(previous.valid_from, start)
        previous.save(update_fields=["valid_to"])
    entry = LiaisonEntry.objects.create(
        unit=unit, post=post, name=data["name"], title=data.get("title", ""), office_phone=data.get("office_phone", ""),
        mobile=data.get("mobile", ""), user=data.get("user"), valid_from=start,
    )
    label = LiaisonEntry.Post(post).label
    detail = f"自{start:%Y-%m-%d}起任{label}" + (f"，接替{previous.name}" if previous else "")
    events.record(events.Kind.LIAISON_SET, actor, unit.jurisdiction, f"{unit.name} {label}：{entry.name}", detail, unit)
    return entry


@transaction.atomic
def do_end_liaison(entry: LiaisonEntry, valid_to: dt.date, actor: Actor, roles: Roles) -> LiaisonEntry:
    """The person leaves the post on `valid_to` (last day) and nobody is named yet: the unit shows as without one."""
    unit = entry.unit
    _check_office(roles, unit.jurisdiction, "修改联络员名册")
    entry = LiaisonEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.valid_to is not None:
        raise Refused(f"{entry.name}已于{entry.valid_to:%Y-%m-%d}离任。")
    if valid_to < entry.valid_from:
        raise Refused(f"离任日期不能早于任职起始日期（{entry.valid_from:%Y-%m-%d}）。", field="valid_to")
    entry.valid_to = valid_to
    entry.save(update_fields=["valid_to"])
    events.record(events.Kind.LIAISON_ENDED, actor, unit.jurisdiction,
                  f"{unit.name} {entry.get_post_display()}：{entry.name}", f"任职至{valid_to:%Y-%m-%d}", unit)
    return entry


@transaction.atomic
def do_reveal_liaison_mobile(entry: LiaisonEntry, actor: Actor, roles: Roles) -> LiaisonEntry:
    """The office shows one person's full mobile number once; the history records who and when (never the number)."""
    unit = entry.unit
    _check_office(roles, unit.jurisdiction, "查看完整手机号")
    events.record(events.Kind.MOBILE_REVEALED, actor, unit.jurisdiction,
                  f"{unit.name} {entry.get_post_display()}：{entry.name}", "手机号", unit)
    return entry


@transaction.atomic
def do_export_liaison_contacts(jurisdiction: Jurisdiction, actor: Actor, roles: Roles) -> bytes:
    """通讯录（含完整号码）: only the jurisdiction's office, recorded with how many people it lists."""
    _check_office(roles, jurisdiction, "导出含完整号码的通讯录")
    rows = roster(jurisdiction)
    people = sum((r.leader is not None) + (r.liaison is not None) for r in rows)
    events.record(events.Kind.CONTACTS_EXPORTED, actor, jurisdiction, "联络员通讯录", f"{people}人")
    return contacts_workbook(jurisdiction, rows, full=True)


@transaction.atomic
def do_record_training(jurisdiction: Jurisdiction, data: dict, attendees: list[LiaisonEntry], actor: Actor,
                       roles: Roles) -> Training:
    """联络员培训: date, topic, place and which liaisons attended (each must have been in office that day)."""
    _check_office(roles, jurisdiction, "登记联络员培训")
    held_on: dt.date = data["held_on"]
    in_office = set(liaisons_in_office(jurisdiction, held_on).values_list("pk", flat=True))
    strangers = [e.name for e in attendees if e.pk not in in_office]
    if strangers:
        raise Refused(f"{'、'.join(strangers)}在{held_on:%Y-%m-%d}不是本地区在任联络员。", field="attendees")
    training = Training.objects.create(jurisdiction=jurisdiction, held_on=held_on, topic=data["topic"],
                                       place=data.get("place", ""))
    training.attendees.set(attendees)
    events.record(events.Kind.TRAINING_RECORDED, actor, jurisdiction, f"{held_on:%Y-%m-%d} {training.topic}",
                  f"参训{len(attendees)}人")
    return training

"""Reading the roster: current entries per unit, a unit's history, who was in office on a day, trainings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from kesu.domain.liaison_terms import Attendance, attendance
from kesu.liaisons.models import LiaisonEntry, Training
from kesu.org.models import Jurisdiction, MemberUnit


@dataclass
class RosterRow:
    unit: MemberUnit
    leader: LiaisonEntry | None
    liaison: LiaisonEntry | None


def roster_units(jurisdiction: Jurisdiction, unit_ids: set[int] | None = None) -> QuerySet[MemberUnit]:
    """The jurisdiction's real member units (not the 全体成员单位 placeholder), optionally only these."""
    units = MemberUnit.objects.filter(jurisdiction=jurisdiction, stands_for_all=False).order_by("name")
    return units if unit_ids is None else units.filter(pk__in=unit_ids)


def current_entry(unit: MemberUnit, post: str) -> LiaisonEntry | None:
    return LiaisonEntry.objects.filter(unit=unit, post=post, valid_to__isnull=True).order_by("-valid_from", "-pk").first()


def roster(jurisdiction: Jurisdiction, unit_ids: set[int] | None = None) -> list[RosterRow]:
    units = list(roster_units(jurisdiction, unit_ids))
    current: dict[tuple[int, str], LiaisonEntry] = {}
    for entry in LiaisonEntry.objects.filter(unit__in=units, valid_to__isnull=True).order_by("valid_from", "pk"):
        current[(entry.unit_id, entry.post)] = entry
    return [RosterRow(u, current.get((u.pk, LiaisonEntry.Post.LEADER)), current.get((u.pk, LiaisonEntry.Post.LIAISON)))
            for u in units]


def liaisons_in_office(jurisdiction: Jurisdiction, day: dt.date) -> QuerySet[LiaisonEntry]:
    """The 联络员 terms of the jurisdiction's units that cover `day`."""
    return LiaisonEntry.objects.filter(
        unit__jurisdiction=jurisdiction, post=LiaisonEntry.Post.LIAISON, valid_from__lte=day,
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).select_related("unit").order_by("unit__name")


def absent_liaisons(training: Training) -> list[LiaisonEntry]:
    """The liaisons in office on the training's day who did not attend."""
    attended = {e.pk for e in training.attendees.all()}
    return [e for e in liaisons_in_office(training.jurisdiction, training.held_on) if e.pk not in attended]


def training_attendance(training: Training) -> Attendance:
    expected = set(liaisons_in_office(training.jurisdiction, training.held_on).values_list("pk", flat=True))
    return attendance(expected, {e.pk for e in training.attendees.all()})

"""The meetings' figures (kesu.domain.meeting_rules applied to stored rows): overdue decisions, the on-time
completion rate and the member units' attendance over a year. The pages and the home block use the same ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from kesu.domain import meeting_rules as rules
from kesu.meetings.models import Decision, Meeting
from kesu.org.models import Jurisdiction, MemberUnit


def overdue(decisions: QuerySet[Decision], today: dt.date) -> QuerySet[Decision]:
    """rules.is_overdue as a query: not completed and due before today."""
    return decisions.filter(status=Decision.Status.OPEN, due_on__lt=today)


def on_time_rate(decisions: QuerySet[Decision], today: dt.date) -> rules.OnTimeRate:
    dates = [rules.DecisionDates(due, done) for due, done in decisions.values_list("due_on", "completed_on")]
    return rules.on_time_rate(dates, today)


@dataclass(frozen=True)
class UnitAttendance:
    unit: MemberUnit
    attendance: rules.Attendance


def attendance(jurisdiction: Jurisdiction, year: int) -> list[UnitAttendance]:
    meetings = Meeting.objects.filter(jurisdiction=jurisdiction, held_on__year=year).prefetch_related("attending_units")
    attended = [{u.pk for u in m.attending_units.all()} for m in meetings]
    units = list(MemberUnit.objects.filter(jurisdiction=jurisdiction, stands_for_all=False).order_by("name"))
    by_unit = rules.attendance_rates(attended, [u.pk for u in units])
    return [UnitAttendance(u, by_unit[u.pk]) for u in units]

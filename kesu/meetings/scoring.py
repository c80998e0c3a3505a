"""What the meetings give the plan's assessment and dashboard: the rubric's 议定事项按期办结率 and 会议出席率
share items (kesu.tracking.rubric_sources) and two dashboard cards (kesu.plans.dashboard_cards).
The rules are kesu.domain.meeting_rules', the same as the meetings pages use."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone

from kesu.domain import meeting_rules as rules
from kesu.domain.scoring_rubric import Share
from kesu.meetings.figures import attendance, on_time_rate
from kesu.meetings.models import Decision, Meeting
from kesu.plans.dashboard_cards import Card
from kesu.plans.models import Plan
from kesu.plans.templatetags.kesu_format import percent


def _year_end(year: int) -> dt.date:
    """Decisions count as due up to the end of the year, or today while the year runs."""
    return min(dt.date(year, 12, 31), timezone.localdate())


def decision_shares(plan: Plan, year: int) -> dict[int, Share]:
    """Per lead unit: decisions it leads due within the year (up to today), and how many it finished on time."""
    dates: dict[int, list[rules.DecisionDates]] = defaultdict(list)
    rows = Decision.objects.filter(meeting__jurisdiction=plan.jurisdiction, due_on__year=year).values_list(
        "lead_units", "due_on", "completed_on"
    )
    for unit_id, due_on, completed_on in rows:
        if unit_id is not None:
            dates[unit_id].append(rules.DecisionDates(due_on, completed_on))
    result = {}
    for unit_id, unit_dates in dates.items():
        rate = rules.on_time_rate(unit_dates, _year_end(year))
        result[unit_id] = Share(rate.on_time, rate.due, "项牵头议定事项按期办结（本年度办结时限已到的事项）")
    return result


def attendance_shares(plan: Plan, year: int) -> dict[int, Share]:
    """Per member unit: the year's leading-group meetings it attended, of those held (meetings_rules.ATTENDANCE_RULE)."""
    return {
        row.unit.pk: Share(row.attendance.attended, row.attendance.meetings, "次本年度领导小组会议出席")
        for row in attendance(plan.jurisdiction, year)
    }


def cards(plan: Plan, today: dt.date) -> list[Card]:
    decisions = Decision.objects.filter(meeting__jurisdiction=plan.jurisdiction)
    meetings = Meeting.objects.filter(jurisdiction=plan.jurisdiction, held_on__year=today.year, held_on__lte=today)
    if not decisions.exists() and not meetings.exists():
        return []
    rate = on_time_rate(decisions, today)
    value = "—" if rate.rate is None else f"{percent(rate.rate)}（{rate.on_time}/{rate.due}）"
    held = meetings.count()
    with_minutes = meetings.filter(minutes__isnull=False).count()
    return [
        Card("议定事项按期办结率", value, rules.RATE_RULE, reverse("meetings-decisions", args=[plan.jurisdiction_id])),
        Card(f"{today.year}年召开领导小组会议", f"{held} 次",
             f"当年已召开的各类领导小组会议（全体会议、联席会议、联络员会议、专题会），其中有会议记录的 {with_minutes} 次。",
             reverse("meetings-list", args=[plan.jurisdiction_id])),
    ]

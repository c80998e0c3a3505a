"""Home blocks (kesu.plans.home): for the office, overdue decisions with their due dates and the on-time rate;
for a unit reporter, the open decisions its unit leads or supports."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from kesu.domain.meeting_rules import days_overdue
from kesu.meetings.access import visible_decisions
from kesu.meetings.figures import on_time_rate, overdue
from kesu.meetings.models import Decision
from kesu.org.models import Membership
from kesu.plans.home import Block, Item
from kesu.plans.templatetags.kesu_format import percent

SHOWN = 5


def home_blocks(request: HttpRequest) -> list[Block]:
    roles = request.roles
    today = timezone.localdate()
    blocks = []
    offices = sorted({m.jurisdiction for m in roles.memberships if m.role == Membership.Role.OFFICE_ADMIN}, key=lambda j: j.path)
    for jurisdiction in offices:
        decisions = Decision.objects.filter(meeting__jurisdiction=jurisdiction)
        if not decisions.exists():
            continue
        late = list(overdue(decisions, today).select_related("meeting").order_by("due_on")[:SHOWN])
        count = overdue(decisions, today).count()
        listing = reverse("meetings-decisions", args=[jurisdiction.pk])
        items = [Item(label=f"逾期议定事项（共 {count} 项）", url=f"{listing}?overdue=1", figure=str(count), urgent=True)] if count else []
        items += [Item(label=d.text[:40], url=reverse("meetings-decision", args=[d.pk]), urgent=True,
                       note=f"办结时限 {d.due_on:%Y-%m-%d}（已过 {days_overdue(d.due_on, today)} 天）") for d in late]
        rate = on_time_rate(decisions, today)
        items.append(Item(label="议定事项按期办结率", url=listing,
                          figure="—" if rate.rate is None else percent(rate.rate), note=f"{rate.on_time}/{rate.due} 项按期办结"))
        blocks.append(Block(title=f"领导小组议定事项 · {jurisdiction.name}", who=f"科协办公室 · {jurisdiction.name}", items=items,
                            links=[("会议", reverse("meetings-list", args=[jurisdiction.pk])), ("议定事项", listing)], order=40))
    return blocks + _reporter_blocks(request)


def _reporter_blocks(request: HttpRequest) -> list[Block]:
    today = timezone.localdate()
    blocks = []
    areas = {m.jurisdiction for m in request.roles.memberships if m.role == Membership.Role.UNIT_REPORTER and m.unit_id}
    for jurisdiction in sorted(areas, key=lambda j: j.path):
        mine = visible_decisions(request.user, jurisdiction).filter(status=Decision.Status.OPEN)
        if not mine.exists():
            continue
        listing = reverse("meetings-decisions", args=[jurisdiction.pk])
        items = [Item(label=d.text[:40], url=reverse("meetings-decision", args=[d.pk]), urgent=d.due_on < today,
                      note=f"办结时限 {d.due_on:%Y-%m-%d}" + (f"（已过 {days_overdue(d.due_on, today)} 天）" if d.due_on < today else ""))
                 for d in mine.order_by("due_on")[:SHOWN]]
        blocks.append(Block(title=f"领导小组议定事项 · {jurisdiction.name}", who=f"成员单位填报员 · {jurisdiction.name}",
                            items=items, links=[("本单位议定事项", listing)], order=20))
    return blocks

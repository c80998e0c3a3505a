"""The service dashboard's read model: orders by status, step durations (median, P90), satisfaction, coverage
by township, most requested topics, escalated orders, and the registries' counts. Counting rules in RULES."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kesu.domain import dispatch
from kesu.domain.dispatch import State
from kesu.org.models import Jurisdiction
from kesu.tracking.models import Activity
from kesu.volunteering.actions import transitions_of
from kesu.volunteering.models import (
    ScienceBase,
    ServiceArea,
    ServiceHours,
    ServiceOrder,
    ServiceRecord,
    Team,
    TeamMembership,
    Volunteer,
)

RULES = {
    "orders": "按点单时间统计所选年度（或全部）的服务单；状态为当前状态。",
    "durations": dispatch.DURATION_RULE,
    "satisfaction": dispatch.SATISFACTION_RULE,
    "coverage": "覆盖村（社区）数＝该乡镇有已办结服务单的村（社区）数；服务人次以服务记录的服务人数为准。",
    "escalated": "超时升级：当前环节超过科协办公室设定的时限、尚未处理的服务单。",
}
MAX_ORDERS_FOR_DURATIONS = 20000


@dataclass
class TownshipRow:
    township: ServiceArea
    villages: int = 0
    covered: int = 0
    orders: int = 0
    closed: int = 0
    people: int = 0
    ratings: list[int] = field(default_factory=list)
    lightness: int = 97  # background of the 办结 cell: darker blue for more completed orders (a heat table)

    @property
    def rating(self) -> float | None:
        return sum(self.ratings) / len(self.ratings) if self.ratings else None

    @property
    def coverage(self) -> float | None:
        return self.covered / self.villages if self.villages else None


@dataclass
class Dashboard:
    jurisdiction: Jurisdiction
    year: int | None
    total: int
    by_state: list[tuple[str, str, int]]
    steps: list[dispatch.StepStats]
    satisfaction: dispatch.Satisfaction
    townships: list[TownshipRow]
    topics: list[tuple[str, int, int]]
    escalated: list[ServiceOrder]
    monthly: list[tuple[str, int, int]]
    registry: dict[str, object]


def orders_in_scope(jurisdiction: Jurisdiction, year: int | None):
    orders = ServiceOrder.objects.filter(jurisdiction__path__startswith=jurisdiction.path)
    if year:
        orders = orders.filter(submitted_at__year=year)
    return orders


def build(jurisdiction: Jurisdiction, year: int | None) -> Dashboard:
    orders = orders_in_scope(jurisdiction, year)
    states = Counter(dict(orders.values_list("state").annotate(n=Count("pk")).values_list("state", "n")))
    by_state = [(s.value, dispatch.STATE_LABELS[s], states.get(s.value, 0)) for s in State]
    transitions = transitions_of(orders.order_by("-submitted_at").values("pk")[:MAX_ORDERS_FOR_DURATIONS])
    steps = dispatch.step_stats(dispatch.time_in_steps(t) for t in transitions.values())
    ratings = list(orders.filter(rating__isnull=False).values_list("rating", flat=True))
    topics = orders.values("topic__name").annotate(n=Count("pk"), closed=Count("pk", filter=Q(state="closed"))).order_by("-n", "topic__name")[:10]
    escalated = list(ServiceOrder.objects.filter(jurisdiction__path__startswith=jurisdiction.path, escalated_at__isnull=False)
                     .exclude(state__in=[s.value for s in dispatch.TERMINAL])
                     .select_related("township", "topic", "unit", "team").order_by("escalated_at")[:100])
    return Dashboard(
        jurisdiction=jurisdiction, year=year, total=sum(states.values()), by_state=by_state, steps=steps,
        satisfaction=dispatch.satisfaction(ratings), townships=_townships(jurisdiction, orders),
        topics=[(r["topic__name"], r["n"], r["closed"]) for r in topics], escalated=escalated,
        monthly=_monthly(jurisdiction), registry=_registry(jurisdiction, year),
    )


def _townships(jurisdiction: Jurisdiction, orders) -> list[TownshipRow]:
    rows: dict[int, TownshipRow] = {}
    for township in ServiceArea.objects.filter(jurisdiction__path__startswith=jurisdiction.path, kind="township") \
            .annotate(n=Count("children", filter=Q(children__active=True))).order_by("jurisdiction__path", "position", "name"):
        rows[township.pk] = TownshipRow(township, villages=township.n)
    covered: dict[int, set[int]] = defaultdict(set)
    for township_id, village_id, state, rating in orders.values_list("township_id", "village_id", "state", "rating"):
        row = rows.get(township_id)
        if row is None:
            continue
        row.orders += 1
        if state == State.CLOSED:
            row.closed += 1
            if village_id:
                covered[township_id].add(village_id)
        if rating:
            row.ratings.append(rating)
    people = ServiceRecord.objects.filter(order__in=orders.filter(state="closed")).values("order__township_id").annotate(n=Sum("attendees"))
    for item in people:
        if item["order__township_id"] in rows:
            rows[item["order__township_id"]].people = item["n"] or 0
    for township_id, villages in covered.items():
        rows[township_id].covered = len(villages)
    top = max([r.closed for r in rows.values()] + [1])
    for row in rows.values():
        row.lightness = round(97 - 30 * row.closed / top)
    return list(rows.values())


def _monthly(jurisdiction: Jurisdiction, months: int = 12) -> list[tuple[str, int, int]]:
    """(YYYY-MM, orders placed, orders closed) for the last 12 months."""
    today = timezone.localdate()
    keys = []
    year, month = today.year, today.month
    for _ in range(months):
        keys.append(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    keys.reverse()
    start = dt.datetime.strptime(keys[0] + "-01", "%Y-%m-%d").replace(tzinfo=timezone.get_default_timezone())
    scope = ServiceOrder.objects.filter(jurisdiction__path__startswith=jurisdiction.path)
    placed = Counter(f"{timezone.localtime(t):%Y-%m}" for t in scope.filter(submitted_at__gte=start).values_list("submitted_at", flat=True))
    closed = Counter(f"{timezone.localtime(t):%Y-%m}" for t in scope.filter(closed_at__gte=start, state="closed").values_list("closed_at", flat=True))
    return [(k, placed.get(k, 0), closed.get(k, 0)) for k in keys]


def _registry(jurisdiction: Jurisdiction, year: int | None) -> dict[str, object]:
    path = jurisdiction.path
    today = timezone.localdate()
    activities = Activity.objects.filter(plan__jurisdiction__path__startswith=path)
    hours = ServiceHours.objects.filter(team__jurisdiction__path__startswith=path)
    if year:
        activities = activities.filter(held_on__year=year)
        hours = hours.filter(served_on__year=year)
    bases = Counter(dict(ScienceBase.objects.filter(jurisdiction__path__startswith=path, revoked_year__isnull=True)
                         .values_list("level").annotate(n=Count("pk")).values_list("level", "n")))
    return {
        "volunteers": Volunteer.objects.filter(jurisdiction__path__startswith=path, left_on__isnull=True).count(),
        "members": TeamMembership.objects.filter(team__jurisdiction__path__startswith=path, status="active")
        .values("volunteer").distinct().count(),
        "teams": Team.objects.filter(jurisdiction__path__startswith=path).filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today)).count(),
        "bases": [(label, bases.get(value, 0)) for value, label in ScienceBase.Level.choices],
        "activities": activities.count(), "participants": activities.aggregate(n=Sum("participants"))["n"] or 0,
        "hours": hours.aggregate(n=Sum("hours"))["n"] or 0,
    }


def monthly_svg(monthly: list[tuple[str, int, int]], width: int = 640, height: int = 180) -> SafeString:
    """Grouped bars (placed / closed per month) as inline SVG: no script, no CDN."""
    top = max([max(p, c) for _, p, c in monthly] + [1])
    left, bottom, right = 34, 24, 8
    plot_w, plot_h = width - left - right, height - bottom - 10
    slot = plot_w / max(len(monthly), 1)
    bar = max(slot * 0.34, 2)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="近12个月点单与办结数" '
             f'xmlns="http://www.w3.org/2000/svg" font-size="11" font-family="sans-serif">']
    for i in range(5):
        value = top * i / 4
        y = 10 + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d9e2ec"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#616e7c">{value:.0f}</text>')
    for i, (month, placed, closed) in enumerate(monthly):
        x = left + i * slot + slot * 0.14
        for j, (value, colour, name) in enumerate(((placed, "#1d4f91", "点单"), (closed, "#2f9e5b", "办结"))):
            h = plot_h * value / top
            parts.append(f'<rect x="{x + j * bar:.1f}" y="{10 + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}">'
                         f'<title>{escape(month)} {name} {value}</title></rect>')
        parts.append(f'<text x="{left + i * slot + slot / 2:.1f}" y="{height - 8}" text-anchor="middle" fill="#616e7c">{int(month[5:])}月</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped labels only

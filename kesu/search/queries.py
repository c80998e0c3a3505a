"""Search across plans, measures, member units and report texts, limited to what the user may open
(plans: kesu.plans.access.visible_plans; reports: kesu.tracking.access.reports_visible_to)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from kesu.org.access import User
from kesu.org.models import MemberUnit
from kesu.plans.access import visible_plans
from kesu.plans.models import Plan, Task
from kesu.tracking.access import reports_visible_to

MAX_QUERY = 50
LIMIT = 20  # hits shown per kind


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    context: str = ""


@dataclass
class Group:
    kind: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # more than LIMIT matched


@dataclass
class Results:
    query: str
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(len(g.hits) for g in self.groups)


def excerpt(text: str, query: str, width: int = 40) -> str:
    """The words around the first occurrence of the query (case-insensitive), with … where text was cut."""
    at = text.lower().find(query.lower())
    if at < 0:
        return text[: width * 2] + ("…" if len(text) > width * 2 else "")
    start, end = max(0, at - width), min(len(text), at + len(query) + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _group(kind: str, rows: list, to_hit) -> Group:
    return Group(kind, [to_hit(row) for row in rows[:LIMIT]], more=len(rows) > LIMIT)


def search(user: User, query: str) -> Results:
    query = " ".join(query.split())[:MAX_QUERY]
    if not query:
        return Results(query, [])
    plans = visible_plans(user)
    plan_rows = list(plans.filter(Q(title__icontains=query) | Q(jurisdiction__name__icontains=query))
                     .order_by("jurisdiction__path", "-period_start")[: LIMIT + 1])
    tasks = list(Task.objects.filter(section__plan__in=plans, title__icontains=query)
                 .select_related("section__plan__jurisdiction")
                 .order_by("section__plan_id", "section__position", "position")[: LIMIT + 1])
    # A unit links to its unit page in the newest plan the user may see in its jurisdiction.
    plan_of: dict[int, Plan] = {}
    for plan in plans.order_by("period_start"):
        plan_of[plan.jurisdiction_id] = plan
    units = list(MemberUnit.objects.filter(jurisdiction_id__in=plan_of)
                 .filter(Q(name__icontains=query) | Q(aliases__alias__icontains=query))
                 .select_related("jurisdiction").distinct().order_by("jurisdiction__path", "name")[: LIMIT + 1])
    reports = list(reports_visible_to(user)
                   .filter(Q(summary__icontains=query) | Q(return_reason__icontains=query))
                   .select_related("cycle", "task", "unit", "cycle__plan__jurisdiction")
                   .order_by("-cycle__deadline", "unit__name")[: LIMIT + 1])
    groups = [
        _group("实施方案", plan_rows, lambda p: Hit(p.title, reverse("plan-overview", args=[p.pk]), p.jurisdiction.name)),
        _group("措施", tasks, lambda t: Hit(
            t.title, f"{reverse('plan-overview', args=[t.section.plan_id])}#task-{t.pk}",
            f"{t.section.plan.jurisdiction.name} · {t.section.title}")),
        _group("成员单位", units, lambda u: Hit(
            u.name, reverse("plan-unit", args=[plan_of[u.jurisdiction_id].pk, u.pk]), u.jurisdiction.name)),
        _group("进展报告", reports, lambda r: Hit(
            f"{r.unit.name} · {r.task.title}", reverse("tracking-report", args=[r.pk]),
            f"{r.cycle.plan.jurisdiction.name} {r.cycle} · {r.state_label}："
            f"{excerpt(r.summary if query.lower() in r.summary.lower() else r.return_reason, query)}")),
    ]
    return Results(query, [g for g in groups if g.hits])

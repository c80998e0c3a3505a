"""Which plan of a jurisdiction is its current one — one rule for dashboards, home blocks, roll-ups, the plans
list and the API.

- a plan that has ended (已结束, replaced by its successor) is never current while another plan is not ended;
- among the others: published before unpublished, then the one whose period contains this year, then the one
  that has started (period_start ≤ this year), then the latest start;
- when every plan has ended, the one that ended last (latest period end) — its pages stay browsable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

CURRENT_PLAN_RULE = ("现行方案：未结束的方案中，已发布的优先，其次是实施期包含本年的、已开始实施的，再取起始年最晚的；"
                     "已结束的方案只在没有其他方案时显示。")


@dataclass(frozen=True)
class PlanTerm:
    id: int
    period_start: int
    period_end: int
    published: bool
    ended: bool


def _rank(plan: PlanTerm, year: int) -> tuple:
    if plan.ended:
        return (0, plan.period_end, plan.period_start, plan.id)
    contains = plan.period_start <= year <= plan.period_end
    return (1, plan.published, contains, plan.period_start <= year, plan.period_start, plan.id)


def current_plan(plans: Iterable[PlanTerm], year: int) -> PlanTerm | None:
    """The current plan among one jurisdiction's plans in `year` (None when there is none)."""
    return max(plans, key=lambda p: _rank(p, year), default=None)


def plan_in_force(plans: Iterable[PlanTerm], year: int) -> PlanTerm | None:
    """The plan a given year's work counts for (funding of that year, a campaign of that year): the plan whose
    period contains the year, the later-starting one when two overlap; else, for a year no plan covers, the
    current plan. Unlike current_plan, an ended plan is in force in its own years."""
    plans = list(plans)
    covering = [p for p in plans if p.period_start <= year <= p.period_end]
    if covering:
        return max(covering, key=lambda p: (p.period_start, p.published, p.id))
    return current_plan(plans, year)


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Do two periods (inclusive years) share a year?"""
    return a_start <= b_end and b_start <= a_end

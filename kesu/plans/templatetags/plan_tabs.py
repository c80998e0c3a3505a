"""Which of a plan's tabs the viewer can open, so the tabs list only those (the views check the same rules)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from kesu.org.access import Roles
from kesu.plans.models import Plan

register = template.Library()


@dataclass(frozen=True)
class PlanTabs:
    assessment: bool  # 仪表盘, 年度考核, 工作总结: the office and supervisors (tracking.access.can_view_assessment)
    tracking: bool  # 进展填报: they and the plan's unit reporters (tracking.access.can_track_plan)
    survey: bool  # 科学素质: members of the plan's jurisdiction or above (survey.access.readable_jurisdiction)


@register.simple_tag(takes_context=True)
def plan_tabs(context: template.Context, plan: Plan) -> PlanTabs:
    roles: Roles | None = getattr(context.get("request"), "roles", None)
    if roles is None:  # rendered outside a request: no tab beyond the plan's own pages
        return PlanTabs(assessment=False, tracking=False, survey=False)
    jurisdiction = plan.jurisdiction
    supervises = roles.is_office_for(jurisdiction) or roles.supervises(jurisdiction)
    return PlanTabs(
        assessment=supervises,
        tracking=supervises or bool(roles.reporter_unit_ids(jurisdiction)),
        survey=roles.in_scope(jurisdiction),
    )

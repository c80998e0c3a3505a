"""方案衔接: the proposals for a successor plan, confirmed in one go by the office; afterwards what was confirmed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from kesu.domain.number_bounds import as_number
from kesu.domain.refusals import Refused
from kesu.org.access import is_office_admin
from kesu.plans.access import can_view_plan
from kesu.plans.models import Plan
from kesu.succession.actions import Choices, do_confirm_succession
from kesu.succession.models import Succession
from kesu.succession.proposals import BASELINE_RULE, gather


def _typed_number(text: str) -> float | None | str:
    """A typed baseline: None when empty, the number, or the text itself when it is not a number (refused)."""
    text = text.strip()
    if not text:
        return None
    number = as_number(text)
    return text if number is None else number


class _Unreadable(Refused):
    pass


def _choices(post) -> Choices:
    targets: dict[str, float | None] = {}
    for key in post.getlist("target"):
        value = _typed_number(post.get(f"baseline-{key}", ""))
        if isinstance(value, str):
            raise _Unreadable(f"基线值“{value}”不是数字。", field=f"baseline-{key}")
        targets[key] = value
    headline = None
    if post.get("headline") == "on":
        value = _typed_number(post.get("headline_value", ""))
        if isinstance(value, str):
            raise _Unreadable(f"总体目标基线“{value}”不是数字。", field="headline_value")
        headline = value
    return Choices(frozenset(post.getlist("measure")), targets, headline, post.get("end_predecessor") == "on")


@login_required
def succession(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("jurisdiction", "predecessor"), pk=plan_id)
    if not can_view_plan(request.user, plan):
        raise Http404("没有找到该方案")
    confirmed = Succession.objects.filter(successor=plan).select_related("predecessor", "confirmed_by").first()
    can_confirm = confirmed is None and plan.predecessor_id is not None and not plan.is_ended \
        and is_office_admin(request.user, plan.jurisdiction)
    context = {"plan": plan, "confirmed": confirmed, "can_confirm": can_confirm, "rule": BASELINE_RULE,
               "posted": None, "typed": {}, "error": None}
    if request.method == "POST":
        if not can_confirm:
            raise PermissionDenied("只有本级科协办公室管理员可以确认尚未确认的方案衔接")
        try:
            choices = _choices(request.POST)
            do_confirm_succession(plan, request.user, choices)
        except Refused as error:
            context.update(error=error, posted=request.POST, typed=dict(request.POST.items()))
        else:
            messages.success(request, "方案衔接已确认：基线值已带入新方案" + ("，上一方案已结束并转为只读" if choices.end_predecessor else ""))
            return redirect("plan-targets", plan_id=plan.pk)
    if confirmed is not None:
        context["measure_links"] = confirmed.measure_links.select_related("old", "new")
        context["target_links"] = confirmed.target_links.select_related("old", "new")
    elif plan.predecessor_id is not None:
        context["proposals"] = proposals = gather(plan)
        if context["posted"] is not None:  # a refused confirmation: show every box and number as the office left it
            context["posted_measures"] = request.POST.getlist("measure")
            context["posted_targets"] = request.POST.getlist("target")
            for row in proposals.targets:
                row.typed = request.POST.get(f"baseline-{row.key}", "")
    status = 400 if context["error"] else 200
    return render(request, "succession/succession.html", context, status=status)

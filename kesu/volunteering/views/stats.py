"""The service dashboard (and its .xlsx export) and the page where the office binds plan targets to live counts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kesu.domain.campaign_rules import AUDIENCE_LABELS
from kesu.infra.params import int_param
from kesu.org.access import supervised_jurisdictions
from kesu.plans.exports import content_disposition
from kesu.plans.models import Plan, Target
from kesu.tracking.models import Activity
from kesu.volunteering import admin_actions, stats
from kesu.volunteering.binding import (
    ACTIVITY_LABELS,
    KINDS,
    LEVEL_LABELS,
    bound_target_values,
    rule_text,
    suggest,
    suggest_audiences,
)
from kesu.volunteering.exports import table_workbook
from kesu.volunteering.models import ScienceBase
from kesu.volunteering.views.context import context_jurisdiction, request_roles

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest) -> int | None:
    if request.GET.get("year") == "all":
        return None
    this_year = timezone.localdate().year
    return int_param(request.GET, "year", low=this_year - 100, high=this_year + 1, default=this_year)


def _scope(request: HttpRequest):
    roles = request_roles(request)
    jurisdiction = context_jurisdiction(request, roles)
    if not roles.supervises(jurisdiction):
        raise PermissionDenied("服务统计供科协办公室和领导查看")
    return roles, jurisdiction


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    roles, jurisdiction = _scope(request)
    year = _year(request)
    board = stats.build(jurisdiction, year)
    top_state = max([n for _, _, n in board.by_state] + [1])
    top_topic = max([n for _, n, _ in board.topics] + [1])
    this_year = timezone.localdate().year
    return render(request, "services/dashboard.html", {
        "jurisdiction": jurisdiction, "board": board, "year": year, "years": range(this_year, this_year - 5, -1),
        "top_state": top_state, "top_topic": top_topic, "rules": stats.RULES,
        "chart": stats.monthly_svg(board.monthly), "jurisdictions": supervised_jurisdictions(roles).order_by("path"),
        "distribution": [(score, board.satisfaction.distribution[score]) for score in range(5, 0, -1)],
        "top_rating": max(list(board.satisfaction.distribution.values()) + [1]),
        "year_param": year or "all",
    })


def _h(value: float | None) -> float | str:
    return "" if value is None else round(value, 1)


@login_required
def dashboard_export(request: HttpRequest) -> HttpResponse:
    _, jurisdiction = _scope(request)
    year = _year(request)
    board = stats.build(jurisdiction, year)
    s = board.satisfaction
    sheets = [
        ("服务单状态", ["状态", "服务单数"], [[label, n] for _, label, n in board.by_state] + [["合计", board.total]], [20, 12]),
        ("环节用时", ["环节", "完成该环节的服务单", "中位数（小时）", "P90（小时）"],
         [[st.label, st.count, _h(st.median_hours), _h(st.p90_hours)] for st in board.steps], [22, 18, 16, 14]),
        ("满意度", ["项目", "数值"],
         [["已评价服务单", s.count], ["平均分", _h(s.mean)], ["满意率（4—5分）", "" if s.satisfied_share is None else f"{s.satisfied_share:.1%}"]]
         + [[f"{score} 分", s.distribution[score]] for score in range(5, 0, -1)], [20, 12]),
        ("乡镇覆盖", ["乡镇/街道", "村（社区）数", "已覆盖村（社区）", "服务单", "已办结", "服务人次", "平均评分"],
         [[r.township.name, r.villages, r.covered, r.orders, r.closed, r.people, _h(r.rating)] for r in board.townships],
         [18, 12, 14, 10, 10, 10, 10]),
        ("热门主题", ["服务主题", "点单数", "已办结"], [list(t) for t in board.topics], [20, 10, 10]),
        ("超时服务单", ["查询码", "主题", "乡镇", "状态", "升级时间"],
         [[o.code, o.topic.name, o.township.name, o.state_label, f"{timezone.localtime(o.escalated_at):%Y-%m-%d %H:%M}"]
          for o in board.escalated], [20, 14, 14, 16, 18]),
    ]
    scope = f"{jurisdiction.name}{year or '全部'}年度" if year else f"{jurisdiction.name}全部年度"
    data = table_workbook(f"{scope}基层科普服务统计", sheets, notes=list(stats.RULES.values()))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition(f"{scope}基层科普服务统计.xlsx")
    return response


# ---------------------------------------------------------------------------- bound targets


@login_required
def bindings(request: HttpRequest, plan_id: int) -> HttpResponse:
    roles = request_roles(request)
    plan = get_object_or_404(Plan.objects.select_related("jurisdiction"), pk=plan_id)
    if not roles.supervises(plan.jurisdiction):
        raise Http404("没有找到该方案")
    office = roles.is_office_for(plan.jurisdiction)
    targets = Target.objects.filter(task__section__plan=plan).select_related("task__section", "service_binding") \
        .order_by("task__section__position", "task__position", "position")
    values = bound_target_values(plan)
    rows = []
    for target in targets:
        binding = getattr(target, "service_binding", None)
        rows.append({"target": target, "binding": binding, "value": values.get(target.pk), "suggestion": suggest(target)
                     if binding is None else None, "kind_label": KINDS[binding.kind].label if binding else "",
                     "audience_suggestion": suggest_audiences(target) if binding is None else []})
    return render(request, "services/bindings.html", {
        "plan": plan, "rows": rows, "office": office, "kinds": KINDS.values(),
        "levels": ScienceBase.Level.choices, "activity_kinds": Activity.Kind.choices,
        "level_labels": LEVEL_LABELS, "activity_labels": ACTIVITY_LABELS,
        "audiences": list(AUDIENCE_LABELS.items()), "audience_labels": AUDIENCE_LABELS,
    })


@login_required
@require_POST
def bind_target(request: HttpRequest, plan_id: int, target_id: int) -> HttpResponse:
    roles = request_roles(request)
    plan = get_object_or_404(Plan.objects.select_related("jurisdiction"), pk=plan_id)
    if not roles.is_office_for(plan.jurisdiction):
        raise PermissionDenied("只有本级科协办公室可以设置目标的统计口径")
    target = get_object_or_404(Target, pk=target_id, task__section__plan=plan)
    kind = request.POST.get("kind", "")
    if kind == "":
        admin_actions.do_unbind_target(target, request.user)
        messages.success(request, f"“{target.indicator}”已改回按进展报告填报")
        return redirect("service-bindings", plan_id=plan.pk)
    if kind not in KINDS:
        messages.error(request, "请选择统计口径")
        return redirect("service-bindings", plan_id=plan.pk)
    levels = [v for v in request.POST.getlist("levels") if v in LEVEL_LABELS] if kind == "bases" else []
    activity_kinds = [v for v in request.POST.getlist("activity_kinds") if v in ACTIVITY_LABELS] \
        if kind in ("activities", "activity_participants") else []
    audiences = [v for v in AUDIENCE_LABELS if v in request.POST.getlist("audiences")] \
        if kind in ("activities", "activity_participants") else []
    binding = admin_actions.do_bind_target(target, request.user, kind, levels, activity_kinds, audiences)
    messages.success(request, f"“{target.indicator}”已绑定实时统计。{rule_text(binding)}")
    return redirect("service-bindings", plan_id=plan.pk)

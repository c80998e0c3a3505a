"""The evaluation page (office, its leaders and the levels above read; only the office edits) and its documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kesu.domain.refusals import Refused
from kesu.evaluation.actions import StaleEvaluationText, do_save_evaluation_text
from kesu.evaluation.content import gather
from kesu.evaluation.models import EvaluationEvent, Part
from kesu.evaluation.pdf import render_pdf
from kesu.evaluation.word import render_docx
from kesu.infra.params import int_param
from kesu.org.access import is_office_admin
from kesu.plans.access import can_view_plan
from kesu.plans.exports import content_disposition
from kesu.plans.models import Plan
from kesu.tracking.access import can_view_assessment

FILES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf"}


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("jurisdiction"), pk=plan_id)
    if not can_view_plan(request.user, plan):
        raise Http404("没有找到该方案")
    if not can_view_assessment(request.user, plan):
        raise PermissionDenied("实施评估供科协办公室和领导查看")
    return plan


def _years(request: HttpRequest, plan: Plan) -> tuple[int, int]:
    """The evaluated years from ?start=&end= (default: the plan's whole period, 终期评估)."""
    params = request.POST if request.method == "POST" else request.GET
    low, high = plan.period_start, plan.period_end
    start = int_param(params, "start", low=low, high=high, default=low)
    end = int_param(params, "end", low=low, high=high, default=high)
    if start > end:
        raise BadRequest("起始年不能晚于截止年")
    return start, end


def _page(request: HttpRequest, plan: Plan, years: tuple[int, int], kept: dict[str, str] | None = None,
          stale: StaleEvaluationText | None = None, status: int = 200) -> HttpResponse:
    content = gather(plan, *years)
    office = is_office_admin(request.user, plan.jurisdiction)
    parts = []
    for part, label in Part.choices:
        saved = content.texts.get(part)
        parts.append({
            "part": part, "label": label, "saved": saved, "version": saved.version if saved else 0,
            "text": (kept or {}).get(part, saved.text if saved else ""),
            "other": stale.current if stale and stale.current.part == part else None,
        })
    history = EvaluationEvent.objects.filter(plan=plan).select_related("actor")[:20] if office else []
    query = f"?start={years[0]}&end={years[1]}"
    return render(request, "evaluation/evaluation.html", {
        "plan": plan, "content": content, "office": office, "parts": parts, "history": history, "stale": stale,
        "year_choices": range(plan.period_start, plan.period_end + 1), "query": query,
        "docx_url": reverse("evaluation-file", args=[plan.pk, "docx"]) + query,
        "pdf_url": reverse("evaluation-file", args=[plan.pk, "pdf"]) + query,
    }, status=status)


@login_required
def evaluation(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    return _page(request, plan, _years(request, plan))


@login_required
@require_POST
def save_text(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    if not is_office_admin(request.user, plan.jurisdiction):
        raise PermissionDenied("只有本级科协办公室可以修改评估内容")
    years = _years(request, plan)
    part = request.POST.get("part", "")
    if part not in Part.values:
        raise BadRequest("未知的评估部分")
    text = request.POST.get("text", "")
    version = int_param(request.POST, "version", low=0, high=10**9, default=0)
    try:
        do_save_evaluation_text(plan, years, Part(part), text, version, request.user)
    except StaleEvaluationText as stale:
        messages.error(request, str(stale))
        return _page(request, plan, years, kept={part: text}, stale=stale, status=409)
    except Refused as error:
        messages.error(request, str(error))
        return _page(request, plan, years, kept={part: text}, status=400)
    messages.success(request, f"已保存“{Part(part).label}”")
    return redirect(reverse("evaluation", args=[plan.pk]) + f"?start={years[0]}&end={years[1]}#part-{part}")


@login_required
def download(request: HttpRequest, plan_id: int, kind: str) -> HttpResponse:
    if kind not in FILES:
        raise Http404("没有这种文件")
    plan = _plan(request, plan_id)
    content = gather(plan, *_years(request, plan))
    body = render_docx(content) if kind == "docx" else render_pdf(content)
    response = HttpResponse(body, content_type=FILES[kind])
    response["Content-Disposition"] = content_disposition(f"{content.title}.{kind}")
    return response

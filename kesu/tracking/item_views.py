"""Pages of item reports (年度工作要点, 议定事项… reported in cycles, kesu.tracking.cycle_items): the report page
(the unit fills and submits, the office approves or returns) and the cycle page's section listing them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kesu.domain import report_workflow as workflow
from kesu.org.access import is_office_admin
from kesu.tracking import actions, cycle_items
from kesu.tracking.access import can_view_report, office_may_review, reporter_may_edit
from kesu.tracking.forms import ReportForm, ReturnForm
from kesu.tracking.models import ItemReport, ReportingCycle

ITEM_RULE = ("年度工作要点、议定事项等事项报告单独计数，不计入措施报告的报送率和按时率："
             "已提交＝提交过（含已审核通过和被退回后待重新提交）的事项报告数，应报＝本期全部事项报告数。")


@dataclass(frozen=True)
class ItemCounts:
    label: str
    expected: int
    submitted: int
    approved: int


def cycle_item_counts(cycle: ReportingCycle) -> list[ItemCounts]:
    """Per source: the cycle's item reports, how many were ever submitted, how many are approved (ITEM_RULE)."""
    expected: Counter = Counter()
    submitted: Counter = Counter()
    approved: Counter = Counter()
    for source, first, state in ItemReport.objects.filter(cycle=cycle).values_list("source", "first_submitted_at", "state"):
        expected[source] += 1
        submitted[source] += first is not None
        approved[source] += state == workflow.State.APPROVED
    return [ItemCounts(cycle_items.label_of(s), expected[s], submitted[s], approved[s]) for s in sorted(expected)]


def _item_report(request: HttpRequest, report_id: int) -> ItemReport:
    report = get_object_or_404(ItemReport.objects.select_related("cycle__plan__jurisdiction", "unit"), pk=report_id)
    if not can_view_report(request.user, report):
        raise Http404("没有找到该报告")
    return report


def _form(report: ItemReport, data=None) -> ReportForm:
    return ReportForm(data, initial={"version": report.version, "progress": report.progress, "summary": report.summary})


def _page(request: HttpRequest, report: ItemReport, form: ReportForm | None = None, status: int = 200) -> HttpResponse:
    plan = report.cycle.plan
    return render(request, "tracking/item_report.html", {
        "report": report, "plan": plan, "label": cycle_items.label_of(report.source),
        "item_url": cycle_items.item_url(report.source, report.source_id),
        "editable": reporter_may_edit(request.user, report), "form": form or _form(report), "window": report.window(),
        "can_review": office_may_review(request.user, report),
        "return_form": ReturnForm(), "history": report.events.select_related("actor")[:100],
        "earlier": ItemReport.objects.filter(source=report.source, source_id=report.source_id, unit=report.unit,
                                             cycle__plan=plan).exclude(pk=report.pk)
        .filter(cycle__year__lte=report.cycle.year).select_related("cycle").order_by("-cycle__year", "-cycle__number")[:8]
        if can_view_report(request.user, report) else [],
    }, status=status)


@login_required
def item_report(request: HttpRequest, item_report_id: int) -> HttpResponse:
    report = _item_report(request, item_report_id)
    if request.method != "POST":
        return _page(request, report)
    if not reporter_may_edit(request.user, report):
        raise PermissionDenied("这份报告当前不能由您修改")
    form = _form(report, request.POST)
    if not form.is_valid():
        return _page(request, report, form, status=400)
    data = form.cleaned_data
    try:
        saved = actions.do_save_item_report(report, request.user, data["version"], data["progress"], data["summary"])
        if request.POST.get("action") == "submit":
            actions.do_submit_item_report(saved, request.user, saved.version)
            messages.success(request, "报告已提交，等待科协办公室审核")
        else:
            messages.success(request, "草稿已保存")
    except (actions.StaleReport, workflow.MoveRefused) as error:
        form.add_error(None, str(error))
        return _page(request, report, form, status=409)
    return redirect("tracking-item-report", item_report_id=report.pk)


@login_required
@require_POST
def review_item_report(request: HttpRequest, item_report_id: int) -> HttpResponse:
    report = _item_report(request, item_report_id)
    if not is_office_admin(request.user, report.cycle.plan.jurisdiction):
        raise PermissionDenied("只有科协办公室可以审核报告")
    try:
        if request.POST.get("decision") == "approve":
            actions.do_approve_item_report(report, request.user)
            messages.success(request, "已审核通过，报告已锁定")
        else:
            actions.do_return_item_report(report, request.user, request.POST.get("reason", ""))
            messages.success(request, "已退回，填报单位会收到提醒")
    except workflow.MoveRefused as error:
        messages.error(request, str(error))
    return redirect("tracking-item-report", item_report_id=report.pk)

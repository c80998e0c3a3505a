"""Tracking pages: cycles, reports and their review, evidence, activities, target progress, notices."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kesu.domain import report_workflow as workflow
from kesu.domain.evidence_rules import EvidenceRefused
from kesu.domain.number_bounds import MAX_ID, RUBRIC_POINTS
from kesu.domain.refusals import Refused
from kesu.domain.reporting_periods import suggest_cycle
from kesu.domain.target_progress import STATUS_LABELS, Status
from kesu.infra.params import id_param, int_param
from kesu.org.access import is_office_admin, reporter_unit_ids, supervises
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.plans.access import can_view_plan
from kesu.plans.dashboard_cards import dashboard_cards
from kesu.plans.exports import content_disposition
from kesu.plans.models import Plan, Target, Task
from kesu.tracking import actions, readcache
from kesu.tracking.access import (
    can_contribute,
    can_download_evidence,
    can_track_plan,
    can_view_assessment,
    can_view_report,
    office_may_review,
    reporter_may_edit,
    visible_item_reports,
    visible_reports,
)
from kesu.tracking.assessment import (
    RATE_RULE,
    TARGET_RULE,
    cycle_rates,
    item_progress_rule,
    plan_rates,
    rubric_for,
    targets_progress,
    yearly_scores,
)
from kesu.tracking.cycle_filters import STATUS_CHOICES, CycleFilters
from kesu.tracking.cycle_items import items_for_task
from kesu.tracking.dashboard import RULES, latest_cycle, plan_dashboard, plans_below, rollup
from kesu.tracking.exports import cycle_workbook, scores_workbook
from kesu.tracking.forms import (
    ActivityForm,
    AdjustmentForm,
    ContributionForm,
    CycleForm,
    EvidenceForm,
    ExceptionForm,
    ManualScoreForm,
    ReportForm,
    ReturnForm,
    cycle_form_initial,
    pop_audiences,
)
from kesu.tracking.item_views import ITEM_RULE, cycle_item_counts
from kesu.tracking.models import (
    Activity,
    Contribution,
    Evidence,
    Report,
    ReportingCycle,
    SummaryDocument,
)
from kesu.tracking.my_reports import PAGE_SIZE as MY_REPORTS_PAGE_SIZE
from kesu.tracking.my_reports import STATUS_CHOICES as MY_STATUS_CHOICES
from kesu.tracking.my_reports import MyReportsFilters
from kesu.tracking.rubric_sources import available_kinds
from kesu.tracking.summary.job import SummaryRefused, do_cancel_summary, do_request_summary, do_retry_summary


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("jurisdiction"), pk=plan_id)
    if not can_view_plan(request.user, plan):
        raise Http404("没有找到该方案")
    return plan


def _office_plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = _plan(request, plan_id)
    if not is_office_admin(request.user, plan.jurisdiction):
        raise PermissionDenied("只有本级科协办公室可以进行此操作")
    return plan


def _lead_units(plan: Plan) -> list[MemberUnit]:
    return list(MemberUnit.objects.filter(reports__cycle__plan=plan).distinct().order_by("name"))


@login_required
def plan_tracking(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    office = is_office_admin(request.user, plan.jurisdiction)
    if not can_track_plan(request.user, plan):
        raise PermissionDenied("您没有该方案的跟踪权限")
    all_cycles = list(plan.cycles.all())
    suggestion = suggest_cycle(plan.period_start, plan.period_end, timezone.localdate(),
                               frozenset(c.period for c in all_cycles))
    form = CycleForm(request.POST or None, initial=cycle_form_initial(suggestion))
    if request.method == "POST":
        if not office:
            raise PermissionDenied("只有本级科协办公室可以开启填报")
        if form.is_valid():
            data = form.cleaned_data
            try:
                cycle = actions.do_open_cycle(
                    plan, request.user, data["period_type"], data["year"], data["number"], data["deadline"],
                    data["lock_days"], data["remind_days"],
                )
            except (actions.CycleRefused, ValueError) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"已开启{cycle}填报，共 {cycle.reports.count()} 份报告待填")
                return redirect("tracking-cycle", plan_id=plan.pk, cycle_id=cycle.pk)
    rates = plan_rates(all_cycles)
    cycles = [(c, rates[c.pk][0]) for c in all_cycles]
    return render(request, "tracking/plan_tracking.html", {
        "plan": plan, "cycles": cycles, "form": form, "office": office, "rate_rule": RATE_RULE, "suggestion": suggestion,
        "is_reporter": bool(reporter_unit_ids(request.user, plan.jurisdiction)),
    })


CYCLE_PAGE_SIZE = 50
MY_ITEMS_SHOWN = 100  # a unit's item reports on 我的填报任务 (a unit leads a few work points and decisions a year)
ITEM_ROWS = 300  # item reports listed on the cycle page (年度工作要点, 议定事项)


def _cycle_reader(request: HttpRequest, plan_id: int, cycle_id: int) -> tuple[Plan, ReportingCycle, bool]:
    """The plan and cycle for whoever may read all its units' reports (its office, the supervisors); office?"""
    plan = _plan(request, plan_id)
    cycle = get_object_or_404(ReportingCycle, pk=cycle_id, plan=plan)
    if not can_view_assessment(request.user, plan):
        raise PermissionDenied("只有科协办公室和领导可以查看全部单位的填报情况")
    return plan, cycle, is_office_admin(request.user, plan.jurisdiction)


@login_required
def cycle_detail(request: HttpRequest, plan_id: int, cycle_id: int) -> HttpResponse:
    plan, cycle, office = _cycle_reader(request, plan_id, cycle_id)
    filters = CycleFilters.from_query(request.GET)
    page_number = int_param(request.GET, "page", low=1, high=100_000, default=1)
    now = timezone.now()
    due, locked = now >= cycle.due_at, cycle.is_locked(now)
    # The office sees every report, everyone else the submitted ones and their own units' (visible_reports).
    viewer = ("office",) if office else ("supervisor", *sorted(reporter_unit_ids(request.user, plan.jurisdiction)))

    def build() -> str:
        reports = filters.apply(visible_reports(request.user, plan).filter(cycle=cycle)).select_related("unit", "task__section")
        page = Paginator(reports, CYCLE_PAGE_SIZE).get_page(page_number)
        total, per_unit = cycle_rates(cycle)
        units = MemberUnit.objects.in_bulk(list(per_unit))
        unit_rates = sorted(((units[u], r) for u, r in per_unit.items()), key=lambda ur: (ur[1].on_time_rate or 0, ur[0].name))
        pending = set(Report.objects.filter(cycle=cycle, state__in=["draft", "returned"]).values_list("unit_id", flat=True))
        overdue = list(Report.objects.filter(cycle=cycle, state__in=["draft", "returned"]).select_related("unit", "task")) if due else []
        return render_to_string("tracking/_cycle_body.html", {
            "cycle": cycle, "page": page, "total": total, "unit_rates": unit_rates, "overdue": overdue,
            "rate_rule": RATE_RULE, "locked": locked, "office": office and not plan.is_ended, "pending": pending,
            "previous_query": filters.query(page.previous_page_number()) if page.has_previous() else None,
            "next_query": filters.query(page.next_page_number()) if page.has_next() else None,
            "filtered": filters.active,
        })

    body = readcache.cached_html("cycle", [plan], (cycle.pk, due, locked, *viewer, filters.key(), page_number), build)
    item_reports = visible_item_reports(request.user, plan).filter(cycle=cycle).select_related("unit")
    exception_form = ExceptionForm(units=MemberUnit.objects.filter(reports__cycle=cycle).distinct()) if office else None
    return render(request, "tracking/cycle.html", {
        "plan": plan, "cycle": cycle, "body": body, "office": office, "exception_form": exception_form,
        "exceptions": cycle.exceptions.select_related("unit"), "filters": filters, "query": filters.query(page_number),
        "status_choices": STATUS_CHOICES, "filter_units": MemberUnit.objects.filter(reports__cycle=cycle).distinct().order_by("name"),
        "filter_sections": plan.sections.order_by("position"),
        "item_reports": item_reports[:ITEM_ROWS], "item_total": item_reports.count(), "item_rows": ITEM_ROWS,
        "item_counts": cycle_item_counts(cycle), "item_rule": ITEM_RULE,
    })


def _back_to_cycle(request: HttpRequest, cycle: ReportingCycle) -> HttpResponse:
    query = CycleFilters.from_saved(request.POST.get("query", "")).query()
    url = reverse("tracking-cycle", args=[cycle.plan_id, cycle.pk])
    return redirect(f"{url}?{query}" if query else url)


def _is_id(raw: str) -> bool:
    return raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_ID


def _posted_ids(request: HttpRequest, name: str) -> list[int]:
    """The ids posted under `name` (checkboxes); anything malformed is a 400."""
    raws = request.POST.getlist(name)[:1000]
    if not all(_is_id(raw) for raw in raws):
        raise BadRequest(f"参数“{name}”格式不正确")
    return [int(raw) for raw in raws]


def _chosen_reports(request: HttpRequest) -> dict[int, int]:
    """report id → version from the checkboxes ("id:version"); anything malformed is a 400."""
    chosen: dict[int, int] = {}
    for raw in request.POST.getlist("report")[:1000]:
        pk, _, version = raw.partition(":")
        if not (_is_id(pk) and version.isascii() and version.isdigit() and len(version) < 10):
            raise BadRequest("参数“report”格式不正确")
        chosen[int(pk)] = int(version)
    return chosen


@login_required
@require_POST
def approve_reports(request: HttpRequest, plan_id: int, cycle_id: int) -> HttpResponse:
    plan = _office_plan(request, plan_id)
    cycle = get_object_or_404(ReportingCycle, pk=cycle_id, plan=plan)
    try:
        approved = actions.do_approve_reports(cycle, request.user, _chosen_reports(request))
        messages.success(request, f"已审核通过 {len(approved)} 份报告，各填报单位会收到提醒")
    except (actions.CycleRefused, workflow.MoveRefused) as error:
        messages.error(request, str(error))
    return _back_to_cycle(request, cycle)


@login_required
@require_POST
def urge_units(request: HttpRequest, plan_id: int, cycle_id: int) -> HttpResponse:
    plan = _office_plan(request, plan_id)
    cycle = get_object_or_404(ReportingCycle, pk=cycle_id, plan=plan)
    unit_ids = _posted_ids(request, "unit")
    try:
        notified = actions.do_urge_units(cycle, request.user, unit_ids)
        none = "（所选单位还没有填报员账号，请在账号管理中添加）" if not notified else ""
        messages.success(request, f"已向 {len(unit_ids)} 个单位催报，共提醒 {notified} 人{none}")
    except actions.CycleRefused as error:
        messages.error(request, str(error))
    return _back_to_cycle(request, cycle)


def _cycle_reports(request: HttpRequest, plan: Plan, cycle: ReportingCycle) -> list[Report]:
    """Every report of the cycle the viewer may read, with its values, for the export and the print view."""
    return list(
        visible_reports(request.user, plan).filter(cycle=cycle).select_related("unit", "task__section")
        .prefetch_related("values__target")
    )


@login_required
def export_cycle(request: HttpRequest, plan_id: int, cycle_id: int) -> HttpResponse:
    plan, cycle, _ = _cycle_reader(request, plan_id, cycle_id)
    items = list(visible_item_reports(request.user, plan).filter(cycle=cycle).select_related("unit"))
    data = cycle_workbook(plan, cycle, _cycle_reports(request, plan, cycle), items)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition(f"{plan.jurisdiction.name}{cycle}进展报告.xlsx")
    return response


@login_required
def print_cycle(request: HttpRequest, plan_id: int, cycle_id: int) -> HttpResponse:
    plan, cycle, _ = _cycle_reader(request, plan_id, cycle_id)
    return render(request, "tracking/cycle_print.html", {
        "plan": plan, "cycle": cycle, "reports": _cycle_reports(request, plan, cycle),
    })


@login_required
@require_POST
def grant_exception(request: HttpRequest, plan_id: int, cycle_id: int) -> HttpResponse:
    plan = _office_plan(request, plan_id)
    cycle = get_object_or_404(ReportingCycle, pk=cycle_id, plan=plan)
    form = ExceptionForm(request.POST, units=MemberUnit.objects.filter(reports__cycle=cycle).distinct())
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_grant_exception(cycle, data["unit"], request.user, data["until"], data["reason"])
            messages.success(request, f"已为{data['unit'].name}开通补报")
        except actions.CycleRefused as error:
            messages.error(request, str(error))
    else:
        messages.error(request, "开通补报失败：" + "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("tracking-cycle", plan_id=plan.pk, cycle_id=cycle.pk)


@login_required
def my_reports(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    units = reporter_unit_ids(request.user, plan.jurisdiction)
    if not units:
        raise PermissionDenied("您不是本方案成员单位的填报员，这里只列出成员单位自己的填报任务")
    filters = MyReportsFilters.from_query(request.GET)
    numbers = {name: int_param(request.GET, name, low=1, high=100_000, default=1) for name in ("page", "spage")}
    now = timezone.now()
    own = Paginator(filters.own(plan, units, now), MY_REPORTS_PAGE_SIZE).get_page(numbers["page"])
    supported = Paginator(filters.supported(plan, units, now), MY_REPORTS_PAGE_SIZE).get_page(numbers["spage"])
    items = filters.items(plan, units, now)

    def link(name: str, number: int) -> str:
        return filters.query(**(numbers | {name: number}))

    return render(request, "tracking/my_reports.html", {
        "plan": plan, "own": own, "supported": supported, "filters": filters, "status_choices": MY_STATUS_CHOICES,
        "items": items[:MY_ITEMS_SHOWN], "item_total": items.count(), "items_shown": MY_ITEMS_SHOWN,
        "cycles": plan.cycles.filter(reports__unit_id__in=units).distinct().order_by("-year", "-number"),
        "units": MemberUnit.objects.filter(pk__in=units),
        "own_pages": (link("page", own.previous_page_number()) if own.has_previous() else None,
                      link("page", own.next_page_number()) if own.has_next() else None),
        "supported_pages": (link("spage", supported.previous_page_number()) if supported.has_previous() else None,
                            link("spage", supported.next_page_number()) if supported.has_next() else None),
    })


def _report(request: HttpRequest, report_id: int) -> Report:
    report = get_object_or_404(Report.objects.select_related("cycle__plan__jurisdiction", "task__section", "unit"), pk=report_id)
    if not (can_view_report(request.user, report) or can_contribute(request.user, report)):
        raise Http404("没有找到该报告")
    return report


def _report_form(report: Report, targets: list[Target], data: QueryDict | None) -> ReportForm:
    initial = {"version": report.version, "progress": report.progress, "summary": report.summary}
    initial |= {f"target_{v.target_id}": v.value for v in report.values.all()}  # the field shows 6, not 6.0
    return ReportForm(data, initial=initial, targets=targets)


def _report_targets(report: Report) -> list[Target]:
    return list(Target.objects.filter(task=report.task).select_related("task__section__plan"))


def _save_report_post(request: HttpRequest, report: Report, remove: Evidence | None = None) -> HttpResponse:
    """The reporter's one form: the text, the values and, when a file is chosen (or one removed), the evidence —
    saved together, so an upload never loses what was typed; a refusal shows the form again with everything
    still in it."""
    if not reporter_may_edit(request.user, report):
        raise PermissionDenied("这份报告当前不能由您修改")
    targets = _report_targets(report)
    form = _report_form(report, targets, request.POST)
    action = "remove" if remove else request.POST.get("action", "save")
    upload = request.FILES.get("file") if not remove else None
    evidence_form = EvidenceForm(request.POST, request.FILES, use_required_attribute=False) if upload or action == "upload" else None
    if not form.is_valid() or (evidence_form is not None and not evidence_form.is_valid()):
        return _report_page(request, report, targets, form, evidence_form, status=400)
    data = form.cleaned_data
    draft = actions.Draft(data["version"], data["progress"], data["summary"], form.values())
    try:
        if remove is not None:
            actions.do_remove_evidence(remove, request.user, draft)
            messages.success(request, f"已删除“{remove.original_name}”，填写的内容已保存为草稿")
            return redirect("tracking-report", report_id=report.pk)
        if evidence_form is not None:
            file = evidence_form.cleaned_data["file"]
            saved = actions.do_add_evidence(report, request.user, file, evidence_form.cleaned_data["is_public"], draft).report
            messages.success(request, f"已上传“{file.name}”，填写的内容已保存为草稿")
        else:
            saved = actions.do_save_report(report, request.user, draft.version, draft.progress, draft.summary, draft.values)
            messages.success(request, "草稿已保存")
        if action == "submit":
            actions.do_submit_report(saved, request.user, saved.version)
            messages.success(request, "报告已提交，等待科协办公室审核")
    except EvidenceRefused as error:
        evidence_form.add_error("file", str(error))
        return _report_page(request, report, targets, form, evidence_form, status=400)
    except (actions.StaleReport, workflow.MoveRefused) as error:
        form.add_error(None, str(error))
        return _report_page(request, report, targets, form, evidence_form, status=409)
    return redirect("tracking-report", report_id=report.pk)


def _report_page(request: HttpRequest, report: Report, targets: list[Target], form: ReportForm | None = None,
                 evidence_form: EvidenceForm | None = None, status: int = 200) -> HttpResponse:
    full_view = can_view_report(request.user, report)
    contributor = can_contribute(request.user, report)
    editable = reporter_may_edit(request.user, report)
    values = {v.target_id: v.value for v in report.values.all()}
    contribution = Contribution.objects.filter(report=report, unit=contributor).first() if contributor else None
    responsibilities = report.task.responsibilities.select_related("unit").order_by("role", "position")
    context = {
        "report": report, "plan": report.cycle.plan, "full_view": full_view, "editable": editable,
        "form": form or _report_form(report, targets, None),
        "targets": [(t, values.get(t.pk)) for t in targets], "window": report.window(),
        "support_names": "、".join(r.written_name for r in responsibilities if r.role == "support"),
        "evidence": report.evidence.all() if full_view else [],
        "evidence_form": (evidence_form or EvidenceForm(use_required_attribute=False)) if editable else None,  # saving needs no file
        "contributions": report.contributions.select_related("unit") if full_view else [],
        "contributor": contributor, "contribution_form": ContributionForm(initial={
            "text": contribution.text if contribution else "", "version": contribution.version if contribution else None,
        }) if contributor and not report.cycle.plan.is_ended else None,
        "can_review": office_may_review(request.user, report),
        "return_form": ReturnForm(), "history": report.events.select_related("actor")[:100] if full_view else [],
        "linked_items": items_for_task(report.task_id, report.cycle.year),
    }
    return render(request, "tracking/report.html", context, status=status)


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    if request.method == "POST":
        return _save_report_post(request, report)
    return _report_page(request, report, _report_targets(report))


@login_required
@require_POST
def review_report(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    if not is_office_admin(request.user, report.cycle.plan.jurisdiction):
        raise PermissionDenied("只有科协办公室可以审核报告")
    try:
        if request.POST.get("decision") == "approve":
            actions.do_approve_report(report, request.user)
            messages.success(request, "已审核通过，报告已锁定")
        else:
            form = ReturnForm(request.POST)
            actions.do_return_report(report, request.user, form.data.get("reason", ""))
            messages.success(request, "已退回，填报单位会收到提醒")
    except workflow.MoveRefused as error:
        messages.error(request, str(error))
    return redirect("tracking-report", report_id=report.pk)


@login_required
@require_POST
def upload_evidence(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    if report.unit_id not in reporter_unit_ids(request.user, report.cycle.plan.jurisdiction):
        raise PermissionDenied("只有本单位填报员可以上传佐证材料")
    if "version" in request.POST:  # the report form posted here: its text is saved with the file
        return _save_report_post(request, report)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        upload = request.FILES.get("file")
        problem = "；".join(form.errors.get("file", [])) or "请选择要上传的文件"
        messages.error(request, f"“{upload.name}”：{problem}" if upload else problem)
        return redirect("tracking-report", report_id=report.pk)
    try:
        actions.do_add_evidence(report, request.user, form.cleaned_data["file"], form.cleaned_data["is_public"])
        messages.success(request, f"已上传“{form.cleaned_data['file'].name}”")
    except (EvidenceRefused, workflow.MoveRefused) as error:
        messages.error(request, str(error))
    return redirect("tracking-report", report_id=report.pk)


@login_required
@require_POST
def delete_evidence(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("report__cycle__plan"), pk=evidence_id, report__isnull=False)
    if evidence.unit_id not in reporter_unit_ids(request.user, evidence.report.cycle.plan.jurisdiction):
        raise Http404
    if "version" in request.POST:  # the report form posted here: its text is saved before the file goes
        return _save_report_post(request, _report(request, evidence.report_id), remove=evidence)
    try:
        actions.do_remove_evidence(evidence, request.user)
        messages.success(request, "已删除佐证材料")
    except workflow.MoveRefused as error:
        messages.error(request, str(error))
    return redirect("tracking-report", report_id=evidence.report_id)


@login_required
def download_evidence(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("report__cycle__plan", "activity__plan"), pk=evidence_id)
    if not can_download_evidence(request.user, evidence):
        raise Http404("没有找到该文件")
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
                        content_type=evidence.content_type)


@login_required
@require_POST
def save_contribution(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    unit = can_contribute(request.user, report)
    if unit is None:
        raise PermissionDenied("只有配合单位的填报员可以填写配合情况")
    form = ContributionForm(request.POST)
    if form.is_valid():
        try:
            actions.do_save_contribution(report, unit, request.user, form.cleaned_data["text"], form.cleaned_data["version"])
            messages.success(request, "配合情况已保存")
        except (actions.StaleReport, workflow.MoveRefused) as error:
            messages.error(request, str(error))
    else:
        messages.error(request, "请填写配合开展的工作")
    return redirect("tracking-report", report_id=report.pk)


@login_required
def activities(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    units = reporter_unit_ids(request.user, plan.jurisdiction)
    office = is_office_admin(request.user, plan.jurisdiction)
    if not can_track_plan(request.user, plan):
        raise PermissionDenied("您没有该方案的跟踪权限")
    form = ActivityForm(request.POST or None, tasks=Task.objects.filter(section__plan=plan))
    if request.method == "POST":
        if not units:
            raise PermissionDenied("只有成员单位填报员可以登记活动")
        if form.is_valid():
            unit = MemberUnit.objects.get(pk=sorted(units)[0])
            data = dict(form.cleaned_data)
            audiences = pop_audiences(data)
            try:
                actions.do_record_activity(plan, unit, request.user, data, request.FILES.getlist("files"), audiences)
                messages.success(request, "活动已登记")
                return redirect("tracking-activities", plan_id=plan.pk)
            except Refused as error:  # a file refused (EvidenceRefused) or the head count against the groups
                form.add_error(error.field if error.field in form.fields else None, str(error))
    listed = Activity.objects.filter(plan=plan).select_related("unit", "task").prefetch_related("audiences", "evidence")
    if not (office or supervises(request.user, plan.jurisdiction)):
        listed = listed.filter(unit_id__in=units)
    return render(request, "tracking/activities.html", {"plan": plan, "form": form if units else None, "activities": listed[:300]})


@login_required
def target_progress(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    return render(request, "tracking/target_progress.html", {
        "plan": plan, "rows": targets_progress(plan), "target_rule": TARGET_RULE,
    })


# ---------------------------------------------------------------------------- dashboards and assessment


def _supervising_plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = _plan(request, plan_id)
    if not can_view_assessment(request.user, plan):
        raise PermissionDenied("仪表盘供科协办公室和领导查看")
    return plan


@login_required
def dashboard(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _supervising_plan(request, plan_id)

    def build() -> str:  # the same for every viewer allowed here (the office and the supervisors)
        statuses = Counter(p.status.value for _, _, p in targets_progress(plan))
        cycle = latest_cycle(plan)
        return render_to_string("tracking/_dashboard_body.html", {
            "plan": plan, "board": plan_dashboard(plan), "cycle": cycle, "rates": cycle_rates(cycle)[0] if cycle else None,
            "statuses": [(s, STATUS_LABELS[s], statuses.get(s.value, 0)) for s in Status],
            "target_total": sum(statuses.values()), "rules": RULES, "rate_rule": RATE_RULE,
            "progress_labels": dict(Report.Progress.choices),
        })

    body = readcache.cached_html("dashboard", [plan], (), build)
    cards = dashboard_cards(plan, timezone.localdate())
    return render(request, "tracking/dashboard.html", {"plan": plan, "body": body, "cards": cards})


@login_required
def rollup_view(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    if not supervises(request.user, jurisdiction):
        raise Http404
    plans = plans_below(jurisdiction)

    def build() -> str:  # the same for every supervisor of the jurisdiction
        rows, targets = rollup(jurisdiction, plans)
        return render_to_string("tracking/_rollup_body.html", {
            "jurisdiction": jurisdiction, "rows": rows, "targets": targets, "rules": RULES, "rate_rule": RATE_RULE,
        })

    body = readcache.cached_html("rollup", plans, (jurisdiction.pk, jurisdiction.name), build)
    return render(request, "tracking/rollup.html", {"jurisdiction": jurisdiction, "body": body})


def _check_year(plan: Plan, year: int) -> None:
    if not plan.period_start <= year <= plan.period_end:
        raise Http404("考核年度不在方案实施期内")


@login_required
def assessment_current(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _supervising_plan(request, plan_id)
    year = min(max(timezone.localdate().year, plan.period_start), plan.period_end)
    return redirect("tracking-assessment", plan_id=plan.pk, year=year)


@login_required
def assessment(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = _supervising_plan(request, plan_id)
    _check_year(plan, year)
    office = is_office_admin(request.user, plan.jurisdiction)
    rubric, rows = yearly_scores(plan, year)
    units = MemberUnit.objects.filter(pk__in=[r.unit.pk for r in rows]).order_by("name")
    return render(request, "tracking/assessment.html", {
        "plan": plan, "year": year, "rubric": rubric, "items": rubric.items.all(), "rows": rows, "office": office,
        "kinds": available_kinds(), "adjust_form": AdjustmentForm(units=units) if office else None,
        "manual_items": [i for i in rubric.items.all() if i.kind == "manual"],
        "manual_form": ManualScoreForm(units=units) if office else None,
        "years": range(plan.period_start, plan.period_end + 1), "item_rule": item_progress_rule(),
    })


@login_required
@require_POST
def save_rubric(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = _office_plan(request, plan_id)
    _check_year(plan, year)
    rubric = rubric_for(plan, year)
    labels, kinds, points = request.POST.getlist("label"), request.POST.getlist("kind"), request.POST.getlist("points")
    if not len(labels) == len(kinds) == len(points):
        raise BadRequest("考核细则的表单不完整")
    version = int_param(request.POST, "version", low=0, high=MAX_ID, default=0)
    try:
        items = [(k, lab, RUBRIC_POINTS.check(f"{lab.strip()}的分值", p))
                 for k, lab, p in zip(kinds, labels, points, strict=True) if lab.strip()]
        actions.do_save_rubric(rubric, request.user, version, items)
        messages.success(request, "考核细则已保存，得分已按新细则重新计算")
    except (ValueError, actions.ScoreRefused) as error:
        messages.error(request, str(error))
    return redirect("tracking-assessment", plan_id=plan.pk, year=year)


@login_required
@require_POST
def adjust_score(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = _office_plan(request, plan_id)
    _check_year(plan, year)
    rubric = rubric_for(plan, year)
    units = MemberUnit.objects.filter(jurisdiction=plan.jurisdiction)
    manual_item = id_param(request.POST, "item")
    form = (ManualScoreForm if manual_item else AdjustmentForm)(request.POST, units=units)
    if not form.is_valid():
        messages.error(request, "请完整填写单位、分值和理由")
        return redirect("tracking-assessment", plan_id=plan.pk, year=year)
    data = form.cleaned_data
    try:
        if manual_item:
            item = get_object_or_404(rubric.items, pk=manual_item, kind="manual")
            actions.do_set_manual_score(item, data["unit"], request.user, data["delta"], data["reason"])
        else:
            actions.do_adjust_score(rubric, data["unit"], request.user, data["delta"], data["reason"])
        messages.success(request, "已保存")
    except actions.ScoreRefused as error:
        messages.error(request, str(error))
    return redirect("tracking-assessment", plan_id=plan.pk, year=year)


@login_required
def export_scores(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = _supervising_plan(request, plan_id)
    _check_year(plan, year)
    rubric, rows = yearly_scores(plan, year)
    data = scores_workbook(plan, year, list(rubric.items.all()), rows)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition(f"{plan.jurisdiction.name}{year}年度考核得分.xlsx")
    return response


@login_required
def summaries(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _supervising_plan(request, plan_id)
    office = is_office_admin(request.user, plan.jurisdiction)
    if request.method == "POST":
        if not office:
            raise PermissionDenied("只有科协办公室可以生成年度总结")
        year = int_param(request.POST, "year", low=0, high=MAX_ID, default=0)
        if not plan.period_start <= year <= plan.period_end:
            messages.error(request, f"年度应在 {plan.period_start}—{plan.period_end} 之间")
        else:
            do_request_summary(plan, year, request.user)
            messages.success(request, f"已开始生成{year}年度工作总结，完成后可在下方下载")
        return redirect("tracking-summaries", plan_id=plan.pk)
    documents = plan.summaries.select_related("requested_by")[:20]
    pending = any(d.status in ("queued", "running") for d in documents)
    return render(request, "tracking/summaries.html", {
        "plan": plan, "documents": documents, "office": office, "pending": pending,
        "years": range(plan.period_start, plan.period_end + 1), "this_year": min(timezone.localdate().year, plan.period_end),
    })


@login_required
def download_summary(request: HttpRequest, document_id: int, kind: str) -> FileResponse:
    document = get_object_or_404(SummaryDocument.objects.select_related("plan__jurisdiction"), pk=document_id, status="done")
    _supervising_plan(request, document.plan_id)
    file = document.docx if kind == "docx" else document.pdf
    name = f"{document.plan.jurisdiction.name}{document.year}年全民科学素质工作总结（初稿）.{'docx' if kind == 'docx' else 'pdf'}"
    return FileResponse(file.open("rb"), as_attachment=True, filename=name)


def _office_summary(request: HttpRequest, document_id: int) -> SummaryDocument:
    document = get_object_or_404(SummaryDocument.objects.select_related("plan__jurisdiction"), pk=document_id)
    if not is_office_admin(request.user, _supervising_plan(request, document.plan_id).jurisdiction):
        raise PermissionDenied("只有本级科协办公室可以重试或取消年度总结")
    return document


@login_required
@require_POST
def retry_summary(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _office_summary(request, document_id)
    try:
        do_retry_summary(document, request.user)
        messages.success(request, f"已重新排队生成{document.year}年度工作总结")
    except SummaryRefused as error:
        messages.error(request, str(error))
    return redirect("tracking-summaries", plan_id=document.plan_id)


@login_required
@require_POST
def cancel_summary(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _office_summary(request, document_id)
    try:
        do_cancel_summary(document, request.user)
        messages.success(request, f"已取消生成{document.year}年度工作总结")
    except SummaryRefused as error:
        messages.error(request, str(error))
    return redirect("tracking-summaries", plan_id=document.plan_id)

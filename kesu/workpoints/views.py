"""Work-point pages: the year's points (plan tab 年度工作要点), import with preview and confirmation, one point
(read, edit, remove), a point written by hand, the .xlsx export. Parse, check access, one action, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kesu.domain.plan_parsing import DocumentError
from kesu.domain.refusals import Refused
from kesu.domain.work_points import LINK_RULE
from kesu.infra.params import int_param
from kesu.org.access import is_office_admin
from kesu.plans.access import can_view_plan
from kesu.plans.exports import content_disposition
from kesu.plans.models import Plan
from kesu.tracking.access import SHARED_STATES, can_track_plan
from kesu.workpoints import actions
from kesu.workpoints.events import label_of
from kesu.workpoints.exports import points_workbook
from kesu.workpoints.forms import NEW, LinksForm, PointForm, UploadForm
from kesu.workpoints.models import PendingWorkPoints, WorkPlan, WorkPoint, WorkPointEvent
from kesu.workpoints.preview import build_preview
from kesu.workpoints.reporting import SUMMARY_RULE, latest_status

STATUS_RULE = ("“最近报告”列出每个牵头单位在本年度最近一期填报周期中的报告：科协办公室看到全部状态，"
               "其他人只看到已提交和已审核通过的报告。")


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("jurisdiction"), pk=plan_id)
    if not can_view_plan(request.user, plan) or not can_track_plan(request.user, plan):
        raise Http404("没有找到该方案")
    return plan


def _office(request: HttpRequest, plan: Plan) -> None:
    if not is_office_admin(request.user, plan.jurisdiction):
        raise PermissionDenied("只有本级科协办公室可以修改年度工作要点")


def _year(plan: Plan, year: int) -> int:
    if not plan.period_start <= year <= plan.period_end:
        raise Http404("该年度不在方案实施期内")
    return year


@login_required
def current_year(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    year = min(max(timezone.localdate().year, plan.period_start), plan.period_end)
    return redirect("workpoints-year", plan_id=plan.pk, year=year)


def _rows(request: HttpRequest, plan: Plan, points: list[WorkPoint]) -> list[tuple[WorkPoint, list]]:
    office = is_office_admin(request.user, plan.jurisdiction)
    states = ("draft", "submitted", "returned", "approved") if office else SHARED_STATES
    latest = latest_status(points, states)
    return [(p, [(u, latest.get((p.pk, u.pk))) for u in p.lead_units.all()]) for p in points]


@login_required
def year_page(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    _year(plan, year)
    workplan = WorkPlan.objects.filter(plan=plan, year=year).first()
    points = list(WorkPoint.objects.filter(workplan=workplan).select_related("task__section")
                  .prefetch_related("lead_units", "support_units")) if workplan else []
    return render(request, "workpoints/year.html", {
        "plan": plan, "year": year, "workplan": workplan, "rows": _rows(request, plan, points),
        "years": range(plan.period_start, plan.period_end + 1), "office": is_office_admin(request.user, plan.jurisdiction),
        "linked": sum(p.task_id is not None for p in points), "new_count": sum(p.is_new for p in points),
        "status_rule": STATUS_RULE, "summary_rule": SUMMARY_RULE,
        "history": [(e, label_of(e.kind)) for e in WorkPointEvent.objects.filter(plan=plan, year=year).select_related("actor")[:30]],
    })


@login_required
def export_year(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    _year(plan, year)
    points = list(WorkPoint.objects.filter(workplan__plan=plan, workplan__year=year).select_related("task__section")
                  .prefetch_related("lead_units", "support_units"))
    response = HttpResponse(points_workbook(plan, year, _rows(request, plan, points)),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition(f"{plan.jurisdiction.name}{year}年工作要点.xlsx")
    return response


@login_required
def import_upload(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    _office(request, plan)
    _year(plan, year)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.KESU_MAX_PLAN_UPLOAD:
            form.add_error("file", f"文件“{upload.name}”超过 {settings.KESU_MAX_PLAN_UPLOAD // 1024 // 1024} MB 上限")
        else:
            try:
                staged = actions.do_stage_work_points(plan, year, request.user, upload.name, upload.read())
            except (DocumentError, Refused) as error:
                form.add_error("file", str(error))
            else:
                return redirect("workpoints-confirm", staged_id=staged.pk)
    return render(request, "workpoints/import.html", {"plan": plan, "year": year, "form": form},
                  status=400 if form.errors else 200)


@login_required
def import_confirm(request: HttpRequest, staged_id: int) -> HttpResponse:
    staged = get_object_or_404(PendingWorkPoints.objects.select_related("plan__jurisdiction"), pk=staged_id,
                               uploaded_by=request.user)
    plan = _plan(request, staged.plan_id)
    _office(request, plan)  # the role may have changed since the upload
    preview = build_preview(staged)
    positions = [p.point.position for p in preview.points]
    form = LinksForm(request.POST or None, plan=plan, positions=positions,
                     initial={f"link_{p.point.position}": p.initial for p in preview.points})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = actions.do_confirm_work_points(staged, request.user, form.links())
            except Refused as error:
                form.add_error(None, str(error))
                status = 409
            else:
                messages.success(request, f"已保存{staged.year}年工作要点：新增 {result.added} 条，修改 {result.changed} 条，"
                                          f"删除 {result.removed} 条。")
                return redirect("workpoints-year", plan_id=plan.pk, year=result.workplan.year)
        else:
            status = 400
    return render(request, "workpoints/confirm.html", {
        "plan": plan, "staged": staged, "preview": preview, "form": form, "link_rule": LINK_RULE,
        "fields": [(p, form[f"link_{p.point.position}"]) for p in preview.points], "new_choice": NEW,
    }, status=status)


def _point_data(form: PointForm) -> actions.PointData:
    data = form.cleaned_data
    return actions.PointData(data["section"], data["text"], list(data["lead_units"]), list(data["support_units"]), data["link"])


@login_required
def point_new(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    _office(request, plan)
    _year(plan, year)
    form = PointForm(request.POST or None, plan=plan, initial={"link": NEW})
    if request.method == "POST" and form.is_valid():
        try:
            point = actions.do_add_work_point(plan, year, request.user, _point_data(form))
        except Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "工作要点已保存。")
            return redirect("workpoints-point", point_id=point.pk)
    return render(request, "workpoints/point_form.html", {"plan": plan, "year": year, "form": form, "point": None},
                  status=400 if form.errors else 200)


def _point(request: HttpRequest, point_id: int) -> WorkPoint:
    point = get_object_or_404(WorkPoint.objects.select_related("workplan__plan__jurisdiction", "task__section"), pk=point_id)
    _plan(request, point.workplan.plan_id)
    return point


@login_required
def point_detail(request: HttpRequest, point_id: int) -> HttpResponse:
    point = _point(request, point_id)
    plan = point.workplan.plan
    office = is_office_admin(request.user, plan.jurisdiction)
    form = None
    if office:
        initial = {"version": point.version, "section": point.section, "text": point.text,
                   "link": str(point.task_id) if point.task_id else NEW,
                   "lead_units": list(point.lead_units.all()), "support_units": list(point.support_units.all())}
        form = PointForm(request.POST or None, plan=plan, initial=initial)
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("只有本级科协办公室可以修改年度工作要点")
        if form.is_valid():
            try:
                actions.do_edit_work_point(point, request.user, form.cleaned_data.get("version") or 0, _point_data(form))
            except Refused as error:
                form.add_error(None, str(error))
                status = 409 if isinstance(error, actions.StaleEdit) else 400
            else:
                messages.success(request, "工作要点已保存。")
                return redirect("workpoints-point", point_id=point.pk)
        else:
            status = 400
    rows = _rows(request, plan, [point])
    return render(request, "workpoints/point.html", {
        "plan": plan, "point": point, "year": point.workplan.year, "form": form, "office": office,
        "latest": rows[0][1], "status_rule": STATUS_RULE,
        "history": [(e, label_of(e.kind)) for e in point.events.select_related("actor")[:50]],
    }, status=status)


@login_required
@require_POST
def point_remove(request: HttpRequest, point_id: int) -> HttpResponse:
    point = _point(request, point_id)
    plan, year = point.workplan.plan, point.workplan.year
    _office(request, plan)
    version = int_param(request.POST, "version", low=0, high=1_000_000_000, default=0)
    try:
        actions.do_remove_work_point(point, request.user, version)
    except Refused as error:
        messages.error(request, str(error))
        return redirect("workpoints-point", point_id=point.pk)
    messages.success(request, "已删除该工作要点；尚未提交的相关报告一并撤下，已提交的保留。")
    return redirect("workpoints-year", plan_id=plan.pk, year=year)

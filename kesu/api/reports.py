"""Progress reports: listing what the user may see, reading one, and the workflow
(save → submit → approve, or return → save → submit again). Every write goes through kesu.tracking.actions,
which writes the history (TrackingEvent: who, when, what) and refuses stale or disallowed changes."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Path, Query, Router
from ninja.errors import HttpError

from kesu.api.common import MAX_ID, READ_ERRORS, ErrorOut, PageParams, page, tracked_plan, visible_report
from kesu.api.plans import PlanId, unit_out
from kesu.api.schemas import ReportIn, ReportOut, ReportPage, ReportState, ReturnIn, SubmitIn
from kesu.domain import report_workflow as workflow
from kesu.org.access import is_office_admin, reporter_unit_ids
from kesu.plans.models import Target
from kesu.tracking import actions
from kesu.tracking.access import visible_reports
from kesu.tracking.events import label_of
from kesu.tracking.models import Report

router = Router(tags=["报告"])


class ReportFilters(PageParams):
    cycle: int | None = Field(None, ge=1, le=MAX_ID, description="填报周期 id")
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="成员单位 id")
    task: int | None = Field(None, ge=1, le=MAX_ID, description="措施 id")
    state: ReportState | None = Field(None, description="审核状态")


ReportId = Path(..., ge=1, le=MAX_ID, description="报告 id")
WRITE_ERRORS = {403: ErrorOut, 409: ErrorOut, **READ_ERRORS}
BODY_ERRORS = {400: ErrorOut, **WRITE_ERRORS}  # 400: the body is not JSON
ONLY_REPORTER = "只有本单位填报员可以填写和提交报告。"
ONLY_OFFICE = "只有科协办公室可以审核报告。"


def _summary_out(report: Report) -> dict:
    cycle = report.cycle
    return {
        "id": report.pk, "plan_id": cycle.plan_id,
        "cycle": {"id": cycle.pk, "label": str(cycle), "deadline": cycle.deadline},
        "task": {"id": report.task_id, "title": report.task.title}, "unit": unit_out(report.unit),
        "state": report.state, "state_label": report.state_label,
        "progress": report.progress, "progress_label": report.get_progress_display(),
        "first_submitted_at": report.first_submitted_at, "submitted_at": report.submitted_at,
        "reviewed_at": report.reviewed_at, "updated_at": report.updated_at, "version": report.version,
    }


def _is_reporter(user, report: Report) -> bool:
    return report.unit_id in reporter_unit_ids(user, report.cycle.plan.jurisdiction)


def _report_out(request: HttpRequest, report: Report) -> dict:
    user = request.auth
    window = report.window()
    state = workflow.State(report.state)
    values = {v.target_id: v.value for v in report.values.all()}
    targets = Target.objects.filter(task_id=report.task_id).order_by("position", "pk")
    return {
        **_summary_out(report),
        "summary": report.summary, "return_reason": report.return_reason,
        "reviewed_by": report.reviewed_by.get_username() if report.reviewed_by else None,
        "window": {"locked": window.locked, "exception": window.exception, "open": window.open},
        "editable": _is_reporter(user, report) and workflow.editable_by_reporter(state, window),
        "reviewable": state == workflow.State.SUBMITTED and is_office_admin(user, report.cycle.plan.jurisdiction),
        "values": [
            {"target_id": t.pk, "indicator": t.indicator, "unit": t.unit, "comparator": t.comparator,
             "target_value": t.value, "value": values.get(t.pk)}
            for t in targets
        ],
        "contributions": [
            {"unit": unit_out(c.unit), "text": c.text, "updated_at": c.updated_at, "version": c.version}
            for c in report.contributions.select_related("unit").order_by("unit__name")
        ],
        "evidence": [
            {"id": e.pk, "original_name": e.original_name, "content_type": e.content_type, "size": e.size,
             "is_public": e.is_public, "unit": unit_out(e.unit), "uploaded_at": e.uploaded_at,
             "download_url": request.build_absolute_uri(reverse("tracking-evidence", args=[e.pk]))}
            for e in report.evidence.select_related("unit")
        ],
        "history": [
            {"at": e.at, "actor": e.actor.get_username() if e.actor else None, "kind": e.kind,
             "kind_label": label_of(e.kind), "field": e.field, "old": e.old, "new": e.new}
            for e in report.events.select_related("actor")[:100]
        ],
    }


def _reloaded(request: HttpRequest, report: Report) -> dict:
    return _report_out(request, visible_report(request.auth, report.pk))


@router.get("/plans/{plan_id}/reports", response={200: ReportPage, 403: ErrorOut, **READ_ERRORS}, summary="报告列表",
            description="当前账号可见的报告：科协办公室看到全部；成员单位填报员只看到本单位的报告（含草稿）；"
                        "领导和上级只看到已提交和已审核通过的报告。")
def list_reports(request: HttpRequest, params: Query[ReportFilters], plan_id: int = PlanId):
    plan = tracked_plan(request.auth, plan_id)
    reports = visible_reports(request.auth, plan).select_related("cycle", "task", "unit")
    if params.cycle is not None:
        reports = reports.filter(cycle_id=params.cycle)
    if params.unit is not None:
        reports = reports.filter(unit_id=params.unit)
    if params.task is not None:
        reports = reports.filter(task_id=params.task)
    if params.state is not None:
        reports = reports.filter(state=params.state)
    reports = reports.order_by("-cycle__year", "-cycle__number", "task__section__position", "task__position",
                               "unit__name", "pk")
    result = page(reports, params)
    result["items"] = [_summary_out(r) for r in result["items"]]
    return result


@router.get("/reports/{report_id}", response={200: ReportOut, **READ_ERRORS}, summary="报告详情",
            description="报告内容、目标填报值、配合单位情况、佐证材料信息（不含文件内容）和修改记录。")
def get_report(request: HttpRequest, report_id: int = ReportId):
    return _report_out(request, visible_report(request.auth, report_id))


@router.put("/reports/{report_id}", response={200: ReportOut, **BODY_ERRORS}, summary="保存报告",
            description="本单位填报员保存推进状态、工作进展和目标当前值（草稿或被退回的报告）。必须回传读取时的 version；"
                        "报告已被他人修改时返回 409，内容不保存。")
def save_report(request: HttpRequest, data: ReportIn, report_id: int = ReportId):
    user = request.auth
    report = visible_report(user, report_id)
    if not _is_reporter(user, report):
        raise HttpError(403, ONLY_REPORTER)
    task_targets = set(Target.objects.filter(task_id=report.task_id).values_list("pk", flat=True))
    unknown = [v.target_id for v in data.values if v.target_id not in task_targets]
    if unknown:
        raise HttpError(400, f"目标 {', '.join(map(str, unknown))} 不属于这项措施。")
    saved = actions.do_save_report(report, user, data.version, data.progress, data.summary,
                                   {v.target_id: v.value for v in data.values})
    return _reloaded(request, saved)


@router.post("/reports/{report_id}/submit", response={200: ReportOut, **BODY_ERRORS}, summary="提交报告",
             description="本单位填报员提交报告，等待科协办公室审核。必须回传读取时的 version。")
def submit_report(request: HttpRequest, data: SubmitIn, report_id: int = ReportId):
    user = request.auth
    report = visible_report(user, report_id)
    if not _is_reporter(user, report):
        raise HttpError(403, ONLY_REPORTER)
    submitted = actions.do_submit_report(report, user, data.version)
    return _reloaded(request, submitted)


@router.post("/reports/{report_id}/approve", response={200: ReportOut, **WRITE_ERRORS}, summary="审核通过",
             description="本级科协办公室审核通过已提交的报告；通过后报告锁定，不能再修改。")
def approve_report(request: HttpRequest, report_id: int = ReportId):
    user = request.auth
    report = visible_report(user, report_id)
    if not is_office_admin(user, report.cycle.plan.jurisdiction):
        raise HttpError(403, ONLY_OFFICE)
    approved = actions.do_approve_report(report, user)
    return _reloaded(request, approved)


@router.post("/reports/{report_id}/return", response={200: ReportOut, **BODY_ERRORS}, summary="退回报告",
             description="本级科协办公室退回已提交的报告，必须填写退回原因；填报单位会收到提醒。")
def return_report(request: HttpRequest, data: ReturnIn, report_id: int = ReportId):
    user = request.auth
    report = visible_report(user, report_id)
    if not is_office_admin(user, report.cycle.plan.jurisdiction):
        raise HttpError(403, ONLY_OFFICE)
    returned = actions.do_return_report(report, user, data.reason)
    return _reloaded(request, returned)

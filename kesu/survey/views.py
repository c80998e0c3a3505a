"""Survey pages: per-jurisdiction home, the upload wizard, progress, results, figures and the trend.

Every view asks `kesu.survey.access` first: out of scope → 404, in scope but not allowed to change → 403.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kesu.domain.survey.inputs import CheckRefused, usable_presets
from kesu.domain.survey.report import CI_NAMES, LONELY_NAMES
from kesu.org.access import administers, is_office_admin, jurisdictions_in_scope
from kesu.org.models import Jurisdiction
from kesu.plans.current import current_plan_of
from kesu.plans.exports import content_disposition
from kesu.plans.models import Plan
from kesu.survey import access, actions
from kesu.survey.charts import trend_chart
from kesu.survey.exports import run_workbook
from kesu.survey.forms import OfficialFigureForm, SurveyForm, max_upload
from kesu.survey.latest import latest_figures
from kesu.survey.models import LiteracyFigure, SurveyEvent, SurveyRun, SurveyUpload
from kesu.survey.results import (
    dimension_rows,
    group_name,
    group_tables,
    headline_level,
    method_lines,
    other_levels,
    sae_chart,
)
from kesu.survey.samples import SAMPLE_NAMES, sample_csv
from kesu.survey.trend import Headline, YearValue, outlook

PROBLEMS_SHOWN = 1000


# ---------------------------------------------------------------------------- overview


@login_required
def index(request: HttpRequest) -> HttpResponse:
    jurisdictions = list(jurisdictions_in_scope(request.user).order_by("path"))
    if len(jurisdictions) == 1:
        return redirect("survey-home", jurisdiction_id=jurisdictions[0].pk)
    latest = latest_figures(jurisdictions)
    rows = [(j, latest.get(j.pk)) for j in jurisdictions]
    return render(request, "survey/index.html", {"rows": rows})


@login_required
def home(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = access.readable_jurisdiction(request.user, jurisdiction_id)
    manage = is_office_admin(request.user, jurisdiction)
    runs = list(SurveyRun.objects.filter(jurisdiction=jurisdiction).select_related("created_by")[:100])
    figures = LiteracyFigure.objects.filter(jurisdiction=jurisdiction).select_related("survey_run").order_by("-year", "kind")
    children = list(jurisdiction.children.order_by("name"))
    latest_below = latest_figures(children)
    uploads = (
        SurveyUpload.objects.filter(jurisdiction=jurisdiction, uploaded_by=request.user) if manage else []
    )
    return render(request, "survey/home.html", {
        "jurisdiction": jurisdiction, "manage": manage, "runs": runs, "figures": figures, "uploads": uploads,
        "children": [(c, latest_below.get(c.pk)) for c in children],
        "events": SurveyEvent.objects.filter(jurisdiction=jurisdiction).select_related("actor")[:30],
        "pending": any(r.status in ("queued", "running") for r in runs), "tab": "home",
    })


# ---------------------------------------------------------------------------- the wizard


@login_required
def upload(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = access.managed_jurisdiction(request.user, jurisdiction_id)
    form = SurveyForm(request.POST or None, request.FILES or None)
    refusal: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            staged = actions.do_receive_upload(jurisdiction, request.user, **form.submission())
        except CheckRefused as error:
            refusal = error.errors
        else:
            return redirect("survey-upload-preview", upload_id=staged.pk)
    status = 400 if (form.errors or refusal) else 200
    return render(request, "survey/upload.html", {
        "jurisdiction": jurisdiction, "form": form, "refusal": refusal, "tab": "upload",
        "max_upload_mb": max_upload() // 1024 // 1024,
    }, status=status)


@login_required
def upload_sample(request: HttpRequest, jurisdiction_id: int, kind: str) -> HttpResponse:
    """下载示例文件: a synthetic responses file for the chosen preset questionnaire, or population margins."""
    access.managed_jurisdiction(request.user, jurisdiction_id)
    presets = dict(usable_presets())
    preset = request.GET.get("instrument") or next(iter(presets), "")
    if kind not in SAMPLE_NAMES or preset not in presets:
        raise Http404("没有这种示例文件")
    response = HttpResponse(sample_csv(kind, preset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"{SAMPLE_NAMES[kind]}.csv")
    return response


@login_required
def upload_preview(request: HttpRequest, upload_id: int) -> HttpResponse:
    staged = access.own_upload(request.user, upload_id)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "cancel":
            actions.do_cancel_upload(staged, request.user)
            messages.success(request, "已取消：上传的文件已删除，没有保存任何数据")
            return redirect("survey-home", jurisdiction_id=staged.jurisdiction_id)
        if action == "retry":
            try:
                actions.do_retry_upload(staged, request.user)
                messages.success(request, "已重新排队检查，本页会显示进度")
            except actions.SurveyRefused as error:
                messages.error(request, str(error))
            return redirect("survey-upload-preview", upload_id=staged.pk)
        try:
            run = actions.do_confirm_upload(staged, request.user, skip_rows=action == "skip")
        except actions.SurveyRefused as error:
            messages.error(request, str(error))
            return redirect("survey-upload-preview", upload_id=staged.pk)
        messages.success(request, "已提交估计，正在后台计算，本页会显示进度")
        return redirect("survey-run", run_id=run.pk)
    preview = staged.preview or {}
    problems = preview.get("problems") or []
    return render(request, "survey/upload_preview.html", {
        "upload": staged, "jurisdiction": staged.jurisdiction, "preview": preview,
        "problems": problems[:PROBLEMS_SHOWN], "problem_count": len(problems),
        "problem_rows": len(preview.get("skip_rows") or []),
        "groups": [(group_name(k), v) for k, v in (preview.get("groups") or {}).items()],
        "margins": [(group_name(k), n) for k, n in (preview.get("margins") or {}).items()],
        "by": [group_name(v) for v in staged.options.get("by", [])],
        "ci_name": CI_NAMES.get(staged.options.get("ci_method", "logit")),
        "lonely_name": LONELY_NAMES.get(staged.options.get("lonely_psu", "adjust")),
        "checking": staged.status in (SurveyUpload.Status.QUEUED, SurveyUpload.Status.RUNNING),
        "tab": "upload",
    })


@login_required
def upload_status(request: HttpRequest, upload_id: int) -> JsonResponse:
    staged = access.own_upload(request.user, upload_id)
    return JsonResponse({"status": staged.status, "progress": staged.progress, "stage": staged.stage,
                         "done": staged.status not in (SurveyUpload.Status.QUEUED, SurveyUpload.Status.RUNNING)})


def _cell(text: str) -> str:
    """A CSV cell Excel will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@login_required
def upload_problems(request: HttpRequest, upload_id: int) -> HttpResponse:
    staged = access.own_upload(request.user, upload_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["行号", "列", "问题"])
    for p in (staged.preview or {}).get("problems") or []:
        writer.writerow([p["row"], _cell(p["column"] or ""), _cell(p["message"])])
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"{Path(staged.responses_name).stem}-问题清单.csv")
    return response


# ---------------------------------------------------------------------------- runs


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access.readable_run(request.user, run_id)
    manage = is_office_admin(request.user, run.jurisdiction)
    context = {
        "run": run, "jurisdiction": run.jurisdiction, "manage": manage, "tab": "home",
        "stale": actions.is_stale(run), "can_download": _can_download(request.user, run.jurisdiction),
        "by": [group_name(v) for v in run.options.get("by", [])],
    }
    if run.status == SurveyRun.Status.DONE and run.result:
        result = run.result
        recorded = LiteracyFigure.objects.filter(
            jurisdiction=run.jurisdiction, year=run.year, kind=LiteracyFigure.Kind.ESTIMATE
        ).select_related("survey_run").first()
        sae = result.get("sae")
        context |= {
            "result": result, "overall": result["estimates"][0], "head": headline_level(result),
            "other_levels": other_levels(result), "levels": result["instrument"]["levels"],
            "dimensions": result["instrument"]["dimensions"], "groups": group_tables(result),
            "dimension_rows": dimension_rows(result), "raking": result.get("raking"), "sae": sae,
            "sae_chart": sae_chart(sae) if sae else None, "methods": method_lines(result, run.options),
            "recorded": recorded, "recorded_here": recorded is not None and recorded.survey_run_id == run.pk,
            "notes": [(e, n) for e in result["estimates"] for n in e["notes"]],
        }
    return render(request, "survey/run.html", context)


@login_required
def run_status(request: HttpRequest, run_id: int) -> JsonResponse:
    run = access.readable_run(request.user, run_id)
    return JsonResponse({
        "status": run.status, "progress": run.progress, "stage": run.stage,
        "done": run.status not in (SurveyRun.Status.QUEUED, SurveyRun.Status.RUNNING),
        "url": reverse("survey-run", args=[run.pk]),
    })


@login_required
def run_export(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access.readable_run(request.user, run_id)
    if run.status != SurveyRun.Status.DONE or not run.result:
        raise Http404("估计尚未完成")
    response = HttpResponse(
        run_workbook(run), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition(f"{run.jurisdiction.name}{run.title}估计结果.xlsx")
    return response


def _can_download(user, jurisdiction: Jurisdiction) -> bool:
    """Respondent-level data: office admins of the jurisdiction or of one above it (not viewers)."""
    return administers(user, jurisdiction)


@login_required
def run_file(request: HttpRequest, run_id: int, kind: str) -> HttpResponse:
    run = access.readable_run(request.user, run_id)
    if not _can_download(request.user, run.jurisdiction):
        raise PermissionDenied("原始答卷数据只供科协办公室管理员下载")
    if kind == "instrument":
        if not run.instrument_text:
            raise Http404
        response = HttpResponse(run.instrument_text.encode("utf-8"), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = content_disposition(run.instrument_name or "问卷.yaml")
        return response
    if kind not in ("responses", "margins", "covariates"):
        raise Http404
    field = getattr(run, f"{kind}_file")
    if not field:
        raise Http404
    return FileResponse(field.open("rb"), as_attachment=True, filename=getattr(run, f"{kind}_name"))


@login_required
@require_POST
def record_figure(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access.managed_run(request.user, run_id)
    try:
        figure, replaced = actions.do_record_estimate(run, request.user)
    except actions.SurveyRefused as error:
        messages.error(request, str(error))
        return redirect("survey-run", run_id=run.pk)
    note = f"（替换了原来的 {replaced}）" if replaced else ""
    messages.success(request, f"已记录为{figure.year}年的本地调查估计：{figure.value:.2f}%{note}")
    return redirect("survey-trend", jurisdiction_id=run.jurisdiction_id)


@login_required
@require_POST
def requeue_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access.managed_run(request.user, run_id)
    try:
        actions.do_retry_run(run, request.user)
        messages.success(request, "已重新排队计算")
    except actions.SurveyRefused as error:
        messages.error(request, str(error))
    return redirect("survey-run", run_id=run.pk)


@login_required
@require_POST
def cancel_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access.managed_run(request.user, run_id)
    try:
        actions.do_cancel_run(run, request.user)
        messages.success(request, "已取消计算；输入文件仍保留，可以重新排队计算或删除")
    except actions.SurveyRefused as error:
        messages.error(request, str(error))
    return redirect("survey-run", run_id=run.pk)


@login_required
@require_POST
def delete_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access.managed_run(request.user, run_id)
    try:
        actions.do_delete_run(run, request.user)
    except actions.SurveyRefused as error:
        messages.error(request, str(error))
        return redirect("survey-run", run_id=run.pk)
    messages.success(request, f"已删除“{run.title}”及其文件；已记录的科学素质比例保留")
    return redirect("survey-home", jurisdiction_id=run.jurisdiction_id)


# ---------------------------------------------------------------------------- figures and trend


@login_required
def official_figure(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = access.managed_jurisdiction(request.user, jurisdiction_id)
    _, headline = _plan_headline(jurisdiction)
    form = OfficialFigureForm(request.POST or None, initial={"year": headline.baseline_year if headline else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        figure, replaced = actions.do_record_official(
            jurisdiction, request.user, year=data["year"], value=data["value"], se=data.get("se"),
            ci_low=data.get("ci_low"), ci_high=data.get("ci_high"), source=data["source"],
        )
        note = f"（替换了原来的 {replaced}）" if replaced else ""
        messages.success(request, f"已记录{figure.year}年正式公布数 {figure.value:g}%{note}")
        return redirect("survey-trend", jurisdiction_id=jurisdiction.pk)
    existing = LiteracyFigure.objects.filter(jurisdiction=jurisdiction, kind=LiteracyFigure.Kind.OFFICIAL).order_by("year")
    return render(request, "survey/figure_form.html", {
        "jurisdiction": jurisdiction, "form": form, "existing": existing, "tab": "trend",
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def delete_figure(request: HttpRequest, figure_id: int) -> HttpResponse:
    figure = access.managed_figure(request.user, figure_id)
    actions.do_delete_figure(figure, request.user)
    messages.success(request, f"已删除{figure.year}年{figure.get_kind_display()} {figure.value:g}%")
    return redirect("survey-trend", jurisdiction_id=figure.jurisdiction_id)


def _plan_headline(jurisdiction: Jurisdiction) -> tuple[Plan | None, Headline | None]:
    """The headline target of the jurisdiction's latest plan that states one (else its latest plan)."""
    plans = Plan.objects.filter(jurisdiction=jurisdiction).order_by("-period_end", "-period_start", "-pk")
    current = current_plan_of(jurisdiction)  # the successor's headline once the old plan has ended
    if current is None or current.target_value is None or current.target_year is None:
        current = None
    plan = current or plans.exclude(target_value=None).exclude(target_year=None).first() or plans.first()
    if plan is None:
        return None, None
    return plan, Headline(
        plan.target_year, plan.target_value, plan.target_comparator, plan.baseline_year, plan.baseline_value
    )


@login_required
def trend(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = access.readable_jurisdiction(request.user, jurisdiction_id)
    figures = list(
        LiteracyFigure.objects.filter(jurisdiction=jurisdiction).select_related("survey_run", "entered_by")
        .order_by("year", "kind")
    )
    points = [YearValue(f.year, f.value, f.kind, f.ci_low, f.ci_high) for f in figures]
    plan, headline = _plan_headline(jurisdiction)
    this_year = timezone.localdate().year
    result = outlook(points, headline, this_year)
    return render(request, "survey/trend.html", {
        "jurisdiction": jurisdiction, "figures": figures, "plan": plan, "headline": headline, "outlook": result,
        "chart": trend_chart(points, headline, result, this_year=this_year) if (points or headline) else None,
        "manage": is_office_admin(request.user, jurisdiction), "tab": "trend",
    })

"""Science education bases (科普教育基地) with their yearly review, activities (tracking's register, across the
plans of a jurisdiction), and the .xlsx imports of volunteers, teams, bases and activities."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from kesu.domain.refusals import Refused
from kesu.infra.params import id_param
from kesu.org.access import supervised_jurisdictions
from kesu.org.models import MemberUnit
from kesu.plans.current import current_plan_of
from kesu.plans.exports import content_disposition
from kesu.plans.models import Plan, Task
from kesu.tracking.actions import do_record_activity
from kesu.tracking.forms import ActivityForm, pop_audiences
from kesu.tracking.models import Activity
from kesu.volunteering.admin_actions import BASE_FIELDS, SetupRefused, do_save_base
from kesu.volunteering.forms import BaseForm, ImportForm, ReviewForm, SkipForm
from kesu.volunteering.importing import (
    IMPORTERS,
    ImportRefused,
    check_file,
    do_confirm_import,
    do_upload_import,
)
from kesu.volunteering.models import ImportBatch, ScienceBase
from kesu.volunteering.registry import do_review_base
from kesu.volunteering.samples import sample_workbook
from kesu.volunteering.views.context import context_jurisdiction, request_roles

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------------------- bases


@login_required
def bases(request: HttpRequest) -> HttpResponse:
    roles = request_roles(request)
    jurisdiction = context_jurisdiction(request, roles)
    listed = ScienceBase.objects.filter(jurisdiction__path__startswith=jurisdiction.path).select_related("jurisdiction", "area") \
        .prefetch_related("reviews")
    level = request.GET.get("level", "")
    if level in ScienceBase.Level.values:
        listed = listed.filter(level=level)
    year = timezone.localdate().year
    counts = {row["level"]: row["n"] for row in ScienceBase.objects.filter(
        jurisdiction__path__startswith=jurisdiction.path, revoked_year__isnull=True).values("level").annotate(n=Count("pk"))}
    return render(request, "services/bases.html", {
        "jurisdiction": jurisdiction, "bases": listed.order_by("level", "name"), "level": level, "year": year,
        "levels": [(v, label, counts.get(v, 0)) for v, label in ScienceBase.Level.choices],
        "office": roles.is_office_for(jurisdiction), "jurisdictions": supervised_jurisdictions(roles).order_by("path"),
    })


@login_required
def base_edit(request: HttpRequest, base_id: int | None = None) -> HttpResponse:
    roles = request_roles(request)
    base = get_object_or_404(ScienceBase, pk=base_id) if base_id else None
    jurisdiction = base.jurisdiction if base else context_jurisdiction(request, roles, office_only=True)
    if not roles.is_office_for(jurisdiction):
        raise PermissionDenied("只有科协办公室可以登记和修改科普教育基地")
    form = BaseForm(request.POST or None, jurisdiction=jurisdiction,
                    initial={f: getattr(base, f) for f in BASE_FIELDS} if base else {})
    review_form = ReviewForm(initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if request.POST.get("form") == "review" and base is not None:
            review_form = ReviewForm(request.POST)
            if review_form.is_valid():
                do_review_base(base, request.user, **review_form.cleaned_data)
                messages.success(request, "复核结果已保存")
                return redirect("service-base", base_id=base.pk)
        elif form.is_valid():
            try:
                base = do_save_base(jurisdiction, request.user, form.cleaned_data, base)
                messages.success(request, "科普教育基地已保存")
                return redirect("service-base", base_id=base.pk)
            except SetupRefused as error:
                form.add_error("name", str(error))
    return render(request, "services/base_form.html", {
        "form": form, "base": base, "jurisdiction": jurisdiction, "review_form": review_form,
        "reviews": base.reviews.select_related("reviewed_by") if base else [],
    })


# ---------------------------------------------------------------------------- activities


@login_required
def activities(request: HttpRequest) -> HttpResponse:
    """Activities of every plan of the jurisdiction and below; the office may register one for a member unit."""
    roles = request_roles(request)
    jurisdiction = context_jurisdiction(request, roles)
    plans = Plan.objects.filter(jurisdiction=jurisdiction).order_by("-period_start")
    wanted = id_param(request.GET, "plan") or id_param(request.POST, "plan")
    plan = (plans.filter(pk=wanted).first() if wanted else None) or current_plan_of(jurisdiction)
    office = roles.is_office_for(jurisdiction)
    listed = Activity.objects.filter(plan__jurisdiction__path__startswith=jurisdiction.path).select_related("unit", "task", "plan")
    listed = listed.prefetch_related("audiences")
    kind = request.GET.get("kind", "")
    if kind in Activity.Kind.values:
        listed = listed.filter(kind=kind)
    form = None
    if office and plan is not None:
        form = ActivityForm(request.POST or None, tasks=Task.objects.filter(section__plan=plan))
        form.fields["unit"] = _unit_field(jurisdiction)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            unit = data.pop("unit")
            audiences = pop_audiences(data)
            try:
                do_record_activity(plan, unit, request.user, data, request.FILES.getlist("files"), audiences)
                messages.success(request, "活动已登记")
                return redirect(f"{reverse('service-activities')}?j={jurisdiction.pk}&plan={plan.pk}")
            except Refused as error:  # a file refused (EvidenceRefused) or the head count against the groups
                form.add_error(error.field if error.field in form.fields else None, str(error))
    totals = listed.aggregate(n=Count("pk"), people=Sum("participants"))
    by_kind = listed.values("kind").annotate(n=Count("pk"), people=Sum("participants")).order_by("-n")
    labels = dict(Activity.Kind.choices)
    return render(request, "services/activities.html", {
        "jurisdiction": jurisdiction, "activities": listed.order_by("-held_on", "-pk")[:300], "form": form, "plan": plan,
        "plans": plans, "kind": kind, "kinds": Activity.Kind.choices, "totals": totals,
        "by_kind": [(labels.get(r["kind"], r["kind"]), r["n"], r["people"] or 0) for r in by_kind], "office": office,
        "jurisdictions": supervised_jurisdictions(roles).order_by("path"),
    })


def _unit_field(jurisdiction) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label="组织单位", queryset=MemberUnit.objects.filter(
        jurisdiction=jurisdiction, stands_for_all=False).order_by("name"))


# ---------------------------------------------------------------------------- imports


@login_required
def import_upload(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in IMPORTERS:
        raise Http404
    roles = request_roles(request)
    jurisdiction = context_jurisdiction(request, roles, office_only=True)
    plans = Plan.objects.filter(jurisdiction=jurisdiction).order_by("-period_start")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        wanted = id_param(request.POST, "plan")
        plan = plans.filter(pk=wanted).first() if kind == "activities" and wanted else None
        if kind == "activities" and plan is None:
            form.add_error(None, "请选择活动所属的实施方案")
        else:
            batch = do_upload_import(jurisdiction, request.user, kind, upload.name, upload.read(), plan)
            return redirect("service-import-review", batch_id=batch.pk)
    return render(request, "services/import_upload.html", {
        "form": form, "kind": kind, "spec": IMPORTERS[kind].spec, "jurisdiction": jurisdiction, "plans": plans,
    })


@login_required
def import_review(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Problems of an uploaded file, each by row and column; import all, or all but the rows named."""
    batch = get_object_or_404(ImportBatch.objects.select_related("jurisdiction", "plan"), pk=batch_id, uploaded_by=request.user)
    roles = request_roles(request)
    if not roles.is_office_for(batch.jurisdiction):  # checked on every step: the role may have changed since the upload
        raise PermissionDenied(f"只有{batch.jurisdiction.name}科协办公室管理员可以导入该地区的数据")
    spec = IMPORTERS[batch.kind].spec
    skip_form = SkipForm(request.POST or None)
    error, checked = "", None
    if batch.imported_at is None:
        try:
            checked = check_file(batch.kind, bytes(batch.data), batch.name, batch.jurisdiction, batch.plan)
        except ImportRefused as refused:
            error = str(refused)
    skip: set[int] = set()
    if request.method == "POST" and (checked is not None or batch.imported_at is not None):
        if skip_form.is_valid():
            try:
                skip = skip_form.rows()
                count = do_confirm_import(batch, request.user, skip)
                messages.success(request, f"已导入 {count} 条{spec.title}记录" + (f"，跳过第 {'、'.join(map(str, sorted(skip)))} 行" if skip else ""))
                return redirect(_after_import(batch))
            except ImportRefused as refused:
                error = str(refused)
                batch.refresh_from_db()
            except forms.ValidationError as refused:  # a skip list that is not row numbers
                error = "；".join(refused.messages)
    return render(request, "services/import_review.html", {
        "batch": batch, "spec": spec, "checked": checked, "error": error, "skip_form": skip_form,
        "problem_rows": sorted({p.row for p in checked.problems}) if checked else [],
        "remaining": [p for p in checked.problems_outside(skip)] if checked else [],
    })


def _after_import(batch: ImportBatch) -> str:
    names = {"volunteers": "service-volunteers", "teams": "service-teams", "bases": "service-bases",
             "activities": "service-activities"}
    return f"{reverse(names[batch.kind])}?j={batch.jurisdiction_id}"


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in IMPORTERS:
        raise Http404
    spec = IMPORTERS[kind].spec
    jurisdiction = context_jurisdiction(request, request_roles(request), office_only=True)
    plans = Plan.objects.filter(jurisdiction=jurisdiction).order_by("-period_start")
    plan = plans.filter(pk=id_param(request.GET, "plan")).first() if request.GET.get("plan") else current_plan_of(jurisdiction)
    response = HttpResponse(sample_workbook(kind, jurisdiction, plan), content_type=XLSX)
    response["Content-Disposition"] = content_disposition(f"{jurisdiction.name}{spec.title}导入示例.xlsx")
    return response


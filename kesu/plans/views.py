"""Pages for plans. Each view: parse the request, check access on the server, call one action or query, render."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kesu.domain.current_plan import CURRENT_PLAN_RULE
from kesu.domain.refusals import Refused
from kesu.org.access import administered_jurisdictions, home_jurisdictions, in_scope, is_office_admin
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.plans import actions, exports
from kesu.plans.access import can_edit_plan, can_view_plan, ensure_plan_open, visible_plans
from kesu.plans.current import current_of
from kesu.plans.forms import (
    MergeForm,
    PlanForm,
    SectionForm,
    TargetForm,
    TaskForm,
    UnitChoices,
    UploadForm,
    split_units,
)
from kesu.plans.home import home_blocks
from kesu.plans.import_preview import parser_warnings, preview_sections
from kesu.plans.importing import DocumentError, parse_upload
from kesu.plans.models import PendingImport, Plan, Section, Target, Task
from kesu.plans.queries import division_matrix, plan_units, summarize, unit_duties
from kesu.plans.serialize import plan_sections, plan_to_dict


def _viewable_plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("jurisdiction"), pk=plan_id)
    if not can_view_plan(request.user, plan):
        raise Http404("没有找到该方案")
    return plan


def _editable_plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = _viewable_plan(request, plan_id)
    ensure_plan_open(plan)  # an ended plan is read-only: 403 with the reason
    if not can_edit_plan(request.user, plan):
        raise PermissionDenied("只有本级科协办公室管理员可以修改方案")
    return plan


def _plan_context(request: HttpRequest, plan: Plan, **extra) -> dict:
    return {"plan": plan, "can_edit": can_edit_plan(request.user, plan), **extra}


ROLE_NAMES = {Membership.Role.OFFICE_ADMIN: "科协办公室", Membership.Role.VIEWER: "领导", Membership.Role.UNIT_REPORTER: "填报员"}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What the signed-in person must do now: one block per role and area (kesu.plans.home)."""
    blocks = home_blocks(request)
    who = [b.who for b in blocks] or [
        f"{m.jurisdiction.name}{m.unit.name if m.unit_id else ''}{ROLE_NAMES.get(m.role, '')}"
        for m in request.roles.memberships
    ]
    return render(request, "plans/home.html", {
        "blocks": blocks, "who": list(dict.fromkeys(who)),
        "can_import": administered_jurisdictions(request.user).exists(),
    })


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = visible_plans(request.user).annotate(
        section_count=Count("sections", distinct=True), task_count=Count("sections__tasks", distinct=True)
    )
    homes = home_jurisdictions(request.user)
    comparable = [j for j in homes if j.level != Jurisdiction.Level.COUNTY]
    plans = list(plans)
    current_ids = {p.pk for p in current_of(plans)}
    plans.sort(key=lambda p: (p.jurisdiction.path, p.pk not in current_ids, -p.period_start))  # each area's current first
    return render(request, "plans/plan_list.html", {
        "plans": plans, "comparable": comparable, "can_import": administered_jurisdictions(request.user).exists(),
        "current_ids": current_ids, "current_rule": CURRENT_PLAN_RULE,
    })


@login_required
def overview(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _viewable_plan(request, plan_id)
    return render(request, "plans/overview.html", _plan_context(request, plan, sections=plan_sections(plan)))


@login_required
def matrix(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _viewable_plan(request, plan_id)
    return render(request, "plans/matrix.html", _plan_context(request, plan, matrix=division_matrix(plan)))


@login_required
def unit_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _viewable_plan(request, plan_id)
    return render(request, "plans/units.html", _plan_context(request, plan, units=plan_units(plan)))


@login_required
def unit_detail(request: HttpRequest, plan_id: int, unit_id: int) -> HttpResponse:
    plan = _viewable_plan(request, plan_id)
    unit = get_object_or_404(MemberUnit, pk=unit_id, jurisdiction=plan.jurisdiction)
    others = MemberUnit.objects.filter(jurisdiction=plan.jurisdiction).exclude(pk=unit.pk)
    return render(
        request, "plans/unit.html",
        _plan_context(request, plan, unit=unit, duties=unit_duties(plan, unit),
                      aliases=unit.aliases.all(), merge_form=MergeForm(units=others)),
    )


@login_required
def target_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _viewable_plan(request, plan_id)
    targets = Target.objects.filter(task__section__plan=plan).select_related("task__section").order_by(
        "task__section__position", "task__position", "position"
    )
    return render(request, "plans/targets.html", _plan_context(request, plan, targets=targets))


@login_required
def print_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _viewable_plan(request, plan_id)
    return render(
        request, "plans/print.html",
        {"plan": plan, "sections": plan_sections(plan), "matrix": division_matrix(plan)},
    )


@login_required
def history(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _viewable_plan(request, plan_id)
    events = plan.events.select_related("actor")[:500]
    return render(request, "plans/history.html", _plan_context(request, plan, events=events))


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = exports.content_disposition(filename)
    return response


@login_required
def export_division(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _viewable_plan(request, plan_id)
    return _xlsx(exports.division_workbook(plan), f"{plan.jurisdiction.name}任务分工.xlsx")


@login_required
def export_targets(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _viewable_plan(request, plan_id)
    return _xlsx(exports.targets_workbook(plan), f"{plan.jurisdiction.name}量化目标.xlsx")


@login_required
def export_json(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _viewable_plan(request, plan_id)
    body = json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = exports.content_disposition(f"{plan.jurisdiction.name}实施方案.json")
    return response


# ---------------------------------------------------------------------------- corrections


def plan_overview_url(plan: Plan) -> str:
    return reverse("plan-overview", args=[plan.pk])


def _render_form(
    request: HttpRequest, plan: Plan, form, title: str, back: str, status: int = 200, delete_url: str = ""
) -> HttpResponse:
    context = {"plan": plan, "form": form, "title": title, "back": back, "delete_url": delete_url}
    return render(request, "plans/form.html", context, status=status)


@login_required
def edit_plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _editable_plan(request, plan_id)
    form = PlanForm(request.POST or None, initial=PlanForm.initial_for(plan))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version, phases = data.pop("version"), data.pop("phases")
        for key in ("issuer", "doc_number"):
            data[key] = data[key] or ""
        try:
            actions.do_edit_plan(plan, request.user, version, data)
            actions.do_replace_phases(plan, request.user, phases)
        except actions.StaleEdit as error:
            form.add_error(None, str(error))
            return _render_form(request, plan, form, "修改方案信息", plan_overview_url(plan), status=409)
        messages.success(request, "方案信息已保存")
        return redirect("plan-overview", plan_id=plan.pk)
    return _render_form(request, plan, form, "修改方案信息", plan_overview_url(plan))


@login_required
def edit_section(request: HttpRequest, plan_id: int, section_id: int) -> HttpResponse:
    plan = _editable_plan(request, plan_id)
    section = get_object_or_404(Section, pk=section_id, plan=plan)
    stated = list(section.responsibilities.filter(task__isnull=True).order_by("position"))
    initial = {
        "version": section.version, "title": section.title, "kind": section.kind, "group": section.group,
        "lead": "、".join(r.written_name for r in stated if r.role == "lead"),
        "support": "、".join(r.written_name for r in stated if r.role == "support"),
    }
    form = SectionForm(request.POST or None, initial=initial, units=UnitChoices.of(plan.jurisdiction))
    back = f"{plan_overview_url(plan)}#section-{section.pk}"
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        lead, support = split_units(data.pop("lead")), split_units(data.pop("support"))
        try:
            actions.do_edit_section(section, request.user, data.pop("version"), data, lead, support)
        except actions.StaleEdit as error:
            form.add_error(None, str(error))
            return _render_form(request, plan, form, "修改章节", back, status=409)
        messages.success(request, "章节已保存")
        return redirect(back)
    return _render_form(request, plan, form, f"修改章节：{section.title}", back)


@login_required
def edit_task(request: HttpRequest, plan_id: int, task_id: int) -> HttpResponse:
    plan = _editable_plan(request, plan_id)
    task = get_object_or_404(Task.objects.select_related("section__plan"), pk=task_id, section__plan=plan)
    rows = list(task.responsibilities.order_by("position"))
    initial = {
        "version": task.version, "title": task.title,
        "lead": "、".join(r.written_name for r in rows if r.role == "lead"),
        "support": "、".join(r.written_name for r in rows if r.role == "support"),
    }
    form = TaskForm(request.POST or None, initial=initial, units=UnitChoices.of(plan.jurisdiction))
    back = f"{plan_overview_url(plan)}#task-{task.pk}"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_edit_task(
                task, request.user, data["version"], data["title"].strip(),
                split_units(data["lead"]), split_units(data["support"]),
            )
        except actions.StaleEdit as error:
            form.add_error(None, str(error))
            return _render_form(request, plan, form, "修改措施", back, status=409)
        messages.success(request, "措施已保存")
        return redirect(back)
    return _render_form(request, plan, form, "修改措施", back)


@login_required
def edit_target(request: HttpRequest, plan_id: int, task_id: int | None = None, target_id: int | None = None) -> HttpResponse:
    plan = _editable_plan(request, plan_id)
    if target_id is not None:
        target = get_object_or_404(Target.objects.select_related("task"), pk=target_id, task__section__plan=plan)
        task = target.task
        initial = {f: getattr(target, f) for f in ("indicator", "value", "unit", "comparator", "year", "annual", "text",
                                                   "baseline", "baseline_year")}
        initial["version"] = target.version
    else:
        task = get_object_or_404(Task, pk=task_id, section__plan=plan)
        target, initial = None, {"version": 0, "comparator": ">=", "year": plan.period_end}
    form = TargetForm(request.POST or None, initial=initial)
    back = f"{plan_overview_url(plan)}#task-{task.pk}"
    title = "修改量化目标" if target else f"新增量化目标：{task.title}"
    delete_url = reverse("target-delete", args=[plan.pk, target.pk]) if target else ""
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            actions.do_save_target(task, target, request.user, data.pop("version"), data)
        except actions.StaleEdit as error:
            form.add_error(None, str(error))
            return _render_form(request, plan, form, title, back, status=409, delete_url=delete_url)
        messages.success(request, "量化目标已保存")
        return redirect(back)
    return _render_form(request, plan, form, title, back, delete_url=delete_url)


@login_required
@require_POST
def delete_target(request: HttpRequest, plan_id: int, target_id: int) -> HttpResponse:
    plan = _editable_plan(request, plan_id)
    target = get_object_or_404(Target.objects.select_related("task__section__plan"), pk=target_id, task__section__plan=plan)
    task_id = target.task_id
    actions.do_delete_target(target, request.user)
    messages.success(request, "量化目标已删除")
    return redirect(f"{plan_overview_url(plan)}#task-{task_id}")


@login_required
@require_POST
def set_status(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _editable_plan(request, plan_id)
    status = request.POST.get("status")
    if status not in (Plan.Status.DRAFT, Plan.Status.PUBLISHED):  # a plan ends only through its successor
        raise Http404
    actions.do_set_plan_status(plan, request.user, status)
    messages.success(request, "方案已发布" if status == Plan.Status.PUBLISHED else "方案已撤回为未发布")
    return redirect("plan-overview", plan_id=plan.pk)


@login_required
@require_POST
def merge_unit(request: HttpRequest, plan_id: int, unit_id: int) -> HttpResponse:
    plan = _editable_plan(request, plan_id)
    unit = get_object_or_404(MemberUnit, pk=unit_id, jurisdiction=plan.jurisdiction)
    form = MergeForm(request.POST, units=MemberUnit.objects.filter(jurisdiction=plan.jurisdiction).exclude(pk=unit.pk))
    if not form.is_valid():
        messages.error(request, "请选择要并入的单位")
        return redirect("plan-unit", plan_id=plan.pk, unit_id=unit.pk)
    keep = form.cleaned_data["into"]
    actions.do_merge_units(keep, unit, request.user)
    messages.success(request, f"“{unit.name}”已并入“{keep.name}”，今后导入时也按同一单位识别")
    return redirect("plan-unit", plan_id=plan.pk, unit_id=keep.pk)


# ---------------------------------------------------------------------------- import


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    jurisdictions = administered_jurisdictions(request.user)
    if not jurisdictions.exists():
        raise PermissionDenied("只有科协办公室管理员可以导入方案")
    form = UploadForm(request.POST or None, request.FILES or None, jurisdictions=jurisdictions)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.KESU_MAX_PLAN_UPLOAD:
            form.add_error("file", f"文件“{upload.name}”超过 {settings.KESU_MAX_PLAN_UPLOAD // 1024 // 1024} MB 上限")
        else:
            try:
                parsed, sha = parse_upload(upload.name, upload.read())
                actions.find_existing_plan(form.cleaned_data["jurisdiction"], parsed)
            except (DocumentError, actions.ImportRefused) as error:
                form.add_error("file", str(error))
            else:
                pending = PendingImport.objects.create(
                    jurisdiction=form.cleaned_data["jurisdiction"], uploaded_by=request.user,
                    source_name=upload.name, source_sha256=sha, parsed=parsed,
                )
                return redirect("plan-import-confirm", pending_id=pending.pk)
    return render(request, "plans/import.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def import_confirm(request: HttpRequest, pending_id: int) -> HttpResponse:
    pending = get_object_or_404(PendingImport.objects.select_related("jurisdiction"), pk=pending_id, uploaded_by=request.user)
    if not in_scope(request.user, pending.jurisdiction):
        raise Http404
    if not is_office_admin(request.user, pending.jurisdiction):  # the role may have changed since the upload
        raise PermissionDenied(f"您已不是{pending.jurisdiction.name}科协办公室管理员，不能确认导入该方案")
    preview = actions.preview_import(pending.parsed, pending.jurisdiction, pending.source_sha256)
    if request.method == "POST":
        try:
            outcome = actions.do_import_plan(
                pending.parsed, jurisdiction=pending.jurisdiction, source_name=pending.source_name,
                source_sha256=pending.source_sha256, actor=request.user, confirm=True,
                allow_overlap=request.POST.get("overlap") == "on",
            )
        except actions.ImportRefused as error:
            messages.error(request, str(error))
            if error.field == "overlap":  # the same page again, with the box to tick
                return redirect("plan-import-confirm", pending_id=pending.pk)
            return redirect("plan-import")
        except Refused as error:  # a revision of an ended plan
            messages.error(request, str(error))
            return redirect("plan-import")
        pending.delete()
        if outcome.unchanged:
            messages.info(request, "文件内容与已导入的方案相同，未做任何修改")
        else:
            messages.success(request, "方案已导入" if outcome.created else f"已按修订稿更新 {len(outcome.changes)} 处")
        if outcome.created and outcome.predecessor is not None:  # next: confirm the links (kesu.succession's page)
            return redirect("succession", plan_id=outcome.plan.pk)
        return redirect("plan-overview", plan_id=outcome.plan.pk)
    parsed = pending.parsed
    counts = {
        "sections": len(parsed["sections"]),
        "tasks": sum(len(s["tasks"]) for s in parsed["sections"]),
        "targets": sum(len(t["targets"]) for s in parsed["sections"] for t in s["tasks"]),
    }
    return render(request, "plans/import_confirm.html", {
        "pending": pending, "preview": preview, "parsed": parsed, "counts": counts,
        "sections": preview_sections(parsed), "warnings": parser_warnings(parsed),
    })


# ---------------------------------------------------------------------------- several jurisdictions


@login_required
def compare(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    if not in_scope(request.user, jurisdiction):
        raise Http404
    plans = (
        visible_plans(request.user)
        .filter(jurisdiction__path__startswith=jurisdiction.path)
        .filter(Q(jurisdiction=jurisdiction) | Q(jurisdiction__level__in=["city", "county"]))
        .order_by("jurisdiction__path")
    )
    summaries = [summarize(p) for p in plans]
    groups = [(key, label) for key, label in Section.Group.choices
              if any(key in s.sections_by_group for s in summaries)]
    rows = [(label, [s.sections_by_group.get(key) for s in summaries]) for key, label in groups]
    return render(request, "plans/compare.html", {"jurisdiction": jurisdiction, "summaries": summaries, "rows": rows})

"""统计报表 pages: rounds per jurisdiction, opening a round, assigning respondents, the fill/review page, the
roll-up up the tree, .xlsx exports, the school list and target bindings. Parse, check access, one action, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kesu.datasets import access, actions
from kesu.datasets.events import label_of
from kesu.datasets.exports import rollup_workbook, round_workbook
from kesu.datasets.figures import COUNTING_RULE, rollup, round_aggregate
from kesu.datasets.forms import ReturnForm, RoundForm, SchoolUploadForm
from kesu.datasets.importing import ImportRefused, check_schools, do_import_schools, do_stage_school_import
from kesu.datasets.models import DataBinding, DataEvent, Round, School, SchoolImport, Submission
from kesu.datasets.prefill import prefills, sources_of
from kesu.datasets.respondents import candidates
from kesu.datasets.samples import sample_workbook
from kesu.domain import report_workflow as workflow
from kesu.domain.data_set_templates import TEMPLATES
from kesu.domain.data_sets import DataRefused, Prefill, fraction_rule, merge_prefill
from kesu.domain.refusals import Refused
from kesu.infra.params import int_param
from kesu.org.access import SUPERVISING_ROLES
from kesu.org.models import Jurisdiction
from kesu.plans.exports import content_disposition
from kesu.plans.models import Plan, Target

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def _jurisdiction(request: HttpRequest, jurisdiction_id: int, *, manage: bool = False) -> Jurisdiction:
    jurisdiction = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    if not (access.can_manage if manage else access.can_read)(request.user, jurisdiction):
        raise PermissionDenied("您没有查看或管理本地区统计报表的权限。")
    return jurisdiction


def _round(request: HttpRequest, round_id: int, *, manage: bool = False) -> Round:
    round_ = get_object_or_404(Round.objects.select_related("jurisdiction"), pk=round_id)
    _jurisdiction(request, round_.jurisdiction_id, manage=manage)
    return round_


@login_required
def round_list(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id)
    rounds = list(Round.objects.filter(jurisdiction=jurisdiction))
    for r in rounds:
        states = list(r.submissions.values_list("state", flat=True))
        r.counts = {"all": len(states), "submitted": sum(s in ("submitted", "approved") for s in states),
                    "approved": states.count("approved"), "returned": states.count("returned")}
    below = list(Round.objects.filter(jurisdiction__path__startswith=jurisdiction.path).exclude(jurisdiction=jurisdiction)
                 .values_list("template", "period_type", "year", "number").distinct())
    plans = Plan.objects.filter(jurisdiction=jurisdiction).order_by("-period_end")
    return render(request, "datasets/list.html", {
        "jurisdiction": jurisdiction, "rounds": rounds, "can_manage": access.can_manage(request.user, jurisdiction),
        "templates": TEMPLATES.values(), "below": len(below), "plans": plans,
        "schools": School.objects.filter(jurisdiction=jurisdiction, active=True).count(),
    })


@login_required
def round_new(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id, manage=True)
    form = RoundForm(request.POST or None, initial=RoundForm.initial_values())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                round_ = actions.do_open_round(jurisdiction, request.user, data["template"], data["period_type"], data["year"],
                                               data["number"], data["deadline"], data["lock_days"], data["remind_days"])
                messages.success(request, f"已开启{round_}，请指定填报对象。")
                return redirect("datasets-assign", round_id=round_.pk)
            except Refused as refusal:
                form.add_error(None, str(refusal))
        status = 400
    return render(request, "datasets/round_new.html", {"jurisdiction": jurisdiction, "form": form,
                                                       "templates": TEMPLATES.values()}, status=status)


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round(request, round_id)
    submissions = list(round_.submissions.all())
    definition = round_.definition
    figures = round_aggregate(round_)
    fractions = [(f.name, figures.fractions[f.code], fraction_rule(definition, f.code))
                 for f in (*definition.ratios, *definition.shares)]
    return render(request, "datasets/round.html", {
        "round": round_, "jurisdiction": round_.jurisdiction, "submissions": submissions, "definition": definition,
        "can_manage": access.can_manage(request.user, round_.jurisdiction), "figures": figures,
        "totals": [(i, definition.depth(i.code), figures.totals.get(i.code), figures.reported.get(i.code, 0))
                   for i in definition.indicators],
        "fractions": fractions, "counting_rule": COUNTING_RULE, "locked": round_.window().locked,
        "sources": [(definition.label(code), source) for code, source in sources_of(round_.template).items()],
        "events": _events(DataEvent.objects.filter(round=round_)),
    })


@login_required
@require_POST
def round_remind(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round(request, round_id, manage=True)
    try:
        messages.success(request, f"已催报 {actions.do_remind_round(round_, request.user)} 个未提交的填报对象。")
    except Refused as refusal:
        messages.error(request, str(refusal))
    return redirect("datasets-round", round_id=round_.pk)


@login_required
def round_assign(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round(request, round_id, manage=True)
    offered = candidates(round_)
    chosen = set(round_.submissions.values_list("kind", "ref_id"))
    error, status = "", 200
    if request.method == "POST":
        picked = set()
        for kind in Submission.Kind.values:
            for raw in request.POST.getlist(kind):
                if not raw.isdigit() or len(raw) > 18:
                    raise BadRequest("填报对象参数不正确")
                picked.add((kind, int(raw)))
        try:
            added, removed = actions.do_assign_respondents(round_, request.user, picked)
            messages.success(request, f"已保存填报对象：新增 {added} 个，移除 {removed} 个。")
            return redirect("datasets-round", round_id=round_.pk)
        except Refused as refusal:
            error, status, chosen = str(refusal), 400, picked
    groups = []
    for kind, label in Submission.Kind.choices:
        rows = [(r, (r.kind, r.id) in chosen) for r in offered.values() if r.kind == kind]
        if kind in round_.definition.respondent_kinds:
            groups.append({"kind": kind, "label": label, "rows": rows})
    return render(request, "datasets/assign.html", {"round": round_, "jurisdiction": round_.jurisdiction,
                                                    "groups": groups, "error": error}, status=status)


def _events(rows) -> list[tuple[DataEvent, str]]:
    return [(e, label_of(e.kind)) for e in rows.select_related("actor")[:30]]


def _submission(request: HttpRequest, submission_id: int) -> Submission:
    submission = get_object_or_404(Submission.objects.select_related("round__jurisdiction", "unit"), pk=submission_id)
    if not access.can_see(request.user, submission):
        raise PermissionDenied("您没有查看这份报表的权限。")
    return submission


def _stored_prefills(submission: Submission) -> dict[str, Prefill]:
    return {code: Prefill(float(v[0]), v[1], v[2]) for code, v in submission.prefills.items()}


@login_required
def submission_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission(request, submission_id)
    round_ = submission.round
    can_fill = access.can_fill(request.user, submission)
    editable = can_fill and workflow.editable_by_reporter(workflow.State(submission.state), round_.window())
    can_review = (access.can_manage(request.user, round_.jurisdiction)
                  and submission.state == workflow.State.SUBMITTED)
    offered = prefills(submission) if editable else _stored_prefills(submission)
    typed, error, status = None, None, 200
    return_form = ReturnForm(request.POST if request.POST.get("action") == "return" else None)
    if request.method == "POST":
        action = request.POST.get("action", "")
        version = int_param(request.POST, "version", low=0, high=2**31, default=0)
        try:
            if action in ("save", "submit"):
                typed = {i.code: request.POST.get(f"v_{i.code}", "")[:40] for i in round_.definition.indicators}
                actions.do_save_values(round_, submission.respondent, request.user, version, typed, offered,
                                       submit=action == "submit")
                messages.success(request, "已提交，等待科协办公室审核。" if action == "submit" else "已保存草稿。")
            elif action == "approve":
                actions.do_approve_submission(submission, request.user, version)
                messages.success(request, f"已审核通过：{submission.name}。")
            elif action == "return":
                if not return_form.is_valid():
                    raise workflow.MoveRefused("退回报表必须填写退回原因。")
                actions.do_return_submission(submission, request.user, version, return_form.cleaned_data["reason"])
                messages.success(request, f"已退回：{submission.name}。")
            else:
                raise BadRequest("未知操作")
            return redirect("datasets-submission", submission_id=submission.pk)
        except Refused as refusal:
            error, status = refusal, 409 if isinstance(refusal, actions.StaleEdit) else 400
    problems = {p.code: p.message for p in error.problems} if isinstance(error, DataRefused) else {}
    sections = merge_prefill(round_.definition, submission.values, offered, typed)
    return render(request, "datasets/submission.html", {
        "submission": submission, "round": round_, "jurisdiction": round_.jurisdiction, "sections": sections,
        "editable": editable, "can_review": can_review, "problems": problems,
        "error": "" if error is None else str(error), "return_form": return_form,
        "can_read_round": access.can_read(request.user, round_.jurisdiction),
        "state_label": workflow.STATE_LABELS[workflow.State(submission.state)],
        "events": _events(DataEvent.objects.filter(submission=submission)),
    }, status=status)


@login_required
def round_export(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round(request, round_id)
    return _xlsx(round_workbook(round_), f"{round_.jurisdiction.name}{round_}.xlsx")


def _rollup_choice(request: HttpRequest, jurisdiction: Jurisdiction) -> tuple[list[Round], Round | None]:
    """The forms and periods with rounds in the area (newest first) and the one asked for (?round=…)."""
    seen, options = set(), []
    for r in Round.objects.filter(jurisdiction__path__startswith=jurisdiction.path).order_by("-year", "-number", "template", "pk"):
        key = (r.template, r.period_type, r.year, r.number)
        if key not in seen:
            seen.add(key)
            options.append(r)
    wanted = int_param(request.GET, "round", low=1, high=2**63 - 1)
    chosen = next((r for r in options if r.pk == wanted), None)
    if wanted is not None and chosen is None:
        found = Round.objects.filter(pk=wanted, jurisdiction__path__startswith=jurisdiction.path).first()
        chosen = next((r for r in options if found and (r.template, r.period_type, r.year, r.number)
                       == (found.template, found.period_type, found.year, found.number)), None)
    return options, chosen or (options[0] if options else None)


def _rollup_of(jurisdiction: Jurisdiction, chosen: Round):
    return rollup(jurisdiction, chosen.template, chosen.period_type, chosen.year, chosen.number)


@login_required
def rollup_page(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id)
    options, chosen = _rollup_choice(request, jurisdiction)
    result = _rollup_of(jurisdiction, chosen) if chosen else None
    columns = []
    if result:
        definition = result.definition
        columns = [(i.name, i.unit, definition.depth(i.code), i.code) for i in definition.indicators]
        columns += [(f.name, "%", 0, f.code) for f in (*definition.ratios, *definition.shares)]
    return render(request, "datasets/rollup.html", {
        "jurisdiction": jurisdiction, "options": options, "chosen": chosen, "result": result, "columns": columns,
        "counting_rule": COUNTING_RULE,
        "rules": [fraction_rule(result.definition, f.code) for f in (*result.definition.ratios, *result.definition.shares)] if result else [],
    })


@login_required
def rollup_export(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id)
    _, chosen = _rollup_choice(request, jurisdiction)
    if chosen is None:
        raise BadRequest("本地区及下辖地区还没有统计报表")
    title = f"{jurisdiction.name}及下辖地区{chosen.period.label}{chosen.definition.name}汇总"
    return _xlsx(rollup_workbook(title, _rollup_of(jurisdiction, chosen)), f"{title}.xlsx")


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    own = list(access.own_submissions(request.user).select_related("round__jurisdiction").order_by("-round__year", "round__deadline"))
    areas = Jurisdiction.objects.filter(pk__in=[m.jurisdiction_id for m in request.roles.memberships
                                                if m.role in SUPERVISING_ROLES]).order_by("path")
    return render(request, "datasets/mine.html", {"submissions": own, "areas": areas, "today": timezone.localdate()})


@login_required
def school_list(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id)
    can_manage = access.can_manage(request.user, jurisdiction)
    form = SchoolUploadForm(request.POST or None, request.FILES or None) if can_manage else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("只有本级科协办公室可以导入学校名单。")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = do_stage_school_import(jurisdiction, request.user, upload.name, upload.read())
                return redirect("datasets-school-import", import_id=batch.pk)
            except Refused as refusal:
                form.add_error("file", str(refusal))
        status = 400
    return render(request, "datasets/schools.html", {
        "jurisdiction": jurisdiction, "schools": School.objects.filter(jurisdiction=jurisdiction),
        "form": form, "can_manage": can_manage}, status=status)


@login_required
def school_sample(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id, manage=True)
    return _xlsx(sample_workbook(jurisdiction), f"{jurisdiction.name}学校名单示例.xlsx")


@login_required
def school_import(request: HttpRequest, import_id: int) -> HttpResponse:
    batch = get_object_or_404(SchoolImport.objects.select_related("jurisdiction"), pk=import_id)
    jurisdiction = _jurisdiction(request, batch.jurisdiction_id, manage=True)
    error = ""
    if request.method == "POST":
        try:
            count = do_import_schools(batch, request.user)
            messages.success(request, f"已导入 {count} 所学校。")
            return redirect("datasets-schools", jurisdiction_id=jurisdiction.pk)
        except ImportRefused as refusal:
            error = str(refusal)
    try:
        checked = check_schools(jurisdiction, bytes(batch.data), batch.name)
    except ImportRefused as refusal:
        checked, error = None, str(refusal)
    return render(request, "datasets/school_import.html", {"jurisdiction": jurisdiction, "batch": batch,
                                                            "checked": checked, "error": error},
                  status=400 if error else 200)


@login_required
def bindings(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("jurisdiction"), pk=plan_id)
    _jurisdiction(request, plan.jurisdiction_id, manage=True)
    targets = list(Target.objects.filter(task__section__plan=plan).select_related("task").order_by("task__section__position", "task__position", "pk"))
    choices = [(f"{t.key}:{code}", f"{t.name} · {t.label(code)}") for t in TEMPLATES.values()
               for code in [*(i.code for i in t.indicators), *(r.code for r in t.ratios), *(s.code for s in t.shares)]]
    bound = {b.target_id: f"{b.template}:{b.code}" for b in DataBinding.objects.filter(target__in=targets)}
    return render(request, "datasets/bindings.html", {"plan": plan, "jurisdiction": plan.jurisdiction,
                                                      "rows": [(t, bound.get(t.pk, "")) for t in targets], "choices": choices})


@login_required
@require_POST
def binding_save(request: HttpRequest, target_id: int) -> HttpResponse:
    target = get_object_or_404(Target.objects.select_related("task__section__plan__jurisdiction"), pk=target_id)
    plan = target.task.section.plan
    _jurisdiction(request, plan.jurisdiction_id, manage=True)
    template, _, code = request.POST.get("choice", "").partition(":")
    try:
        actions.do_set_binding(target, request.user, template, code)
        messages.success(request, f"已保存“{target.indicator}”的取数方式。")
    except Refused as refusal:
        messages.error(request, str(refusal))
    return redirect(reverse("datasets-bindings", args=[plan.pk]))

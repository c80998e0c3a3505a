"""科普经费 pages: a jurisdiction's year (figures with their rules, editing), the allocation table (import/export),
one line with its spending and evidence, units' own funding, the areas below side by side, downloads.
Parse, check access (server side, every view), call one action, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from kesu.domain import funding_rules as rules
from kesu.domain.refusals import Refused
from kesu.funding import access, actions, importing
from kesu.funding.events import label_of
from kesu.funding.exports import lines_workbook, statistics_workbook
from kesu.funding.figures import areas_below, section_shares, summary
from kesu.funding.forms import (
    FundingYearForm,
    LineForm,
    SpendingEditForm,
    SpendingForm,
    SpendingRemoveForm,
    StandardForm,
    UnitFundingForm,
    UploadForm,
)
from kesu.funding.models import (
    AllocationImport,
    AllocationLine,
    FundingEvent,
    FundingStandard,
    FundingYear,
    SpendingEntry,
    SpendingFile,
    UnitFunding,
)
from kesu.funding.queries import led_tasks, plan_for, tasks_of, units_of
from kesu.infra.params import int_param
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.plans.exports import content_disposition

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RULES = [rules.PER_CAPITA_RULE, rules.GROWTH_RULE, rules.RECEIVED_RULE, rules.EXECUTION_RULE, rules.SHARE_RULE,
         rules.STANDARD_RULE]


def _jurisdiction(request: HttpRequest, jurisdiction_id: int, *, edit: bool = False) -> Jurisdiction:
    jurisdiction = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    if not (access.can_edit if edit else access.can_read)(request.user, jurisdiction):
        raise PermissionDenied("您没有查看或修改本地区科普经费的权限。")
    return jurisdiction


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    return int_param(request.GET, "year", low=2000, high=today.year + 1, default=today.year)


def _row(jurisdiction: Jurisdiction, year: int) -> FundingYear | None:
    return FundingYear.objects.filter(jurisdiction=jurisdiction, year=year).first()


def _years(jurisdiction: Jurisdiction) -> list[int]:
    today = timezone.localdate().year
    stored = set(FundingYear.objects.filter(jurisdiction=jurisdiction).values_list("year", flat=True))
    return sorted(stored | {today, today - 1}, reverse=True)


def _common(request: HttpRequest, jurisdiction: Jurisdiction, year: int, tab: str) -> dict:
    return {"jurisdiction": jurisdiction, "year": year, "years": _years(jurisdiction), "tab": tab,
            "can_edit": access.can_edit(request.user, jurisdiction), "can_read": access.can_read(request.user, jurisdiction),
            "has_areas": jurisdiction.children.exists()}


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition(filename)
    return response


@login_required
def funding_year(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id)
    year = _year(request)
    found = summary(jurisdiction, year)
    history = FundingEvent.objects.filter(jurisdiction=jurisdiction, year=year).select_related("actor")[:30]
    return render(request, "funding/year.html", {
        **_common(request, jurisdiction, year, "year"), "s": found, "shares": section_shares(found.row),
        "rules": RULES, "history": [(e, label_of(e.kind)) for e in history],
    })


@login_required
def funding_edit(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    """The office enters the year's funding, and may set the per-capita standard for itself and the areas below."""
    jurisdiction = _jurisdiction(request, jurisdiction_id, edit=True)
    year = _year(request)
    row = _row(jurisdiction, year)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = FundingYearForm(request.POST if action == "year" else None, initial=FundingYearForm.initial_of(row))
    own_standard = FundingStandard.objects.filter(jurisdiction=jurisdiction, year=year).first()
    standard_form = StandardForm(request.POST if action == "standard" else None, initial={
        "version": own_standard.version if own_standard else 0,
        "yuan_per_person": rules.wan_text(own_standard.yuan_per_person) if own_standard else ""})
    status = 200
    if action in ("year", "standard"):
        bound = form if action == "year" else standard_form
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                if action == "year":
                    actions.do_save_funding_year(jurisdiction, year, request.user, data.get("version") or 0, data)
                    messages.success(request, f"{year}年科普经费已保存。")
                else:
                    actions.do_set_standard(jurisdiction, year, request.user, data["yuan_per_person"], data.get("version") or 0)
                    messages.success(request, f"{year}年人均经费标准已保存，下辖地区沿用此标准。")
                return redirect(reverse("funding-year", args=[jurisdiction.pk]) + f"?year={year}")
            except Refused as refusal:
                bound.add_error(None, str(refusal))
                status = 409 if isinstance(refusal, actions.StaleEdit) else 400
        else:
            status = 400
    elif request.method == "POST":
        raise PermissionDenied("未知的操作。")
    return render(request, "funding/edit.html", {
        **_common(request, jurisdiction, year, "year"), "form": form, "standard_form": standard_form,
        "standard": summary(jurisdiction, year), "row": row,
    }, status=status)


def _line_form(jurisdiction: Jurisdiction, year: int, data=None, initial=None) -> LineForm:
    return LineForm(data, initial=initial, units=units_of(jurisdiction), tasks=tasks_of(plan_for(jurisdiction, year)))


@login_required
def funding_lines(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id)
    year = _year(request)
    can_edit = access.can_edit(request.user, jurisdiction)
    form = _line_form(jurisdiction, year, request.POST if request.method == "POST" else None) if can_edit else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("只有本级科协办公室可以修改经费分配表。")
        if form.is_valid():
            try:
                actions.do_add_line(jurisdiction, year, request.user, form.cleaned_data)
                messages.success(request, "分配项目已添加。")
                return redirect(reverse("funding-lines", args=[jurisdiction.pk]) + f"?year={year}")
            except Refused as refusal:
                form.add_error(None, str(refusal))
        status = 400
    row = _row(jurisdiction, year)
    lines = list(row.lines.select_related("unit", "task__section").prefetch_related("spending")) if row else []
    for line in lines:
        line.spent = rules.total(s.amount for s in line.spending.all())
    return render(request, "funding/lines.html", {
        **_common(request, jurisdiction, year, "lines"), "lines": lines, "form": form,
        "planned": rules.total(line.planned for line in lines), "spent": rules.total(line.spent for line in lines),
        "execution_rule": rules.EXECUTION_RULE,
    }, status=status)


def _line(request: HttpRequest, line_id: int, *, edit: bool = False) -> AllocationLine:
    line = get_object_or_404(AllocationLine.objects.select_related("funding_year__jurisdiction", "unit", "task"), pk=line_id)
    _jurisdiction(request, line.funding_year.jurisdiction_id, edit=edit)
    return line


def _entry_forms(entry: SpendingEntry, action: str, data=None) -> tuple[SpendingEditForm, SpendingRemoveForm]:
    """The correction and removal forms of one spending entry; the posted one bound (what was typed is kept)."""
    initial = {"entry": entry.pk, "version": entry.version, "spent_on": entry.spent_on, "amount": entry.amount,
               "note": entry.note}
    edit = SpendingEditForm(data if action == "spend_edit" else None, initial=initial, files_of_entry=entry.files.all(),
                            prefix="fix")
    remove = SpendingRemoveForm(data if action == "spend_remove" else None, initial=initial, prefix="drop")
    return edit, remove


def _entry_action(request: HttpRequest, entry: SpendingEntry, action: str, edit: SpendingEditForm,
                  remove: SpendingRemoveForm) -> tuple[bool, int]:
    """Correct or remove the entry; (done, status). A refusal is added to the form, which keeps what was typed."""
    form = edit if action == "spend_edit" else remove
    if not form.is_valid():
        return False, 400
    data = form.cleaned_data
    try:
        if action == "spend_edit":
            actions.do_edit_spending(entry, request.user, data["version"], data["spent_on"], data["amount"], data["note"],
                                     request.FILES.getlist("fix-files"), data.get("remove_files") or [])
            messages.success(request, "支出已修改，已支出合计和执行率随之更新。")
        else:
            actions.do_remove_spending(entry, request.user, data["version"], data["reason"])
            messages.success(request, "支出已删除，已支出合计和执行率随之更新。")
    except Refused as refusal:
        form.add_error(None, str(refusal))
        return False, 409 if isinstance(refusal, actions.StaleEdit) else 400
    return True, 200


@login_required
def funding_line(request: HttpRequest, line_id: int) -> HttpResponse:
    """One allocation line: the office edits or removes it, records its spending with evidence, and corrects or
    removes (with a reason) a spending entry (`?entry=` opens one entry's forms)."""
    line = _line(request, line_id)
    jurisdiction, year = line.funding_year.jurisdiction, line.funding_year.year
    can_edit = access.can_edit(request.user, jurisdiction)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action and not can_edit:
        raise PermissionDenied("只有本级科协办公室可以修改分配项目和登记支出。")
    initial = {"version": line.version, "project": line.project, "content": line.content, "unit": line.unit_id,
               "task": line.task_id, "planned": line.planned}
    edit_form = _line_form(jurisdiction, year, request.POST if action == "edit" else None, initial) if can_edit else None
    spending_form = SpendingForm(request.POST if action == "spend" else None,
                                 initial={"spent_on": min(timezone.localdate(), timezone.localdate().replace(year=year, month=12, day=31))}) if can_edit else None
    lines_url = reverse("funding-lines", args=[jurisdiction.pk]) + f"?year={year}"
    status = 200
    entry = entry_forms = None
    if can_edit:
        source = request.POST if action in ("spend_edit", "spend_remove") else request.GET
        prefix = {"spend_edit": "fix-", "spend_remove": "drop-"}.get(action, "")
        entry_id = int_param(source, f"{prefix}entry", low=1, high=2**62)
        if entry_id:
            entry = get_object_or_404(line.spending.all(), pk=entry_id)
            entry_forms = _entry_forms(entry, action, request.POST)
    if action in ("spend_edit", "spend_remove"):
        if entry is None:
            raise Http404("没有找到这条支出。")
        done, status = _entry_action(request, entry, action, *entry_forms)
        if done:
            return redirect("funding-line", line_id=line.pk)
    elif action == "remove":
        try:
            actions.do_remove_line(line, request.user, int_param(request.POST, "version", low=0, high=10**9, default=0))
            messages.success(request, f"已删除分配项目“{line.project}”。")
            return redirect(lines_url)
        except Refused as refusal:
            messages.error(request, str(refusal))
            return redirect("funding-line", line_id=line.pk)
    elif action in ("edit", "spend"):
        form = edit_form if action == "edit" else spending_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "edit":
                    actions.do_edit_line(line, request.user, data.get("version") or 0, data)
                    messages.success(request, "分配项目已保存。")
                else:
                    actions.do_record_spending(line, request.user, data["spent_on"], data["amount"], data["note"],
                                               request.FILES.getlist("files"))
                    messages.success(request, "支出已登记。")
                return redirect("funding-line", line_id=line.pk)
            except Refused as refusal:
                form.add_error(None, str(refusal))
                status = 409 if isinstance(refusal, actions.StaleEdit) else 400
        else:
            status = 400
    elif action:
        raise PermissionDenied("未知的操作。")
    entries = list(line.spending.select_related("recorded_by").prefetch_related("files"))
    spent = rules.total(e.amount for e in entries)
    return render(request, "funding/line.html", {
        **_common(request, jurisdiction, year, "lines"), "line": line, "entries": entries, "spent": spent,
        "execution": rules.execution_rate(spent, line.planned), "execution_rule": rules.EXECUTION_RULE,
        "edit_form": edit_form, "spending_form": spending_form, "lines_url": lines_url,
        "entry": entry, "entry_forms": entry_forms,
    }, status=status)


@login_required
def funding_file(request: HttpRequest, file_id: int) -> FileResponse:
    stored = get_object_or_404(SpendingFile.objects.select_related("entry__line__funding_year"), pk=file_id)
    _jurisdiction(request, stored.entry.line.funding_year.jurisdiction_id)
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404("这份佐证材料的文件已不存在。") from None
    return FileResponse(handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type)


@login_required
def funding_import(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    """Upload the allocation table → every problem by row and column → confirm once (all or nothing)."""
    jurisdiction = _jurisdiction(request, jurisdiction_id, edit=True)
    year = _year(request)
    here = reverse("funding-import", args=[jurisdiction.pk]) + f"?year={year}"
    form, checked, batch, error, status = UploadForm(), None, None, "", 200
    batch_id = int_param(request.GET, "batch", low=1, high=2**62)
    if batch_id:
        batch = get_object_or_404(AllocationImport, pk=batch_id, funding_year__jurisdiction=jurisdiction, funding_year__year=year)
    if request.method == "POST" and request.POST.get("action") == "confirm" and batch is not None:
        try:
            result = importing.check(batch.funding_year, bytes(batch.data), batch.name) if batch.imported_at is None else None
            if result is not None and result.problems:
                raise importing.ImportRefused(f"有 {len(result.problems)} 处问题，未导入任何数据。")
            count = actions.do_confirm_allocations(batch, request.user, result.rows if result else [])
            messages.success(request, f"已导入 {count} 个分配项目。")
            return redirect(reverse("funding-lines", args=[jurisdiction.pk]) + f"?year={year}")
        except Refused as refusal:
            error, status = str(refusal), 409
            batch.refresh_from_db()  # imported meanwhile by another request: show that, not its emptied file
    elif request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(importing.MAX_BYTES + 1)
            try:
                importing.read_rows(data, upload.name)
                batch = actions.do_upload_allocations(jurisdiction, year, request.user, upload.name, data)
                return redirect(f"{here}&batch={batch.pk}")
            except Refused as refusal:
                form.add_error("file", str(refusal))
        status = 400
    if batch is not None and batch.imported_at is None:
        try:
            checked = importing.check(batch.funding_year, bytes(batch.data), batch.name)
        except Refused as refusal:
            error = str(refusal)
    return render(request, "funding/import.html", {
        **_common(request, jurisdiction, year, "lines"), "form": form, "batch": batch, "checked": checked,
        "error": error, "header": importing.HEADER, "notes": importing.NOTES,
        "planned": rules.total(r["planned"] for r in checked.rows) if checked else None,
    }, status=status)


@login_required
def funding_sample(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id, edit=True)
    year = _year(request)
    row = _row(jurisdiction, year) or FundingYear(jurisdiction=jurisdiction, year=year)
    return _xlsx(importing.sample_workbook(row), f"经费分配表示例-{jurisdiction.name}{year}年.xlsx")


@login_required
def funding_lines_xlsx(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id)
    year = _year(request)
    return _xlsx(lines_workbook(jurisdiction, year, _row(jurisdiction, year)), f"科普经费分配表-{jurisdiction.name}{year}年.xlsx")


@login_required
def funding_statistics_xlsx(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id)
    year = _year(request)
    return _xlsx(statistics_workbook(jurisdiction, year), f"科普统计-经费-{jurisdiction.name}{year}年.xlsx")


@login_required
def funding_areas(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id)
    year = _year(request)
    return render(request, "funding/areas.html", {
        **_common(request, jurisdiction, year, "areas"), "own": summary(jurisdiction, year),
        "areas": areas_below(jurisdiction, year), "rules": [rules.PER_CAPITA_RULE, rules.GROWTH_RULE, rules.STANDARD_RULE],
    })


@login_required
def funding_units(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    """Units' own funding for the measures they lead: a unit's reporter fills its rows; the office and above read."""
    jurisdiction = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    readable, mine = access.can_read(request.user, jurisdiction), access.reporter_units(request.user, jurisdiction)
    if not readable and not mine:
        raise PermissionDenied("您没有查看本地区单位经费的权限。")
    year = _year(request)
    plan = plan_for(jurisdiction, year)
    status, failed = 200, None
    if request.method == "POST":
        form = UnitFundingForm(request.POST)
        if not form.is_valid():
            failed, status = form, 400
        else:
            data = form.cleaned_data
            if data["unit"] not in mine:
                raise PermissionDenied("只能填报本单位的经费。")
            unit = get_object_or_404(MemberUnit, pk=data["unit"], jurisdiction=jurisdiction)
            task = get_object_or_404(led_tasks(plan, [unit.pk]), pk=data["task"])
            try:
                actions.do_save_unit_funding(unit, task, year, request.user, data.get("version") or 0, data["amount"], data["note"])
                messages.success(request, "本单位经费已保存。")
                return redirect(reverse("funding-units", args=[jurisdiction.pk]) + f"?year={year}")
            except Refused as refusal:
                form.add_error(None, str(refusal))
                failed, status = form, 409 if isinstance(refusal, actions.StaleEdit) else 400
    stored = {(f.unit_id, f.task_id): f for f in UnitFunding.objects.filter(unit__jurisdiction=jurisdiction, year=year)
              .select_related("unit", "task")}
    rows = []
    for unit in MemberUnit.objects.filter(pk__in=mine).order_by("name"):
        for task in led_tasks(plan, [unit.pk]):
            entry = stored.get((unit.pk, task.pk))
            posted = failed if failed is not None and failed.data.get("task") == str(task.pk) and failed.data.get("unit") == str(unit.pk) else None
            rows.append({"unit": unit, "task": task, "entry": entry, "form": posted or UnitFundingForm(initial={
                "unit": unit.pk, "task": task.pk, "version": entry.version if entry else 0,
                "amount": entry.amount if entry else None, "note": entry.note if entry else ""})})
    listing = sorted(stored.values(), key=lambda f: (f.unit.name, f.task_id)) if readable else []
    return render(request, "funding/units.html", {
        **_common(request, jurisdiction, year, "units"), "rows": rows, "listing": listing, "plan": plan,
        "total": rules.total(f.amount for f in listing),
    }, status=status)


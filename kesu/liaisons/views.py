"""Pages of the liaison roster (联络员名册): parse, check access (kesu.liaisons.access), call one action, render."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kesu.domain.liaison_terms import ATTENDANCE_RULE
from kesu.domain.refusals import Refused
from kesu.liaisons import events
from kesu.liaisons.access import may_edit, may_read_unit, readable_unit_ids, reads_all
from kesu.liaisons.actions import (
    do_end_liaison,
    do_export_liaison_contacts,
    do_record_training,
    do_reveal_liaison_mobile,
    do_set_liaison,
)
from kesu.liaisons.exports import contacts_workbook
from kesu.liaisons.forms import EndForm, EntryForm, TrainingForm
from kesu.liaisons.models import LiaisonEntry, LiaisonEvent, Training
from kesu.liaisons.roster import absent_liaisons, roster, training_attendance
from kesu.org.models import Jurisdiction, MemberUnit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


def _jurisdiction(request: HttpRequest, jurisdiction_id: int, *, edit: bool = False) -> Jurisdiction:
    """The jurisdiction whose roster the user may read (a unit reporter: only its own units), or edit."""
    jurisdiction = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    roles = request.roles
    if edit and not may_edit(roles, jurisdiction):
        raise PermissionDenied(f"只有{jurisdiction.name}科协办公室可以修改联络员名册")
    if not reads_all(roles, jurisdiction) and not roles.reporter_unit_ids(jurisdiction):
        raise PermissionDenied("您无权查看该地区的联络员名册")
    return jurisdiction


def _unit(request: HttpRequest, jurisdiction: Jurisdiction, unit_id: int) -> MemberUnit:
    unit = get_object_or_404(MemberUnit, pk=unit_id, jurisdiction=jurisdiction, stands_for_all=False)
    if not may_read_unit(request.roles, unit):
        raise PermissionDenied("您只能查看本单位的联络员")
    return unit


@login_required
def roster_page(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id)
    rows = roster(jurisdiction, readable_unit_ids(request.roles, jurisdiction))
    return render(request, "liaisons/roster.html", {
        "jurisdiction": jurisdiction, "rows": rows, "can_edit": may_edit(request.roles, jurisdiction),
        "reads_all": reads_all(request.roles, jurisdiction), "missing": sum(r.liaison is None for r in rows),
    })


@login_required
def unit_page(request: HttpRequest, jurisdiction_id: int, unit_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id)
    return _unit_page(request, jurisdiction, _unit(request, jurisdiction, unit_id))


def _unit_page(request: HttpRequest, jurisdiction: Jurisdiction, unit: MemberUnit,
               revealed: LiaisonEntry | None = None, end_form: EndForm | None = None) -> HttpResponse:
    entries = list(LiaisonEntry.objects.filter(unit=unit).select_related("user"))
    return render(request, "liaisons/unit.html", {
        "jurisdiction": jurisdiction, "unit": unit, "revealed": revealed,
        "current": [e for e in entries if e.valid_to is None], "past": [e for e in entries if e.valid_to is not None],
        "can_edit": may_edit(request.roles, jurisdiction), "end_form": end_form or EndForm(),
    })


@login_required
def edit_page(request: HttpRequest, jurisdiction_id: int, unit_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id, edit=True)
    unit = _unit(request, jurisdiction, unit_id)
    post = request.GET.get("post", LiaisonEntry.Post.LIAISON)
    form = EntryForm(request.POST or None, jurisdiction=jurisdiction,
                     initial={"post": post if post in LiaisonEntry.Post.values else LiaisonEntry.Post.LIAISON})
    if request.method == "POST" and form.is_valid():
        try:
            entry = do_set_liaison(unit, form.cleaned_data["post"], form.cleaned_data, request.user, request.roles)
        except Refused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, f"已登记{unit.name}{entry.get_post_display()}：{entry.name}。")
            return redirect("liaisons-unit", jurisdiction.pk, unit.pk)
    return render(request, "liaisons/edit.html", {"jurisdiction": jurisdiction, "unit": unit, "form": form})


def _entry(request: HttpRequest, entry_id: int) -> tuple[Jurisdiction, LiaisonEntry]:
    entry = get_object_or_404(LiaisonEntry.objects.select_related("unit__jurisdiction"), pk=entry_id)
    jurisdiction = _jurisdiction(request, entry.unit.jurisdiction_id, edit=True)
    return jurisdiction, entry


@login_required
@require_POST
def end_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    jurisdiction, entry = _entry(request, entry_id)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            do_end_liaison(entry, form.cleaned_data["valid_to"], request.user, request.roles)
        except Refused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, f"已登记{entry.name}离任。")
            return redirect("liaisons-unit", jurisdiction.pk, entry.unit_id)
    return _unit_page(request, jurisdiction, entry.unit, end_form=form)


@login_required
@require_POST
def reveal_mobile(request: HttpRequest, entry_id: int) -> HttpResponse:
    """显示完整号码: recorded, then shown on this one answer (not cached, not on a reload)."""
    jurisdiction, entry = _entry(request, entry_id)
    do_reveal_liaison_mobile(entry, request.user, request.roles)
    response = _unit_page(request, jurisdiction, entry.unit, revealed=entry)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def export_contacts(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    """GET: the 通讯录 with masked mobiles (what the reader may see); POST: the office's full export, recorded."""
    if request.method == "POST":
        jurisdiction = _jurisdiction(request, jurisdiction_id, edit=True)
        data = do_export_liaison_contacts(jurisdiction, request.user, request.roles)
        return _attachment(data, f"{jurisdiction.name}联络员通讯录（含完整号码）.xlsx")
    jurisdiction = _jurisdiction(request, jurisdiction_id)
    rows = roster(jurisdiction, readable_unit_ids(request.roles, jurisdiction))
    return _attachment(contacts_workbook(jurisdiction, rows), f"{jurisdiction.name}联络员通讯录.xlsx")


@login_required
def trainings_page(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id)
    if not reads_all(request.roles, jurisdiction):
        raise PermissionDenied("联络员培训记录仅供科协办公室和领导查看")
    trainings = Training.objects.filter(jurisdiction=jurisdiction).prefetch_related("attendees__unit")
    return render(request, "liaisons/trainings.html", {
        "jurisdiction": jurisdiction, "rule": ATTENDANCE_RULE, "can_edit": may_edit(request.roles, jurisdiction),
        "trainings": [(t, training_attendance(t), absent_liaisons(t)) for t in trainings],
    })


@login_required
def training_new(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id, edit=True)
    form = TrainingForm(request.POST or None, jurisdiction=jurisdiction)
    if request.method == "POST" and form.is_valid():
        try:
            do_record_training(jurisdiction, form.cleaned_data, list(form.cleaned_data["attendees"]), request.user,
                               request.roles)
        except Refused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, "已登记联络员培训。")
            return redirect("liaisons-trainings", jurisdiction.pk)
    return render(request, "liaisons/training_form.html", {"jurisdiction": jurisdiction, "form": form,
                                                            "rule": ATTENDANCE_RULE})


@login_required
def history_page(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id)
    if not reads_all(request.roles, jurisdiction):
        raise PermissionDenied("变更记录仅供科协办公室和领导查看")
    rows = [(e, events.label_of(e.kind)) for e in
            LiaisonEvent.objects.filter(jurisdiction=jurisdiction).select_related("actor")[:500]]
    return render(request, "liaisons/history.html", {"jurisdiction": jurisdiction, "rows": rows})

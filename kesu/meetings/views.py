"""Meeting pages: list per jurisdiction, detail, forms, decisions, downloads. Parse, check access, one action, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from kesu.domain.evidence_rules import EvidenceRefused
from kesu.domain.meeting_rules import ATTENDANCE_RULE, OVERDUE_RULE, RATE_RULE, days_overdue, is_overdue
from kesu.domain.refusals import Refused
from kesu.infra.params import int_param
from kesu.meetings import access, actions, figures
from kesu.meetings.cycle_items import latest_shared_reports
from kesu.meetings.events import label_of
from kesu.meetings.forms import CompleteForm, DecisionForm, MeetingForm, ReopenForm
from kesu.meetings.models import Decision, Meeting, MeetingEvent
from kesu.meetings.word import render_minutes
from kesu.org.models import Jurisdiction
from kesu.plans.exports import content_disposition


def _jurisdiction(request: HttpRequest, jurisdiction_id: int, *, edit: bool = False) -> Jurisdiction:
    jurisdiction = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    if not (access.can_edit if edit else access.can_read)(request.user, jurisdiction):
        raise PermissionDenied("您没有查看或修改本地区领导小组会议的权限。")
    return jurisdiction


def _meeting(request: HttpRequest, meeting_id: int, *, edit: bool = False) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("jurisdiction", "minutes"), pk=meeting_id)
    _jurisdiction(request, meeting.jurisdiction_id, edit=edit)
    return meeting


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    return int_param(request.GET, "year", low=2000, high=today.year + 1, default=today.year)


@login_required
def meeting_list(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = _jurisdiction(request, jurisdiction_id)
    year, today = _year(request), timezone.localdate()
    meetings = (Meeting.objects.filter(jurisdiction=jurisdiction, held_on__year=year)
                .prefetch_related("attending_units", "decisions"))
    decisions = Decision.objects.filter(meeting__jurisdiction=jurisdiction)
    years = sorted({d.year for d in Meeting.objects.filter(jurisdiction=jurisdiction).dates("held_on", "year")} | {today.year},
                   reverse=True)
    return render(request, "meetings/list.html", {
        "jurisdiction": jurisdiction, "year": year, "years": years, "meetings": meetings,
        "can_edit": access.can_edit(request.user, jurisdiction),
        "rate": figures.on_time_rate(decisions, today), "overdue_count": figures.overdue(decisions, today).count(),
        "attendance": figures.attendance(jurisdiction, year),
        "rate_rule": RATE_RULE, "attendance_rule": ATTENDANCE_RULE,
    })


def _meeting_form_page(request: HttpRequest, jurisdiction: Jurisdiction, meeting: Meeting | None) -> HttpResponse:
    form = MeetingForm(request.POST or None, request.FILES or None, instance=meeting, jurisdiction=jurisdiction,
                       initial={"version": meeting.version} if meeting else {"held_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data, units, upload = form.cleaned_data, form.cleaned_data["attending_units"], form.cleaned_data["minutes_file"]
            try:
                if meeting is None:
                    meeting = actions.do_record_meeting(jurisdiction, request.user, data, units, upload)
                    messages.success(request, "会议已登记。")
                else:
                    actions.do_edit_meeting(meeting, request.user, data.get("version") or 0, data, units, upload)
                    messages.success(request, "会议已保存。")
                return redirect("meetings-meeting", meeting_id=meeting.pk)
            except Refused as refusal:
                form.add_error("minutes_file" if isinstance(refusal, EvidenceRefused) else None, str(refusal))
                status = 409 if isinstance(refusal, actions.StaleEdit) else 400
        else:
            status = 400
    back = reverse("meetings-meeting", args=[meeting.pk]) if meeting else reverse("meetings-list", args=[jurisdiction.pk])
    return render(request, "meetings/meeting_form.html", {
        "jurisdiction": jurisdiction, "form": form, "meeting": meeting, "back": back,
        "title": "修改会议" if meeting else "登记会议",
    }, status=status)


@login_required
def meeting_new(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    return _meeting_form_page(request, _jurisdiction(request, jurisdiction_id, edit=True), None)


@login_required
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id, edit=True)
    return _meeting_form_page(request, meeting.jurisdiction, meeting)


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    can_edit = access.can_edit(request.user, meeting.jurisdiction)
    form = DecisionForm(request.POST or None, jurisdiction=meeting.jurisdiction) if can_edit else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("只有本级科协办公室可以登记议定事项。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.do_add_decision(meeting, request.user, data["text"], data["due_on"], data["lead_units"], data["support_units"])
                messages.success(request, "议定事项已登记。")
                return redirect("meetings-meeting", meeting_id=meeting.pk)
            except Refused as refusal:
                form.add_error(None, str(refusal))
        status = 400
    today = timezone.localdate()
    decisions = list(meeting.decisions.prefetch_related("lead_units", "support_units"))
    for decision in decisions:
        decision.overdue_days = days_overdue(decision.due_on, today) if is_overdue(decision.due_on, decision.completed_on, today) else 0
    history = MeetingEvent.objects.filter(meeting=meeting).select_related("actor")[:50]
    return render(request, "meetings/meeting.html", {
        "meeting": meeting, "jurisdiction": meeting.jurisdiction, "decisions": decisions, "form": form,
        "can_edit": can_edit, "history": [(e, label_of(e.kind)) for e in history], "overdue_rule": OVERDUE_RULE,
        "units": meeting.attending_units.order_by("name"),
    }, status=status)


@login_required
def minutes_download(request: HttpRequest, meeting_id: int) -> FileResponse:
    meeting = _meeting(request, meeting_id)
    if meeting.minutes is None:
        raise Http404("这次会议没有上传会议记录。")
    return FileResponse(meeting.minutes.file.open("rb"), as_attachment=True, filename=meeting.minutes.original_name,
                        content_type=meeting.minutes.content_type)


@login_required
def minutes_docx(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    response = HttpResponse(render_minutes(meeting),
                            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = content_disposition(f"会议纪要-{meeting.held_on:%Y%m%d}.docx")
    return response


@login_required
def decision_list(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    readable = access.can_read(request.user, jurisdiction)
    if not readable and not access.reporter_units(request.user, jurisdiction):
        raise PermissionDenied("您没有查看本地区议定事项的权限。")
    today = timezone.localdate()
    decisions = access.visible_decisions(request.user, jurisdiction)
    only_overdue = int_param(request.GET, "overdue", low=0, high=1, default=0) == 1
    shown = figures.overdue(decisions, today) if only_overdue else decisions
    rows = list(shown.select_related("meeting").prefetch_related("lead_units", "support_units").order_by("status", "due_on", "pk"))
    late = set(figures.overdue(decisions, today).values_list("pk", flat=True))
    for row in rows:
        row.overdue_days = days_overdue(row.due_on, today) if row.pk in late else 0
    return render(request, "meetings/decisions.html", {
        "jurisdiction": jurisdiction, "decisions": rows, "only_overdue": only_overdue, "readable": readable,
        "rate": figures.on_time_rate(decisions, today), "overdue_count": len(late),
        "rate_rule": RATE_RULE, "overdue_rule": OVERDUE_RULE,
    })


@login_required
def decision_detail(request: HttpRequest, decision_id: int) -> HttpResponse:
    """One decision: the office edits it and may reopen it; the office or a lead unit's reporter completes it."""
    decision = get_object_or_404(Decision.objects.select_related("meeting__jurisdiction"), pk=decision_id)
    jurisdiction = decision.meeting.jurisdiction
    if not access.can_see_decision(request.user, decision):
        raise PermissionDenied("您没有查看这项议定事项的权限。")
    can_edit, can_complete = access.can_edit(request.user, jurisdiction), access.can_complete(request.user, decision)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    edit_form = DecisionForm(request.POST if action == "edit" else None, jurisdiction=jurisdiction,
                             initial=DecisionForm.initial_of(decision)) if can_edit else None
    done = decision.status == Decision.Status.DONE
    complete_form = CompleteForm(request.POST if action == "complete" else None,
                                 initial={"version": decision.version, "completed_on": timezone.localdate()}) if can_complete and not done else None
    reopen_form = ReopenForm(request.POST if action == "reopen" else None, initial={"version": decision.version}) if can_edit and done else None
    status = 200
    if action:
        form = {"edit": edit_form, "complete": complete_form, "reopen": reopen_form}.get(action)
        if form is None:
            raise PermissionDenied("您不能对这项议定事项执行此操作。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "edit":
                    actions.do_edit_decision(decision, request.user, data.get("version") or 0, data["text"], data["due_on"],
                                             data["lead_units"], data["support_units"])
                elif action == "complete":
                    actions.do_complete_decision(decision, request.user, data["version"], data["completed_on"], data["note"])
                else:
                    actions.do_reopen_decision(decision, request.user, data["version"], data["reason"])
                messages.success(request, "已保存。")
                return redirect("meetings-decision", decision_id=decision.pk)
            except Refused as refusal:
                form.add_error(None, str(refusal))
                status = 409 if isinstance(refusal, actions.StaleEdit) else 400
        else:
            status = 400
    today = timezone.localdate()
    overdue_days = days_overdue(decision.due_on, today) if is_overdue(decision.due_on, decision.completed_on, today) else 0
    history = decision.events.select_related("actor")[:50]
    return render(request, "meetings/decision.html", {
        "decision": decision, "meeting": decision.meeting, "jurisdiction": jurisdiction,
        "can_read_meeting": access.can_read(request.user, jurisdiction), "overdue_days": overdue_days,
        "edit_form": edit_form, "complete_form": complete_form, "reopen_form": reopen_form,
        "history": [(e, label_of(e.kind)) for e in history],
        "cycle_reports": latest_shared_reports(decision), "can_edit": can_edit,
    }, status=status)

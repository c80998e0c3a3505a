"""Campaign pages: list per jurisdiction, mine, detail (who registered, who did nothing, 催报), forms, registration,
report downloads, photos, and the public calendar. Parse, check access, one action, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from kesu.campaigns import access, actions, report
from kesu.campaigns.documents import render_docx, render_xlsx
from kesu.campaigns.events import label_of
from kesu.campaigns.forms import (
    CampaignForm,
    EditActivityForm,
    RegisterForm,
    WithdrawForm,
    held_by_choices,
    initial_of,
)
from kesu.campaigns.models import Campaign, CampaignActivity
from kesu.domain.evidence_rules import EvidenceRefused
from kesu.domain.refusals import Refused
from kesu.infra.params import int_param
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.plans.access import ensure_plan_open
from kesu.plans.exports import content_disposition
from kesu.tracking.models import Evidence
from kesu.volunteering.models import ServiceArea
from kesu.volunteering.views.context import request_roles

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    return int_param(request.GET, "year", low=2000, high=today.year + 1, default=today.year)


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("jurisdiction", "parent__jurisdiction"), pk=campaign_id)
    if not access.can_see(request_roles(request), campaign):
        raise Http404("没有找到该主题活动")
    return campaign


def _managed(request: HttpRequest, campaign_id: int) -> Campaign:
    campaign = _campaign(request, campaign_id)
    if not access.can_manage(request_roles(request), campaign):
        raise PermissionDenied("只有本级科协办公室可以修改主题活动。")
    return campaign


def _supervised(request: HttpRequest, campaign_id: int) -> Campaign:
    campaign = _campaign(request, campaign_id)
    if not access.can_read_all(request_roles(request), campaign):
        raise PermissionDenied("主题活动报告供科协办公室和领导查看。")
    return campaign


@login_required
def campaign_list(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    roles = request_roles(request)
    if not roles.supervises(jurisdiction):
        raise PermissionDenied("您没有查看本地区主题活动的权限。")
    year = _year(request)
    campaigns = (Campaign.objects.filter(jurisdiction=jurisdiction, year=year).select_related("parent__jurisdiction")
                 .annotate(entry_count=Count("entries", distinct=True), unit_count=Count("invited_units", distinct=True),
                           township_count=Count("townships", distinct=True)))
    years = sorted(set(Campaign.objects.filter(jurisdiction=jurisdiction).values_list("year", flat=True)) | {timezone.localdate().year},
                   reverse=True)
    return render(request, "campaigns/list.html", {
        "jurisdiction": jurisdiction, "year": year, "years": years, "campaigns": campaigns,
        "can_open": roles.is_office_for(jurisdiction),
    })


@login_required
def campaign_mine(request: HttpRequest) -> HttpResponse:
    """The campaigns the user may see: invited units' and townships' first, with a link to register."""
    roles = request_roles(request)
    today = timezone.localdate()
    campaigns = list(access.visible_campaigns(roles).filter(year__gte=today.year - 1).select_related("jurisdiction")
                     .order_by("-starts_on", "pk")[:200])
    rows = [(c, access.registrant(roles, c), access.can_read_all(roles, c)) for c in campaigns]
    jurisdictions = Jurisdiction.objects.filter(pk__in=roles.office_ids).order_by("path") if roles.office_ids else []
    return render(request, "campaigns/mine.html", {"rows": rows, "today": today, "jurisdictions": jurisdictions})


def _form_page(request: HttpRequest, jurisdiction: Jurisdiction, campaign: Campaign | None) -> HttpResponse:
    today = timezone.localdate()
    initial = {"version": campaign.version} if campaign else {"year": today.year, "starts_on": today, "ends_on": today}
    form = CampaignForm(request.POST or None, instance=campaign, jurisdiction=jurisdiction, new=campaign is None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            invited = actions.Invited(list(data["invited_units"]), list(data["townships"]), list(data["bases"]))
            try:
                if campaign is None:
                    campaign = actions.do_open_campaign(jurisdiction, request.user, data, invited, data.get("cascade", False))
                    messages.success(request, "主题活动已开启，已通知参加单位和乡镇。")
                else:
                    actions.do_edit_campaign(campaign, request.user, data.get("version") or 0, data, invited)
                    messages.success(request, "主题活动已保存。")
                return redirect("campaigns-campaign", campaign_id=campaign.pk)
            except Refused as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, str(refusal))
                status = 409 if isinstance(refusal, actions.StaleCampaign) else 400
        else:
            status = 400
    back = reverse("campaigns-campaign", args=[campaign.pk]) if campaign else reverse("campaigns-list", args=[jurisdiction.pk])
    return render(request, "campaigns/campaign_form.html", {
        "jurisdiction": jurisdiction, "form": form, "campaign": campaign, "back": back,
        "title": "修改主题活动" if campaign else "开启主题活动",
    }, status=status)


@login_required
def campaign_new(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    if not request_roles(request).is_office_for(jurisdiction):
        raise PermissionDenied("只有本级科协办公室可以开启主题活动。")
    return _form_page(request, jurisdiction, None)


@login_required
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed(request, campaign_id)
    return _form_page(request, campaign.jurisdiction, campaign)


@login_required
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    roles = request_roles(request)
    manage, read_all = access.can_manage(roles, campaign), access.can_read_all(roles, campaign)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied("只有本级科协办公室可以催报。")
        try:
            notified = actions.do_urge_campaign(campaign, request.user)
            messages.success(request, f"已向尚未登记的单位和乡镇发出催报提醒（{notified} 人）。")
        except Refused as refusal:
            messages.error(request, str(refusal))
        return redirect("campaigns-campaign", campaign_id=campaign.pk)
    entries = list(access.visible_entries(roles, campaign).select_related("activity__unit", "activity__plan", "township")
                   .prefetch_related("activity__audiences", "activity__evidence"))
    allowed = set(access.changeable_entries(roles, campaign).values_list("pk", flat=True))
    changeable = {e.pk for e in entries if e.pk in allowed and not e.activity.plan.is_ended}
    figures = report.build(campaign, entries)
    children = (campaign.children.select_related("jurisdiction")
                .annotate(entry_count=Count("entries", distinct=True), unit_count=Count("invited_units", distinct=True))
                .order_by("jurisdiction__name")) if read_all else []
    history = campaign.events.select_related("actor")[:50] if read_all else []
    return render(request, "campaigns/campaign.html", {
        "campaign": campaign, "jurisdiction": campaign.jurisdiction, "report": figures, "manage": manage,
        "read_all": read_all, "can_register": bool(access.registrant(roles, campaign)), "children": children,
        "units": campaign.invited_units.order_by("name"), "townships": campaign.townships.order_by("position", "name"),
        "bases": campaign.bases.order_by("name"), "changeable": changeable,
        "history": [(e, label_of(e.kind), e.kind.startswith("activity_")) for e in history],
    })


def _holders(mine: access.Registrant, entry: CampaignActivity | None = None) -> tuple[list[MemberUnit], list[ServiceArea]]:
    """The units and townships the user registers for (plus the one holding `entry`, which an edit may keep)."""
    unit_ids, township_ids = set(mine.unit_ids), set(mine.township_ids)
    if entry is not None and entry.township_id:
        township_ids.add(entry.township_id)
    elif entry is not None:
        unit_ids.add(entry.activity.unit_id)
    return (list(MemberUnit.objects.filter(pk__in=unit_ids).order_by("name")),
            list(ServiceArea.objects.filter(pk__in=township_ids).order_by("position", "name")))


def _parsed(form: RegisterForm, units: list[MemberUnit], townships: list[ServiceArea]) -> tuple:
    """The holder (unit, township), the activity's fields and the people involved, from a valid form."""
    data = form.cleaned_data
    unit = next((u for u in units if data["held_by"] == f"u{u.pk}"), None)
    township = next((t for t in townships if data["held_by"] == f"t{t.pk}"), None)
    activity = {"title": data["title"], "held_on": data["held_on"], "place": data["place"],
                "online": data["online"], "participants": data["participants"], "description": data["description"]}
    return unit, township, activity, actions.Involved(data["scientists"], data["volunteers"], data["volunteer_hours"])


def _refused(form: forms.Form, refusal: Refused) -> None:
    field = "photos" if isinstance(refusal, EvidenceRefused) else refusal.field
    form.add_error(field if field in form.fields else None, str(refusal))


@login_required
def register(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    mine = access.registrant(request_roles(request), campaign)
    if not mine:
        raise PermissionDenied("只有受邀单位的填报员和受邀乡镇/街道的工作人员可以登记活动。")
    units, townships = _holders(mine)
    choices = held_by_choices(units, townships)
    form = RegisterForm(request.POST or None, choices=choices,
                        initial={"held_by": choices[0][0] if len(choices) == 1 else None,
                                 "held_on": min(timezone.localdate(), campaign.ends_on)})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            unit, township, activity, involved = _parsed(form, units, townships)
            try:
                actions.do_register_activity(campaign, request.user, unit, township, activity, form.audiences(),
                                             request.FILES.getlist("photos"), involved)
                messages.success(request, "活动已登记。")
                return redirect("campaigns-campaign", campaign_id=campaign.pk)
            except Refused as refusal:
                _refused(form, refusal)
                status = 400
        else:
            status = 400
    return render(request, "campaigns/register.html", {"campaign": campaign, "form": form}, status=status)


def _changeable(request: HttpRequest, entry_id: int) -> CampaignActivity:
    """A registered activity the user may correct or withdraw: 404 outside what the user sees, 403 when the user
    sees it but may not change it, or when the plan it counts for has ended (read-only)."""
    entry = get_object_or_404(CampaignActivity.objects.select_related(
        "campaign__jurisdiction", "activity__plan", "activity__unit", "township"), pk=entry_id)
    roles = request_roles(request)
    if not access.visible_entries(roles, entry.campaign).filter(pk=entry.pk).exists():
        raise Http404("没有找到该活动登记")
    if not access.can_change_entry(roles, entry):
        raise PermissionDenied("只有举办该活动的单位（乡镇/街道）和本级科协办公室可以修改或撤回这条活动登记。")
    ensure_plan_open(entry.activity.plan)  # PlanEnded: 403 with the reason
    return entry


@login_required
def activity_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _changeable(request, entry_id)
    campaign = entry.campaign
    units, townships = _holders(access.registrant(request_roles(request), campaign), entry)
    photos = list(entry.activity.evidence.order_by("uploaded_at", "pk"))
    form = EditActivityForm(request.POST or None, choices=held_by_choices(units, townships),
                            photos=[(p.pk, p.original_name) for p in photos], initial=initial_of(entry))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            unit, township, activity, involved = _parsed(form, units, townships)
            changed_photos = actions.Photos(request.FILES.getlist("photos"), form.cleaned_data.get("remove_photos") or [])
            try:
                saved = actions.do_edit_campaign_activity(entry, request.user, form.cleaned_data["version"], unit, township,
                                                          activity, form.audiences(), involved, changed_photos)
                changed = saved.version != form.cleaned_data["version"]
                messages.success(request, "活动登记已修改。" if changed else "没有任何修改。")
                return redirect("campaigns-campaign", campaign_id=campaign.pk)
            except Refused as refusal:
                _refused(form, refusal)
                status = 409 if isinstance(refusal, actions.StaleActivity) else 400
        else:
            status = 400
    return render(request, "campaigns/activity_edit.html", {"campaign": campaign, "entry": entry, "form": form,
                                                            "photos": photos}, status=status)


@login_required
def activity_withdraw(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _changeable(request, entry_id)
    campaign = entry.campaign
    form = WithdrawForm(request.POST or None, initial={"version": entry.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.do_withdraw_campaign_activity(entry, request.user, form.cleaned_data["version"], form.cleaned_data["reason"])
                messages.success(request, "活动登记已撤回，主题活动的统计和报告已不再计入。")
                return redirect("campaigns-campaign", campaign_id=campaign.pk)
            except Refused as refusal:
                _refused(form, refusal)
                status = 409 if isinstance(refusal, actions.StaleActivity) else 400
        else:
            status = 400
    return render(request, "campaigns/activity_withdraw.html", {
        "campaign": campaign, "entry": entry, "form": form, "photo_count": entry.activity.evidence.count(),
        "audiences": entry.activity.audience_text}, status=status)


@login_required
def report_docx(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _supervised(request, campaign_id)

    def read(evidence: Evidence) -> bytes:
        try:
            with evidence.file.open("rb") as handle:
                return handle.read()
        except OSError:  # a file lost from storage is left out of the appendix (which says so)
            return b""

    response = HttpResponse(render_docx(report.build(campaign), read), content_type=DOCX)
    response["Content-Disposition"] = content_disposition(f"{campaign.jurisdiction.name}{campaign}情况报告.docx")
    return response


@login_required
def report_xlsx(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _supervised(request, campaign_id)
    response = HttpResponse(render_xlsx(report.build(campaign)), content_type=XLSX)
    response["Content-Disposition"] = content_disposition(f"{campaign.jurisdiction.name}{campaign}情况报告.xlsx")
    return response


@login_required
def photo(request: HttpRequest, evidence_id: int) -> FileResponse:
    """A photo of a campaign activity, for whoever may see that activity."""
    evidence = get_object_or_404(Evidence.objects.select_related("activity__campaign_entry__campaign__jurisdiction"),
                                 pk=evidence_id, activity__campaign_entry__isnull=False)
    entry: CampaignActivity = evidence.activity.campaign_entry
    if not access.visible_entries(request_roles(request), entry.campaign).filter(pk=entry.pk).exists():
        raise Http404("没有找到该文件")
    try:
        handle = evidence.file.open("rb")
    except OSError as error:
        raise Http404("该照片文件已不在存储中") from error
    return FileResponse(handle, as_attachment=False, filename=evidence.original_name, content_type=evidence.content_type)


def calendar(request: HttpRequest) -> HttpResponse:
    """Public activity calendar (no sign-in): campaigns and their activities' title, date, place, form and organiser;
    no people, no photos, no contact details."""
    year = _year(request)
    campaigns = list(Campaign.objects.filter(year=year).select_related("jurisdiction").order_by("starts_on", "jurisdiction__path"))
    entries = (CampaignActivity.objects.filter(campaign__year=year)
               .select_related("activity__unit", "township", "campaign__jurisdiction").order_by("activity__held_on", "pk"))
    months: dict[int, list[CampaignActivity]] = {}
    for entry in entries[:2000]:
        months.setdefault(entry.activity.held_on.month, []).append(entry)
    today = timezone.localdate()
    return render(request, "campaigns/calendar.html", {
        "year": year, "years": range(today.year, today.year - 4, -1), "campaigns": campaigns,
        "months": sorted(months.items()),
    })

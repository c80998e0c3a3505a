"""Pages of the registries: science volunteer teams, volunteers (ID and phone masked, even for the office, which
reveals one record at a time, recorded), joining a
team, hours from sign-in/sign-out, the service record certificate (PDF) and the volunteer list export (masked; the
office's 导出（含完整号码） is a recorded POST action)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kesu.domain.service_hours import HOURS_RULE, HoursRefused
from kesu.infra.params import id_param, int_param
from kesu.org.access import supervised_jurisdictions
from kesu.plans.exports import content_disposition
from kesu.tracking.models import Activity
from kesu.volunteering.access import (
    can_view_volunteer,
    is_team_admin,
    manages_team,
    may_reveal_contact,
    shown_unmasked,
    visible_teams,
    visible_volunteers,
)
from kesu.volunteering.certificate import certificate_pdf
from kesu.volunteering.exports import volunteers_workbook
from kesu.volunteering.forms import SignHoursForm, TeamForm, VolunteerForm
from kesu.volunteering.hours import do_record_sign_hours, volunteer_summary
from kesu.volunteering.models import ServiceHours, ServiceOrder, Team, TeamMembership, Topic, Volunteer
from kesu.volunteering.registry import (
    DuplicateVolunteer,
    RegistryRefused,
    do_add_member,
    do_decide_membership,
    do_export_volunteer_contacts,
    do_request_membership,
    do_reveal_volunteer_contact,
    do_save_team,
    do_save_volunteer,
)
from kesu.volunteering.views.context import context_jurisdiction, request_roles

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE = 200
MAX_EXPORT = 20_000
MAX_PAGE = 100_000


# ---------------------------------------------------------------------------- teams


@login_required
def teams(request: HttpRequest) -> HttpResponse:
    roles = request_roles(request)
    listed = visible_teams(roles).select_related("jurisdiction", "unit", "area").annotate(
        members=Count("memberships", filter=Q(memberships__status="active"), distinct=True),
        pending=Count("memberships", filter=Q(memberships__status="pending"), distinct=True),
        served=Count("orders", filter=Q(orders__state__in=["served", "closed"]), distinct=True),
    ).order_by("jurisdiction__path", "name")
    offices = [j for j in supervised_jurisdictions(roles) if roles.is_office_for(j)]
    volunteer = getattr(request.user, "volunteer", None)
    joinable = []
    if volunteer is not None:
        mine = set(volunteer.memberships.exclude(status__in=["rejected", "left"]).values_list("team_id", flat=True))
        joinable = [t for t in Team.objects.filter(dissolved_on__isnull=True).select_related("jurisdiction")
                    if volunteer.jurisdiction.path.startswith(t.jurisdiction.path) and t.pk not in mine]
    if not (roles.any or volunteer):
        raise PermissionDenied("您没有查看服务队的权限")
    return render(request, "services/teams.html", {"teams": listed, "offices": offices, "joinable": joinable,
                                                   "volunteer": volunteer})


@login_required
def team_edit(request: HttpRequest, team_id: int | None = None) -> HttpResponse:
    roles = request_roles(request)
    team = get_object_or_404(Team, pk=team_id) if team_id else None
    jurisdiction = team.jurisdiction if team else context_jurisdiction(request, roles, office_only=True)
    if not roles.is_office_for(jurisdiction):
        raise PermissionDenied("只有科协办公室可以登记和修改服务队")
    initial = {}
    if team:
        initial = {f: getattr(team, f) for f in ("name", "unit", "area", "in_pool", "founded_on", "dissolved_on", "description")}
        initial["topics"] = list(team.topics.all())
    form = TeamForm(request.POST or None, jurisdiction=jurisdiction, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = do_save_team(jurisdiction, form.cleaned_data, team, actor=request.user)
            messages.success(request, "服务队已保存")
            return redirect("service-team", team_id=saved.pk)
        except RegistryRefused as error:
            form.add_error(None, str(error))
    return render(request, "services/team_form.html", {"form": form, "team": team, "jurisdiction": jurisdiction})


@login_required
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    roles = request_roles(request)
    team = get_object_or_404(Team.objects.select_related("jurisdiction", "unit", "area"), pk=team_id)
    volunteer = getattr(request.user, "volunteer", None)
    member = volunteer is not None and team.memberships.filter(volunteer=volunteer, status="active").exists()
    if not (visible_teams(roles).filter(pk=team.pk).exists() or member):
        raise Http404("没有找到该服务队")
    manager = manages_team(roles, team)
    memberships = team.memberships.select_related("volunteer").annotate(
        team_hours=Sum("volunteer__hours__hours", filter=Q(volunteer__hours__team=team))).order_by("status", "volunteer__name")
    candidates = []
    if manager:
        inside = set(team.memberships.values_list("volunteer_id", flat=True))
        candidates = [v for v in Volunteer.objects.filter(jurisdiction__path__startswith=team.jurisdiction.path,
                                                           left_on__isnull=True).order_by("name")[:500] if v.pk not in inside]
    orders = ServiceOrder.objects.filter(team=team).select_related("topic", "township").order_by("-state_since")[:30]
    return render(request, "services/team.html", {
        "team": team, "manager": manager, "candidates": candidates, "orders": orders,
        "memberships": [(m, shown_unmasked(m.volunteer, request.user)) for m in
                        sorted(memberships, key=lambda m: (m.status != "pending", m.status, m.volunteer.name))],
        "office": roles.is_office_for(team.jurisdiction), "admins": team.admins.select_related("user"),
        "total_hours": ServiceHours.objects.filter(team=team).aggregate(s=Sum("hours"))["s"] or 0,
    })


@login_required
@require_POST
def team_members(request: HttpRequest, team_id: int) -> HttpResponse:
    """Approve/reject a join request, remove a member, or add a volunteer directly (team admin or office)."""
    roles = request_roles(request)
    team = get_object_or_404(Team, pk=team_id)
    action = request.POST.get("action")
    if action == "join":
        volunteer = getattr(request.user, "volunteer", None)
        if volunteer is None:
            raise PermissionDenied("只有已登记并关联账号的志愿者可以申请入队")
        try:
            do_request_membership(team, volunteer)
            messages.success(request, f"已申请加入{team.name}，等待服务队管理员审核")
        except RegistryRefused as error:
            messages.error(request, str(error))
        return redirect("service-teams")
    if not manages_team(roles, team):
        raise PermissionDenied("只有本队管理员或科协办公室可以审核队员")
    if action == "add":
        volunteer = get_object_or_404(Volunteer, pk=id_param(request.POST, "volunteer"),
                                      jurisdiction__path__startswith=team.jurisdiction.path)
        do_add_member(team, volunteer, request.user)
        messages.success(request, f"已将{volunteer.name}加入本队")
    else:
        membership = get_object_or_404(TeamMembership, pk=id_param(request.POST, "membership"), team=team)
        do_decide_membership(membership, request.user, approve=action == "approve")
        messages.success(request, {"approve": "已通过入队申请", "reject": "已拒绝入队申请"}.get(action, "已移出本队"))
    return redirect("service-team", team_id=team.pk)


@login_required
def team_hours(request: HttpRequest, team_id: int) -> HttpResponse:
    """Hours from sign-in/sign-out for an activity or order the team organised."""
    roles = request_roles(request)
    team = get_object_or_404(Team.objects.select_related("jurisdiction"), pk=team_id)
    if not manages_team(roles, team):
        raise PermissionDenied("服务时长由组织服务的服务队记录：只有本队管理员可以登记")
    activities = Activity.objects.filter(plan__jurisdiction__path__startswith=team.jurisdiction.path).order_by("-held_on")[:200]
    orders = ServiceOrder.objects.filter(team=team, state__in=["accepted", "served", "closed"]).select_related("topic").order_by("-accepted_at")[:200]
    form = SignHoursForm(request.POST or None, team=team)
    source = request.POST.get("source", "")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            kind, _, pk = source.partition(":")
            try:
                if not (pk.isascii() and pk.isdigit() and len(pk) <= 18) or kind not in ("order", "activity"):
                    raise HoursRefused("请选择服务单或活动。")
                target = {"order": get_object_or_404(orders.model, pk=int(pk), team=team)} if kind == "order" else \
                    {"activity": get_object_or_404(Activity, pk=int(pk), plan__jurisdiction__path__startswith=team.jurisdiction.path)}
                entry = do_record_sign_hours(team, request.user, roles, form.cleaned_data["volunteer"],
                                             form.cleaned_data["sign_in"], form.cleaned_data["sign_out"], **target)
                messages.success(request, f"已登记{entry.volunteer.name} {entry.hours:g} 小时")
                return redirect("service-team-hours", team_id=team.pk)
            except HoursRefused as error:
                form.add_error(None, str(error))
        status = 400
    recent = ServiceHours.objects.filter(team=team).select_related("volunteer", "order__topic", "activity")[:50]
    return render(request, "services/team_hours.html", {
        "team": team, "form": form, "source": source, "recent": recent,
        "source_groups": [
            ("本队承接的服务单", [(f"order:{o.pk}", f"{o.code} {o.topic.name}") for o in orders]),
            ("科普活动", [(f"activity:{a.pk}", f"{a.held_on:%Y-%m-%d} {a.title}") for a in activities]),
        ],
        "hours_rule": HOURS_RULE,
    }, status=status)


# ---------------------------------------------------------------------------- volunteers


def _volunteer_rows(request: HttpRequest):
    roles = request_roles(request)
    listed = visible_volunteers(roles).select_related("jurisdiction", "area__parent").prefetch_related("topics", "memberships__team")
    q = request.GET.get("q", "").strip()
    if q:
        listed = listed.filter(Q(name__contains=q) | Q(skills__contains=q) | Q(affiliation__contains=q))
    team, topic = id_param(request.GET, "team"), id_param(request.GET, "topic")
    if team:
        listed = listed.filter(memberships__team_id=team, memberships__status="active")
    if topic:
        listed = listed.filter(topics__id=topic)
    if request.GET.get("all") != "1":
        listed = listed.filter(left_on__isnull=True)
    listed = listed.annotate(total_hours=Sum("hours__hours")).order_by("name", "pk")
    return roles, listed, {"q": q, "team": team, "topic": topic}


@login_required
def volunteers(request: HttpRequest) -> HttpResponse:
    roles, listed, filters = _volunteer_rows(request)
    if not roles.any:
        raise PermissionDenied("您没有查看志愿者名册的权限")
    page = int_param(request.GET, "page", low=1, high=MAX_PAGE, default=1)
    total = listed.count()
    rows = [(v, shown_unmasked(v, request.user)) for v in listed[(page - 1) * PAGE: page * PAGE]]
    offices = [j for j in supervised_jurisdictions(roles) if roles.is_office_for(j)]
    return render(request, "services/volunteers.html", {
        "rows": rows, "total": total, "page": page, "pages": (total + PAGE - 1) // PAGE, "filters": filters,
        "teams": Team.objects.filter(pk__in=visible_teams(roles)).order_by("name"),
        "topics": Topic.objects.filter(volunteers__in=visible_volunteers(roles)).distinct(),
        "offices": offices, "query": request.GET.urlencode(),
    })


@login_required
def volunteers_export(request: HttpRequest) -> HttpResponse:
    roles, listed, _ = _volunteer_rows(request)
    if not roles.any:
        raise PermissionDenied("您没有导出志愿者名册的权限")
    rows = [(v, shown_unmasked(v, request.user)) for v in listed[:MAX_EXPORT]]  # masked, even for the office
    response = HttpResponse(volunteers_workbook(rows), content_type=XLSX)
    response["Content-Disposition"] = content_disposition("科技志愿者名册.xlsx")
    return response


@login_required
@require_POST
def volunteers_export_full(request: HttpRequest) -> HttpResponse:
    """导出（含完整号码）: the office's own volunteers (the list's filters), recorded in the history."""
    roles, listed, filters = _volunteer_rows(request)
    jurisdiction = context_jurisdiction(request, roles, office_only=True)
    if not roles.is_office_for(jurisdiction):
        raise PermissionDenied(f"只有{jurisdiction.name}科协办公室可以导出志愿者的完整号码")
    volunteers = list(listed.filter(jurisdiction=jurisdiction)[:MAX_EXPORT])
    data = do_export_volunteer_contacts(jurisdiction, request.user, roles, volunteers,
                                        filters | {"all": request.GET.get("all") == "1"})
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition(f"{jurisdiction.name}科技志愿者名册（含完整号码）.xlsx")
    response["Cache-Control"] = "no-store"
    return response


@login_required
def volunteer_edit(request: HttpRequest, volunteer_id: int | None = None) -> HttpResponse:
    roles = request_roles(request)
    volunteer = get_object_or_404(Volunteer, pk=volunteer_id) if volunteer_id else None
    jurisdiction = volunteer.jurisdiction if volunteer else context_jurisdiction(request, roles, office_only=True)
    if not roles.is_office_for(jurisdiction):
        raise PermissionDenied("只有科协办公室可以登记和修改志愿者信息")
    initial = {}
    if volunteer:
        initial = {f: getattr(volunteer, f) for f in ("name", "gender", "skills", "area", "affiliation", "registered_on",
                                                     "left_on")}  # never the ID and phone numbers (masked)
        initial |= {"topics": list(volunteer.topics.all()), "username": volunteer.user.username if volunteer.user else ""}
    form = VolunteerForm(request.POST or None, jurisdiction=jurisdiction, initial=initial, editing=volunteer)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = do_save_volunteer(jurisdiction, request.user, form.cleaned_data, volunteer)
            messages.success(request, "志愿者信息已保存")
            return redirect("service-volunteer", volunteer_id=saved.pk)
        except DuplicateVolunteer as error:
            duplicate = error.existing
            form.add_error(None, str(error))
        except RegistryRefused as error:
            form.add_error(None, str(error))
    return render(request, "services/volunteer_form.html", {"form": form, "volunteer": volunteer, "jurisdiction": jurisdiction,
                                                            "duplicate": duplicate})


def _viewed_volunteer(request: HttpRequest, volunteer_id: int):
    roles = request_roles(request)
    volunteer = get_object_or_404(Volunteer.objects.select_related("jurisdiction", "area__parent", "user"), pk=volunteer_id)
    if not can_view_volunteer(roles, volunteer, request.user):
        raise Http404("没有找到该志愿者")
    return roles, volunteer


@login_required
def volunteer_detail(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    roles, volunteer = _viewed_volunteer(request, volunteer_id)
    return _volunteer_page(request, roles, volunteer, revealed=False)


@login_required
@require_POST
def volunteer_reveal(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    """显示完整号码: recorded in the history, then shown on this one answer (not cached, not on a reload)."""
    roles, volunteer = _viewed_volunteer(request, volunteer_id)
    if not may_reveal_contact(roles, volunteer):
        raise PermissionDenied(f"只有{volunteer.jurisdiction.name}科协办公室可以查看志愿者的完整号码")
    do_reveal_volunteer_contact(volunteer, request.user, roles)
    response = _volunteer_page(request, roles, volunteer, revealed=True)
    response["Cache-Control"] = "no-store"
    return response


def _volunteer_page(request: HttpRequest, roles, volunteer: Volunteer, *, revealed: bool) -> HttpResponse:
    private = revealed or shown_unmasked(volunteer, request.user)
    return render(request, "services/volunteer.html", {
        "volunteer": volunteer, "private": private, "revealed": revealed, "summary": volunteer_summary(volunteer),
        "may_reveal": not private and may_reveal_contact(roles, volunteer),
        "id_number": volunteer.id_number if private else volunteer.masked_id,
        "phone": volunteer.phone if private else volunteer.masked_phone,
        "memberships": volunteer.memberships.select_related("team"),
        "hours": volunteer.hours.select_related("order__topic", "activity", "team")[:300],
        "office": roles.is_office_for(volunteer.jurisdiction), "hours_rule": HOURS_RULE,
        "managed_teams": [m.team for m in volunteer.memberships.select_related("team") if is_team_admin(roles, m.team)],
    })


@login_required
def my_volunteer(request: HttpRequest) -> HttpResponse:
    volunteer = getattr(request.user, "volunteer", None)
    if volunteer is None:
        raise Http404("您的账号没有关联志愿者登记信息")
    return redirect("service-volunteer", volunteer_id=volunteer.pk)


@login_required
def volunteer_certificate(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    roles = request_roles(request)
    volunteer = get_object_or_404(Volunteer.objects.select_related("jurisdiction"), pk=volunteer_id)
    own = volunteer.user_id == request.user.pk
    managing = any(is_team_admin(roles, m.team) for m in volunteer.memberships.select_related("team"))
    if not (own or roles.is_office_for(volunteer.jurisdiction) or managing):
        raise Http404("没有找到该志愿者")
    response = HttpResponse(certificate_pdf(volunteer), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"志愿服务记录证明-{volunteer.name}.pdf")
    return response

"""Staff pages of the order workflow: the dispatch board, an order with its actions and history, the service
record, photos; and the office's settings (topics, areas, time limits) and service roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kesu.domain import dispatch
from kesu.domain.dispatch import Move, MoveRefused, State
from kesu.domain.evidence_rules import EvidenceRefused
from kesu.domain.service_hours import HOURS_RULE, HoursRefused
from kesu.infra.params import id_param
from kesu.org.access import administered_jurisdictions
from kesu.org.models import Jurisdiction
from kesu.volunteering import actions, admin_actions
from kesu.volunteering.access import (
    Roles,
    can_view_order,
    handles,
    lost_pool_race,
    pool_team_ids,
    visible_orders,
)
from kesu.volunteering.crypto import mask_name, mask_phone
from kesu.volunteering.forms import (
    AcceptForm,
    AreaForm,
    AssignForm,
    DispatchForm,
    ReasonForm,
    RecordForm,
    RoleForm,
    SettingsForm,
    TopicForm,
)
from kesu.volunteering.hours import do_record_service
from kesu.volunteering.models import (
    ServiceArea,
    ServiceOrder,
    ServicePhoto,
    ServiceRole,
    ServiceSettings,
    Team,
    Topic,
)
from kesu.volunteering.views.context import context_jurisdiction, request_roles

OPEN_COLUMNS = [
    ("review", "待审核派单", [State.SUBMITTED]),
    ("claim", "待部门领单/指派", [State.DISPATCHED, State.CLAIMED]),
    ("accept", "待服务队接单", [State.ASSIGNED, State.POOLED]),
    ("serve", "服务中", [State.ACCEPTED]),
    ("confirm", "待申请人评价", [State.SERVED]),
]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("service-board")


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The dispatch board: every open order the user may see, by step, with its time limit."""
    roles = request_roles(request)
    if not roles.any:
        raise PermissionDenied("您还没有基层科普服务的角色，请联系科协办公室开通")
    orders = visible_orders(roles).select_related("township", "village", "topic", "unit", "team", "jurisdiction")
    township, topic = id_param(request.GET, "township"), id_param(request.GET, "topic")
    if township:
        orders = orders.filter(township_id=township)
    if topic:
        orders = orders.filter(topic_id=topic)
    only_late = request.GET.get("late") == "1"
    if only_late:
        orders = orders.filter(escalated_at__isnull=False)
    now = timezone.now()
    open_orders = list(orders.exclude(state__in=[s.value for s in dispatch.TERMINAL]).order_by("due_at", "submitted_at")[:1000])
    columns = []
    for key, label, states in OPEN_COLUMNS:
        cards = [_card(o, roles, now) for o in open_orders if o.state in states]
        columns.append({"key": key, "label": label, "cards": cards})
    recent = orders.filter(state__in=[s.value for s in dispatch.TERMINAL]).order_by("-state_since")[:20]
    areas = ServiceArea.objects.filter(kind="township", orders__in=visible_orders(roles)).distinct().order_by("name")
    topics = Topic.objects.filter(orders__in=visible_orders(roles)).distinct().order_by("position", "name")
    return render(request, "services/board.html", {
        "columns": columns, "recent": recent, "areas": areas, "topics": topics, "township": township, "topic": topic,
        "only_late": only_late, "escalated": sum(1 for o in open_orders if o.escalated_at), "total": len(open_orders),
        "roles": roles,
    })


FORWARD = {Move.CLAIM, Move.ACCEPT, Move.RECORD}


def _card(order: ServiceOrder, roles: Roles, now) -> dict:
    moves = set(actions.available_moves(order, roles))
    state = State(order.state)
    mine = bool(moves & FORWARD) or (state == State.SUBMITTED and Move.DISPATCH in moves) \
        or (state == State.CLAIMED and Move.ASSIGN in moves)
    if order.escalated_at is not None:
        due = "超时已升级"
    else:
        due = dispatch.describe_due(order.due_at, now) if order.due_at else ""
    return {"order": order, "due": due, "mine": mine, "escalated_at": order.escalated_at,
            "late": order.escalated_at is not None or (order.due_at is not None and order.due_at <= now)}


def _order(request: HttpRequest, order_id: int) -> ServiceOrder:
    order = get_object_or_404(
        ServiceOrder.objects.select_related("jurisdiction", "township", "village", "topic", "unit", "team"), pk=order_id)
    if not can_view_order(request_roles(request), order):
        raise Http404("没有找到该服务单")
    return order


@login_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    roles = request_roles(request)
    order = _order(request, order_id)
    moves = actions.available_moves(order, roles)
    handler = handles(roles, order)
    pool_teams = Team.objects.filter(pk__in=pool_team_ids(roles, order)) if order.state == State.POOLED else Team.objects.none()
    record = getattr(order, "record", None)
    return render(request, "services/order.html", {
        "order": order, "moves": [m.value for m in moves], "handler": handler,
        "contact_name": order.contact_name if handler else mask_name(order.contact_name),
        "contact_phone": order.contact_phone if handler else mask_phone(order.contact_phone),
        "events": order.events.select_related("actor"),
        "dispatch_form": DispatchForm(jurisdiction=order.jurisdiction) if Move.DISPATCH in moves else None,
        "assign_form": AssignForm(unit=order.unit) if Move.ASSIGN in moves else None,
        "accept_form": AcceptForm(teams=pool_teams) if Move.ACCEPT in moves and pool_teams.count() > 1 else None,
        "reason_form": ReasonForm(), "record": record,
        "photos": record.photos.all() if record else [],
        "hours": order.hours.select_related("volunteer", "team") if record else [],
        "needs_reason": {m.value: dispatch.needs_reason(State(order.state), m) for m in moves},
        "move_labels": {m.value: dispatch.MOVE_LABELS[m] for m in Move},
        "due": dispatch.describe_due(order.due_at, timezone.now()) if order.due_at else "",
        "step": dispatch.STEP_LABELS.get(dispatch.STEP_OF.get(State(order.state))),
        "can_record": order.state in (State.ACCEPTED, State.SERVED) and order.team_id in roles.team_ids,
    })


@login_required
@require_POST
def order_move(request: HttpRequest, order_id: int, move: str) -> HttpResponse:
    roles = request_roles(request)
    try:
        move = Move(move)
    except ValueError as error:
        raise Http404 from error
    order = get_object_or_404(ServiceOrder.objects.select_related("jurisdiction", "team"), pk=order_id)
    if not can_view_order(roles, order):
        if move == Move.ACCEPT and lost_pool_race(roles, order):
            # a pool team that lost the race (another team committed first): say so, not "not found"
            messages.error(request, f"该服务单已由“{order.team.name}”接单，您的接单没有成功。")
            return redirect("service-board")
        raise Http404("没有找到该服务单")
    reason = request.POST.get("reason", "")[:500]
    user = request.user
    try:
        if move == Move.REJECT:
            actions.do_reject_order(order, user, roles, reason)
        elif move == Move.DISPATCH:
            form = DispatchForm(request.POST, jurisdiction=order.jurisdiction)
            unit = form.cleaned_data["unit"] if form.is_valid() else None
            actions.do_dispatch_order(order, user, roles, unit, reason)
        elif move == Move.POOL:
            actions.do_pool_order(order, user, roles, reason)
        elif move == Move.CLAIM:
            actions.do_claim_order(order, user, roles)
        elif move == Move.RELEASE:
            actions.do_release_order(order, user, roles, reason)
        elif move == Move.ASSIGN:
            form = AssignForm(request.POST, unit=order.unit)
            if not form.is_valid():
                raise actions.OrderRefused("请选择本部门的一支在册服务队。")
            actions.do_assign_order(order, user, roles, form.cleaned_data["team"])
        elif move == Move.ACCEPT:
            team_id = id_param(request.POST, "team")
            team = Team.objects.filter(pk=team_id).first() if team_id else None
            actions.do_accept_order(order, user, roles, team)
        elif move == Move.DECLINE:
            actions.do_decline_order(order, user, roles, reason)
        elif move == Move.DISPUTE:
            actions.do_dispute_order(order, reason, user=user, roles=roles)
        elif move == Move.CLOSE:
            actions.do_close_order(order, user, roles, reason)
        elif move == Move.CANCEL:
            actions.do_cancel_order(order, reason, user=user, roles=roles)
        elif move == Move.REOPEN:
            actions.do_reopen_order(order, user, roles, reason)
        else:  # RECORD has its own page; CONFIRM belongs to the requester
            raise MoveRefused("请在服务记录页面登记服务。" if move == Move.RECORD else "只有申请人可以确认并评价。")
    except MoveRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已{dispatch.MOVE_LABELS[move]}")
    order.refresh_from_db()
    if not can_view_order(roles, order):  # a department returned it, another team took it: no longer theirs to see
        return redirect("service-board")
    return redirect("service-order", order_id=order.pk)


@login_required
def order_record(request: HttpRequest, order_id: int) -> HttpResponse:
    """The team's service record: date, duration, volunteers, attendees, photos."""
    roles = request_roles(request)
    order = _order(request, order_id)
    if order.team_id is None or order.team_id not in roles.team_ids or order.state not in (State.ACCEPTED, State.SERVED):
        raise PermissionDenied("只有已接单的服务队管理员可以登记服务记录")
    record = getattr(order, "record", None)
    initial = {}
    if record is not None:
        initial = {"served_on": record.served_on, "start_time": record.start_time, "duration_hours": record.duration_hours,
                   "attendees": record.attendees, "summary": record.summary,
                   "volunteers": list(order.hours.values_list("volunteer_id", flat=True))}
    form = RecordForm(request.POST or None, team=order.team, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                do_record_service(order, request.user, roles, form.cleaned_data, form.fewer(), request.FILES.getlist("photos"))
                messages.success(request, "服务记录已登记，等待申请人确认评价" if record is None else "服务记录已修改")
                return redirect("service-order", order_id=order.pk)
            except (HoursRefused, EvidenceRefused, MoveRefused) as error:
                form.add_error(None, str(error))
        status = 400
    return render(request, "services/record.html", {
        "order": order, "form": form, "record": record, "hours_rule": HOURS_RULE,
        "hour_fields": [form[name] for name in form.fields if name.startswith("hours_")],
    }, status=status)


@login_required
def photo(request: HttpRequest, photo_id: int) -> FileResponse:
    item = get_object_or_404(ServicePhoto.objects.select_related("record__order"), pk=photo_id)
    _order(request, item.record.order_id)
    return FileResponse(item.file.open("rb"), filename=item.original_name, content_type=item.content_type)


# ---------------------------------------------------------------------------- the office's settings


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    roles = request_roles(request)
    jurisdiction = context_jurisdiction(request, roles, office_only=True)
    current = ServiceSettings.objects.filter(jurisdiction=jurisdiction).first()
    limits_form = SettingsForm(instance=current or ServiceSettings(jurisdiction=jurisdiction,
                                                                   **{f"{s.value}_hours": h for s, h in actions.limits_for(jurisdiction).items()}))
    topic_form, area_form = TopicForm(), AreaForm()
    if request.method == "POST":
        which = request.POST.get("form")
        here = f"{reverse('service-settings')}?j={jurisdiction.pk}"
        if which == "limits":
            limits_form = SettingsForm(request.POST, instance=current or ServiceSettings(jurisdiction=jurisdiction))
            if limits_form.is_valid():
                admin_actions.do_save_time_limits(jurisdiction, request.user, limits_form.cleaned_data)
                messages.success(request, "时限已保存：新进入各环节的服务单按新时限计算")
                return redirect(here)
        elif which == "topic":
            topic_form = TopicForm(request.POST)
            if topic_form.is_valid():
                _, created = admin_actions.do_add_topic(jurisdiction, request.user, topic_form.cleaned_data["name"],
                                                        topic_form.cleaned_data["description"])
                messages.success(request, "已添加服务主题" if created else "该主题已存在")
                return redirect(here)
        elif which == "topic_toggle":
            topic = get_object_or_404(Topic, pk=id_param(request.POST, "topic"), jurisdiction=jurisdiction)
            admin_actions.do_toggle_topic(topic, request.user)
            return redirect(here)
        elif which == "area":
            area_form = AreaForm(request.POST)
            if area_form.is_valid():
                admin_actions.do_save_areas(jurisdiction, request.user, area_form.cleaned_data["township"],
                                            area_form.cleaned_data["villages"])
                messages.success(request, "服务区域已保存")
                return redirect(here)
        elif which == "area_toggle":
            area = get_object_or_404(ServiceArea, pk=id_param(request.POST, "area"), jurisdiction=jurisdiction)
            admin_actions.do_toggle_area(area, request.user)
            return redirect(here)
    townships = ServiceArea.objects.filter(jurisdiction=jurisdiction, kind="township").prefetch_related("children")
    return render(request, "services/settings.html", {
        "jurisdiction": jurisdiction, "limits_form": limits_form, "topic_form": topic_form, "area_form": area_form,
        "topics": Topic.objects.filter(jurisdiction=jurisdiction), "townships": townships,
        "jurisdictions": administered_jurisdictions(request.user).order_by("path"),
        "public_url": request.build_absolute_uri(reverse("public-service-order", args=[jurisdiction.pk])),
    })


@login_required
def roles_view(request: HttpRequest) -> HttpResponse:
    roles = request_roles(request)
    jurisdiction = context_jurisdiction(request, roles, office_only=True)
    form = RoleForm(request.POST or None, jurisdiction=jurisdiction)
    here = f"{reverse('service-roles')}?j={jurisdiction.pk}"
    if request.method == "POST":
        if request.POST.get("revoke"):
            role = get_object_or_404(ServiceRole, pk=id_param(request.POST, "revoke"))
            if admin_actions.role_jurisdiction_id(role) != jurisdiction.pk:
                raise PermissionDenied
            admin_actions.do_revoke_role(role, request.user)
            messages.success(request, "已撤销该角色")
            return redirect(here)
        if form.is_valid():
            data = form.cleaned_data
            user = get_user_model().objects.filter(username=data["username"].strip()).first()
            if user is None:
                form.add_error("username", "没有这个账号：请先在管理后台创建账号")
            else:
                held = data[admin_actions.ROLE_OBJECT[ServiceRole.Kind(data["kind"])]]
                try:
                    admin_actions.do_grant_role(request.user, user, data["kind"], held)
                    messages.success(request, f"已为 {user.username} 开通角色")
                    return redirect(here)
                except admin_actions.SetupRefused as error:
                    form.add_error(None, str(error))
    listed = ServiceRole.objects.filter(
        models_q_for(jurisdiction)).select_related("user", "area__parent", "unit", "team").order_by("kind", "user__username")
    return render(request, "services/roles.html", {"jurisdiction": jurisdiction, "form": form, "roles": listed,
                                                   "jurisdictions": administered_jurisdictions(request.user).order_by("path")})


def models_q_for(jurisdiction: Jurisdiction) -> Q:
    return Q(area__jurisdiction=jurisdiction) | Q(unit__jurisdiction=jurisdiction) | Q(team__jurisdiction=jurisdiction)


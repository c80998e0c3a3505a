"""Volunteer service (志愿服务) in the API: orders with their history, teams, volunteers (masked as on the pages),
a volunteer's hours, science bases, activities and the time limits; and moving an order through its steps.

Every decision is the pages' own: who sees what comes from kesu.volunteering.access (loaded once per request as
`Roles`), masking from kesu.volunteering.crypto / Volunteer.masked_*, and every move goes through the same
do_*_order actions (row lock, the rules of kesu.domain.dispatch, a conditional UPDATE and an OrderEvent).
Refusals: 404 not visible, 403 visible but not this user's step, 409 the order's state refuses the move.
"""

from __future__ import annotations

from typing import Literal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import field_validator

from kesu.api.common import MAX_ID, READ_ERRORS, ErrorOut, PageParams, page
from kesu.api.service_schemas import (
    ActivityPage,
    BaseLevel,
    BasePage,
    HoursPage,
    MoveIn,
    OrderOut,
    OrderPage,
    OrderState,
    RecordIn,
    TeamPage,
    TimeLimitsOut,
    VolunteerOut,
    VolunteerPage,
    no_nul,
)
from kesu.domain import dispatch
from kesu.domain.dispatch import Actor, Move, MoveRefused, State
from kesu.org.access import supervised_jurisdictions
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.tracking.models import Activity
from kesu.volunteering import actions
from kesu.volunteering.access import (
    Roles,
    can_view_order,
    can_view_volunteer,
    handles,
    lost_pool_race,
    order_actors,
    roles_of,
    shown_unmasked,
    visible_orders,
    visible_teams,
    visible_volunteers,
)
from kesu.volunteering.crypto import mask_name, mask_phone
from kesu.volunteering.hours import do_record_service, volunteer_summary
from kesu.volunteering.models import ScienceBase, ServiceArea, ServiceOrder, ServiceSettings, Team, Volunteer

router = Router(tags=["志愿服务"])

OrderId = Path(..., ge=1, le=MAX_ID, description="服务单 id")
VolunteerId = Path(..., ge=1, le=MAX_ID, description="志愿者 id")
LIST_ERRORS = {403: ErrorOut, **READ_ERRORS}
WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, 409: ErrorOut, **READ_ERRORS}

NO_SERVICE_ROLE = "您还没有基层科普服务的角色，请联系科协办公室开通"
NO_REGISTRY = "您没有该功能的权限"
ORDER_NOT_FOUND = "没有找到该服务单"
VOLUNTEER_NOT_FOUND = "没有找到该志愿者"
JURISDICTION_NOT_FOUND = "没有找到该地区，或您无权查看该地区的服务"
STALE = "该服务单在您读取之后已被他人处理，本次操作没有执行。请重新读取服务单（GET /api/service/orders/{id}）后再办理。"
NOT_YOUR_STEP = "您可以查看该服务单，但这一步不由您办理。"
RECORD_ONLY_TEAM = "只有已接单的服务队管理员可以登记服务记录"
STAFF_ACTORS = frozenset(Actor) - {Actor.REQUESTER}


def _roles(request: HttpRequest) -> Roles:
    if not hasattr(request, "_service_roles"):
        request._service_roles = roles_of(request.auth)
    return request._service_roles


def _ref(obj) -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def _area(area: ServiceArea | None) -> dict | None:
    return None if area is None else {"id": area.pk, "name": area.name, "kind": area.kind}


# ---------------------------------------------------------------------------- orders


class OrderFilters(PageParams):
    state: OrderState | None = Field(None, description="状态")
    township: int | None = Field(None, ge=1, le=MAX_ID, description="乡镇/街道（服务区域 id）")
    topic: int | None = Field(None, ge=1, le=MAX_ID, description="服务主题 id")
    late: bool | None = Field(None, description="true：只列出超时已升级的服务单")


def _order_summary(order: ServiceOrder) -> dict:
    return {
        "id": order.pk, "code": order.code, "jurisdiction": _ref(order.jurisdiction), "township": _area(order.township),
        "village": _area(order.village), "topic": _ref(order.topic), "state": order.state, "state_label": order.state_label,
        "unit": _ref(order.unit), "team": _ref(order.team), "preferred_from": order.preferred_from,
        "preferred_until": order.preferred_until, "audience_size": order.audience_size, "submitted_at": order.submitted_at,
        "state_since": order.state_since, "due_at": order.due_at, "escalated_at": order.escalated_at,
        "version": order.version,
    }


def _order_out(roles: Roles, order: ServiceOrder) -> dict:
    handler = handles(roles, order)  # the page's rule: only those handling the order see the contact in full
    record = getattr(order, "record", None)
    moves = [m.value for m in actions.available_moves(order, roles) if m not in (Move.RECORD, Move.CONFIRM)]
    return {
        **_order_summary(order),
        "place": order.place, "description": order.description, "audience": order.audience,
        "audience_label": order.get_audience_display(), "requester_kind": order.requester_kind,
        "requester_org": order.requester_org,
        "contact_name": order.contact_name if handler else mask_name(order.contact_name),
        "contact_phone": order.contact_phone if handler else mask_phone(order.contact_phone),
        "contact_masked": not handler, "public_reason": order.public_reason, "rating": order.rating,
        "rating_comment": order.rating_comment, "moves": moves,
        "record": None if record is None else {
            "team": _ref(record.team), "served_on": record.served_on, "start_time": f"{record.start_time:%H:%M}",
            "duration_hours": record.duration_hours, "attendees": record.attendees, "summary": record.summary,
        },
        "history": [
            {"at": e.at, "actor": e.actor.get_username() if e.actor else None, "role": e.role, "kind": e.kind,
             "kind_label": e.kind_label, "from_state": e.from_state, "to_state": e.to_state, "detail": e.detail,
             "reason": e.reason}
            for e in order.events.select_related("actor")
        ],
    }


ORDER_RELATED = ("jurisdiction", "township", "village", "topic", "unit", "team")


def _visible_order(roles: Roles, order_id: int) -> ServiceOrder:
    order = ServiceOrder.objects.select_related(*ORDER_RELATED).filter(pk=order_id).first()
    if order is None or not can_view_order(roles, order):
        raise HttpError(404, ORDER_NOT_FOUND)
    return order


def _reloaded(request: HttpRequest, order: ServiceOrder) -> dict:
    roles = _roles(request)
    fresh = ServiceOrder.objects.select_related(*ORDER_RELATED).get(pk=order.pk)
    return _order_out(roles, fresh)


@router.get("/service/orders", response={200: OrderPage, **LIST_ERRORS}, summary="服务单列表",
            description="当前账号在派单看板上能看到的服务单（科协办公室和上级：本地区全部；社区/乡镇：本区域；"
                        "部门：派给本部门的；服务队：指派或接下的，以及服务队池中可接的）。联系方式只在详情中提供。")
def list_orders(request: HttpRequest, params: Query[OrderFilters]):
    roles = _roles(request)
    if not roles.any:
        raise HttpError(403, NO_SERVICE_ROLE)
    orders = visible_orders(roles).select_related(*ORDER_RELATED)
    if params.state is not None:
        orders = orders.filter(state=params.state)
    if params.township is not None:
        orders = orders.filter(township_id=params.township)
    if params.topic is not None:
        orders = orders.filter(topic_id=params.topic)
    if params.late:
        orders = orders.filter(escalated_at__isnull=False)
    result = page(orders.order_by("-submitted_at", "-pk"), params)
    result["items"] = [_order_summary(o) for o in result["items"]]
    return result


@router.get("/service/orders/{order_id}", response={200: OrderOut, **READ_ERRORS}, summary="服务单详情",
            description="服务单内容、可办理的操作、服务记录和流转记录。联系人和电话只对承办人员完整显示，其他人看到遮挡后的内容。")
def get_order(request: HttpRequest, order_id: int = OrderId):
    return _order_out(_roles(request), _visible_order(_roles(request), order_id))


def _move_refusal_status(order: ServiceOrder, roles: Roles, move: Move) -> int:
    """403 when the order's current step belongs to someone else; 409 when no one may make this move now."""
    state = State(order.state)
    if move in dispatch.allowed_moves(state, STAFF_ACTORS) and move not in dispatch.allowed_moves(state, order_actors(roles, order)):
        return 403
    return 409


def _apply_move(request: HttpRequest, order: ServiceOrder, data: MoveIn, move: Move) -> ServiceOrder:
    roles, user, reason = _roles(request), request.auth, data.reason
    if move == Move.DISPATCH:
        unit = MemberUnit.objects.filter(pk=data.unit_id).first() if data.unit_id else None
        return actions.do_dispatch_order(order, user, roles, unit, reason)
    if move == Move.ASSIGN:
        team = Team.objects.filter(pk=data.team_id).first() if data.team_id else None
        if team is None:
            raise actions.OrderRefused("请选择本部门的一支在册服务队。")
        return actions.do_assign_order(order, user, roles, team)
    if move == Move.ACCEPT:
        team = Team.objects.filter(pk=data.team_id).first() if data.team_id else None
        return actions.do_accept_order(order, user, roles, team)
    simple = {
        Move.REJECT: lambda: actions.do_reject_order(order, user, roles, reason),
        Move.POOL: lambda: actions.do_pool_order(order, user, roles, reason),
        Move.CLAIM: lambda: actions.do_claim_order(order, user, roles),
        Move.RELEASE: lambda: actions.do_release_order(order, user, roles, reason),
        Move.DECLINE: lambda: actions.do_decline_order(order, user, roles, reason),
        Move.DISPUTE: lambda: actions.do_dispute_order(order, reason, user=user, roles=roles),
        Move.CLOSE: lambda: actions.do_close_order(order, user, roles, reason),
        Move.CANCEL: lambda: actions.do_cancel_order(order, reason, user=user, roles=roles),
        Move.REOPEN: lambda: actions.do_reopen_order(order, user, roles, reason),
    }
    return simple[move]()


@router.post("/service/orders/{order_id}/move", response={200: OrderOut, **WRITE_ERRORS}, summary="办理服务单",
             description="按派单流程办理：审核派单、领单、指派、接单、退单、结单、取消等，与网页上的规则完全相同。"
                         "403：这一步不由当前账号办理；409：服务单当前状态不允许（例如已被其他服务队接单，会说明由哪支服务队接下），"
                         "或回传的 version 已过期。")
def move_order(request: HttpRequest, data: MoveIn, order_id: int = OrderId):
    roles = _roles(request)
    move = Move(data.move)
    order = ServiceOrder.objects.select_related(*ORDER_RELATED).filter(pk=order_id).first()  # read once: see below
    if order is None or not can_view_order(roles, order):
        if order is not None and move == Move.ACCEPT and lost_pool_race(roles, order):
            # a pool team that lost the race (another team committed first): say who took it, as the page does
            raise HttpError(409, f"该服务单已由“{order.team.name}”接单，您的接单没有成功。")
        raise HttpError(404, ORDER_NOT_FOUND)
    if data.version is not None and data.version != order.version:
        raise HttpError(409, STALE)
    try:
        moved = _apply_move(request, order, data, move)
    except MoveRefused as error:
        raise HttpError(_move_refusal_status(order, roles, move), str(error)) from error
    return _reloaded(request, moved)


@router.post("/service/orders/{order_id}/record", response={200: OrderOut, **WRITE_ERRORS}, summary="登记服务记录",
             description="接单的服务队管理员登记服务（日期、时长、人数、内容、参与的本队志愿者及时长），服务单变为“已服务待评价”；"
                         "待评价期间可再次登记以修改。照片请在网页上上传。")
def record_order(request: HttpRequest, data: RecordIn, order_id: int = OrderId):
    roles = _roles(request)
    order = _visible_order(roles, order_id)
    if order.team_id is None or order.team_id not in roles.team_ids or order.state not in (State.ACCEPTED, State.SERVED):
        raise HttpError(403, RECORD_ONLY_TEAM)
    wanted = [row.volunteer_id for row in data.volunteers]
    volunteers = {v.pk: v for v in Volunteer.objects.filter(pk__in=wanted, memberships__team_id=order.team_id,
                                                            memberships__status="active")}
    missing = [str(pk) for pk in wanted if pk not in volunteers]
    if missing:
        raise HttpError(400, f"志愿者 {', '.join(missing)} 不是本队在队志愿者。")
    record = {"served_on": data.served_on, "start_time": data.start_time, "duration_hours": data.duration_hours,
              "attendees": data.attendees, "summary": data.summary, "volunteers": [volunteers[pk] for pk in wanted]}
    fewer = {row.volunteer_id: row.hours for row in data.volunteers if row.hours is not None}
    do_record_service(order, request.auth, roles, record, fewer)  # its refusals: 409 with the message (errors.py)
    return _reloaded(request, order)


# ---------------------------------------------------------------------------- teams, volunteers, hours


class TeamFilters(PageParams):
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="所属部门（成员单位 id）")


@router.get("/service/teams", response={200: TeamPage, **LIST_ERRORS}, summary="服务队列表",
            description="当前账号可见的科技志愿服务队：本地区及下级（科协办公室和上级）、本部门的（部门）、自己管理的（服务队管理员）。")
def list_teams(request: HttpRequest, params: Query[TeamFilters]):
    roles = _roles(request)
    if not roles.any:
        raise HttpError(403, NO_SERVICE_ROLE)
    teams = visible_teams(roles).select_related("jurisdiction", "unit", "area").annotate(
        members=Count("memberships", filter=Q(memberships__status="active"), distinct=True))
    if params.unit is not None:
        teams = teams.filter(unit_id=params.unit)
    result = page(teams.order_by("jurisdiction__path", "name", "pk"), params)
    result["items"] = [
        {"id": t.pk, "name": t.name, "jurisdiction": _ref(t.jurisdiction), "unit": _ref(t.unit), "area": _area(t.area),
         "in_pool": t.in_pool, "active": t.active, "founded_on": t.founded_on, "dissolved_on": t.dissolved_on,
         "members": t.members}
        for t in result["items"]
    ]
    return result


class VolunteerFilters(PageParams):
    team: int | None = Field(None, ge=1, le=MAX_ID, description="服务队 id（在队队员）")
    q: str | None = Field(None, max_length=50, description="按姓名、专业特长或工作单位查找")
    all: bool | None = Field(None, description="true：包括已注销的志愿者")

    _q = field_validator("q")(no_nul)


def _volunteer_out(roles: Roles, user, volunteer: Volunteer, total_hours: float | None) -> dict:
    private = shown_unmasked(volunteer, user)  # the pages' rule (masked even for the office), and their masking
    return {
        "id": volunteer.pk, "name": volunteer.name, "gender": volunteer.get_gender_display(),
        "jurisdiction": _ref(volunteer.jurisdiction),
        "id_number": volunteer.id_number if private else volunteer.masked_id,
        "phone": volunteer.phone if private else volunteer.masked_phone, "masked": not private,
        "skills": volunteer.skills, "affiliation": volunteer.affiliation, "registered_on": volunteer.registered_on,
        "left_on": volunteer.left_on,
        "teams": [_ref(m.team) for m in volunteer.memberships.all() if m.status == "active"],
        "total_hours": total_hours or 0.0,
    }


@router.get("/service/volunteers", response={200: VolunteerPage, **LIST_ERRORS}, summary="志愿者名册",
            description="与网页名册相同的范围；身份证号和手机号只对本级科协办公室（及志愿者本人）完整显示，其他人看到遮挡后的号码。")
def list_volunteers(request: HttpRequest, params: Query[VolunteerFilters]):
    roles = _roles(request)
    if not roles.any:
        raise HttpError(403, NO_SERVICE_ROLE)
    listed = visible_volunteers(roles).select_related("jurisdiction").prefetch_related("memberships__team")
    if params.q:
        q = params.q.strip()
        listed = listed.filter(Q(name__contains=q) | Q(skills__contains=q) | Q(affiliation__contains=q))
    if params.team is not None:
        listed = listed.filter(memberships__team_id=params.team, memberships__status="active")
    if not params.all:
        listed = listed.filter(left_on__isnull=True)
    listed = listed.annotate(total_hours=Sum("hours__hours")).order_by("name", "pk")
    result = page(listed, params)
    result["items"] = [_volunteer_out(roles, request.auth, v, v.total_hours) for v in result["items"]]
    return result


def _visible_volunteer(request: HttpRequest, volunteer_id: int) -> Volunteer:
    volunteer = Volunteer.objects.select_related("jurisdiction").filter(pk=volunteer_id).first()
    if volunteer is None or not can_view_volunteer(_roles(request), volunteer, request.auth):
        raise HttpError(404, VOLUNTEER_NOT_FOUND)
    return volunteer


@router.get("/service/volunteers/{volunteer_id}", response={200: VolunteerOut, **READ_ERRORS}, summary="志愿者详情",
            description="遮挡规则同名册。")
def get_volunteer(request: HttpRequest, volunteer_id: int = VolunteerId):
    volunteer = _visible_volunteer(request, volunteer_id)
    total = volunteer.hours.aggregate(total=Sum("hours"))["total"]
    return _volunteer_out(_roles(request), request.auth, volunteer, total)


@router.get("/service/volunteers/{volunteer_id}/hours", response={200: HoursPage, **READ_ERRORS}, summary="志愿服务时长",
            description="志愿者的每一笔服务时长（由组织服务的服务队记录），以及累计时长和服务次数。")
def volunteer_hours(request: HttpRequest, params: Query[PageParams], volunteer_id: int = VolunteerId):
    volunteer = _visible_volunteer(request, volunteer_id)
    summary = volunteer_summary(volunteer)
    rows = volunteer.hours.select_related("team", "order__topic", "activity").order_by("-served_on", "-pk")
    result = page(rows, params)
    result["items"] = [
        {"id": h.pk, "served_on": h.served_on, "start": h.start, "end": h.end, "hours": h.hours, "method": h.method,
         "team": _ref(h.team), "source": h.source_label, "order_id": h.order_id, "activity_id": h.activity_id}
        for h in result["items"]
    ]
    return {**result, "total_hours": summary.total, "services": summary.services}


# ---------------------------------------------------------------------------- bases, activities, time limits


def _supervised(roles: Roles) -> QuerySet[Jurisdiction]:
    """The jurisdictions whose registries the user reads, as on the pages (office or viewer, and below)."""
    jurisdictions = supervised_jurisdictions(roles)
    if not jurisdictions.exists():
        raise HttpError(403, NO_REGISTRY)
    return jurisdictions


def _within(roles: Roles, jurisdiction_id: int | None) -> list[str]:
    """Path prefixes to list: the chosen jurisdiction (404 if not supervised), else every supervised one."""
    jurisdictions = _supervised(roles)
    if jurisdiction_id is not None:
        chosen = jurisdictions.filter(pk=jurisdiction_id).first()
        if chosen is None:
            raise HttpError(404, JURISDICTION_NOT_FOUND)
        return [chosen.path]
    return list(jurisdictions.values_list("path", flat=True))


def _under(field: str, paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


class BaseFilters(PageParams):
    jurisdiction: int | None = Field(None, ge=1, le=MAX_ID, description="地区 id（含下级）")
    level: BaseLevel | None = Field(None, description="等级")


@router.get("/service/bases", response={200: BasePage, **LIST_ERRORS}, summary="科普教育基地",
            description="本地区及下级的科普教育基地（科协办公室、领导和上级可见）。")
def list_bases(request: HttpRequest, params: Query[BaseFilters]):
    paths = _within(_roles(request), params.jurisdiction)
    bases = ScienceBase.objects.filter(_under("jurisdiction__path", paths)).select_related("jurisdiction")
    if params.level is not None:
        bases = bases.filter(level=params.level)
    result = page(bases.order_by("level", "name", "pk"), params)
    result["items"] = [
        {"id": b.pk, "name": b.name, "jurisdiction": _ref(b.jurisdiction), "level": b.level,
         "level_label": b.get_level_display(), "kind": b.kind, "kind_label": b.get_kind_display(), "host": b.host,
         "opening": b.opening, "opening_label": b.get_opening_display(), "address": b.address,
         "designated_year": b.designated_year, "revoked_year": b.revoked_year}
        for b in result["items"]
    ]
    return result


ActivityKind = Literal[tuple(Activity.Kind.values)]  # type: ignore[valid-type]


class ActivityFilters(PageParams):
    jurisdiction: int | None = Field(None, ge=1, le=MAX_ID, description="地区 id（含下级）")
    kind: ActivityKind | None = Field(None, description="活动类型")


@router.get("/service/activities", response={200: ActivityPage, **LIST_ERRORS}, summary="科普活动",
            description="本地区及下级各方案登记的科普活动（科协办公室、领导和上级可见）。")
def list_activities(request: HttpRequest, params: Query[ActivityFilters]):
    paths = _within(_roles(request), params.jurisdiction)
    listed = Activity.objects.filter(_under("plan__jurisdiction__path", paths)).select_related("unit", "plan__jurisdiction")
    if params.kind:
        listed = listed.filter(kind=params.kind)
    result = page(listed.order_by("-held_on", "-pk"), params)
    result["items"] = [
        {"id": a.pk, "title": a.title, "kind": a.kind, "kind_label": a.get_kind_display(), "held_on": a.held_on,
         "place": a.place, "participants": a.participants, "plan_id": a.plan_id,
         "jurisdiction": _ref(a.plan.jurisdiction), "unit": _ref(a.unit)}
        for a in result["items"]
    ]
    return result


class LimitFilters(Schema):
    jurisdiction: int | None = Field(None, ge=1, le=MAX_ID, description="地区 id；不填为本账号所在地区")


@router.get("/service/time-limits", response={200: TimeLimitsOut, **LIST_ERRORS}, summary="办理时限",
            description="各环节的办理时限（小时）：本级设定，未设定时沿用最近的上级设定，再无则为系统默认。")
def time_limits(request: HttpRequest, params: Query[LimitFilters]):
    roles = _roles(request)
    jurisdictions = _supervised(roles)
    if params.jurisdiction is not None:
        jurisdiction = jurisdictions.filter(pk=params.jurisdiction).first()
        if jurisdiction is None:
            raise HttpError(404, JURISDICTION_NOT_FOUND)
    else:
        own = [j for j in jurisdictions.order_by("path") if roles.is_office_for(j)]
        jurisdiction = own[0] if own else jurisdictions.order_by("path").first()
    ancestors = [int(part) for part in jurisdiction.path.strip("/").split("/") if part]
    set_here = set(ServiceSettings.objects.filter(jurisdiction_id__in=ancestors).values_list("jurisdiction_id", flat=True))
    source = "own" if jurisdiction.pk in set_here else "inherited" if set_here else "default"
    limits = actions.limits_for(jurisdiction)
    return {
        "jurisdiction": _ref(jurisdiction), "source": source,
        "limits": [{"step": step.value, "label": dispatch.STEP_LABELS[step], "hours": limits[step]} for step in dispatch.Step],
    }

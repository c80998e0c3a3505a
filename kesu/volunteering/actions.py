"""Every write of the order workflow: do_<verb>_order() under one transaction.

Each move locks the order row (select_for_update), asks the pure rules (kesu.domain.dispatch) whether this
person may make it now, then writes the new state with a conditional UPDATE on (state, version) — so two
teams accepting the same order at once end with one winner, and the other is told who took it — and an
OrderEvent row (the order's history). Each step's due time is recomputed from the office's time limits; the
escalation job polls the indexed due_at column and claims overdue rows with an atomic UPDATE.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from kesu.domain import dispatch
from kesu.domain.dispatch import Actor, Move, MoveRefused, State
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.volunteering import notify
from kesu.volunteering.access import Roles, order_actors, pool_team_ids
from kesu.volunteering.models import OrderEvent, ServiceOrder, ServiceSettings, Team

User = AbstractBaseUser | None

__all__ = ["MoveRefused", "OrderRefused"]

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read over the phone without mistakes


class OrderRefused(MoveRefused):
    """Refused for a reason outside the state machine (wrong team, stale page…)."""


def new_code() -> str:
    """A tracking code such as KS-7F3K-9QXD-M2: 11 random characters (~55 bits), unguessable and easy to read."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(11))
    return f"KS-{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(text: str) -> str:
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if raw.startswith("KS"):
        raw = raw[2:]
    raw = raw.replace("O", "0").replace("I", "1")
    if len(raw) != 11:
        return ""
    return f"KS-{raw[:4]}-{raw[4:8]}-{raw[8:]}"


# ---------------------------------------------------------------------------- time limits


def limits_for(jurisdiction: Jurisdiction) -> dict[dispatch.Step, int]:
    """The office's time limits: the jurisdiction's own, else the nearest set above it, else the defaults."""
    ids = [int(part) for part in jurisdiction.path.strip("/").split("/") if part]
    found = {s.jurisdiction_id: s for s in ServiceSettings.objects.filter(jurisdiction_id__in=ids)}
    for jurisdiction_id in reversed(ids):
        if jurisdiction_id in found:
            return found[jurisdiction_id].limits()
    return dict(dispatch.DEFAULT_LIMIT_HOURS)


def _end_of_day(day: dt.date) -> dt.datetime:
    tz = timezone.get_default_timezone()
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)


def _due(order: ServiceOrder, state: State, now: dt.datetime) -> dt.datetime | None:
    return dispatch.due_at(state, now, limits_for(order.jurisdiction), serve_not_before=_end_of_day(order.preferred_until))


def _link(order: ServiceOrder) -> str:
    return reverse("service-order", args=[order.pk])


def _actor_id(user: User) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


# ---------------------------------------------------------------------------- ordering (public)


@transaction.atomic
def do_submit_order(data: dict, client_digest: str = "", now: dt.datetime | None = None) -> ServiceOrder:
    """A resident's order from the public page: gets a tracking code and waits for the area's officers."""
    now = now or timezone.now()
    township = data["township"]
    order = ServiceOrder(
        jurisdiction_id=township.jurisdiction_id, township=township, village=data.get("village"),
        place=data.get("place", ""), topic=data["topic"], description=data.get("description", ""),
        preferred_from=data["preferred_from"], preferred_until=data["preferred_until"], audience=data["audience"],
        audience_size=data["audience_size"], requester_kind=data["requester_kind"],
        requester_org=data.get("requester_org", ""), contact_name=data["contact_name"], contact_phone=data["contact_phone"],
        state=State.SUBMITTED, submitted_at=now, state_since=now, client_digest=client_digest,
    )
    order.due_at = _due(order, State.SUBMITTED, now)
    for _ in range(5):
        order.code = new_code()
        try:
            with transaction.atomic():
                order.save()
            break
        except IntegrityError:  # a code already taken (1 in 2**55): draw again
            continue
    else:  # pragma: no cover
        raise OrderRefused("暂时无法生成查询码，请稍后重试。")
    OrderEvent.objects.create(order=order, at=now, role=dispatch.ACTOR_LABELS[Actor.REQUESTER], kind=OrderEvent.Kind.SUBMITTED,
                              to_state=State.SUBMITTED, detail=f"{order.topic.name} · {order.place_label}")
    recipients = notify.officer_users(order.township, order.village) or notify.office_users(order.jurisdiction)
    notify.notify(recipients, f"新服务单：{order.topic.name}（{order.township.name}）",
                  f"{order.code}，期望 {order.preferred_from:%m-%d} 至 {order.preferred_until:%m-%d}，{order.audience_size} 人。",
                  _link(order))
    return order


# ---------------------------------------------------------------------------- moves


_LABEL_PREFERENCE = (Actor.REQUESTER, Actor.TEAM, Actor.UNIT, Actor.OFFICE, Actor.OFFICER)


def _role_label(actors: set[Actor], state: State, move: Move) -> str:
    """The capacity in which the move was made, for the history (an office admin dispatching is 科协办公室)."""
    for actor in _LABEL_PREFERENCE:
        if actor in actors and move in dispatch.allowed_moves(state, [actor]):
            return dispatch.ACTOR_LABELS[actor]
    return ""


def _lock(order: ServiceOrder) -> ServiceOrder:
    """The order row, locked until the end of the transaction.

    Only rows that never change are joined: after waiting for another transaction's lock, PostgreSQL re-reads
    the locked row but not the rows joined to it, so a joined team would be the one from before the wait.
    The unit and team are loaded afresh when used.
    """
    return (ServiceOrder.objects.select_for_update(of=("self",))
            .select_related("jurisdiction", "township", "topic").get(pk=order.pk))


def _apply(
    order: ServiceOrder, move: Move, *, user: User, roles: Roles | None, requester: bool = False, reason: str = "",
    rating: int | None = None, new_team: Team | None = None, new_unit: MemberUnit | None = None,
    detail: str = "", public: bool = True, now: dt.datetime | None = None, extra: dict | None = None,
) -> ServiceOrder:
    """Lock, check, write (conditionally), record. Call inside transaction.atomic."""
    now = now or timezone.now()
    fresh = _lock(order)
    actors = order_actors(roles, fresh) if roles is not None else set()
    if requester:
        actors.add(Actor.REQUESTER)
    state = State(fresh.state)
    if move == Move.ACCEPT and state in dispatch.HELD and fresh.team_id is not None and roles is not None \
            and fresh.team_id in roles.team_ids:
        raise OrderRefused(f"您的服务队“{fresh.team.name}”已经接下这张服务单。")
    if move == Move.ACCEPT and state in dispatch.HELD:
        raise OrderRefused(f"该服务单已由“{fresh.team.name}”接单，您的接单没有成功。")
    context = dispatch.Context(via_unit=fresh.unit_id is not None, rating=rating)
    target = dispatch.next_state(state, move, actors, reason, context)

    fields: dict = {"state": target.value, "version": F("version") + 1, "state_since": now, "escalated_at": None}
    team = fresh.team
    if move == Move.ACCEPT:
        team = _accepting_team(fresh, roles, new_team)
        fields["accepted_at"] = now
        detail = detail or f"{team.name}接单"
    elif move == Move.ASSIGN:
        if new_team is None or new_team.unit_id != fresh.unit_id or not new_team.active:
            raise OrderRefused("请选择本部门的一支在册服务队。")
        team = new_team
    elif dispatch.team_after(state, move, fresh.team_id) is None:
        team = None
    fields["team"] = team
    if move == Move.DISPATCH:
        if new_unit is None:
            raise OrderRefused("请选择承办部门。")
        if not fresh.jurisdiction.path.startswith(new_unit.jurisdiction.path) or new_unit.stands_for_all:
            raise OrderRefused("只能派单给本级或上级的成员单位。")
        fields["unit"] = new_unit
        fields["dispatched_at"] = now
    elif move == Move.POOL:
        fields["unit"] = None
        fields["dispatched_at"] = now
    elif move in (Move.RELEASE, Move.REOPEN):
        fields["unit"] = None
    if move == Move.REJECT:
        fields["public_reason"] = reason.strip()
    elif move == Move.CANCEL:
        fields["public_reason"] = reason.strip()
    elif move == Move.REOPEN:
        fields["public_reason"] = ""
    if move == Move.RECORD:
        fields["served_at"] = now
    if target == State.CLOSED:
        fields["closed_at"] = now
    if move == Move.CONFIRM:
        fields["rating"] = rating
        fields["rating_comment"] = (extra or {}).get("comment", "").strip()
    fields["due_at"] = _due(fresh, target, now)
    fields.update({k: v for k, v in (extra or {}).items() if k != "comment"})

    updated = ServiceOrder.objects.filter(pk=fresh.pk, state=fresh.state, version=fresh.version).update(**fields)
    if not updated:  # only without row locks (SQLite) can another request have moved it meanwhile
        latest = ServiceOrder.objects.select_related("team").get(pk=fresh.pk)
        if move == Move.ACCEPT and latest.team_id is not None:
            raise OrderRefused(f"该服务单已由“{latest.team.name}”接单，您的接单没有成功。")
        raise OrderRefused("该服务单刚刚已被他人处理，请刷新页面查看最新状态。")
    OrderEvent.objects.create(
        order=fresh, at=now, actor_id=_actor_id(user), role=_role_label(actors, state, move), kind=OrderEvent.Kind(move.value),
        from_state=state.value, to_state=target.value, detail=detail[:300], reason=reason.strip(), public=public,
    )
    for name, value in fields.items():  # the row as written (the UPDATE succeeded on exactly this version)
        setattr(fresh, name, fresh.version + 1 if name == "version" else value)
    return fresh


def _accepting_team(order: ServiceOrder, roles: Roles | None, chosen: Team | None) -> Team:
    if roles is None:
        raise OrderRefused("只有服务队管理员可以接单。")
    if order.state == State.ASSIGNED:
        if order.team_id not in roles.team_ids:
            raise OrderRefused("该服务单已指派给其他服务队。")
        return order.team
    candidates = pool_team_ids(roles, order)
    if chosen is not None:
        if chosen.pk not in candidates:
            raise OrderRefused(f"“{chosen.name}”不能从服务队池接这张服务单（需为本级或上级参与服务队池的在册服务队）。")
        return chosen
    if len(candidates) != 1:
        raise OrderRefused("请选择以哪支服务队接单。")
    return Team.objects.get(pk=next(iter(candidates)))


@transaction.atomic
def do_reject_order(order: ServiceOrder, user: User, roles: Roles, reason: str) -> ServiceOrder:
    return _apply(order, Move.REJECT, user=user, roles=roles, reason=reason)


@transaction.atomic
def do_dispatch_order(order: ServiceOrder, user: User, roles: Roles, unit: MemberUnit | None, reason: str = "") -> ServiceOrder:
    order = _apply(order, Move.DISPATCH, user=user, roles=roles, reason=reason, new_unit=unit,
                   detail=f"派单至{unit.name}" if unit else "", public=True)
    notify.notify(notify.claimer_users(order.unit_id), f"待领单：{order.topic.name}（{order.township.name}）",
                  f"{order.code}，期望 {order.preferred_from:%m-%d} 至 {order.preferred_until:%m-%d}。", _link(order))
    return order


@transaction.atomic
def do_pool_order(order: ServiceOrder, user: User, roles: Roles, reason: str = "") -> ServiceOrder:
    order = _apply(order, Move.POOL, user=user, roles=roles, reason=reason, detail="派至服务队池")
    notify.notify(notify.team_admin_users(notify.pool_teams(order.jurisdiction)),
                  f"服务队池新单：{order.topic.name}（{order.township.name}）", f"{order.code}，先接先得。", _link(order))
    return order


@transaction.atomic
def do_claim_order(order: ServiceOrder, user: User, roles: Roles) -> ServiceOrder:
    return _apply(order, Move.CLAIM, user=user, roles=roles, detail=f"{order.unit.name if order.unit else ''}领单")


@transaction.atomic
def do_release_order(order: ServiceOrder, user: User, roles: Roles, reason: str) -> ServiceOrder:
    unit_name = order.unit.name if order.unit_id else ""
    order = _apply(order, Move.RELEASE, user=user, roles=roles, reason=reason, detail=f"{unit_name}退回", public=False)
    recipients = notify.officer_users(order.township, order.village) or notify.office_users(order.jurisdiction)
    notify.notify(recipients, f"部门退回服务单：{order.code}", f"{unit_name}：{reason}", _link(order))
    return order


@transaction.atomic
def do_assign_order(order: ServiceOrder, user: User, roles: Roles, team: Team) -> ServiceOrder:
    order = _apply(order, Move.ASSIGN, user=user, roles=roles, new_team=team, detail=f"指派给{team.name}")
    notify.notify(notify.team_admin_users([team.pk]), f"待接单：{order.topic.name}（{order.township.name}）",
                  f"{order.code}，由{order.unit.name}指派。", _link(order))
    return order


@transaction.atomic
def do_accept_order(order: ServiceOrder, user: User, roles: Roles, team: Team | None = None) -> ServiceOrder:
    """The race: several teams may accept at once; the row lock and the conditional UPDATE let exactly one win."""
    return _apply(order, Move.ACCEPT, user=user, roles=roles, new_team=team)


@transaction.atomic
def do_decline_order(order: ServiceOrder, user: User, roles: Roles, reason: str) -> ServiceOrder:
    team_name = order.team.name if order.team_id else ""
    order = _apply(order, Move.DECLINE, user=user, roles=roles, reason=reason, detail=f"{team_name}退单", public=False)
    if order.state == State.CLAIMED:
        recipients = notify.claimer_users(order.unit_id)
    else:
        recipients = notify.team_admin_users(notify.pool_teams(order.jurisdiction))
    notify.notify(recipients, f"服务队退单：{order.code}", f"{team_name}：{reason}", _link(order))
    return order


@transaction.atomic
def do_confirm_order(order: ServiceOrder, rating: int | None, comment: str = "") -> ServiceOrder:
    """The requester (holding the tracking code) confirms the service and rates it."""
    order = _apply(order, Move.CONFIRM, user=None, roles=None, requester=True, rating=rating,
                   detail=f"评分 {rating}", extra={"comment": comment})
    notify.notify(notify.team_admin_users([order.team_id]), f"服务已评价：{order.code}",
                  f"评分 {rating} 分。{comment}", _link(order))
    return order


@transaction.atomic
def do_dispute_order(order: ServiceOrder, reason: str, user: User = None, roles: Roles | None = None) -> ServiceOrder:
    """The requester (or the office) says the service is not done: back to the team that holds it."""
    order = _apply(order, Move.DISPUTE, user=user, roles=roles, requester=roles is None, reason=reason)
    notify.notify(notify.team_admin_users([order.team_id]) + notify.office_users(order.jurisdiction),
                  f"申请人对服务提出异议：{order.code}", reason, _link(order))
    return order


@transaction.atomic
def do_close_order(order: ServiceOrder, user: User, roles: Roles, reason: str) -> ServiceOrder:
    return _apply(order, Move.CLOSE, user=user, roles=roles, reason=reason, detail="未评价结单")


@transaction.atomic
def do_cancel_order(order: ServiceOrder, reason: str = "", user: User = None, roles: Roles | None = None) -> ServiceOrder:
    """Cancelled by the requester (no account, reason optional) or by an officer/the office (reason required)."""
    holder = [order.team_id] if order.team_id else []
    order = _apply(order, Move.CANCEL, user=user, roles=roles, requester=roles is None, reason=reason)
    notify.notify(notify.team_admin_users(holder) + notify.claimer_users(order.unit_id),
                  f"服务单已取消：{order.code}", reason, _link(order))
    return order


@transaction.atomic
def do_reopen_order(order: ServiceOrder, user: User, roles: Roles, reason: str) -> ServiceOrder:
    return _apply(order, Move.REOPEN, user=user, roles=roles, reason=reason)


def available_moves(order: ServiceOrder, roles: Roles) -> list[Move]:
    return dispatch.allowed_moves(State(order.state), order_actors(roles, order))


# ---------------------------------------------------------------------------- time limits: the escalation job


def do_escalate_overdue_orders(now: dt.datetime | None = None, batch: int = 500) -> int:
    """Escalate every order whose current step is past its time limit; returns how many were escalated.

    Polls the indexed due_at column; each row is claimed with an atomic UPDATE (due_at → NULL, escalated_at →
    now) conditioned on the due time and state read, so two workers never escalate the same order twice and a
    move made meanwhile wins. The office and the people the order is waiting for get a notice; the order shows
    on the office dashboard as escalated until its next move sets a new due time.
    """
    now = now or timezone.now()
    due = list(
        ServiceOrder.objects.filter(due_at__lte=now).order_by("due_at").values_list("pk", "due_at", "state")[:batch]
    )
    escalated = 0
    for pk, due_at, state in due:
        with transaction.atomic():
            claimed = ServiceOrder.objects.filter(pk=pk, due_at=due_at, state=state).update(due_at=None, escalated_at=now)
            if not claimed:
                continue
            order = ServiceOrder.objects.select_related("jurisdiction", "township", "village", "topic").get(pk=pk)
            step = dispatch.STEP_OF[State(state)]
            late = dispatch.describe_due(due_at, now)
            OrderEvent.objects.create(
                order=order, at=now, role="系统", kind=OrderEvent.Kind.ESCALATED, from_state=state, to_state=state, public=False,
                detail=f"{dispatch.STEP_LABELS[step]}超过时限（应于 {timezone.localtime(due_at):%Y-%m-%d %H:%M} 前完成，{late}）",
            )
            waiting = _waiting_on(order)
            notify.notify(notify.office_users(order.jurisdiction) + waiting,
                          f"服务单超时：{order.code}（{dispatch.STEP_LABELS[step]}）",
                          f"{order.topic.name} · {order.township.name}，{late}。", _link(order))
        escalated += 1
    return escalated


def _waiting_on(order: ServiceOrder) -> list[int]:
    state = State(order.state)
    if state == State.SUBMITTED:
        return notify.officer_users(order.township, order.village)
    if state in (State.DISPATCHED, State.CLAIMED):
        return notify.claimer_users(order.unit_id)
    if state in (State.ASSIGNED, State.ACCEPTED) and order.team_id:
        return notify.team_admin_users([order.team_id])
    if state == State.POOLED:
        return notify.team_admin_users(notify.pool_teams(order.jurisdiction))
    return []


def transitions_of(orders) -> dict[int, list[tuple[dt.datetime, State]]]:
    """(at, state entered) of each order (a queryset of orders or of their ids), from its history, for the
    step-duration statistics."""
    result: dict[int, list[tuple[dt.datetime, State]]] = {}
    rows = OrderEvent.objects.filter(order__in=orders).exclude(to_state="").exclude(kind=OrderEvent.Kind.ESCALATED) \
        .order_by("at", "id").values_list("order_id", "at", "to_state")
    for order_id, at, to_state in rows:
        result.setdefault(order_id, []).append((at, State(to_state)))
    return result

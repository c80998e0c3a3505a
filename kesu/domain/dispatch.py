"""The life of a science-volunteer service order: 群众点单 → 社区派单 → 部门领单 → 志愿服务队接单 → 服务 → 评价.

Pure rules, no database: the states, the moves, who may make each move, which moves need a reason, each
step's time limit and when it falls due, and the statistics the service dashboard shows (time spent in each
step, median and 90th percentile, satisfaction).

    submitted ──reject──▶ rejected ──reopen──▶ submitted
    submitted ──dispatch──▶ dispatched ──claim──▶ claimed ──assign──▶ assigned ──accept──▶ accepted
    submitted ──pool──▶ pooled ──accept (first team wins)──▶ accepted
    dispatched/claimed ──release (部门退回)──▶ submitted
    assigned ──decline──▶ claimed;  accepted ──decline──▶ claimed (dispatched via a department) or pooled
    accepted ──record──▶ served ──confirm (rating 1–5)──▶ closed
    served ──dispute (申请人有异议)──▶ accepted;  served ──close (办公室结单, no rating)──▶ closed
    any open state before served ──cancel──▶ cancelled ──reopen──▶ submitted
    officers and the office may re-dispatch (dispatch/pool again) any order not yet served, with a reason.

Exactly one team can hold an order: the team is set by accept and cleared by decline and re-dispatch; the
shell enforces the "first accept wins" race with a conditional UPDATE on the order row.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from kesu.domain.number_bounds import TIME_LIMIT_HOURS
from kesu.domain.refusals import Refused


class State(StrEnum):
    SUBMITTED = "submitted"
    REJECTED = "rejected"
    DISPATCHED = "dispatched"
    POOLED = "pooled"
    CLAIMED = "claimed"
    ASSIGNED = "assigned"
    ACCEPTED = "accepted"
    SERVED = "served"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Move(StrEnum):
    REJECT = "reject"
    DISPATCH = "dispatch"
    POOL = "pool"
    CLAIM = "claim"
    RELEASE = "release"
    ASSIGN = "assign"
    ACCEPT = "accept"
    DECLINE = "decline"
    RECORD = "record"
    CONFIRM = "confirm"
    DISPUTE = "dispute"
    CLOSE = "close"
    CANCEL = "cancel"
    REOPEN = "reopen"


class Actor(StrEnum):
    REQUESTER = "requester"  # whoever holds the tracking code
    OFFICER = "officer"  # 社区/乡镇 officer of the order's area
    OFFICE = "office"  # office admin (科协办公室) of the order's jurisdiction
    UNIT = "unit"  # staff of the department the order is dispatched to
    TEAM = "team"  # admin of the team the order is assigned to / held by (or of a pool team, for a pooled order)


STATE_LABELS = {
    State.SUBMITTED: "待审核", State.REJECTED: "已驳回", State.DISPATCHED: "待部门领单", State.POOLED: "服务队池待接单",
    State.CLAIMED: "待指派服务队", State.ASSIGNED: "待服务队接单", State.ACCEPTED: "服务队已接单",
    State.SERVED: "已服务待评价", State.CLOSED: "已办结", State.CANCELLED: "已取消",
}
MOVE_LABELS = {
    Move.REJECT: "驳回", Move.DISPATCH: "派单至部门", Move.POOL: "派至服务队池", Move.CLAIM: "部门领单",
    Move.RELEASE: "部门退回", Move.ASSIGN: "指派服务队", Move.ACCEPT: "服务队接单", Move.DECLINE: "服务队退单",
    Move.RECORD: "登记服务记录", Move.CONFIRM: "确认并评价", Move.DISPUTE: "对服务提出异议", Move.CLOSE: "办公室结单",
    Move.CANCEL: "取消", Move.REOPEN: "重新受理",
}
ACTOR_LABELS = {
    Actor.REQUESTER: "申请人", Actor.OFFICER: "社区/乡镇", Actor.OFFICE: "科协办公室", Actor.UNIT: "部门",
    Actor.TEAM: "志愿服务队",
}

TERMINAL = frozenset({State.REJECTED, State.CLOSED, State.CANCELLED})
# The order is held by a team in these states (exactly one team, never none).
HELD = frozenset({State.ACCEPTED, State.SERVED, State.CLOSED})
# Still open and not yet served: may be re-dispatched by an officer or the office, or cancelled.
REDISPATCHABLE = frozenset({State.DISPATCHED, State.POOLED, State.CLAIMED, State.ASSIGNED, State.ACCEPTED})
CANCELLABLE = frozenset({State.SUBMITTED}) | REDISPATCHABLE
DISPATCHERS = frozenset({Actor.OFFICER, Actor.OFFICE})

# (state, move) -> who may make it, the state it leads to (None: depends on the context, see _target).
_MOVES: dict[tuple[State, Move], tuple[frozenset[Actor], State | None]] = {
    (State.SUBMITTED, Move.REJECT): (DISPATCHERS, State.REJECTED),
    (State.DISPATCHED, Move.CLAIM): (frozenset({Actor.UNIT}), State.CLAIMED),
    (State.DISPATCHED, Move.RELEASE): (frozenset({Actor.UNIT}), State.SUBMITTED),
    (State.CLAIMED, Move.RELEASE): (frozenset({Actor.UNIT}), State.SUBMITTED),
    (State.CLAIMED, Move.ASSIGN): (frozenset({Actor.UNIT}), State.ASSIGNED),
    (State.ASSIGNED, Move.ASSIGN): (frozenset({Actor.UNIT}), State.ASSIGNED),
    (State.ASSIGNED, Move.ACCEPT): (frozenset({Actor.TEAM}), State.ACCEPTED),
    (State.POOLED, Move.ACCEPT): (frozenset({Actor.TEAM}), State.ACCEPTED),
    (State.ASSIGNED, Move.DECLINE): (frozenset({Actor.TEAM}), State.CLAIMED),
    (State.ACCEPTED, Move.DECLINE): (frozenset({Actor.TEAM}), None),
    (State.ACCEPTED, Move.RECORD): (frozenset({Actor.TEAM}), State.SERVED),
    (State.SERVED, Move.CONFIRM): (frozenset({Actor.REQUESTER}), State.CLOSED),
    (State.SERVED, Move.DISPUTE): (frozenset({Actor.REQUESTER, Actor.OFFICE}), State.ACCEPTED),
    (State.SERVED, Move.CLOSE): (frozenset({Actor.OFFICE}), State.CLOSED),
    (State.REJECTED, Move.REOPEN): (DISPATCHERS, State.SUBMITTED),
    (State.CANCELLED, Move.REOPEN): (DISPATCHERS, State.SUBMITTED),
}
for _state in {State.SUBMITTED} | REDISPATCHABLE:
    _MOVES[(_state, Move.DISPATCH)] = (DISPATCHERS, State.DISPATCHED)
    _MOVES[(_state, Move.POOL)] = (DISPATCHERS, State.POOLED)
for _state in CANCELLABLE:
    _MOVES[(_state, Move.CANCEL)] = (DISPATCHERS | {Actor.REQUESTER}, State.CANCELLED)

_REASON_REQUIRED = {Move.REJECT, Move.RELEASE, Move.DECLINE, Move.DISPUTE, Move.CLOSE, Move.REOPEN}


class MoveRefused(Refused):
    """The move is not allowed now; the message says why, in words the user understands."""


@dataclass(frozen=True)
class Context:
    """Facts about the order the rules depend on (supplied by the shell)."""

    via_unit: bool = False  # dispatched through a department (a declined order goes back to it, not to the pool)
    rating: int | None = None  # the requester's rating, for CONFIRM


def needs_reason(state: State, move: Move) -> bool:
    """Re-dispatching (anything but the first dispatch) and every backwards or closing move by staff need a reason."""
    if move in (Move.DISPATCH, Move.POOL):
        return state != State.SUBMITTED
    return move in _REASON_REQUIRED


def _target(state: State, move: Move, target: State | None, context: Context) -> State:
    if target is not None:
        return target
    # (ACCEPTED, DECLINE): back to the department that assigned it, or back to the pool.
    return State.CLAIMED if context.via_unit else State.POOLED


def _refusal(state: State, move: Move) -> str:
    if move == Move.ACCEPT and state in HELD | {State.CANCELLED}:
        if state in HELD:
            return "该服务单已由其他志愿服务队接单，您的接单没有成功。"
        return "该服务单已取消，不能接单。"
    if move == Move.ACCEPT:
        return f"该服务单当前“{STATE_LABELS[state]}”，还不能接单。"
    if state in TERMINAL and move != Move.REOPEN:
        return f"该服务单{STATE_LABELS[state]}，不能再{MOVE_LABELS[move]}。"
    if move == Move.CANCEL:
        return "服务已完成，不能再取消。"
    if move in (Move.DISPATCH, Move.POOL):
        return "服务已完成，不能再派单。"
    return f"当前状态“{STATE_LABELS[state]}”下不能{MOVE_LABELS[move]}。"


_ROLE_REFUSALS: dict[frozenset[Actor], str] = {
    frozenset({Actor.REQUESTER}): "只有申请人（凭查询码）可以确认服务并评价。",
    frozenset({Actor.UNIT}): "只有接到派单的部门可以领单、退回或指派服务队。",
    frozenset({Actor.TEAM}): "只有被指派或已接单的志愿服务队可以进行此操作。",
    frozenset({Actor.OFFICE}): "只有科协办公室可以进行此操作。",
    DISPATCHERS: "只有本区域的社区/乡镇工作人员或科协办公室可以审核和派单。",
    DISPATCHERS | {Actor.REQUESTER}: "只有申请人、本区域的社区/乡镇工作人员或科协办公室可以取消服务单。",
    frozenset({Actor.REQUESTER, Actor.OFFICE}): "只有申请人或科协办公室可以对服务提出异议。",
}


def next_state(state: State, move: Move, actors: Actor | Iterable[Actor], reason: str = "",
               context: Context | None = None) -> State:
    """The state after `move` by someone acting in any of `actors`, or MoveRefused with a Chinese explanation."""
    roles = frozenset([actors] if isinstance(actors, Actor) else actors)
    context = context or Context()
    entry = _MOVES.get((State(state), Move(move)))
    if entry is None:
        raise MoveRefused(_refusal(State(state), Move(move)))
    allowed, target = entry
    if not roles & allowed:
        raise MoveRefused(_ROLE_REFUSALS[allowed])
    if needs_reason(state, move) and not reason.strip():
        raise MoveRefused(f"{MOVE_LABELS[move]}必须填写原因。")
    if move == Move.CANCEL and not roles & {Actor.REQUESTER} and not reason.strip():
        raise MoveRefused("取消服务单必须填写原因。")
    if move == Move.CONFIRM and (context.rating is None or not 1 <= context.rating <= 5):
        raise MoveRefused("请为本次服务打分（1—5 分）。")
    return _target(state, move, target, context)


def allowed_moves(state: State, actors: Iterable[Actor]) -> list[Move]:
    """The moves someone in `actors` may try from `state`, in the order a page lists them."""
    roles = frozenset(actors)
    return [m for m in Move if (entry := _MOVES.get((State(state), m))) and roles & entry[0]]


def team_after(state: State, move: Move, team: int | None, new_team: int | None = None) -> int | None:
    """The team designated for/holding the order after a move (assign sets it, decline and re-dispatch clear it)."""
    if move in (Move.ASSIGN, Move.ACCEPT):
        return new_team if new_team is not None else team
    if move in (Move.DECLINE, Move.DISPATCH, Move.POOL, Move.RELEASE, Move.REOPEN):
        return None
    return team


# ---------------------------------------------------------------------------- time limits


class Step(StrEnum):
    REVIEW = "review"
    CLAIM = "claim"
    ASSIGN = "assign"
    ACCEPT = "accept"
    SERVE = "serve"
    CONFIRM = "confirm"


STEP_OF: dict[State, Step] = {
    State.SUBMITTED: Step.REVIEW, State.DISPATCHED: Step.CLAIM, State.CLAIMED: Step.ASSIGN,
    State.ASSIGNED: Step.ACCEPT, State.POOLED: Step.ACCEPT, State.ACCEPTED: Step.SERVE, State.SERVED: Step.CONFIRM,
}
STEP_LABELS = {
    Step.REVIEW: "社区/乡镇审核派单", Step.CLAIM: "部门领单", Step.ASSIGN: "部门指派服务队", Step.ACCEPT: "服务队接单",
    Step.SERVE: "开展服务", Step.CONFIRM: "申请人确认评价",
}
DEFAULT_LIMIT_HOURS: dict[Step, int] = {
    Step.REVIEW: 48, Step.CLAIM: 48, Step.ASSIGN: 48, Step.ACCEPT: 72, Step.SERVE: 24 * 30, Step.CONFIRM: 24 * 14,
}


def due_at(state: State, entered_at: dt.datetime, limits: Mapping[Step, float] | None = None,
           serve_not_before: dt.datetime | None = None) -> dt.datetime | None:
    """When the order's current step falls due; None in a final state.

    The service step is due `serve` hours after acceptance, but never before `serve_not_before` (the end of
    the requester's latest preferred date): a team that accepted in March for a date in May is not late.
    """
    step = STEP_OF.get(State(state))
    if step is None:
        return None
    hours = (limits or {}).get(step, DEFAULT_LIMIT_HOURS[step])
    # A limit stored before limits were bounded (2·10⁹ hours) would overflow the date: keep it in range.
    hours = min(max(hours, TIME_LIMIT_HOURS.low), TIME_LIMIT_HOURS.high)
    due = entered_at + dt.timedelta(hours=hours)
    if step == Step.SERVE and serve_not_before is not None:
        due = max(due, serve_not_before)
    return due


def overdue_by(due: dt.datetime | None, now: dt.datetime) -> dt.timedelta | None:
    if due is None or now < due:
        return None
    return now - due


def describe_due(due: dt.datetime | None, now: dt.datetime) -> str:
    """“剩余 5 小时” / “已超时 2 天” — what the board shows next to an order."""
    if due is None:
        return ""
    delta = due - now
    late = delta.total_seconds() < 0
    seconds = abs(delta.total_seconds())
    if seconds >= 86400:
        amount = f"{int(seconds // 86400)} 天"
    elif seconds >= 3600:
        amount = f"{int(seconds // 3600)} 小时"
    else:
        amount = f"{max(int(seconds // 60), 1)} 分钟"
    return f"已超时 {amount}" if late else f"剩余 {amount}"


# ---------------------------------------------------------------------------- statistics


def time_in_steps(transitions: Sequence[tuple[dt.datetime, State]]) -> dict[Step, float]:
    """Seconds an order spent in each step it finished, from its transitions [(at, state entered)], in time order.

    A step entered several times (a declined order waits for acceptance again) counts the sum of its stays;
    the step the order is still in is not counted (it has not finished).
    """
    spent: dict[Step, float] = {}
    ordered = sorted(transitions, key=lambda t: t[0])
    for (start, state), (end, _) in zip(ordered, ordered[1:], strict=False):
        step = STEP_OF.get(State(state))
        if step is not None:
            spent[step] = spent.get(step, 0.0) + max((end - start).total_seconds(), 0.0)
    return spent


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0–100), linear between closest ranks (as numpy's default and Excel's PERCENTILE.INC)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class StepStats:
    step: Step
    count: int
    median_hours: float | None
    p90_hours: float | None

    @property
    def label(self) -> str:
        return STEP_LABELS[self.step]


def step_stats(per_order: Iterable[Mapping[Step, float]]) -> list[StepStats]:
    collected: dict[Step, list[float]] = {s: [] for s in Step}
    for spent in per_order:
        for step, seconds in spent.items():
            collected[step].append(seconds / 3600)
    result = []
    for step in Step:
        values = collected[step]
        result.append(StepStats(step, len(values), percentile(values, 50), percentile(values, 90)))
    return result


@dataclass(frozen=True)
class Satisfaction:
    count: int
    mean: float | None
    satisfied_share: float | None  # rated 4 or 5
    distribution: dict[int, int]


def satisfaction(ratings: Iterable[int]) -> Satisfaction:
    values = [r for r in ratings if r is not None]
    distribution = {score: values.count(score) for score in range(1, 6)}
    if not values:
        return Satisfaction(0, None, None, distribution)
    return Satisfaction(len(values), sum(values) / len(values), sum(1 for v in values if v >= 4) / len(values),
                        distribution)


SATISFACTION_RULE = "满意度＝申请人评分（1—5 分）的平均值；满意率＝评 4 分或 5 分的服务单÷已评价的服务单。"
DURATION_RULE = (
    "环节用时＝服务单从进入该环节到离开该环节的时间（同一环节多次进入时累加），只统计已完成该环节的服务单；"
    "中位数即一半服务单不超过的用时，P90 即 90% 的服务单不超过的用时。"
)

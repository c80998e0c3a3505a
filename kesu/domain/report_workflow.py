"""The life of a progress report: draft → submitted → (returned → submitted)* → approved.

Pure rules, no database: which moves exist, who may make them, and when a report can still be edited.
Approved reports are locked; a cycle past its lock time accepts no more edits unless the office granted
the unit a late-submission exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kesu.domain.refusals import Refused


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class Move(StrEnum):
    SAVE = "save"
    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"


class Actor(StrEnum):
    REPORTER = "reporter"  # a reporter of the unit that owns the report
    OFFICE = "office"  # the office admin of the plan's jurisdiction


STATE_LABELS = {State.DRAFT: "草稿", State.SUBMITTED: "已提交待审核", State.RETURNED: "已退回", State.APPROVED: "已审核通过"}

_MOVES: dict[tuple[State, Move], tuple[Actor, State]] = {
    (State.DRAFT, Move.SAVE): (Actor.REPORTER, State.DRAFT),
    (State.RETURNED, Move.SAVE): (Actor.REPORTER, State.RETURNED),
    (State.DRAFT, Move.SUBMIT): (Actor.REPORTER, State.SUBMITTED),
    (State.RETURNED, Move.SUBMIT): (Actor.REPORTER, State.SUBMITTED),
    (State.SUBMITTED, Move.RETURN): (Actor.OFFICE, State.RETURNED),
    (State.SUBMITTED, Move.APPROVE): (Actor.OFFICE, State.APPROVED),
}


class MoveRefused(Refused):
    """The move is not allowed now; the message says why, in words the user understands."""


@dataclass(frozen=True)
class Window:
    """Whether the cycle still takes reporters' edits."""

    locked: bool  # past the cycle's lock time
    exception: bool  # the office granted this unit a late-submission exception that is still valid

    @property
    def open(self) -> bool:
        return not self.locked or self.exception


def next_state(state: State, move: Move, actor: Actor, window: Window, reason: str = "") -> State:
    """The state after `move`, or MoveRefused with a Chinese explanation."""
    entry = _MOVES.get((state, move))
    if entry is None:
        if state == State.APPROVED:
            raise MoveRefused("报告已审核通过并锁定，不能再修改。")
        if state == State.SUBMITTED and move in (Move.SAVE, Move.SUBMIT):
            raise MoveRefused("报告已提交，正在等待科协办公室审核，审核退回后才能修改。")
        raise MoveRefused(f"当前状态“{STATE_LABELS[state]}”下不能执行此操作。")
    required, target = entry
    if actor != required:
        raise MoveRefused("只有本单位填报员可以填写和提交报告。" if required == Actor.REPORTER else "只有科协办公室可以审核报告。")
    if required == Actor.REPORTER and not window.open:
        raise MoveRefused("本期填报已锁定（超过截止日期后的宽限期）。如需补报，请联系科协办公室开通补报。")
    if move == Move.RETURN and not reason.strip():
        raise MoveRefused("退回报告必须填写退回原因。")
    return target


def editable_by_reporter(state: State, window: Window) -> bool:
    return state in (State.DRAFT, State.RETURNED) and window.open

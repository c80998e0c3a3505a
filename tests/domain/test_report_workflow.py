import pytest

from kesu.domain.report_workflow import (
    Actor,
    Move,
    MoveRefused,
    State,
    Window,
    editable_by_reporter,
    next_state,
)

OPEN = Window(locked=False, exception=False)
LOCKED = Window(locked=True, exception=False)
EXCEPTED = Window(locked=True, exception=True)


def test_it_walks_draft_submit_return_resubmit_approve():
    state = next_state(State.DRAFT, Move.SUBMIT, Actor.REPORTER, OPEN)
    assert state == State.SUBMITTED
    state = next_state(state, Move.RETURN, Actor.OFFICE, OPEN, reason="缺少佐证材料")
    assert state == State.RETURNED
    state = next_state(state, Move.SAVE, Actor.REPORTER, OPEN)
    state = next_state(state, Move.SUBMIT, Actor.REPORTER, OPEN)
    assert next_state(state, Move.APPROVE, Actor.OFFICE, OPEN) == State.APPROVED


@pytest.mark.parametrize("move", [Move.SAVE, Move.SUBMIT, Move.RETURN, Move.APPROVE])
def test_it_locks_an_approved_report(move):
    actor = Actor.OFFICE if move in (Move.RETURN, Move.APPROVE) else Actor.REPORTER
    with pytest.raises(MoveRefused, match="已审核通过并锁定"):
        next_state(State.APPROVED, move, actor, OPEN, reason="x")


def test_it_requires_a_reason_to_return():
    with pytest.raises(MoveRefused, match="退回原因"):
        next_state(State.SUBMITTED, Move.RETURN, Actor.OFFICE, OPEN, reason="  ")


def test_it_keeps_reporters_and_office_in_their_roles():
    with pytest.raises(MoveRefused, match="科协办公室"):
        next_state(State.SUBMITTED, Move.APPROVE, Actor.REPORTER, OPEN)
    with pytest.raises(MoveRefused, match="填报员"):
        next_state(State.DRAFT, Move.SUBMIT, Actor.OFFICE, OPEN)


def test_it_refuses_edits_to_a_submitted_report():
    with pytest.raises(MoveRefused, match="等待科协办公室审核"):
        next_state(State.SUBMITTED, Move.SAVE, Actor.REPORTER, OPEN)


def test_it_closes_a_locked_cycle_unless_an_exception_was_granted():
    with pytest.raises(MoveRefused, match="已锁定"):
        next_state(State.DRAFT, Move.SUBMIT, Actor.REPORTER, LOCKED)
    assert next_state(State.DRAFT, Move.SUBMIT, Actor.REPORTER, EXCEPTED) == State.SUBMITTED
    assert not editable_by_reporter(State.DRAFT, LOCKED)
    assert editable_by_reporter(State.RETURNED, EXCEPTED)


def test_it_lets_the_office_review_after_the_lock():
    assert next_state(State.SUBMITTED, Move.APPROVE, Actor.OFFICE, LOCKED) == State.APPROVED

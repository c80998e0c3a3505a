import datetime as dt
import itertools

import pytest

from kesu.domain.dispatch import (
    DEFAULT_LIMIT_HOURS,
    HELD,
    STATE_LABELS,
    Actor,
    Context,
    Move,
    MoveRefused,
    State,
    Step,
    allowed_moves,
    describe_due,
    due_at,
    needs_reason,
    next_state,
    overdue_by,
    percentile,
    satisfaction,
    step_stats,
    team_after,
    time_in_steps,
)

S, M, A = State, Move, Actor
STAFF = {A.OFFICER, A.OFFICE}
OPEN_UNSERVED = [S.DISPATCHED, S.POOLED, S.CLAIMED, S.ASSIGNED, S.ACCEPTED]

# The whole machine written out once more, independently of the module: (state, move) -> (actors, target).
EXPECTED: dict[tuple[State, Move], tuple[set[Actor], State]] = {
    (S.SUBMITTED, M.REJECT): (STAFF, S.REJECTED),
    (S.SUBMITTED, M.DISPATCH): (STAFF, S.DISPATCHED),
    (S.SUBMITTED, M.POOL): (STAFF, S.POOLED),
    (S.SUBMITTED, M.CANCEL): (STAFF | {A.REQUESTER}, S.CANCELLED),
    (S.DISPATCHED, M.CLAIM): ({A.UNIT}, S.CLAIMED),
    (S.DISPATCHED, M.RELEASE): ({A.UNIT}, S.SUBMITTED),
    (S.CLAIMED, M.RELEASE): ({A.UNIT}, S.SUBMITTED),
    (S.CLAIMED, M.ASSIGN): ({A.UNIT}, S.ASSIGNED),
    (S.ASSIGNED, M.ASSIGN): ({A.UNIT}, S.ASSIGNED),
    (S.ASSIGNED, M.ACCEPT): ({A.TEAM}, S.ACCEPTED),
    (S.POOLED, M.ACCEPT): ({A.TEAM}, S.ACCEPTED),
    (S.ASSIGNED, M.DECLINE): ({A.TEAM}, S.CLAIMED),
    (S.ACCEPTED, M.DECLINE): ({A.TEAM}, S.CLAIMED),  # via a department; to the pool otherwise (tested below)
    (S.ACCEPTED, M.RECORD): ({A.TEAM}, S.SERVED),
    (S.SERVED, M.CONFIRM): ({A.REQUESTER}, S.CLOSED),
    (S.SERVED, M.DISPUTE): ({A.REQUESTER, A.OFFICE}, S.ACCEPTED),
    (S.SERVED, M.CLOSE): ({A.OFFICE}, S.CLOSED),
    (S.REJECTED, M.REOPEN): (STAFF, S.SUBMITTED),
    (S.CANCELLED, M.REOPEN): (STAFF, S.SUBMITTED),
}
for state in OPEN_UNSERVED:
    EXPECTED[(state, M.DISPATCH)] = (STAFF, S.DISPATCHED)
    EXPECTED[(state, M.POOL)] = (STAFF, S.POOLED)
    EXPECTED[(state, M.CANCEL)] = (STAFF | {A.REQUESTER}, S.CANCELLED)

VIA_UNIT = Context(via_unit=True, rating=5)


@pytest.mark.parametrize(("state", "move", "actor"), list(itertools.product(State, Move, Actor)))
def test_it_allows_exactly_the_listed_transitions(state, move, actor):
    expected = EXPECTED.get((state, move))
    if expected is not None and actor in expected[0]:
        assert next_state(state, move, actor, reason="原因", context=VIA_UNIT) == expected[1]
        assert move in allowed_moves(state, [actor])
    else:
        with pytest.raises(MoveRefused) as refused:
            next_state(state, move, actor, reason="原因", context=VIA_UNIT)
        assert str(refused.value), "every refusal explains itself"
        assert move not in allowed_moves(state, [actor])


def test_it_walks_an_order_from_the_resident_to_the_rating():
    state = next_state(S.SUBMITTED, M.DISPATCH, A.OFFICER)
    state = next_state(state, M.CLAIM, A.UNIT)
    state = next_state(state, M.ASSIGN, A.UNIT)
    state = next_state(state, M.ACCEPT, A.TEAM)
    state = next_state(state, M.RECORD, A.TEAM)
    assert next_state(state, M.CONFIRM, A.REQUESTER, context=Context(rating=4)) == S.CLOSED


def test_it_returns_a_declined_order_to_the_department_or_to_the_pool():
    assert next_state(S.ACCEPTED, M.DECLINE, A.TEAM, "人手不足", Context(via_unit=True)) == S.CLAIMED
    assert next_state(S.ACCEPTED, M.DECLINE, A.TEAM, "人手不足", Context(via_unit=False)) == S.POOLED
    assert next_state(S.ASSIGNED, M.DECLINE, A.TEAM, "人手不足") == S.CLAIMED


@pytest.mark.parametrize(("state", "move", "actor"), [
    (S.SUBMITTED, M.REJECT, A.OFFICER), (S.CLAIMED, M.RELEASE, A.UNIT), (S.ASSIGNED, M.DECLINE, A.TEAM),
    (S.SERVED, M.DISPUTE, A.REQUESTER), (S.SERVED, M.CLOSE, A.OFFICE), (S.CANCELLED, M.REOPEN, A.OFFICE),
    (S.POOLED, M.DISPATCH, A.OFFICER), (S.DISPATCHED, M.POOL, A.OFFICE), (S.SUBMITTED, M.CANCEL, A.OFFICER),
])
def test_it_requires_a_reason_for_backwards_and_staff_closing_moves(state, move, actor):
    with pytest.raises(MoveRefused, match="原因"):
        next_state(state, move, actor, reason="  ", context=VIA_UNIT)


def test_it_needs_no_reason_for_a_first_dispatch_or_a_requesters_cancel():
    assert not needs_reason(S.SUBMITTED, M.DISPATCH)
    assert needs_reason(S.DISPATCHED, M.DISPATCH)
    assert next_state(S.SUBMITTED, M.POOL, A.OFFICE) == S.POOLED
    assert next_state(S.ASSIGNED, M.CANCEL, A.REQUESTER) == S.CANCELLED


@pytest.mark.parametrize("rating", [None, 0, 6])
def test_it_requires_a_rating_from_one_to_five(rating):
    with pytest.raises(MoveRefused, match="1—5"):
        next_state(S.SERVED, M.CONFIRM, A.REQUESTER, context=Context(rating=rating))


def test_it_tells_the_losing_team_that_another_team_took_the_order():
    for state in HELD:
        with pytest.raises(MoveRefused, match="已由其他志愿服务队接单"):
            next_state(state, M.ACCEPT, A.TEAM)
    with pytest.raises(MoveRefused, match="已取消"):
        next_state(S.CANCELLED, M.ACCEPT, A.TEAM)
    with pytest.raises(MoveRefused, match="还不能接单"):
        next_state(S.DISPATCHED, M.ACCEPT, A.TEAM)


def test_it_explains_refusals_by_role():
    with pytest.raises(MoveRefused, match="部门"):
        next_state(S.DISPATCHED, M.CLAIM, A.TEAM)
    with pytest.raises(MoveRefused, match="社区/乡镇"):
        next_state(S.SUBMITTED, M.DISPATCH, A.UNIT)
    with pytest.raises(MoveRefused, match="不能再取消"):
        next_state(S.SERVED, M.CANCEL, A.REQUESTER)
    with pytest.raises(MoveRefused, match="已办结"):
        next_state(S.CLOSED, M.DISPUTE, A.REQUESTER, "x")


def test_it_lets_someone_with_several_roles_use_any_of_them():
    assert next_state(S.SUBMITTED, M.DISPATCH, [A.UNIT, A.OFFICER]) == S.DISPATCHED
    assert allowed_moves(S.SERVED, [A.OFFICE, A.REQUESTER]) == [M.CONFIRM, M.DISPUTE, M.CLOSE]


def test_it_tracks_the_one_team_holding_the_order():
    assert team_after(S.CLAIMED, M.ASSIGN, None, 7) == 7
    assert team_after(S.POOLED, M.ACCEPT, None, 9) == 9
    assert team_after(S.ACCEPTED, M.DECLINE, 9) is None
    assert team_after(S.ACCEPTED, M.DISPATCH, 9) is None
    assert team_after(S.ACCEPTED, M.RECORD, 9) == 9
    assert set(STATE_LABELS) == set(State)


# ---------------------------------------------------------------------------- time limits

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_it_sets_each_steps_due_time_from_the_offices_limits():
    assert due_at(S.SUBMITTED, T0) == T0 + dt.timedelta(hours=DEFAULT_LIMIT_HOURS[Step.REVIEW])
    assert due_at(S.POOLED, T0, {Step.ACCEPT: 24}) == T0 + dt.timedelta(hours=24)
    assert due_at(S.ASSIGNED, T0, {Step.ACCEPT: 24}) == T0 + dt.timedelta(hours=24)
    for state in (S.CLOSED, S.REJECTED, S.CANCELLED):
        assert due_at(state, T0) is None


def test_it_does_not_hurry_a_service_before_the_requesters_preferred_date():
    may = dt.datetime(2026, 5, 1, 16, 0, tzinfo=dt.UTC)
    assert due_at(S.ACCEPTED, T0, {Step.SERVE: 72}, serve_not_before=may) == may
    assert due_at(S.ACCEPTED, T0, {Step.SERVE: 72}, serve_not_before=T0) == T0 + dt.timedelta(hours=72)


def test_it_describes_time_left_and_lateness():
    due = T0 + dt.timedelta(hours=5)
    assert describe_due(due, T0) == "剩余 5 小时"
    assert describe_due(due, T0 + dt.timedelta(days=1, hours=6)) == "已超时 1 天"
    assert describe_due(due, due - dt.timedelta(seconds=20)) == "剩余 1 分钟"
    assert overdue_by(due, T0) is None
    assert overdue_by(due, due) == dt.timedelta(0)


# ---------------------------------------------------------------------------- statistics


def test_it_measures_time_in_finished_steps_only():
    h = dt.timedelta(hours=1)
    transitions = [
        (T0, S.SUBMITTED), (T0 + 2 * h, S.POOLED), (T0 + 5 * h, S.ACCEPTED), (T0 + 6 * h, S.POOLED),
        (T0 + 8 * h, S.ACCEPTED), (T0 + 30 * h, S.SERVED),
    ]
    spent = time_in_steps(transitions)
    assert spent == {Step.REVIEW: 7200.0, Step.ACCEPT: 5 * 3600.0, Step.SERVE: 23 * 3600.0}


def test_it_computes_percentiles_like_numpy():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert percentile(values, 50) == 5.5
    assert percentile(values, 90) == pytest.approx(9.1)
    assert percentile([4], 90) == 4
    assert percentile([], 50) is None
    stats = {s.step: s for s in step_stats([{Step.REVIEW: 3600}, {Step.REVIEW: 3 * 3600}])}
    assert (stats[Step.REVIEW].count, stats[Step.REVIEW].median_hours) == (2, 2.0)
    assert stats[Step.CONFIRM].median_hours is None


def test_it_summarises_satisfaction():
    result = satisfaction([5, 4, 3, 5, None])
    assert (result.count, result.mean, result.satisfied_share) == (4, 4.25, 0.75)
    assert result.distribution == {1: 0, 2: 0, 3: 1, 4: 1, 5: 2}
    assert satisfaction([]).mean is None

"""Every write about statistics rounds: do_<verb>_<noun>() in one transaction with its history row. Value sets
carry the version the editor saw; a change made meanwhile is refused (StaleEdit), never silently overwritten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kesu.datasets import events
from kesu.datasets.access import workflow_actor
from kesu.datasets.events import EventKind
from kesu.datasets.models import DataBinding, Round, Submission
from kesu.datasets.respondents import candidates, recipients
from kesu.domain import report_workflow as workflow
from kesu.domain import reporting_periods
from kesu.domain.data_set_templates import TEMPLATES
from kesu.domain.data_sets import Prefill, check_respondent, validate
from kesu.domain.number_text import number_text
from kesu.domain.refusals import Refused
from kesu.notices import outbox
from kesu.org.models import Jurisdiction
from kesu.plans.models import Target

Actor = AbstractBaseUser | None


class StaleEdit(Refused):
    def __init__(self) -> None:
        super().__init__("这份报表在您打开之后已被他人修改或审核，您的修改没有保存。请查看最新内容后再填写。")


class RoundRefused(Refused):
    pass


def _reminder_time(round_: Round) -> dt.datetime:
    tz = timezone.get_default_timezone()
    day = round_.deadline - dt.timedelta(days=round_.remind_days)
    return max(dt.datetime.combine(day, dt.time(9, 0), tzinfo=tz), timezone.now())


@transaction.atomic
def do_open_round(jurisdiction: Jurisdiction, actor: Actor, template: str, period_type: str, year: int, number: int,
                  deadline: dt.date, lock_days: int = 7, remind_days: int = 3) -> Round:
    """A new statistics round of a shipped form for one period (respondents are assigned next)."""
    if template not in TEMPLATES:
        raise RoundRefused("请选择要开启的报表。")
    try:
        period = reporting_periods.Period(reporting_periods.PeriodType(period_type), year, number)
    except ValueError as error:
        raise RoundRefused(f"统计周期不正确：{error}。") from error
    today = timezone.localdate()
    if not 2000 <= year <= today.year + 1:
        raise RoundRefused(f"统计年份应在 2000 年至 {today.year + 1} 年之间。")
    if deadline < today:
        raise RoundRefused("填报截止日期不能早于今天。")
    if Round.objects.filter(jurisdiction=jurisdiction, template=template, period_type=period_type, year=year, number=number).exists():
        raise RoundRefused(f"{jurisdiction.name}已开启{period.label}的{TEMPLATES[template].name}，不能重复开启。")
    tz = timezone.get_default_timezone()
    round_ = Round.objects.create(jurisdiction=jurisdiction, template=template, period_type=period_type, year=year,
                                  number=number, deadline=deadline, lock_days=lock_days, remind_days=remind_days,
                                  locks_at=reporting_periods.lock_time(deadline, lock_days, tz), opened_by=actor)
    events.record(jurisdiction, actor, EventKind.ROUND_OPENED, round=round_, new=f"截止 {deadline:%Y-%m-%d}")
    return round_


@transaction.atomic
def do_assign_respondents(round_: Round, actor: Actor, chosen: Iterable[tuple[str, int]]) -> tuple[int, int]:
    """Make the round's respondents exactly `chosen` (kind, id); returns (added, removed). A respondent must be
    of this jurisdiction and of a kind the form is for; one whose value set was submitted cannot be removed."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    offered = candidates(round_)
    chosen = set(chosen)
    outside = chosen - set(offered)
    if outside:
        raise RoundRefused(f"所选填报对象中有 {len(outside)} 个不属于{round_.jurisdiction.name}或不适用于{round_.definition.name}，未作任何修改。")
    existing = {s.respondent: s for s in round_.submissions.all()}
    removed = [s for key, s in existing.items() if key not in chosen]
    locked = [s.name for s in removed if s.state != workflow.State.DRAFT or s.values]
    if locked:
        raise RoundRefused(f"{'、'.join(locked[:5])}已填报，不能移除，未作任何修改。")
    for submission in removed:
        events.record(round_.jurisdiction, actor, EventKind.UNASSIGNED, round=round_, subject=submission.name)
        submission.delete()
    added = []
    for key in sorted(chosen - set(existing)):
        respondent = offered[key]
        own = key[0] in (Submission.Kind.UNIT, Submission.Kind.TOWNSHIP)  # bases and schools: the office enters them
        added.append(Submission.objects.create(round=round_, kind=key[0], ref_id=key[1], name=respondent.name,
                                               next_reminder_at=_reminder_time(round_) if own else None, **respondent.links))
    if added:
        events.record(round_.jurisdiction, actor, EventKind.ASSIGNED, round=round_,
                      new=f"新增 {len(added)} 个：{'、'.join(s.name for s in added[:10])}{'等' if len(added) > 10 else ''}")
        link = reverse("datasets-mine")
        for submission in added:
            if submission.next_reminder_at is not None:
                outbox.notify(recipients(submission), f"请填报{round_}", f"截止日期 {round_.deadline:%Y-%m-%d}", link)
    return len(added), len(removed)


def _locked(pk: int, expected_version: int | None) -> Submission:
    submission = Submission.objects.select_for_update(of=("self",)).select_related("round__jurisdiction").get(pk=pk)
    if expected_version is not None and submission.version != expected_version:
        raise StaleEdit()
    return submission


def _move(submission: Submission, actor: Actor, move: workflow.Move, reason: str = "") -> workflow.State:
    role = workflow_actor(actor, submission, move) if actor is not None else None
    if role is None:
        raise workflow.MoveRefused("您不能填报或审核这份报表。")
    return workflow.next_state(workflow.State(submission.state), move, role, submission.round.window(), reason)


def _shown(value: float | None) -> str:
    return "" if value is None else number_text(value)


@transaction.atomic
def do_save_values(round_: Round, respondent: tuple[str, int], actor: Actor, expected_version: int,
                   raw: Mapping[str, str], prefills: Mapping[str, Prefill], *, submit: bool = False) -> Submission:
    """Store a respondent's values (a draft may leave blanks; submitting needs every indicator) after the
    form's checks; `prefills` are the system values offered, kept to show which values came from Kesu."""
    assigned = set(Submission.objects.filter(round=round_).values_list("kind", "ref_id"))
    check_respondent(assigned, respondent, _respondent_name(round_, respondent))
    submission = _locked(Submission.objects.get(round=round_, kind=respondent[0], ref_id=respondent[1]).pk, expected_version)
    state = _move(submission, actor, workflow.Move.SAVE)
    definition = round_.definition
    values = validate(definition, raw, complete=submit)
    first, kept = [], []  # values filled for the first time: one history row; changes: one row each
    for indicator in definition.indicators:
        old, new = submission.values.get(indicator.code), values[indicator.code]
        if old == new:
            continue
        from_kesu = indicator.code in prefills and prefills[indicator.code].value == new
        if old is None:
            first.append(indicator.code)
            kept += [indicator.name] if from_kesu else []
        else:
            events.record(round_.jurisdiction, actor, EventKind.SAVED, submission=submission, field=indicator.name,
                          old=_shown(old), new=_shown(new) + ("（系统预填）" if from_kesu else ""))
    if first:
        events.record(round_.jurisdiction, actor, EventKind.SAVED, submission=submission, field=f"填写 {len(first)} 项",
                      new=f"其中系统预填 {len(kept)} 项：{'、'.join(kept)}" if kept else "")
    submission.values = values
    submission.prefills = {code: [p.value, p.source, p.rule] for code, p in prefills.items()}
    if submit:
        state = _move(submission, actor, workflow.Move.SUBMIT)
        submission.submitted_at, submission.next_reminder_at = timezone.now(), None
        events.record(round_.jurisdiction, actor, EventKind.SUBMITTED, submission=submission, new=workflow.STATE_LABELS[state])
    submission.state = state
    submission.version += 1
    submission.save()
    return submission


def _respondent_name(round_: Round, respondent: tuple[str, int]) -> str:
    offered = candidates(round_)
    if respondent in offered:
        return offered[respondent].name
    return f"{dict(Submission.Kind.choices).get(respondent[0], '填报对象')}（编号 {respondent[1]}）"


@transaction.atomic
def do_return_submission(submission: Submission, actor: Actor, expected_version: int, reason: str) -> Submission:
    submission = _locked(submission.pk, expected_version)
    submission.state = _move(submission, actor, workflow.Move.RETURN, reason)
    submission.return_reason, submission.reviewed_at, submission.reviewed_by = reason.strip(), timezone.now(), actor
    own = submission.kind in (Submission.Kind.UNIT, Submission.Kind.TOWNSHIP)
    submission.next_reminder_at = timezone.now() if own and timezone.now() < submission.round.locks_at else None
    submission.version += 1
    submission.save()
    events.record(submission.round.jurisdiction, actor, EventKind.RETURNED, submission=submission, new=reason.strip())
    outbox.notify(recipients(submission), f"{submission.round}被退回：{submission.name}", f"退回原因：{reason.strip()}",
                  reverse("datasets-submission", args=[submission.pk]))
    return submission


@transaction.atomic
def do_approve_submission(submission: Submission, actor: Actor, expected_version: int) -> Submission:
    submission = _locked(submission.pk, expected_version)
    submission.state = _move(submission, actor, workflow.Move.APPROVE)
    submission.reviewed_at, submission.reviewed_by, submission.return_reason = timezone.now(), actor, ""
    submission.version += 1
    submission.save()
    events.record(submission.round.jurisdiction, actor, EventKind.APPROVED, submission=submission, new="已审核通过")
    return submission


def do_send_due_data_reminders(now: dt.datetime | None = None, batch: int = 200) -> int:
    """Remind the respondents of every unsubmitted value set whose reminder is due (claimed row by row with an
    atomic UPDATE, so two workers never remind twice); the next one a day later until the round locks."""
    now = now or timezone.now()
    sent = 0
    due = Submission.objects.filter(next_reminder_at__lte=now, state__in=["draft", "returned"]) \
        .values_list("pk", "next_reminder_at").order_by("next_reminder_at")[:batch]
    for pk, due_at in list(due):
        submission = Submission.objects.select_related("round__jurisdiction").get(pk=pk)
        following = now + dt.timedelta(days=1)
        if following >= submission.round.locks_at:
            following = None
        if not Submission.objects.filter(pk=pk, next_reminder_at=due_at).update(next_reminder_at=following):
            continue
        late = now >= submission.round.due_at
        with transaction.atomic():
            outbox.notify(recipients(submission), f"{'已逾期' if late else '即将截止'}：{submission.round}尚未提交",
                          f"{submission.name}（截止 {submission.round.deadline:%Y-%m-%d}）",
                          reverse("datasets-submission", args=[pk]))
            events.record(submission.round.jurisdiction, None, EventKind.REMINDED, submission=submission)
        sent += 1
    return sent


@transaction.atomic
def do_remind_round(round_: Round, actor: Actor) -> int:
    """催报: notify now every unit and township whose value set is not submitted (draft or returned); returns how many.
    Bases and schools are entered by the office itself."""
    if round_.window().locked:
        raise RoundRefused(f"{round_}已锁定，不再催报。")
    waiting = list(round_.submissions.filter(state__in=["draft", "returned"], kind__in=[Submission.Kind.UNIT, Submission.Kind.TOWNSHIP]))
    for submission in waiting:
        outbox.notify(recipients(submission), f"催报：{round_}尚未提交",
                      f"{submission.name}（截止 {round_.deadline:%Y-%m-%d}）", reverse("datasets-submission", args=[submission.pk]))
    events.record(round_.jurisdiction, actor, EventKind.REMINDED, round=round_, new=f"催报 {len(waiting)} 个填报对象")
    return len(waiting)


@transaction.atomic
def do_set_binding(target: Target, actor: Actor, template: str, code: str) -> DataBinding | None:
    """Count the target from approved statistics (template, indicator/rate/share code), or stop ("" template)."""
    jurisdiction = target.task.section.plan.jurisdiction
    old = DataBinding.objects.filter(target=target).first()
    old_text = f"{TEMPLATES[old.template].name} · {TEMPLATES[old.template].label(old.code)}" if old else ""
    if not template:
        if old:
            old.delete()
            events.record(jurisdiction, actor, EventKind.BINDING_REMOVED, subject=target.indicator, old=old_text)
        return None
    if template not in TEMPLATES or code not in TEMPLATES[template].value_codes():
        raise RoundRefused(f"“{target.indicator}”：所选报表指标不存在。")
    binding, _ = DataBinding.objects.update_or_create(target=target, defaults={"template": template, "code": code,
                                                                               "created_by": actor})
    events.record(jurisdiction, actor, EventKind.BINDING_SET, subject=target.indicator, old=old_text,
                  new=f"{TEMPLATES[template].name} · {TEMPLATES[template].label(code)}")
    return binding

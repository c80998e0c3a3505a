"""Every write in tracking: do_<verb>_<noun>() under one transaction, refusing stale or disallowed changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from kesu.domain import report_workflow as workflow
from kesu.domain.campaign_rules import participants_of
from kesu.domain.evidence_rules import EvidenceRefused, check_evidence
from kesu.domain.number_bounds import RUBRIC_POINTS, SCORE_ADJUSTMENT, TARGET_VALUE
from kesu.domain.refusals import Refused
from kesu.domain.reporting_periods import Period, PeriodType
from kesu.notices import outbox
from kesu.org.access import is_office_admin, reporter_unit_ids
from kesu.org.models import Membership, MemberUnit
from kesu.org.unit_recipients import with_extra_recipients
from kesu.plans.access import ensure_plan_open
from kesu.plans.models import Plan, Responsibility, Target
from kesu.tracking import cycle_items, events
from kesu.tracking.models import (
    Activity,
    ActivityAudience,
    Contribution,
    Evidence,
    ItemReport,
    LockException,
    ManualScore,
    Report,
    ReportingCycle,
    Rubric,
    RubricItem,
    ScoreAdjustment,
    TargetValue,
)
from kesu.tracking.rubric_sources import available_kinds

Actor = AbstractBaseUser | None
AnyReport = Report | ItemReport

__all__ = ["Draft", "EvidenceRefused", "StaleReport", "workflow"]


class StaleReport(Refused):
    def __init__(self) -> None:
        super().__init__("这份报告在您打开之后已被他人修改，您的修改没有保存。请查看最新内容后再提交（您填写的内容仍保留在表单中）。")


class CycleRefused(Refused):
    pass


# ---------------------------------------------------------------------------- cycles


@transaction.atomic
def do_open_cycle(
    plan: Plan, actor: Actor, period_type: str, year: int, number: int, deadline: dt.date,
    lock_days: int = 7, remind_days: int = 3,
) -> ReportingCycle:
    """Open a reporting cycle: every lead unit gets one report per measure it leads."""
    ensure_plan_open(plan)
    period = Period(PeriodType(period_type), year, number)
    if not plan.period_start <= year <= plan.period_end:
        raise CycleRefused(f"{year}年不在方案实施期（{plan.period_start}—{plan.period_end}年）内。")
    if deadline < period.starts_on:
        raise CycleRefused(f"截止日期不能早于{period.label}的开始日期 {period.starts_on:%Y-%m-%d}。")
    cycle = ReportingCycle(
        plan=plan, period_type=period_type, year=year, number=number, deadline=deadline,
        lock_days=lock_days, remind_days=remind_days, opened_by=actor if actor and actor.is_authenticated else None,
    )
    cycle.locks_at = cycle.compute_locks_at()
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError as error:
        raise CycleRefused(f"{period.label}的填报已经开启过。") from error
    leads = (
        Responsibility.objects.filter(section__plan=plan, task__isnull=False, role=Responsibility.Role.LEAD)
        .exclude(unit__stands_for_all=True)
        .values_list("task_id", "unit_id")
        .distinct()
    )
    Report.objects.bulk_create(
        Report(cycle=cycle, task_id=task_id, unit_id=unit_id, next_reminder_at=cycle.first_reminder_at)
        for task_id, unit_id in leads
    )
    events.cycle_opened(cycle, actor, len(leads))
    do_add_due_items(cycle, actor)
    _announce_cycle(cycle)
    return cycle


@transaction.atomic
def do_add_due_items(cycle: ReportingCycle, actor: Actor) -> int:
    """Create the item reports (年度工作要点, 议定事项… from kesu.tracking.cycle_items) due in the cycle, one per
    item and lead unit of the plan's jurisdiction; those already there are kept as they are. Returns how many
    were created (on opening the cycle, and again when items are added while it is open)."""
    units = set(MemberUnit.objects.filter(jurisdiction_id=cycle.plan.jurisdiction_id).values_list("pk", flat=True))
    existing = set(ItemReport.objects.filter(cycle=cycle).values_list("source", "source_id", "unit_id"))
    new: list[ItemReport] = []
    counts: dict[str, int] = {}
    for name, items in cycle_items.due_items(cycle).items():
        for item in items:
            for unit_id in item.lead_unit_ids:
                if unit_id in units and (name, item.source_id, unit_id) not in existing:
                    existing.add((name, item.source_id, unit_id))
                    new.append(ItemReport(cycle=cycle, unit_id=unit_id, source=name, source_id=item.source_id, title=item.title,
                                          next_reminder_at=cycle.first_reminder_at))
                    counts[cycle_items.label_of(name)] = counts.get(cycle_items.label_of(name), 0) + 1
    ItemReport.objects.bulk_create(new)
    if new:
        events.items_added(cycle, actor, counts)
    return len(new)


@transaction.atomic
def do_add_due_items_to_open_cycles(plans: QuerySet[Plan], actor: Actor, year: int | None = None) -> int:
    """Items added or changed while cycles are open (a work point, a decision, new lead units) join every cycle of
    these plans that still takes reports (not locked, plan not ended), of `year` if given. Returns how many."""
    cycles = ReportingCycle.objects.filter(plan__in=plans, locks_at__gt=timezone.now()).exclude(plan__status=Plan.Status.ENDED)
    if year is not None:
        cycles = cycles.filter(year=year)
    return sum(do_add_due_items(cycle, actor) for cycle in cycles.select_related("plan"))


@transaction.atomic
def do_withdraw_items(plan: Plan, source: str, source_ids: list[int], actor: Actor) -> int:
    """An item (work point, decision…) was removed: its item reports in the plan's cycles that were never submitted
    go with it; submitted ones stay, with their history. Returns how many were removed."""
    drafts = ItemReport.objects.filter(cycle__plan=plan, source=source, source_id__in=source_ids, first_submitted_at__isnull=True)
    titles = sorted({title for title in drafts.values_list("title", flat=True)})
    removed, _ = drafts.delete()
    if removed:
        events.items_withdrawn(plan, actor, cycle_items.label_of(source), titles, removed)
    return removed


def _announce_cycle(cycle: ReportingCycle) -> None:
    """Tell every unit of the plan that the cycle is open: what it leads (to report) and what it supports."""
    roles = (
        Responsibility.objects.filter(section__plan=cycle.plan, task__isnull=False)
        .exclude(unit__stands_for_all=True).values_list("unit_id", "role", "task_id").distinct()
    )
    counts: dict[int, dict[str, set[int]]] = {}
    for unit_id, role, task_id in roles:
        counts.setdefault(unit_id, {}).setdefault(role, set()).add(task_id)
    items: dict[int, dict[str, int]] = {}  # unit → source → its item reports (年度工作要点, 议定事项…)
    for unit_id, source in ItemReport.objects.filter(cycle=cycle).values_list("unit_id", "source"):
        items.setdefault(unit_id, {}).setdefault(source, 0)
        items[unit_id][source] += 1
    link = reverse("tracking-my-reports", args=[cycle.plan_id])
    for unit in MemberUnit.objects.filter(pk__in=set(counts) | set(items)).order_by("name"):
        parts = [f"{label} {len(counts[unit.pk][role])} 项措施" for role, label in
                 ((Responsibility.Role.LEAD, "本单位牵头"), (Responsibility.Role.SUPPORT, "配合"))
                 if counts.get(unit.pk, {}).get(role)]
        parts += [f"{cycle_items.label_of(source)} {n} 项" for source, n in sorted(items.get(unit.pk, {}).items())]
        body = f"{'，'.join(parts)}。请在 {cycle.deadline:%Y-%m-%d} 前填报。"
        _notify_unit(unit, cycle.plan, f"{cycle}填报已开启", body, link)


@transaction.atomic
def do_grant_exception(cycle: ReportingCycle, unit: MemberUnit, actor: Actor, until: dt.datetime, reason: str) -> LockException:
    ensure_plan_open(cycle.plan)
    if not reason.strip():
        raise CycleRefused("开通补报必须填写原因。")
    if until <= timezone.now():
        raise CycleRefused("补报截止时间应晚于现在。")
    exception = LockException.objects.create(cycle=cycle, unit=unit, until=until, reason=reason.strip(), granted_by=actor)
    events.exception_granted(exception, actor)
    _notify_unit(unit, cycle.plan, f"已为本单位开通{cycle}补报", f"补报截止：{until:%Y-%m-%d %H:%M}。{reason}",
                 reverse("tracking-my-reports", args=[cycle.plan_id]))
    return exception


# ---------------------------------------------------------------------------- reports


def _actor_role(report: AnyReport, actor: Actor) -> workflow.Actor | None:
    if actor is None:
        return None
    if report.unit_id in reporter_unit_ids(actor, report.cycle.plan.jurisdiction):
        return workflow.Actor.REPORTER
    if is_office_admin(actor, report.cycle.plan.jurisdiction):
        return workflow.Actor.OFFICE
    return None


def _heading_relations(model: type[AnyReport]) -> tuple[str, ...]:
    """What to select_related for a report's heading: a measure's report names its measure."""
    return ("task",) if model is Report else ()


def _locked_report(report: AnyReport, expected_version: int | None) -> AnyReport:
    related = ("cycle__plan__jurisdiction", "unit") + _heading_relations(type(report))
    fresh = type(report).objects.select_for_update(of=("self",)).select_related(*related).get(pk=report.pk)
    ensure_plan_open(fresh.cycle.plan)  # every report write (save, submit, review, contribution, evidence)
    if expected_version is not None and fresh.version != expected_version:
        raise StaleReport()
    return fresh


def _move(report: AnyReport, actor: Actor, move: workflow.Move, reason: str = "") -> workflow.State:
    role = _actor_role(report, actor)
    if role is None:
        raise workflow.MoveRefused("您无权操作这份报告。")
    return workflow.next_state(workflow.State(report.state), move, role, report.window(), reason)


def _format_value(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@transaction.atomic
def do_save_report(
    report: Report, actor: Actor, expected_version: int, progress: str, summary: str,
    values: Mapping[int, float | None],
) -> Report:
    """Save a draft: progress status, what was done, and the current value of each target of the measure."""
    report = _locked_report(report, expected_version)
    changes = _save_text(report, actor, progress, summary)
    targets = {t.pk: t for t in Target.objects.filter(task_id=report.task_id)}
    current = {v.target_id: v for v in report.values.all()}
    for target_id, value in values.items():
        target = targets.get(target_id)
        if target is None:
            continue
        refusal = TARGET_VALUE.refusal(target.indicator, value) if value is not None else None
        if refusal:
            raise workflow.MoveRefused(refusal)
        old = current.get(target_id)
        if value is None and old is not None:
            old.delete()
        elif value is not None and old is None:
            TargetValue.objects.create(report=report, target=target, value=value)
        elif value is not None and old is not None and old.value != value:
            TargetValue.objects.filter(pk=old.pk).update(value=value)
        else:
            continue
        changes.append((f"目标值：{target.indicator}", _format_value(old.value if old else None), _format_value(value)))
    report.version += 1
    report.save(update_fields=["progress", "summary", "version", "updated_at"])
    events.report_saved(report, actor, changes)
    return report


def _save_text(report: AnyReport, actor: Actor, progress: str, summary: str) -> list[tuple[str, object, object]]:
    """Check the save move and set progress and text on the locked report; the changes, for the history."""
    _move(report, actor, workflow.Move.SAVE)
    changes: list[tuple[str, object, object]] = []
    if progress != report.progress:
        changes.append(("推进状态", report.get_progress_display(), Report.Progress(progress).label))
    if summary != report.summary:
        changes.append(("工作进展", report.summary, summary))
    report.progress, report.summary = progress, summary
    return changes


@transaction.atomic
def do_save_item_report(report: ItemReport, actor: Actor, expected_version: int, progress: str, summary: str) -> ItemReport:
    """Save a draft of an item report (年度工作要点, 议定事项…): progress status and what was done."""
    report = _locked_report(report, expected_version)
    changes = _save_text(report, actor, progress, summary)
    report.version += 1
    report.save(update_fields=["progress", "summary", "version", "updated_at"])
    events.report_saved(report, actor, changes)
    return report


def _submit(report: AnyReport, actor: Actor, expected_version: int) -> AnyReport:
    report = _locked_report(report, expected_version)
    resubmitted = report.state == workflow.State.RETURNED
    report.state = _move(report, actor, workflow.Move.SUBMIT)
    now = timezone.now()
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.next_reminder_at = None  # submitted: no more reminders (a returned report is not reminded again)
    report.version += 1
    report.save(update_fields=["state", "submitted_at", "first_submitted_at", "next_reminder_at", "version", "updated_at"])
    events.report_submitted(report, actor, resubmitted)
    verb = "已重新提交" if resubmitted else "提交了"
    _notify_office(report.cycle.plan, f"{report.unit.name}{verb}{report.cycle}报告", report.heading, report.get_absolute_url())
    return report


def _review(report: AnyReport, actor: Actor, move: workflow.Move, expected_version: int | None, reason: str = "") -> AnyReport:
    """Return (with the reason) or approve a submitted report; the unit is told either way."""
    report = _locked_report(report, expected_version)
    report.state = _move(report, actor, move, reason)
    report.return_reason = reason.strip() if move == workflow.Move.RETURN else ""
    report.reviewed_at, report.reviewed_by = timezone.now(), actor
    report.version += 1
    report.save(update_fields=["state", "return_reason", "reviewed_at", "reviewed_by", "version", "updated_at"])
    if move == workflow.Move.RETURN:
        events.report_returned(report, actor, report.return_reason)
        title, body = f"{report.cycle}报告被退回：{report.heading}", f"退回原因：{report.return_reason}"
    else:
        events.report_approved(report, actor)
        title, body = f"{report.cycle}报告已审核通过：{report.heading}", ""
    _notify_unit(report.unit, report.cycle.plan, title, body, report.get_absolute_url())
    return report


@transaction.atomic
def do_submit_report(report: Report, actor: Actor, expected_version: int) -> Report:
    return _submit(report, actor, expected_version)


@transaction.atomic
def do_return_report(report: Report, actor: Actor, reason: str) -> Report:
    return _review(report, actor, workflow.Move.RETURN, None, reason)


@transaction.atomic
def do_approve_report(report: Report, actor: Actor, expected_version: int | None = None) -> Report:
    return _review(report, actor, workflow.Move.APPROVE, expected_version)


@transaction.atomic
def do_submit_item_report(report: ItemReport, actor: Actor, expected_version: int) -> ItemReport:
    return _submit(report, actor, expected_version)


@transaction.atomic
def do_return_item_report(report: ItemReport, actor: Actor, reason: str) -> ItemReport:
    return _review(report, actor, workflow.Move.RETURN, None, reason)


@transaction.atomic
def do_approve_item_report(report: ItemReport, actor: Actor, expected_version: int | None = None) -> ItemReport:
    return _review(report, actor, workflow.Move.APPROVE, expected_version)


def _report_name(report: Report) -> str:
    return f"{report.unit.name} · {report.task.title}"


@transaction.atomic
def do_approve_reports(cycle: ReportingCycle, actor: Actor, chosen: Mapping[int, int]) -> list[Report]:
    """Approve the chosen reports of the cycle (report id → the version the office saw), all or none.

    Each approval is the single approval with its own history row and notice; a report of another cycle,
    one that is not submitted or one changed since the page was loaded refuses the whole batch, by name.
    """
    ensure_plan_open(cycle.plan)
    if not chosen:
        raise CycleRefused("请先勾选要审核通过的报告。")
    reports = list(
        Report.objects.select_for_update(of=("self",)).filter(pk__in=list(chosen))
        .select_related("cycle__plan__jurisdiction", "unit", "task").order_by("pk")
    )
    problems = [f"有 {len(chosen) - len(reports)} 份报告不存在"] if len(reports) != len(chosen) else []
    for report in reports:
        if report.cycle_id != cycle.pk:
            problems.append(f"{_report_name(report)}（不属于{cycle}）")
        elif report.version != chosen[report.pk]:
            problems.append(f"{_report_name(report)}（在您打开页面之后已有变动，请查看后再审核）")
        elif report.state != workflow.State.SUBMITTED:
            problems.append(f"{_report_name(report)}（{report.state_label}，不是待审核状态）")
    if problems:
        raise CycleRefused("以下报告不能批量通过，本次未做任何改动：" + "；".join(problems) + "。")
    return [do_approve_report(report, actor, report.version) for report in reports]


@transaction.atomic
def do_urge_units(cycle: ReportingCycle, actor: Actor, unit_ids: list[int]) -> int:
    """催报: a notice (and e-mail after commit) to the reporters of each chosen unit that still has reports to
    submit in the cycle, recorded in the history; units that have submitted everything refuse the whole batch.
    Returns how many people were notified."""
    ensure_plan_open(cycle.plan)
    if not unit_ids:
        raise CycleRefused("请先勾选要催报的单位。")
    pending: dict[int, int] = {}
    for unit_id, state in Report.objects.filter(cycle=cycle, unit_id__in=unit_ids).values_list("unit_id", "state"):
        pending.setdefault(unit_id, 0)
        pending[unit_id] += state in (workflow.State.DRAFT, workflow.State.RETURNED)
    units = MemberUnit.objects.in_bulk(unit_ids)
    problems = [f"单位编号 {pk} 不在本期填报中" for pk in unit_ids if pk not in pending]
    problems += [f"{units[pk].name}已全部提交" for pk in sorted(pending, key=lambda pk: units[pk].name) if not pending[pk]]
    if problems:
        raise CycleRefused("不能催报：" + "；".join(problems) + "。本次未发送任何提醒。")
    link = reverse("tracking-my-reports", args=[cycle.plan_id])
    notified = 0
    for pk in sorted(pending, key=lambda pk: units[pk].name):
        recipients = _notify_unit(units[pk], cycle.plan, f"催报：{cycle}进展报告尚未提交",
                                  f"本单位还有 {pending[pk]} 份报告未提交，截止 {cycle.deadline:%Y-%m-%d}，请尽快填报。", link)
        events.unit_urged(cycle, actor, units[pk].name, pending[pk], recipients)
        notified += recipients
    return notified


@transaction.atomic
def do_save_contribution(report: Report, unit: MemberUnit, actor: Actor, text: str, expected_version: int | None) -> Contribution:
    report = _locked_report(report, None)
    if report.state == workflow.State.APPROVED or not report.window().open:
        raise workflow.MoveRefused("该报告已审核通过或本期已锁定，不能再填写配合情况。")
    contribution = Contribution.objects.select_for_update().filter(report=report, unit=unit).first()
    if contribution is None:
        contribution = Contribution.objects.create(report=report, unit=unit, text=text, updated_by=actor)
        events.contribution_saved(report, actor, unit.name, "", text)
        return contribution
    if expected_version is not None and contribution.version != expected_version:
        raise StaleReport()
    old = contribution.text
    contribution.text, contribution.updated_by = text, actor
    contribution.version = F("version") + 1
    contribution.save(update_fields=["text", "updated_by", "version", "updated_at"])
    contribution.refresh_from_db(fields=["version"])
    events.contribution_saved(report, actor, unit.name, old, text)
    return contribution


@dataclass(frozen=True)
class Draft:
    """What a reporter typed in the report form (saved along with an upload, so the text is never lost)."""

    version: int
    progress: str
    summary: str
    values: Mapping[int, float | None]


@transaction.atomic
def do_add_evidence(report: Report, actor: Actor, upload: UploadedFile, is_public: bool, draft: Draft | None = None) -> Evidence:
    """Attach a file to the report; with `draft`, first save what the reporter typed (all or nothing)."""
    if draft is not None:
        report = do_save_report(report, actor, draft.version, draft.progress, draft.summary, draft.values)
    report = _locked_report(report, None)
    _move(report, actor, workflow.Move.SAVE)
    head = upload.read(16)
    upload.seek(0)
    content_type = check_evidence(upload.name, upload.size, head, settings.KESU_MAX_EVIDENCE)
    evidence = Evidence.objects.create(
        report=report, unit=report.unit, file=upload, original_name=upload.name, content_type=content_type,
        size=upload.size, is_public=is_public, uploaded_by=actor,
    )
    events.evidence_added(report, actor, upload.name)
    return evidence


@transaction.atomic
def do_remove_evidence(evidence: Evidence, actor: Actor, draft: Draft | None = None) -> None:
    """Remove a file from the report; with `draft`, first save what the reporter typed."""
    report = evidence.report
    if draft is not None:
        report = do_save_report(report, actor, draft.version, draft.progress, draft.summary, draft.values)
    report = _locked_report(report, None)
    _move(report, actor, workflow.Move.SAVE)
    name = evidence.original_name
    evidence.file.delete(save=False)
    evidence.delete()
    events.evidence_removed(report, actor, name)


@transaction.atomic
def do_record_activity(plan: Plan, unit: MemberUnit | None, actor: Actor, data: dict, uploads: list[UploadedFile],
                       audiences: Mapping[str, int] | None = None, held_by: str = "") -> Activity:
    """Record an activity with its photos/materials. With `audiences` (group → participants) the participants are
    their sum (a differing head count is refused). `unit` is None for a township's activity; `held_by` names it."""
    ensure_plan_open(plan)
    audiences = {group: n for group, n in (audiences or {}).items() if n is not None}
    participants = participants_of(data.get("participants"), audiences)  # refuses a head count that contradicts them
    checked = []
    for upload in uploads:
        head = upload.read(16)
        upload.seek(0)
        checked.append((upload, check_evidence(upload.name, upload.size, head, settings.KESU_MAX_EVIDENCE)))
    activity = Activity.objects.create(plan=plan, unit=unit, reported_by=actor, **(data | {"participants": participants}))
    ActivityAudience.objects.bulk_create(ActivityAudience(activity=activity, group=group, participants=n)
                                         for group, n in audiences.items())
    for upload, content_type in checked:
        Evidence.objects.create(
            activity=activity, unit=unit, file=upload, original_name=upload.name, content_type=content_type,
            size=upload.size, uploaded_by=actor,
        )
    events.activity_recorded(plan, actor, f"{held_by or unit.name}：{activity.title}")
    return activity


# ---------------------------------------------------------------------------- notices and reminders


def _notify(users, title: str, body: str, link: str) -> int:
    """In-app notice for each user; e-mail and every KESU_NOTIFIERS channel through the outbox, after commit."""
    return outbox.notify(users, title, body, link)


def _unit_reporters(unit: MemberUnit):
    """The unit's reporters, then the accounts other apps name for it (e.g. its liaison: kesu.org.unit_recipients)."""
    reporters = [m.user for m in Membership.objects.filter(unit=unit, role=Membership.Role.UNIT_REPORTER).select_related("user")]
    return with_extra_recipients(unit, reporters)


def _notify_unit(unit: MemberUnit, plan: Plan, title: str, body: str, link: str) -> int:
    return _notify(_unit_reporters(unit), title, body, link)


def _notify_office(plan: Plan, title: str, body: str, link: str) -> int:
    admins = Membership.objects.filter(jurisdiction=plan.jurisdiction, role=Membership.Role.OFFICE_ADMIN).select_related("user")
    return _notify([m.user for m in admins], title, body, link)


def do_send_due_reminders(now: dt.datetime | None = None, batch: int = 200) -> int:
    """Remind the reporters (and liaison) of every unsubmitted report whose reminder is due, measures' reports and
    item reports (年度工作要点, 议定事项…) alike; returns reminders sent.

    Rows are claimed one by one with an atomic UPDATE on next_reminder_at, so two workers never remind twice.
    The next reminder is a day later while the cycle is open; none once it has locked or the plan has ended.
    """
    now = now or timezone.now()
    return sum(_send_due_reminders(model, now, batch) for model in (Report, ItemReport))


def _send_due_reminders(model: type[AnyReport], now: dt.datetime, batch: int) -> int:
    sent = 0
    due = (
        model.objects.filter(next_reminder_at__lte=now, state__in=["draft", "returned"])
        .values_list("pk", "next_reminder_at")
        .order_by("next_reminder_at")[:batch]
    )
    for pk, due_at in list(due):
        report = model.objects.select_related("cycle__plan", "unit", *_heading_relations(model)).get(pk=pk)
        ended = report.cycle.plan.is_ended  # read-only (kesu.plans.access): nothing more to report
        following = now + dt.timedelta(days=1)
        if ended or following >= report.cycle.locks_at:
            following = None
        claimed = model.objects.filter(pk=pk, next_reminder_at=due_at).update(next_reminder_at=following)
        if not claimed or ended:
            continue
        overdue = now >= report.cycle.due_at
        title = f"{'已逾期' if overdue else '即将截止'}：{report.cycle}{model._meta.verbose_name}尚未提交"
        body = f"{_reminder_subject(report)}（截止 {report.cycle.deadline:%Y-%m-%d}）"
        with transaction.atomic():
            recipients = _notify_unit(report.unit, report.cycle.plan, title, body, report.get_absolute_url())
            events.reminder_sent(report, recipients)
        sent += 1
    return sent


def _reminder_subject(report: AnyReport) -> str:
    """The measure, or the item with its kind: 年度工作要点：…"""
    if isinstance(report, ItemReport):
        return f"{cycle_items.label_of(report.source)}：{report.heading}"
    return report.heading


@transaction.atomic
def do_stop_reminders(plan: Plan) -> int:
    """The plan has ended (read-only): none of its reports, measures' or items', is reminded any more; how many."""
    return sum(model.objects.filter(cycle__plan=plan, next_reminder_at__isnull=False).update(next_reminder_at=None)
               for model in (Report, ItemReport))


# ---------------------------------------------------------------------------- assessment


class ScoreRefused(Refused):
    pass


@transaction.atomic
def do_save_rubric(rubric: Rubric, actor: Actor, expected_version: int, items: list[tuple[str, str, float]]) -> None:
    """Replace the rubric's items (kind, label, points). Manual scores of removed items go with them."""
    ensure_plan_open(rubric.plan)
    if not items:
        raise ScoreRefused("考核细则至少要有一个项目。")
    for kind, label, points in items:
        if kind not in available_kinds() or not label.strip():
            raise ScoreRefused(f"考核项目“{label}”不完整：需要名称、计分方式和分值。")
        refusal = RUBRIC_POINTS.refusal(f"{label.strip()}的分值", points)
        if refusal:
            raise ScoreRefused(refusal)
    updated = Rubric.objects.filter(pk=rubric.pk, version=expected_version).update(version=F("version") + 1)
    if not updated:
        raise ScoreRefused("考核细则已被他人修改，请刷新后重试。")
    before = "；".join(f"{i.label} {i.points:g}" for i in rubric.items.all())
    existing = list(rubric.items.all())
    for position, (kind, label, points) in enumerate(items):
        if position < len(existing):
            RubricItem.objects.filter(pk=existing[position].pk).update(kind=kind, label=label.strip(), points=points, position=position)
        else:
            RubricItem.objects.create(rubric=rubric, position=position, kind=kind, label=label.strip(), points=points)
    for extra in existing[len(items):]:
        extra.delete()
    after = "；".join(f"{label.strip()} {points:g}" for _, label, points in items)
    events.rubric_saved(rubric.plan, actor, rubric.year, before, after)


@transaction.atomic
def do_set_manual_score(item: RubricItem, unit: MemberUnit, actor: Actor, points: float, reason: str) -> None:
    ensure_plan_open(item.rubric.plan)
    if not reason.strip():
        raise ScoreRefused("人工评分必须填写理由。")
    if not 0 <= points <= item.points:
        raise ScoreRefused(f"“{item.label}”的得分应在 0 到 {item.points:g} 之间。")
    old = ManualScore.objects.filter(item=item, unit=unit).values_list("points", flat=True).first()
    ManualScore.objects.update_or_create(item=item, unit=unit, defaults={"points": points, "reason": reason.strip()})
    events.manual_score_set(item.rubric.plan, actor, f"{item.rubric.year}年度 {unit.name} {item.label}（{reason.strip()}）", old, points)


@transaction.atomic
def do_adjust_score(rubric: Rubric, unit: MemberUnit, actor: Actor, delta: float, reason: str) -> ScoreAdjustment:
    ensure_plan_open(rubric.plan)
    if not reason.strip():
        raise ScoreRefused("调整得分必须填写理由。")
    if delta == 0:
        raise ScoreRefused("调整分值不能为 0。")
    refusal = SCORE_ADJUSTMENT.refusal("加减分", delta)
    if refusal:
        raise ScoreRefused(refusal)
    adjustment = ScoreAdjustment.objects.create(rubric=rubric, unit=unit, delta=delta, reason=reason.strip(), by=actor)
    events.score_adjusted(rubric.plan, actor, f"{rubric.year}年度 {unit.name}", delta, reason.strip())
    return adjustment

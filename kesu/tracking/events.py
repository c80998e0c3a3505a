"""One function per tracking event; each writes TrackingEvent rows — the history of reports, values and scores."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from kesu.plans import data_version
from kesu.plans.models import Plan
from kesu.tracking.models import (
    ItemReport,
    LockException,
    Report,
    ReportingCycle,
    SummaryDocument,
    TrackingEvent,
)

Actor = AbstractBaseUser | None


class EventKind(models.TextChoices):
    """Every kind of tracking history row (TrackingEvent.kind), with its Chinese name."""

    CYCLE_OPENED = "cycle_opened", "开启填报"
    ITEMS_ADDED = "items_added", "加入填报事项"
    ITEMS_WITHDRAWN = "items_withdrawn", "撤下填报事项"
    REPORT_SAVED = "report_saved", "保存报告"
    REPORT_SUBMITTED = "report_submitted", "提交报告"
    REPORT_RETURNED = "report_returned", "退回报告"
    REPORT_APPROVED = "report_approved", "审核通过"
    EVIDENCE_ADDED = "evidence_added", "上传佐证"
    EVIDENCE_REMOVED = "evidence_removed", "删除佐证"
    CONTRIBUTION_SAVED = "contribution_saved", "配合单位填报"
    EXCEPTION_GRANTED = "exception_granted", "开通补报"
    REMINDER_SENT = "reminder_sent", "发送提醒"
    UNITS_URGED = "units_urged", "催报"
    ACTIVITY_RECORDED = "activity_recorded", "登记活动"
    RUBRIC_SAVED = "rubric_saved", "修改考核细则"
    MANUAL_SCORE_SET = "manual_score_set", "人工评分"
    SCORE_ADJUSTED = "score_adjusted", "调整得分"
    # The yearly summaries (工作总结): background work the office can retry or cancel.
    SUMMARY_REQUESTED = "summary_requested", "申请生成工作总结"
    SUMMARY_RETRIED = "summary_retried", "重新生成工作总结"
    SUMMARY_CANCELLED = "summary_cancelled", "取消生成工作总结"
    SUMMARY_FAILED = "summary_failed", "工作总结生成失败"


def label_of(kind: str) -> str:
    """The Chinese name of a stored kind (an unknown one is shown as stored)."""
    try:
        return EventKind(kind).label
    except ValueError:
        return kind


AnyReport = Report | ItemReport


def _record(plan: Plan, actor: Actor, kind: EventKind, *, report: AnyReport | None = None, subject: str = "",
            field: str = "", old: object = "", new: object = "") -> None:
    """One history row; a measure's report and an item report (kesu.tracking.cycle_items) alike."""
    item = report if isinstance(report, ItemReport) else None
    TrackingEvent.objects.create(
        plan=plan, report=None if item else report, item_report=item, actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
        kind=kind, subject=subject[:300], field=field, old="" if old is None else str(old), new="" if new is None else str(new),
    )
    data_version.bump(plan.pk)  # cached dashboards, report lists and roll-ups of the plan show the change


def _report_subject(report: AnyReport) -> str:
    return f"{report.cycle} · {report.unit.name} · {report.heading}"


def cycle_opened(cycle: ReportingCycle, actor: Actor, report_count: int) -> None:
    _record(cycle.plan, actor, EventKind.CYCLE_OPENED, subject=str(cycle), new=f"截止 {cycle.deadline:%Y-%m-%d}，{report_count} 份报告")


def items_added(cycle: ReportingCycle, actor: Actor, counts: dict[str, int]) -> None:
    """Item reports (年度工作要点, 议定事项…) created in the cycle, per label."""
    _record(cycle.plan, actor, EventKind.ITEMS_ADDED, subject=str(cycle),
            new="，".join(f"{label} {n} 份" for label, n in counts.items()))


def items_withdrawn(plan: Plan, actor: Actor, label: str, titles: list[str], count: int) -> None:
    _record(plan, actor, EventKind.ITEMS_WITHDRAWN, subject=f"{label}：{'；'.join(titles)}", new=f"删除未提交的报告 {count} 份")


def report_saved(report: AnyReport, actor: Actor, changes: list[tuple[str, object, object]]) -> None:
    for field, old, new in changes:
        _record(report.cycle.plan, actor, EventKind.REPORT_SAVED, report=report, subject=_report_subject(report),
                field=field, old=old, new=new)


def report_submitted(report: AnyReport, actor: Actor, resubmitted: bool = False) -> None:
    _record(report.cycle.plan, actor, EventKind.REPORT_SUBMITTED, report=report, subject=_report_subject(report),
            new="已重新提交" if resubmitted else "")


def report_returned(report: AnyReport, actor: Actor, reason: str) -> None:
    _record(report.cycle.plan, actor, EventKind.REPORT_RETURNED, report=report, subject=_report_subject(report), new=reason)


def report_approved(report: AnyReport, actor: Actor) -> None:
    _record(report.cycle.plan, actor, EventKind.REPORT_APPROVED, report=report, subject=_report_subject(report))


def evidence_added(report: Report, actor: Actor, name: str) -> None:
    _record(report.cycle.plan, actor, EventKind.EVIDENCE_ADDED, report=report, subject=_report_subject(report), new=name)


def evidence_removed(report: Report, actor: Actor, name: str) -> None:
    _record(report.cycle.plan, actor, EventKind.EVIDENCE_REMOVED, report=report, subject=_report_subject(report), old=name)


def contribution_saved(report: Report, actor: Actor, unit_name: str, old: str, new: str) -> None:
    _record(report.cycle.plan, actor, EventKind.CONTRIBUTION_SAVED, report=report, subject=_report_subject(report),
            field=unit_name, old=old, new=new)


def exception_granted(exception: LockException, actor: Actor) -> None:
    _record(exception.cycle.plan, actor, EventKind.EXCEPTION_GRANTED, subject=f"{exception.cycle} · {exception.unit.name}",
            new=f"补报至 {exception.until:%Y-%m-%d %H:%M}：{exception.reason}")


def reminder_sent(report: AnyReport, recipients: int) -> None:
    _record(report.cycle.plan, None, EventKind.REMINDER_SENT, report=report, subject=_report_subject(report), new=f"{recipients} 人")


def unit_urged(cycle: ReportingCycle, actor: Actor, unit_name: str, pending: int, recipients: int) -> None:
    _record(cycle.plan, actor, EventKind.UNITS_URGED, subject=f"{cycle} · {unit_name}",
            new=f"{pending} 份未提交，提醒 {recipients} 人")


def activity_recorded(plan: Plan, actor: Actor, title: str) -> None:
    _record(plan, actor, EventKind.ACTIVITY_RECORDED, subject=title)


def rubric_saved(plan: Plan, actor: Actor, year: int, old: str, new: str) -> None:
    _record(plan, actor, EventKind.RUBRIC_SAVED, subject=f"{year}年度考核细则", old=old, new=new)


def manual_score_set(plan: Plan, actor: Actor, subject: str, old: object, new: object) -> None:
    _record(plan, actor, EventKind.MANUAL_SCORE_SET, subject=subject, old=old, new=new)


def score_adjusted(plan: Plan, actor: Actor, subject: str, delta: float, reason: str) -> None:
    _record(plan, actor, EventKind.SCORE_ADJUSTED, subject=subject, field=reason, new=f"{delta:+g}")


def summary_event(document: SummaryDocument, actor: Actor, kind: EventKind, detail: str = "") -> None:
    _record(document.plan, actor, kind, subject=f"{document.year}年度工作总结", new=detail)

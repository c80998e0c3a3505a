"""One function per tracking event; each writes TrackingEvent rows — the history of reports, values and scores."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from kesu.plans import data_version
from kesu.plans.models import Plan
from kesu.tracking.models import LockException, Report, ReportingCycle, SummaryDocument, TrackingEvent

Actor = AbstractBaseUser | None

LABELS = {
    "cycle_opened": "开启填报", "report_saved": "保存报告", "report_submitted": "提交报告", "report_returned": "退回报告",
    "report_approved": "审核通过", "evidence_added": "上传佐证", "evidence_removed": "删除佐证",
    "contribution_saved": "配合单位填报", "exception_granted": "开通补报", "reminder_sent": "发送提醒",
    "activity_recorded": "登记活动", "rubric_saved": "修改考核细则", "manual_score_set": "人工评分",
    "score_adjusted": "调整得分",
}


class SummaryEventKind(models.TextChoices):
    """History of the yearly summaries (工作总结) — background work the office can retry or cancel."""

    REQUESTED = "summary_requested", "申请生成工作总结"
    RETRIED = "summary_retried", "重新生成工作总结"
    CANCELLED = "summary_cancelled", "取消生成工作总结"
    FAILED = "summary_failed", "工作总结生成失败"


LABELS |= dict(SummaryEventKind.choices)


def _record(plan: Plan, actor: Actor, kind: str, *, report: Report | None = None, subject: str = "",
            field: str = "", old: object = "", new: object = "") -> None:
    TrackingEvent.objects.create(
        plan=plan, report=report, actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
        kind=kind, subject=subject[:300], field=field, old="" if old is None else str(old), new="" if new is None else str(new),
    )
    data_version.bump(plan.pk)  # cached dashboards, report lists and roll-ups of the plan show the change


def _report_subject(report: Report) -> str:
    return f"{report.cycle} · {report.unit.name} · {report.task.title}"


def cycle_opened(cycle: ReportingCycle, actor: Actor, report_count: int) -> None:
    _record(cycle.plan, actor, "cycle_opened", subject=str(cycle), new=f"截止 {cycle.deadline:%Y-%m-%d}，{report_count} 份报告")


def report_saved(report: Report, actor: Actor, changes: list[tuple[str, object, object]]) -> None:
    for field, old, new in changes:
        _record(report.cycle.plan, actor, "report_saved", report=report, subject=_report_subject(report),
                field=field, old=old, new=new)


def report_submitted(report: Report, actor: Actor) -> None:
    _record(report.cycle.plan, actor, "report_submitted", report=report, subject=_report_subject(report))


def report_returned(report: Report, actor: Actor, reason: str) -> None:
    _record(report.cycle.plan, actor, "report_returned", report=report, subject=_report_subject(report), new=reason)


def report_approved(report: Report, actor: Actor) -> None:
    _record(report.cycle.plan, actor, "report_approved", report=report, subject=_report_subject(report))


def evidence_added(report: Report, actor: Actor, name: str) -> None:
    _record(report.cycle.plan, actor, "evidence_added", report=report, subject=_report_subject(report), new=name)


def evidence_removed(report: Report, actor: Actor, name: str) -> None:
    _record(report.cycle.plan, actor, "evidence_removed", report=report, subject=_report_subject(report), old=name)


def contribution_saved(report: Report, actor: Actor, unit_name: str, old: str, new: str) -> None:
    _record(report.cycle.plan, actor, "contribution_saved", report=report, subject=_report_subject(report),
            field=unit_name, old=old, new=new)


def exception_granted(exception: LockException, actor: Actor) -> None:
    _record(exception.cycle.plan, actor, "exception_granted", subject=f"{exception.cycle} · {exception.unit.name}",
            new=f"补报至 {exception.until:%Y-%m-%d %H:%M}：{exception.reason}")


def reminder_sent(report: Report, recipients: int) -> None:
    _record(report.cycle.plan, None, "reminder_sent", report=report, subject=_report_subject(report), new=f"{recipients} 人")


def activity_recorded(plan: Plan, actor: Actor, title: str) -> None:
    _record(plan, actor, "activity_recorded", subject=title)


def rubric_saved(plan: Plan, actor: Actor, year: int, old: str, new: str) -> None:
    _record(plan, actor, "rubric_saved", subject=f"{year}年度考核细则", old=old, new=new)


def manual_score_set(plan: Plan, actor: Actor, subject: str, old: object, new: object) -> None:
    _record(plan, actor, "manual_score_set", subject=subject, old=old, new=new)


def score_adjusted(plan: Plan, actor: Actor, subject: str, delta: float, reason: str) -> None:
    _record(plan, actor, "score_adjusted", subject=subject, field=reason, new=f"{delta:+g}")


def summary_event(document: SummaryDocument, actor: Actor, kind: SummaryEventKind, detail: str = "") -> None:
    _record(document.plan, actor, kind, subject=f"{document.year}年度工作总结", new=detail)

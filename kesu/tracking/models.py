"""Implementation tracking: reporting cycles, progress reports and their review, evidence, activities,
reminders, and the yearly assessment. Rules live in kesu.domain (report_workflow, reporting_periods,
target_progress, scoring_rubric); these models store what happened.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from kesu.domain import reporting_periods
from kesu.domain.campaign_rules import AUDIENCE_LABELS, ONLINE_LABELS, audience_counts_words
from kesu.domain.report_workflow import STATE_LABELS, State, Window
from kesu.infra.leases import Leased
from kesu.infra.uploads import StoredFile
from kesu.org.models import MemberUnit
from kesu.plans.models import Plan, Target, Task


class ReportingCycle(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="cycles")
    period_type = models.CharField("周期", max_length=10, choices=[(p.value, label) for p, label in reporting_periods.PERIOD_TYPE_LABELS.items()])
    year = models.PositiveSmallIntegerField("年份")
    number = models.PositiveSmallIntegerField("序号", default=1)
    deadline = models.DateField("填报截止日期")
    lock_days = models.PositiveSmallIntegerField("截止后锁定天数", default=7)
    locks_at = models.DateTimeField(db_index=True, editable=False)
    remind_days = models.PositiveSmallIntegerField("截止前提醒天数", default=3)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "填报周期"
        verbose_name_plural = "填报周期"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period_type", "year", "number"], name="one_cycle_per_period")
        ]

    def __str__(self) -> str:
        return self.period.label

    @property
    def period(self) -> reporting_periods.Period:
        return reporting_periods.Period(reporting_periods.PeriodType(self.period_type), self.year, self.number)

    @property
    def due_at(self) -> dt.datetime:
        return reporting_periods.end_of_day(self.deadline, timezone.get_default_timezone())

    def compute_locks_at(self) -> dt.datetime:
        return reporting_periods.lock_time(self.deadline, self.lock_days, timezone.get_default_timezone())

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.locks_at

    @property
    def first_reminder_at(self) -> dt.datetime:
        """When the unsubmitted reports of the cycle are first reminded: remind_days before the deadline ends."""
        return self.due_at - dt.timedelta(days=self.remind_days)


class LockException(models.Model):
    """The office lets one unit report after the cycle locked (补报), until a given time."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="exceptions")
    unit = models.ForeignKey(MemberUnit, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField("补报截止")
    reason = models.CharField("原因", max_length=300)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "补报许可"
        verbose_name_plural = "补报许可"

    def __str__(self) -> str:
        return f"{self.unit} 补报至 {self.until:%Y-%m-%d}"


class CycleReport(models.Model):
    """What every report in a cycle has: the unit's progress and text, and the review workflow
    (kesu.domain.report_workflow). A measure's Report and an ItemReport (work point, decision…) share it."""

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", "未启动"
        IN_PROGRESS = "in_progress", "推进中"
        COMPLETED = "completed", "已完成"
        BEHIND = "behind", "滞后"

    progress = models.CharField("推进状态", max_length=12, choices=Progress.choices, default=Progress.NOT_STARTED)
    summary = models.TextField("工作进展", blank=True)
    state = models.CharField("审核状态", max_length=10, choices=[(s.value, label) for s, label in STATE_LABELS.items()], default=State.DRAFT)
    return_reason = models.TextField("退回原因", blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    # The reminder job claims reports whose next reminder is due (indexed, polled; no broker); None once submitted.
    next_reminder_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        abstract = True

    @property
    def state_label(self) -> str:
        return STATE_LABELS[State(self.state)]

    def window(self, now: dt.datetime | None = None) -> Window:
        """Whether the unit may still edit: the cycle's lock time, or a 补报 exception for this unit (subclasses
        define `cycle` and `unit`)."""
        now = now or timezone.now()
        exception = self.cycle.exceptions.filter(unit=self.unit, until__gt=now).exists()
        return Window(locked=self.cycle.is_locked(now), exception=exception)

    @property
    def on_time(self) -> bool:
        return reporting_periods.is_on_time(
            self.first_submitted_at, self.cycle.deadline, timezone.get_default_timezone()
        )


class Report(CycleReport):
    """A lead unit's progress report on one measure for one cycle."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="reports")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(MemberUnit, on_delete=models.PROTECT, related_name="reports")

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["task__section__position", "task__position", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "task", "unit"], name="one_report_per_unit_task_cycle")]
        indexes = [models.Index(fields=["unit", "state"])]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.task} · {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("tracking-report", args=[self.pk])

    @property
    def heading(self) -> str:
        """What the report is about, in notices and history."""
        return self.task.title


class TargetValue(models.Model):
    """The current value of a target as a report states it (cumulative, or for the year if the target is yearly)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="reported_values")
    value = models.FloatField("当前值")

    class Meta:
        verbose_name = "目标填报值"
        verbose_name_plural = "目标填报值"
        constraints = [models.UniqueConstraint(fields=["report", "target"], name="one_value_per_report_target")]

    def __str__(self) -> str:
        return f"{self.target.indicator}: {self.value:g}"


class Contribution(models.Model):
    """A supporting unit's own account of what it did for the measure in this cycle."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="contributions")
    unit = models.ForeignKey(MemberUnit, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("配合工作情况")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "配合单位情况"
        verbose_name_plural = "配合单位情况"
        constraints = [models.UniqueConstraint(fields=["report", "unit"], name="one_contribution_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit}: {self.text[:20]}"


class ItemReport(CycleReport):
    """A lead unit's report in a cycle on an item another app makes due (年度工作要点, 议定事项…), through
    kesu.tracking.cycle_items: `source` names the registered source, `source_id` its item; `title` is the
    item's text when the cycle opened. Same workflow as a measure's report; no target values, no contributions."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="item_reports")
    unit = models.ForeignKey(MemberUnit, on_delete=models.PROTECT, related_name="item_reports")
    source = models.CharField("事项类别", max_length=20)
    source_id = models.PositiveIntegerField()
    title = models.TextField("事项")

    class Meta:
        verbose_name = "事项报告"
        verbose_name_plural = "事项报告"
        ordering = ["source", "source_id", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "unit", "source", "source_id"], name="one_item_report_per_cycle")]
        indexes = [models.Index(fields=["source", "source_id"])]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.title[:30]} · {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("tracking-item-report", args=[self.pk])

    @property
    def heading(self) -> str:
        return self.title


class Activity(models.Model):
    """An activity a unit held for a measure (a lecture, a training, 科普日…), reported at any time."""

    class Kind(models.TextChoices):
        LECTURE = "lecture", "讲座/报告"
        TRAINING = "training", "培训"
        EXHIBITION = "exhibition", "展览/展示"
        CONTEST = "contest", "竞赛"
        SCIENCE_DAY = "science_day", "全国科普日"
        SCIENCE_WEEK = "science_week", "科技活动周"
        VOLUNTEER = "volunteer", "志愿服务"
        OTHER = "other", "其他"

    class Online(models.TextChoices):
        OFFLINE = "offline", ONLINE_LABELS["offline"]
        ONLINE = "online", ONLINE_LABELS["online"]
        BOTH = "both", ONLINE_LABELS["both"]

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities")
    # No unit: held by a township (乡镇/街道) under a theme campaign (kesu.campaigns names the township).
    unit = models.ForeignKey(MemberUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("活动名称", max_length=200)
    held_on = models.DateField("日期")
    place = models.CharField("地点", max_length=200, blank=True)
    online = models.CharField("形式", max_length=10, choices=Online.choices, default=Online.OFFLINE)
    participants = models.PositiveIntegerField("参与人数", default=0)
    description = models.TextField("简要情况", blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "活动"
        verbose_name_plural = "活动"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audience_text(self) -> str:
        """老年人 30、农民 50 (prefetch `audiences` when listing)."""
        return audience_counts_words({a.group: a.participants for a in self.audiences.all()})


class ActivityAudience(models.Model):
    """Participants of one audience group (老年人, 农民…) at an activity; the activity's participants are their sum."""

    class Group(models.TextChoices):
        ELDERLY = "elderly", AUDIENCE_LABELS["elderly"]
        FARMERS = "farmers", AUDIENCE_LABELS["farmers"]
        YOUTH = "youth", AUDIENCE_LABELS["youth"]
        WORKERS = "workers", AUDIENCE_LABELS["workers"]
        CADRES = "cadres", AUDIENCE_LABELS["cadres"]
        PUBLIC = "public", AUDIENCE_LABELS["public"]

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="audiences")
    group = models.CharField("受众群体", max_length=10, choices=Group.choices)
    participants = models.PositiveIntegerField("参与人数", default=0)

    class Meta:
        verbose_name = "活动受众"
        verbose_name_plural = "活动受众"
        constraints = [models.UniqueConstraint(fields=["activity", "group"], name="one_row_per_audience_group")]

    def __str__(self) -> str:
        return f"{self.get_group_display()} {self.participants}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Evidence(StoredFile):
    """A document or photo proving a report, contribution or activity. Never public unless marked so."""

    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    unit = models.ForeignKey(MemberUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=evidence_path)
    is_public = models.BooleanField("可公开", default=False)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at"]


class TrackingEvent(models.Model):
    """History of reports, target values, scores and cycles: who did what, when, from what to what."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tracking_events")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    item_report = models.ForeignKey(ItemReport, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=30)
    subject = models.CharField(max_length=300, blank=True)
    field = models.CharField(max_length=60, blank=True)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)

    class Meta:
        verbose_name = "跟踪记录"
        verbose_name_plural = "跟踪记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"


class Rubric(models.Model):
    """The yearly assessment rubric of a plan (督查考核评分细则)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rubrics")
    year = models.PositiveSmallIntegerField("考核年度")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "考核细则"
        verbose_name_plural = "考核细则"
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="one_rubric_per_year")]

    def __str__(self) -> str:
        return f"{self.plan.jurisdiction} {self.year}年度考核"


class RubricItem(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField("计分方式", max_length=10)
    label = models.CharField("考核项目", max_length=100)
    points = models.FloatField("分值")

    class Meta:
        ordering = ["rubric", "position"]

    def __str__(self) -> str:
        return f"{self.label}（{self.points:g}分）"


class ManualScore(models.Model):
    """Points given by hand for a manual item (e.g. 创新加分), with the reason."""

    item = models.ForeignKey(RubricItem, on_delete=models.CASCADE, related_name="manual_scores")
    unit = models.ForeignKey(MemberUnit, on_delete=models.CASCADE, related_name="+")
    points = models.FloatField("得分")
    reason = models.CharField("理由", max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="one_manual_score")]

    def __str__(self) -> str:
        return f"{self.unit} {self.item.label} {self.points:g}"


class ScoreAdjustment(models.Model):
    """A manual adjustment of a unit's yearly total; the reason is required and kept."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="adjustments")
    unit = models.ForeignKey(MemberUnit, on_delete=models.CASCADE, related_name="+")
    delta = models.FloatField("加减分")
    reason = models.CharField("理由", max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.unit} {self.delta:+g}"


class SummaryDocument(Leased):
    """A year's 工作总结 draft (.docx and PDF), produced by the background job after the office asks for it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已生成"
        FAILED = "failed", "生成失败"
        CANCELLED = "cancelled", "已取消"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="summaries")
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    docx = models.FileField(upload_to="summaries/", blank=True)
    pdf = models.FileField(upload_to="summaries/", blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = "年度总结"
        verbose_name_plural = "年度总结"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.plan.jurisdiction} {self.year}年度工作总结"

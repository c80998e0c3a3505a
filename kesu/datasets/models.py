"""统计报表: statistics rounds (a form from kesu.domain.data_set_templates for a period), the respondents' value
sets (one Submission per assigned member unit, township, base or school), the school list, target bindings and
the history of all of it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from kesu.domain import reporting_periods
from kesu.domain.data_set_templates import TEMPLATES
from kesu.domain.data_sets import FormDefinition
from kesu.domain.report_workflow import STATE_LABELS, State, Window
from kesu.infra.uploads import StagedUpload
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.plans.models import Target
from kesu.volunteering.models import ScienceBase, ServiceArea

TEMPLATE_CHOICES = [(key, form.name) for key, form in TEMPLATES.items()]


class School(models.Model):
    class Kind(models.TextChoices):
        PRIMARY = "primary", "小学"
        JUNIOR = "junior", "初中"
        SENIOR = "senior", "高中"
        NINE_YEAR = "nine_year", "九年一贯制学校"
        COMPLETE = "complete", "完全中学"
        VOCATIONAL = "vocational", "中等职业学校"
        OTHER = "other", "其他"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="schools")
    name = models.CharField("学校名称", max_length=100)
    kind = models.CharField("学段类型", max_length=12, choices=Kind.choices)
    township = models.CharField("所在乡镇", max_length=100, blank=True)
    active = models.BooleanField("在册", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "学校"
        verbose_name_plural = "学校"
        ordering = ["township", "name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="one_school_name_per_area")]

    def __str__(self) -> str:
        return self.name


class SchoolImport(StagedUpload):
    """An uploaded school list waiting for its one confirmation (all or nothing)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")


class Round(models.Model):
    """One statistics round: a form, a period, a deadline with its lock and reminders."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="data_rounds")
    template = models.CharField("报表", max_length=20, choices=TEMPLATE_CHOICES)
    period_type = models.CharField("周期", max_length=10, choices=[(p.value, label) for p, label in reporting_periods.PERIOD_TYPE_LABELS.items()])
    year = models.PositiveSmallIntegerField("年份")
    number = models.PositiveSmallIntegerField("序号", default=1)
    deadline = models.DateField("填报截止日期")
    lock_days = models.PositiveSmallIntegerField("截止后锁定天数", default=7)
    locks_at = models.DateTimeField(editable=False)
    remind_days = models.PositiveSmallIntegerField("截止前提醒天数", default=3)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "统计轮次"
        verbose_name_plural = "统计轮次"
        ordering = ["-year", "-number", "template"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "template", "period_type", "year", "number"],
                                               name="one_round_per_form_and_period")]

    def __str__(self) -> str:
        return f"{self.period.label}{self.definition.name}"

    @property
    def definition(self) -> FormDefinition:
        return TEMPLATES[self.template]

    @property
    def period(self) -> reporting_periods.Period:
        return reporting_periods.Period(reporting_periods.PeriodType(self.period_type), self.year, self.number)

    @property
    def due_at(self) -> dt.datetime:
        return reporting_periods.end_of_day(self.deadline, timezone.get_default_timezone())

    def window(self, now: dt.datetime | None = None) -> Window:
        return Window(locked=(now or timezone.now()) >= self.locks_at, exception=False)


class Submission(models.Model):
    """An assigned respondent's value set in a round (the assignment and its answer are one row)."""

    class Kind(models.TextChoices):
        UNIT = "unit", "成员单位"
        TOWNSHIP = "township", "乡镇（街道）"
        BASE = "base", "科普教育基地"
        SCHOOL = "school", "学校"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="submissions")
    kind = models.CharField("填报对象类别", max_length=10, choices=Kind.choices)
    ref_id = models.PositiveBigIntegerField()
    name = models.CharField("填报对象", max_length=150)
    unit = models.ForeignKey(MemberUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(ServiceArea, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    base = models.ForeignKey(ScienceBase, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    values = models.JSONField(default=dict, blank=True)  # indicator code → number or null
    prefills = models.JSONField(default=dict, blank=True)  # code → [value, source, rule] offered when last saved
    state = models.CharField("审核状态", max_length=10, choices=[(s.value, label) for s, label in STATE_LABELS.items()], default=State.DRAFT)
    return_reason = models.TextField("退回原因", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    next_reminder_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "统计报表填报"
        verbose_name_plural = "统计报表填报"
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["round", "kind", "ref_id"], name="one_submission_per_respondent")]

    def __str__(self) -> str:
        return f"{self.round} · {self.name}"

    @property
    def respondent(self) -> tuple[str, int]:
        return (self.kind, self.ref_id)


class DataBinding(models.Model):
    """A plan target counted from approved statistics: an indicator's total, a rate or a share."""

    target = models.OneToOneField(Target, on_delete=models.CASCADE, related_name="data_binding")
    template = models.CharField("报表", max_length=20, choices=TEMPLATE_CHOICES)
    code = models.CharField("指标", max_length=40)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.template}:{self.code}"


class DataEvent(models.Model):
    """One change: a round opened, respondents assigned, values saved, submitted, returned, approved, a binding…"""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=30)
    subject = models.CharField(max_length=300, blank=True)
    field = models.CharField(max_length=100, blank=True)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"

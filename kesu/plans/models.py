"""A plan as the office works with it: sections (提升行动/重点工程), measures, responsibilities, targets, phases."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kesu.org.models import Jurisdiction, MemberUnit

COMPARATORS = [(">=", "不低于"), (">", "超过"), ("=", "等于")]


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "未发布"
        PUBLISHED = "published", "已发布"
        ENDED = "ended", "已结束"  # replaced by its successor: read-only, still browsable (kesu.plans.access)

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="行政区划", on_delete=models.PROTECT, related_name="plans")
    title = models.CharField("方案标题", max_length=300)
    issuer = models.CharField("发文机关", max_length=200, blank=True)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    period_start = models.PositiveSmallIntegerField("起始年")
    period_end = models.PositiveSmallIntegerField("截止年")
    baseline_year = models.PositiveSmallIntegerField("基线年份", null=True, blank=True)
    baseline_value = models.FloatField("基线值（%）", null=True, blank=True)
    target_year = models.PositiveSmallIntegerField("目标年份", null=True, blank=True)
    target_value = models.FloatField("目标值（%）", null=True, blank=True)
    target_comparator = models.CharField("目标比较", max_length=2, choices=COMPARATORS, default=">=")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    parser_notes = models.JSONField(default=list, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    predecessor = models.ForeignKey(
        "self", verbose_name="上一方案", null=True, blank=True, on_delete=models.SET_NULL, related_name="successors"
    )
    ended_on = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        verbose_name = "实施方案"
        verbose_name_plural = "实施方案"
        ordering = ["jurisdiction__path", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "period_start", "period_end"], name="one_plan_per_period")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_ended(self) -> bool:
        return self.status == self.Status.ENDED


class Section(models.Model):
    class Kind(models.TextChoices):
        ACTION = "action", "提升行动"
        PROJECT = "project", "重点工程"

    class Group(models.TextChoices):
        YOUTH = "youth", "青少年"
        FARMERS = "farmers", "农民"
        WORKERS = "workers", "产业工人"
        ELDERLY = "elderly", "老年人"
        CADRES = "cadres", "领导干部和公务员"
        RESOURCES = "resources", "科技资源科普化"
        INFORMATIZATION = "informatization", "科普信息化"
        INFRASTRUCTURE = "infrastructure", "科普基础设施"
        GRASSROOTS = "grassroots", "基层科普能力"
        COOPERATION = "cooperation", "交流合作"
        TALENT = "talent", "科普人才"
        OTHER = "other", "其他"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    group = models.CharField("分组", max_length=20, choices=Group.choices)
    title = models.CharField("标题", max_length=300)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "章节"
        verbose_name_plural = "章节"
        ordering = ["plan", "position"]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    """One measure (措施) of a section."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField()
    title = models.CharField("措施", max_length=500)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "措施"
        verbose_name_plural = "措施"
        ordering = ["section__position", "position"]

    def __str__(self) -> str:
        return self.title


class Responsibility(models.Model):
    """A unit leading (牵头) or supporting (配合) a measure; with task=None, stated once for the whole section."""

    class Role(models.TextChoices):
        LEAD = "lead", "牵头"
        SUPPORT = "support", "配合"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="responsibilities")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="responsibilities")
    unit = models.ForeignKey(MemberUnit, on_delete=models.PROTECT, related_name="responsibilities")
    role = models.CharField("职责", max_length=10, choices=Role.choices)
    position = models.PositiveSmallIntegerField()
    written_name = models.CharField("原文写法", max_length=100)

    class Meta:
        verbose_name = "责任分工"
        verbose_name_plural = "责任分工"
        ordering = ["role", "position"]
        indexes = [models.Index(fields=["unit", "role"])]

    def __str__(self) -> str:
        return f"{self.written_name}（{self.get_role_display()}）"


class Target(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveSmallIntegerField()
    indicator = models.CharField("指标", max_length=200)
    value = models.FloatField("目标值")
    unit = models.CharField("单位", max_length=30, blank=True)
    comparator = models.CharField("比较", max_length=2, choices=COMPARATORS, default=">=")
    year = models.PositiveSmallIntegerField("截止年份", null=True, blank=True)
    annual = models.BooleanField("每年", default=False)
    text = models.CharField("原文", max_length=500, blank=True)
    baseline = models.FloatField("基线值", null=True, blank=True)  # e.g. carried over from the previous plan
    baseline_year = models.PositiveSmallIntegerField("基线年份", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "量化目标"
        verbose_name_plural = "量化目标"
        ordering = ["task", "position"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.value:g}{self.unit}"


class Phase(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField()
    name = models.CharField("阶段", max_length=100)
    start = models.PositiveSmallIntegerField("起始年")
    end = models.PositiveSmallIntegerField("截止年")

    class Meta:
        verbose_name = "进度安排"
        verbose_name_plural = "进度安排"
        ordering = ["plan", "position"]

    def __str__(self) -> str:
        return f"{self.name}（{self.start}—{self.end}）"


class PlanEvent(models.Model):
    """The readable history of a plan: who imported, revised, corrected or published what, and when."""

    class Kind(models.TextChoices):
        IMPORTED = "imported", "导入"
        REVISED = "revised", "按修订稿更新"
        EDITED = "edited", "修改"
        PUBLISHED = "published", "发布"
        UNPUBLISHED = "unpublished", "撤回发布"
        ENDED = "ended", "结束"
        SUCCEEDED = "succeeded", "衔接上一方案"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    subject = models.CharField("对象", max_length=500, blank=True)
    field = models.CharField("字段", max_length=50, blank=True)
    old = models.TextField("原值", blank=True)
    new = models.TextField("新值", blank=True)

    class Meta:
        verbose_name = "修改记录"
        verbose_name_plural = "修改记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject} {self.field}".strip()


class PendingImport(models.Model):
    """An uploaded document parsed and waiting for the office to confirm (new plan or revision)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
    source_name = models.CharField(max_length=255)
    source_sha256 = models.CharField(max_length=64)
    parsed = models.JSONField()

    def __str__(self) -> str:
        return self.source_name

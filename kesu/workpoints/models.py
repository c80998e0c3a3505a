"""Yearly work points (年度工作要点) of a plan: each year's work plan and its points, each linked to a measure of
the plan or marked 本年新增, with lead and supporting units; the history of changes; pending imports."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kesu.org.models import MemberUnit
from kesu.plans.models import Plan, Task


class WorkPlan(models.Model):
    """One year's 工作要点 of a plan: imported from a document (re-imports revise it) or written point by point."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="work_plans")
    year = models.PositiveSmallIntegerField("年度")
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    imported_at = models.DateTimeField("导入时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "年度工作要点"
        verbose_name_plural = "年度工作要点"
        ordering = ["plan", "-year"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="one_work_plan_per_year")]

    def __str__(self) -> str:
        return f"{self.plan.jurisdiction} {self.year}年工作要点"


class WorkPoint(models.Model):
    workplan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="points")
    position = models.PositiveSmallIntegerField("序号")
    section = models.CharField("所属部分", max_length=300, blank=True)
    text = models.TextField("工作要点")
    lead_units = models.ManyToManyField(MemberUnit, related_name="+", verbose_name="牵头单位")
    support_units = models.ManyToManyField(MemberUnit, blank=True, related_name="+", verbose_name="配合单位")
    unmatched_units = models.CharField("未识别的单位", max_length=500, blank=True,
                                       help_text="文件中写了、但本地区成员单位和别名中找不到的单位名称")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="work_points",
                             verbose_name="关联措施")
    is_new = models.BooleanField("本年新增", default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "工作要点"
        verbose_name_plural = "工作要点"
        ordering = ["workplan", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:50]


class PendingWorkPoints(models.Model):
    """An uploaded 工作要点 document, read and waiting for the office to link its points and confirm."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    source_name = models.CharField(max_length=255)
    points = models.JSONField()  # [{position, section, text, lead, support}] as read from the document
    warnings = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.source_name


class WorkPointEvent(models.Model):
    """One change to a year's work points: import, revision, a point added, edited, linked or removed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    point = models.ForeignKey(WorkPoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=30)
    subject = models.CharField(max_length=300, blank=True)
    field = models.CharField(max_length=60, blank=True)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"

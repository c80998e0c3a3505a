"""科普经费: a jurisdiction's funding per year, its allocation lines, spending with evidence, member units' own
funding for the measures they lead, the per-capita standard set from above, and the history of all of them.
Amounts are in 万元 (DecimalField, two places: see kesu.domain.funding_rules)."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone

from kesu.infra.uploads import StagedUpload, StoredFile
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.plans.models import Task


def _wan(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=14, decimal_places=2, null=True, blank=True)


class FundingYear(models.Model):
    """One jurisdiction's funding in one year (科普统计: 经费筹集 and 经费使用)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="funding_years")
    year = models.PositiveSmallIntegerField("年度")
    population = models.PositiveBigIntegerField("常住人口（人）", null=True, blank=True)
    special_budgeted = _wan("本级财政科普专项经费（预算，万元）")
    special_received = _wan("本级财政科普专项经费（到位，万元）")
    government_total = _wan("政府拨款（合计，万元）")
    donation = _wan("捐赠（万元）")
    self_raised = _wan("自筹（万元）")
    other_income = _wan("其他收入（万元）")
    use_activities = _wan("科普活动支出（万元）")
    use_venues = _wan("场馆基建支出（万元）")
    use_exhibits = _wan("展品、设施支出（万元）")
    use_other = _wan("其他支出（万元）")
    note = models.TextField("说明", blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "年度科普经费"
        verbose_name_plural = "年度科普经费"
        ordering = ["jurisdiction__path", "-year"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "year"], name="one_funding_year")]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.year}年"


class FundingStandard(models.Model):
    """人均科普经费标准 (元/人) an office sets for a year; the areas below inherit the nearest one above them."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="funding_standards")
    year = models.PositiveSmallIntegerField("年度")
    yuan_per_person = models.DecimalField("人均经费标准（元/人）", max_digits=10, decimal_places=2)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "year"], name="one_funding_standard")]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.year}年 {self.yuan_per_person} 元/人"


class AllocationLine(models.Model):
    """One line of the year's allocation table: 项目 / 内容 / 实施单位 / 关联措施 / 计划经费（万元）."""

    funding_year = models.ForeignKey(FundingYear, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    project = models.CharField("项目", max_length=200)
    content = models.TextField("内容", blank=True)
    unit = models.ForeignKey(MemberUnit, verbose_name="实施单位", on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(Task, verbose_name="关联措施", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    planned = models.DecimalField("计划经费（万元）", max_digits=14, decimal_places=2)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "经费分配项目"
        verbose_name_plural = "经费分配项目"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.project


class SpendingEntry(models.Model):
    line = models.ForeignKey(AllocationLine, on_delete=models.CASCADE, related_name="spending")
    spent_on = models.DateField("支出日期")
    amount = models.DecimalField("金额（万元）", max_digits=14, decimal_places=2)
    note = models.CharField("用途说明", max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "经费支出"
        verbose_name_plural = "经费支出"
        ordering = ["spent_on", "pk"]

    def __str__(self) -> str:
        return f"{self.spent_on:%Y-%m-%d} {self.amount} 万元"


def evidence_path(instance: SpendingFile, filename: str) -> str:
    return f"funding/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class SpendingFile(StoredFile):
    """Evidence of a spending entry (发票、合同、活动照片…), served only through an access-checked view."""

    entry = models.ForeignKey(SpendingEntry, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=evidence_path)


class UnitFunding(models.Model):
    """A member unit's own funding for a measure it leads in a year, entered by the unit's reporter."""

    unit = models.ForeignKey(MemberUnit, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("投入经费（万元）", max_digits=14, decimal_places=2)
    note = models.CharField("说明", max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "task", "year"], name="one_unit_funding")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年 {self.amount} 万元"


class AllocationImport(StagedUpload):
    """An uploaded allocation table waiting for the office to confirm it (imported once)."""

    funding_year = models.ForeignKey(FundingYear, on_delete=models.CASCADE, related_name="+")


class FundingEvent(models.Model):
    """One change to a jurisdiction's funding: who, when, what (field, old and new value)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=30)
    subject = models.CharField(max_length=300, blank=True)
    field = models.CharField(max_length=80, blank=True)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"

"""Literacy surveys: uploads waiting for confirmation, estimation runs, and each year's literacy figure.

* `SurveyUpload` — files handed to the wizard and checked, waiting for the office to confirm (or to skip the
  rows named in the preview). Nothing is estimated or recorded from it; it is deleted on confirmation (its
  files move to the run), on cancel, or a day later.
* `SurveyRun` — a confirmed estimation: its inputs (questionnaire, responses, margins, covariates, options),
  worked by the background job (`kesu.survey.jobs`) with progress, and the result (the domain's
  `kesu-survey-estimate/1` report as JSON).
* `LiteracyFigure` — 公民具备科学素质的比例 of one jurisdiction and year: the platform's own estimate (from a
  run) or an official published figure with its source.
* `SurveyEvent` — who did what (queued, recorded, replaced, deleted), so that nothing changes silently.

Files live in Django's storage (KESU_STORAGE) as survey/<jurisdiction>/<token>/<name>, served only by
access-checked views.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from kesu.infra.leases import Leased
from kesu.org.models import Jurisdiction


def _upload_to(instance: SurveyInputs, filename: str) -> str:
    return f"survey/{instance.jurisdiction_id}/{instance.token}/{filename}"


def _token() -> str:
    return uuid.uuid4().hex


class SurveyInputs(models.Model):
    """What an estimation needs: shared by the staged upload and the confirmed run."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="行政区划", on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=32, default=_token, editable=False)
    year = models.PositiveSmallIntegerField("调查年份")
    title = models.CharField("名称", max_length=200)
    instrument_preset = models.CharField("预置问卷", max_length=50, blank=True)
    instrument_name = models.CharField("问卷文件名", max_length=255, blank=True)
    instrument_text = models.TextField("问卷定义（YAML/JSON）", blank=True)
    responses_file = models.FileField("答卷文件", upload_to=_upload_to, max_length=255)
    responses_name = models.CharField(max_length=255)
    margins_file = models.FileField("总体控制数", upload_to=_upload_to, max_length=255, blank=True)
    margins_name = models.CharField(max_length=255, blank=True)
    covariates_file = models.FileField("地区协变量", upload_to=_upload_to, max_length=255, blank=True)
    covariates_name = models.CharField(max_length=255, blank=True)
    # by (list), ci_method, lonely_psu, trim_lower, trim_upper, sae_area, skip_rows (list of file row numbers)
    options = models.JSONField(default=dict)

    class Meta:
        abstract = True

    @property
    def instrument_label(self) -> str:
        return f"预置问卷 {self.instrument_preset}" if self.instrument_preset else self.instrument_name

    def stored_files(self) -> list[models.fields.files.FieldFile]:
        return [f for f in (self.responses_file, self.margins_file, self.covariates_file) if f]


class SurveyUpload(SurveyInputs, Leased):
    """Files checked by the wizard, waiting for confirmation. Large files are checked by the job."""

    class Status(models.TextChoices):
        QUEUED = "queued", "等待检查"
        RUNNING = "running", "正在检查"
        READY = "ready", "待确认"
        REFUSED = "refused", "未通过检查"
        FAILED = "failed", "检查中断"

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=50, blank=True)
    # respondents, encoding, warnings, problems [{row, column, message}], skip_rows, groups, margins, instrument
    preview = models.JSONField(null=True, blank=True)
    errors = models.JSONField(default=list, blank=True)  # fatal findings, each a complete Chinese sentence

    class Meta:
        verbose_name = "待确认的调查数据"
        verbose_name_plural = "待确认的调查数据"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.title}（待确认）"


class SurveyRun(SurveyInputs, Leased):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "计算中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"
        CANCELLED = "cancelled", "已取消"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    stage = models.CharField("阶段", max_length=50, blank=True)
    result = models.JSONField("估计结果", null=True, blank=True)
    error = models.TextField("错误", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "科学素质估计"
        verbose_name_plural = "科学素质估计"
        ordering = ["-year", "-created_at"]
        indexes = [models.Index(fields=["jurisdiction", "-year"])]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.title}"

    @property
    def overall(self) -> dict | None:
        if not self.result or not self.result.get("estimates"):
            return None
        return self.result["estimates"][0]


class LiteracyFigure(models.Model):
    """公民具备科学素质的比例 (%) of a jurisdiction in a year: an estimate of this platform or an official figure."""

    class Kind(models.TextChoices):
        ESTIMATE = "estimate", "本地调查估计"
        OFFICIAL = "official", "正式公布数"

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="行政区划", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年份")
    value = models.FloatField("比例（%）")
    se = models.FloatField("标准误（百分点）", null=True, blank=True)
    ci_low = models.FloatField("95%置信区间下限（%）", null=True, blank=True)
    ci_high = models.FloatField("95%置信区间上限（%）", null=True, blank=True)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    source = models.CharField("来源", max_length=300)
    survey_run = models.ForeignKey(
        SurveyRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="figures"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "科学素质比例"
        verbose_name_plural = "科学素质比例"
        ordering = ["jurisdiction", "year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year", "kind"], name="one_figure_per_year_and_kind")
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.year}年 {self.value:g}%（{self.get_kind_display()}）"


class SurveyEvent(models.Model):
    """The survey history of a jurisdiction (估计与数据记录)."""

    class Kind(models.TextChoices):
        RUN_QUEUED = "run_queued", "提交估计"
        RUN_DONE = "run_done", "估计完成"
        RUN_FAILED = "run_failed", "估计失败"
        RUN_REQUEUED = "run_requeued", "重新估计"
        RUN_DELETED = "run_deleted", "删除估计"
        RUN_CANCELLED = "run_cancelled", "取消估计"
        UPLOAD_CANCELLED = "upload_cancelled", "取消上传"
        UPLOAD_RETRIED = "upload_retried", "重新检查"
        UPLOAD_FAILED = "upload_failed", "检查中断"
        FIGURE_RECORDED = "figure_recorded", "记录比例"
        FIGURE_REPLACED = "figure_replaced", "替换比例"
        FIGURE_DELETED = "figure_deleted", "删除比例"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.CharField("对象", max_length=300)
    detail = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "调查记录"
        verbose_name_plural = "调查记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject}"

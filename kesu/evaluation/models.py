"""The narrative parts of an evaluation (成效, 问题, 下一步建议) the office writes; each save leaves a history row."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kesu.plans.models import Plan


class Part(models.TextChoices):
    EFFECTS = "effects", "主要成效"
    PROBLEMS = "problems", "存在的问题"
    NEXT = "next", "下一步建议"


class EvaluationText(models.Model):
    """One narrative part of the evaluation of `plan` over start_year–end_year; `version` guards concurrent edits."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="evaluation_texts")
    start_year = models.PositiveSmallIntegerField("起始年")
    end_year = models.PositiveSmallIntegerField("截止年")
    part = models.CharField("部分", max_length=10, choices=Part.choices)
    text = models.TextField("内容", blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "评估文字"
        verbose_name_plural = "评估文字"
        constraints = [models.UniqueConstraint(fields=["plan", "start_year", "end_year", "part"], name="one_text_per_part")]

    def __str__(self) -> str:
        return f"{self.start_year}—{self.end_year}年评估 · {self.get_part_display()}"


class EvaluationEvent(models.Model):
    """History of the evaluation: who changed which part, from what to what."""

    class Kind(models.TextChoices):
        TEXT_SAVED = "text_saved", "修改评估文字"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="evaluation_events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.CharField(max_length=300)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.subject}"

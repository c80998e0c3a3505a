"""The confirmed succession of a plan: which old measures and targets continue in the new plan, and the baselines
carried over. Proposals are never stored: they are computed (kesu.succession.proposals) until the office confirms."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kesu.plans.models import Plan, Target, Task


class Succession(models.Model):
    successor = models.OneToOneField(Plan, verbose_name="后续方案", on_delete=models.CASCADE, related_name="succession")
    predecessor = models.ForeignKey(Plan, verbose_name="上一方案", on_delete=models.CASCADE, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)
    ended_predecessor = models.BooleanField("结束上一方案", default=True)

    class Meta:
        verbose_name = "方案衔接"
        verbose_name_plural = "方案衔接"

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class MeasureLink(models.Model):
    succession = models.ForeignKey(Succession, on_delete=models.CASCADE, related_name="measure_links")
    old = models.ForeignKey(Task, verbose_name="原措施", on_delete=models.CASCADE, related_name="+")
    new = models.ForeignKey(Task, verbose_name="新措施", on_delete=models.CASCADE, related_name="continued_from")
    reason = models.CharField("依据", max_length=200)

    class Meta:
        verbose_name = "措施衔接"
        verbose_name_plural = "措施衔接"
        constraints = [models.UniqueConstraint(fields=["new"], name="one_old_measure_per_new")]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"


class TargetLink(models.Model):
    succession = models.ForeignKey(Succession, on_delete=models.CASCADE, related_name="target_links")
    old = models.ForeignKey(Target, verbose_name="原目标", on_delete=models.CASCADE, related_name="+")
    new = models.ForeignKey(Target, verbose_name="新目标", on_delete=models.CASCADE, related_name="continued_from")
    reason = models.CharField("依据", max_length=200)

    class Meta:
        verbose_name = "目标衔接"
        verbose_name_plural = "目标衔接"
        constraints = [models.UniqueConstraint(fields=["new"], name="one_old_target_per_new")]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"

"""Forms for reporting and review. Field names are what a reporter sees; checks happen again in actions."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from kesu.domain.number_bounds import PARTICIPANTS, RUBRIC_POINTS, SCORE_ADJUSTMENT, TARGET_VALUE
from kesu.domain.number_text import comparator_text, number_text
from kesu.domain.reporting_periods import PERIOD_TYPE_LABELS, CycleSuggestion
from kesu.infra.forms import BoundedFloatField, BoundedIntegerField, DatePicker, DateTimePicker
from kesu.plans.forms import KesuForm
from kesu.plans.models import Target
from kesu.tracking.models import Activity, Report


class CycleForm(KesuForm):
    period_type = forms.ChoiceField(label="填报周期", choices=[(k.value, v) for k, v in PERIOD_TYPE_LABELS.items()])
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    number = forms.IntegerField(label="序号", min_value=1, max_value=4, initial=1, help_text="季度填 1–4，半年填 1–2，年度填 1")
    deadline = forms.DateField(label="填报截止日期", widget=DatePicker())
    lock_days = forms.IntegerField(label="截止后几天锁定", min_value=0, max_value=90, initial=7)
    remind_days = forms.IntegerField(label="截止前几天开始提醒", min_value=0, max_value=60, initial=3)


def cycle_form_initial(suggestion: CycleSuggestion) -> dict:
    """The new-cycle form's defaults: the suggested period (one the plan accepts), or only the reminder settings."""
    period = suggestion.period
    if period is None:
        return {}
    return {"period_type": period.type.value, "year": period.year, "number": period.number, "deadline": suggestion.deadline}


def target_basis(target: Target) -> str:
    if target.annual:
        return "填写本年度截至本期末的完成值"
    if target.year is None:
        return "填写当前实际水平"
    return f"填写自{target.task.section.plan.period_start}年以来的累计值"


class ReportForm(KesuForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    progress = forms.ChoiceField(label="推进状态", choices=Report.Progress.choices)
    summary = forms.CharField(label="工作进展（做了什么、取得什么成效）", required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, targets: list[Target] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        for target in self.targets:
            self.fields[f"target_{target.pk}"] = BoundedFloatField(
                label=f"{target.indicator}（目标 {comparator_text(target.comparator)}{number_text(target.value)}{target.unit}）",
                name=target.indicator, bound=TARGET_VALUE, required=False,
                help_text=f"{target_basis(target)}，单位：{target.unit or '—'}",
            )

    def values(self) -> dict[int, float | None]:
        return {t.pk: self.cleaned_data.get(f"target_{t.pk}") for t in self.targets}


class ReturnForm(KesuForm):
    reason = forms.CharField(label="退回原因", widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(KesuForm):
    file = forms.FileField(label="佐证材料", help_text="PDF、Word、Excel、PPT 或 JPG/PNG 图片，单个不超过 20 MB")
    is_public = forms.BooleanField(label="可在公开页面展示", required=False)


class ContributionForm(KesuForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label="本单位配合开展的工作", widget=forms.Textarea(attrs={"rows": 4}))


class ExceptionForm(KesuForm):
    unit = forms.ModelChoiceField(label="单位", queryset=None)
    until = forms.DateTimeField(label="补报截止时间", widget=DateTimePicker())
    reason = forms.CharField(label="原因", max_length=300)

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= timezone.now():
            raise forms.ValidationError("补报截止时间应晚于现在。")
        return until


class ActivityForm(KesuForm):
    kind = forms.ChoiceField(label="类型", choices=Activity.Kind.choices)
    title = forms.CharField(label="活动名称", max_length=200)
    held_on = forms.DateField(label="日期", widget=DatePicker())
    place = forms.CharField(label="地点", max_length=200, required=False)
    participants = BoundedIntegerField(label="参与人数", bound=PARTICIPANTS, initial=0)
    task = forms.ModelChoiceField(label="对应措施", queryset=None, required=False)
    description = forms.CharField(label="简要情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, tasks=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks


class AdjustmentForm(KesuForm):
    unit = forms.ModelChoiceField(label="单位", queryset=None)
    delta = BoundedFloatField(label="加减分（负数为扣分）", name="加减分", bound=SCORE_ADJUSTMENT)
    reason = forms.CharField(label="理由", max_length=300)

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ManualScoreForm(AdjustmentForm):
    delta = BoundedFloatField(label="得分", bound=RUBRIC_POINTS)



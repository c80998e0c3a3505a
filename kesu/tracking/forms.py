"""Forms for reporting and review. Field names are what a reporter sees; checks happen again in actions."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from kesu.domain.campaign_rules import AUDIENCE_LABELS, CampaignProblem, participants_of
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


def audience_field(code: str) -> str:
    """The form field (and import column field) of one audience group's participants: audience_elderly…"""
    return f"audience_{code}"


def pop_audiences(data: dict) -> dict[str, int]:
    """Take the audience groups' participants out of cleaned form data (group → participants, filled ones only)."""
    numbers = {code: data.pop(audience_field(code), None) for code in AUDIENCE_LABELS}
    return {code: n for code, n in numbers.items() if n is not None}


class AudienceForm(KesuForm):
    """Base of an activity form: one optional number per audience group (老年人, 农民…), checked against the
    head count by the domain rule (campaign_rules.participants_of) so a mismatch stays on the form as typed."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code, label in AUDIENCE_LABELS.items():
            self.fields[audience_field(code)] = BoundedIntegerField(label=label, bound=PARTICIPANTS, required=False)

    def audience_fields(self) -> list[forms.BoundField]:
        return [self[audience_field(code)] for code in AUDIENCE_LABELS]

    def audiences(self) -> dict[str, int]:
        return pop_audiences(dict(self.cleaned_data))

    def check_participants(self, data: dict) -> None:
        """Either a head count or the groups' numbers; both given, they must agree (the rule's message, on its field)."""
        if "participants" in self.errors or any(audience_field(code) in self.errors for code in AUDIENCE_LABELS):
            return  # a number already refused on its own
        groups = pop_audiences(dict(data))
        if not groups and data.get("participants") is None:
            self.add_error("participants", "请填写参与人数，或各受众群体的参与人数。")
            return
        try:
            participants_of(data.get("participants"), groups)
        except CampaignProblem as problem:
            self.add_error(problem.field if problem.field in self.fields else None, problem.message)


class ActivityForm(AudienceForm):
    kind = forms.ChoiceField(label="类型", choices=Activity.Kind.choices)
    title = forms.CharField(label="活动名称", max_length=200)
    held_on = forms.DateField(label="日期", widget=DatePicker())
    place = forms.CharField(label="地点", max_length=200, required=False)
    online = forms.ChoiceField(label="形式", choices=Activity.Online.choices, initial=Activity.Online.OFFLINE, required=False)
    participants = BoundedIntegerField(label="参与人数（填写了受众群体人数时可不填，按各群体之和计）", name="参与人数",
                                       bound=PARTICIPANTS, required=False)
    task = forms.ModelChoiceField(label="对应措施", queryset=None, required=False)
    description = forms.CharField(label="简要情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, tasks=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks

    def main_fields(self) -> list[forms.BoundField]:
        """Every field but the audience groups and the description (shown apart), in order."""
        return [self[name] for name in self.fields if not name.startswith("audience_") and name != "description"]

    def clean_online(self) -> str:
        return self.cleaned_data["online"] or Activity.Online.OFFLINE  # not given (an older file or client): 线下

    def clean(self) -> dict:
        data = super().clean()
        self.check_participants(data)
        return data


class AdjustmentForm(KesuForm):
    unit = forms.ModelChoiceField(label="单位", queryset=None)
    delta = BoundedFloatField(label="加减分（负数为扣分）", name="加减分", bound=SCORE_ADJUSTMENT)
    reason = forms.CharField(label="理由", max_length=300)

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ManualScoreForm(AdjustmentForm):
    delta = BoundedFloatField(label="得分", bound=RUBRIC_POINTS)



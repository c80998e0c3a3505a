"""Forms of the funding pages. Amounts are typed in 万元 and checked by kesu.domain.funding_rules, so the page, the
import and the actions refuse the same things with the same Chinese messages."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from kesu.domain import funding_rules as rules
from kesu.funding.actions import AMOUNT_FIELDS
from kesu.funding.models import FundingYear
from kesu.infra.forms import DatePicker
from kesu.plans.models import Task


class AmountField(forms.CharField):
    """An amount in 万元 (text in, Decimal out): negative, NaN, absurd or malformed values refused naming the field."""

    def __init__(self, *, label: str, required: bool = False, **kwargs) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(label=label, required=required, max_length=30, **kwargs)

    def prepare_value(self, value):
        return rules.wan_text(value).replace(",", "") if isinstance(value, Decimal) else value

    def clean(self, value) -> Decimal | None:
        text = super().clean(value)
        try:
            return rules.amount(str(self.label), text, required=self.required)
        except rules.FundingRefused as refusal:
            raise forms.ValidationError(refusal.message) from None


class FundingYearForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    population = forms.CharField(label="常住人口（人）", required=False, max_length=20,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                                 help_text="按统计公报的年末常住人口填写人数；不知道时留空（人均经费将无法计算）。")
    note = forms.CharField(label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in AMOUNT_FIELDS:
            self.fields[field] = AmountField(label=str(FundingYear._meta.get_field(field).verbose_name))
        self.order_fields(["population", *AMOUNT_FIELDS, "note"])

    def clean_population(self) -> int | None:
        try:
            return rules.population(self.cleaned_data["population"])
        except rules.FundingRefused as refusal:
            raise forms.ValidationError(refusal.message) from None

    def clean(self) -> dict:
        data = super().clean()
        try:
            rules.check_sources(rules.Sources(data.get("government_total"), data.get("special_received")))
        except rules.FundingRefused as refusal:
            self.add_error("government_total", refusal.message)
        return data

    @staticmethod
    def initial_of(row: FundingYear | None) -> dict:
        if row is None:
            return {"version": 0}
        return {"version": row.version, "note": row.note, "population": row.population or "",
                **{field: getattr(row, field) for field in AMOUNT_FIELDS}}

    GROUPS = [
        ("常住人口和本级财政科普专项经费", ["population", "special_budgeted", "special_received"]),
        ("经费筹集（科普统计）", ["government_total", "donation", "self_raised", "other_income"]),
        ("经费使用（科普统计）", ["use_activities", "use_venues", "use_exhibits", "use_other"]),
        ("", ["note"]),
    ]

    def groups(self) -> list[tuple[str, list]]:
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]


class StandardForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    yuan_per_person = forms.CharField(label="人均经费标准（元/人）", max_length=20,
                                      widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def clean_yuan_per_person(self) -> Decimal:
        try:
            return rules.standard(self.cleaned_data["yuan_per_person"])
        except rules.FundingRefused as refusal:
            raise forms.ValidationError(refusal.message) from None


class TaskChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Task) -> str:
        return f"{obj.section.title[:12]} · {obj.title[:40]}"


class LineForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    project = forms.CharField(label="项目", max_length=200)
    content = forms.CharField(label="内容", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    unit = forms.ModelChoiceField(label="实施单位", queryset=None, empty_label="请选择",
                                  error_messages={"required": "请选择“实施单位”。"})
    task = TaskChoice(label="关联措施", queryset=None, required=False, empty_label="（不关联措施）")
    planned = AmountField(label="计划经费（万元）", required=True)

    def __init__(self, *args, units, tasks, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["task"].queryset = tasks


class SpendingForm(forms.Form):
    spent_on = forms.DateField(label="支出日期", widget=DatePicker())
    amount = AmountField(label="金额（万元）", required=True)
    note = forms.CharField(label="用途说明", max_length=500)


class SpendingEditForm(SpendingForm):
    """Correct a spending entry: its fields, evidence to remove (ticked) and to add."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    entry = forms.IntegerField(widget=forms.HiddenInput)
    remove_files = forms.TypedMultipleChoiceField(label="删除佐证材料", required=False, coerce=int,
                                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, files_of_entry=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["remove_files"].choices = [(f.pk, f.original_name) for f in files_of_entry]
        if not self.fields["remove_files"].choices:
            del self.fields["remove_files"]


class SpendingRemoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    entry = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="删除原因", max_length=500, error_messages={"required": "请填写删除原因。"},
                             widget=forms.TextInput(attrs={"placeholder": "例如：重复登记、金额录错"}))


class UnitFundingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    task = forms.IntegerField(widget=forms.HiddenInput)
    unit = forms.IntegerField(widget=forms.HiddenInput)
    amount = AmountField(label="投入经费（万元）", required=True)
    note = forms.CharField(label="说明", required=False, max_length=500)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs.update({"placeholder": "万元", "aria-label": "投入经费（万元）", "size": 8})
        self.fields["note"].widget.attrs.update({"placeholder": "说明（可选）", "aria-label": "说明"})


class UploadForm(forms.Form):
    file = forms.FileField(label="经费分配表（.xlsx）")

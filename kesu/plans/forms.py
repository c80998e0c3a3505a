"""Forms for correcting a parsed plan. Unit lists are written as the plan writes them, separated by 、, and
name only the jurisdiction's member units or their aliases (picked from its unit list)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms

from kesu.domain.number_bounds import PERCENT, TARGET_VALUE
from kesu.domain.number_text import comparator_text
from kesu.domain.unit_names import clean_name, unit_key
from kesu.infra.forms import BoundedFloatField, DatePicker
from kesu.org.models import Jurisdiction, MemberUnit, UnitAlias
from kesu.plans.models import COMPARATORS, Plan, Section

COMPARATOR_CHOICES = [(key, comparator_text(key)) for key, _ in COMPARATORS]  # 不低于, 超过, 达到
_SEPARATORS = re.compile(r"[、，,；;\n]+")
_PHASE_LINE = re.compile(r"^(?P<name>.+?)\s+(?P<start>\d{4})(?:\s*[-—–~至到]\s*(?P<end>\d{4}))?\s*$")


def split_units(text: str) -> list[str]:
    return [part.strip() for part in _SEPARATORS.split(text or "") if part.strip()]


class KesuForm(forms.Form):
    """Labels stand on their own line above the field, so no trailing colon."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class VersionedForm(KesuForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanForm(VersionedForm):
    title = forms.CharField(label="方案标题", max_length=300)
    issuer = forms.CharField(label="发文机关", max_length=200, required=False)
    doc_number = forms.CharField(label="文号", max_length=100, required=False)
    issued_on = forms.DateField(label="印发日期", required=False, widget=DatePicker())
    baseline_year = forms.IntegerField(label="科学素质比例基线年份", required=False, min_value=1990, max_value=2100)
    baseline_value = BoundedFloatField(label="基线值（%）", name="基线值", bound=PERCENT, required=False)
    target_year = forms.IntegerField(label="目标年份", required=False, min_value=1990, max_value=2100)
    target_value = BoundedFloatField(label="目标值（%）", name="目标值", bound=PERCENT, required=False)
    target_comparator = forms.ChoiceField(label="目标比较", choices=COMPARATOR_CHOICES)
    phases = forms.CharField(
        label="进度安排", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一个阶段：名称 起始年-截止年，如“启动实施阶段 2021-2022”",
    )

    def clean_phases(self) -> list[dict]:
        phases = []
        for number, line in enumerate((self.cleaned_data.get("phases") or "").splitlines(), start=1):
            if not line.strip():
                continue
            match = _PHASE_LINE.match(line.strip())
            if not match:
                raise forms.ValidationError(f"第 {number} 行“{line.strip()}”格式不对，应为：阶段名称 2021-2022")
            start = int(match["start"])
            end = int(match["end"] or start)
            if end < start:
                raise forms.ValidationError(f"第 {number} 行的截止年早于起始年")
            phases.append({"name": match["name"].strip(), "start": start, "end": end})
        return phases

    @staticmethod
    def initial_for(plan: Plan) -> dict:
        return {
            "version": plan.version, "title": plan.title, "issuer": plan.issuer, "doc_number": plan.doc_number,
            "issued_on": plan.issued_on, "baseline_year": plan.baseline_year, "baseline_value": plan.baseline_value,
            "target_year": plan.target_year, "target_value": plan.target_value,
            "target_comparator": plan.target_comparator,
            "phases": "\n".join(f"{p.name} {p.start}-{p.end}" for p in plan.phases.order_by("position")),
        }


@dataclass(frozen=True)
class UnitChoices:
    """A jurisdiction's member units and their aliases: what the 牵头/配合 fields of a correction may name."""

    jurisdiction_name: str
    by_key: dict[str, str]  # unit_key of a name or alias → the unit's name
    options: list[tuple[str, str]]  # (value to insert, label) for the picker: units, then aliases → their unit

    @classmethod
    def of(cls, jurisdiction: Jurisdiction) -> UnitChoices:
        units = list(MemberUnit.objects.filter(jurisdiction=jurisdiction).order_by("name"))
        aliases = list(UnitAlias.objects.filter(jurisdiction=jurisdiction).select_related("unit").order_by("alias"))
        by_key = {u.key: u.name for u in units}
        for alias in aliases:
            by_key.setdefault(alias.key, alias.unit.name)
        options = [(u.name, u.name) for u in units]
        options += [(a.unit.name, f"{a.alias}（即{a.unit.name}）") for a in aliases]
        return cls(jurisdiction.name, by_key, options)

    def unit_of(self, written: str) -> str | None:
        """The name of the unit a written name stands for (directly, by spelling, or as an alias), else None."""
        return self.by_key.get(unit_key(clean_name(written), self.jurisdiction_name))


class UnitPickingForm(VersionedForm):
    """The 牵头/配合 fields name units of the jurisdiction (or their aliases), picked from its unit list."""

    unit_fields = ("lead", "support")

    def __init__(self, *args, units: UnitChoices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        for name in self.unit_fields:
            self.fields[name].widget.attrs.update({"list": "unit-options", "data-unit-picker": "", "autocomplete": "off"})

    def _clean_units(self, name: str) -> str:
        text = self.cleaned_data.get(name) or ""
        unknown = [n for n in split_units(text) if self.units.unit_of(n) is None]
        if unknown:
            names = "、".join(f"“{n}”" for n in unknown)
            raise forms.ValidationError(
                f"{names}不是{self.units.jurisdiction_name}的成员单位，也不是已登记的别名，请从单位列表中选择。"
            )
        return text

    def clean_lead(self) -> str:
        return self._clean_units("lead")

    def clean_support(self) -> str:
        return self._clean_units("support")


_UNITS_HELP = "从单位列表中选择（可输入别名）；多个单位用“、”分隔"


class SectionForm(UnitPickingForm):
    title = forms.CharField(label="章节标题", max_length=300)
    kind = forms.ChoiceField(label="类别", choices=Section.Kind.choices)
    group = forms.ChoiceField(label="分组", choices=Section.Group.choices)
    lead = forms.CharField(label="本章牵头单位", required=False, help_text=f"方案对整章统一规定的分工；{_UNITS_HELP}")
    support = forms.CharField(label="本章配合单位", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_UNITS_HELP)


class TaskForm(UnitPickingForm):
    title = forms.CharField(label="措施标题", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    lead = forms.CharField(label="牵头单位", required=False, help_text=_UNITS_HELP)
    support = forms.CharField(label="配合单位", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_UNITS_HELP)


class TargetForm(VersionedForm):
    indicator = forms.CharField(label="指标", max_length=200)
    value = BoundedFloatField(label="目标值", bound=TARGET_VALUE)
    unit = forms.CharField(label="单位", max_length=30, required=False)
    comparator = forms.ChoiceField(label="比较", choices=COMPARATOR_CHOICES)
    year = forms.IntegerField(label="截止年份", required=False, min_value=1990, max_value=2100)
    annual = forms.BooleanField(label="每年（年度目标）", required=False)
    text = forms.CharField(label="原文", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    baseline = BoundedFloatField(label="基线值", bound=TARGET_VALUE, required=False,
                                 help_text="如接续上一方案，为其终值；可留空")
    baseline_year = forms.IntegerField(label="基线年份", required=False, min_value=1990, max_value=2100)

    def clean(self) -> dict:
        data = super().clean()
        if (data.get("baseline") is None) != (data.get("baseline_year") is None):
            self.add_error("baseline_year", "基线值和基线年份要么都填，要么都不填。")
        if data.get("annual") and data.get("year"):
            self.add_error("year", "年度目标（每年）不设截止年份，请清空截止年份或取消“每年”。")
        return data


class UploadForm(KesuForm):
    file = forms.FileField(label="方案文件", help_text="支持 .docx、.pdf（含文字层）、.txt（UTF-8 或 GBK）")
    jurisdiction = forms.ModelChoiceField(label="导入到", queryset=Jurisdiction.objects.none())

    def __init__(self, *args, jurisdictions=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions
        if len(jurisdictions) == 1:
            self.fields["jurisdiction"].initial = jurisdictions[0]


class MergeForm(KesuForm):
    into = forms.ModelChoiceField(label="并入", queryset=MemberUnit.objects.none())

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = units

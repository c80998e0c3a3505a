"""The wizard's first step (questionnaire, files, options) and the official-figure form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone

from kesu.domain.number_bounds import WEIGHT_TRIM_LOWER, WEIGHT_TRIM_UPPER
from kesu.domain.survey.estimation import LONELY_RULES
from kesu.domain.survey.inputs import scheme_presets, usable_presets
from kesu.domain.survey.report import CI_NAMES, LONELY_NAMES
from kesu.domain.survey.responses import GROUP_COLUMNS, GROUP_NAMES
from kesu.infra.forms import BoundedFloatField
from kesu.infra.zipcheck import ZipRefused, check_zip, upload_limits
from kesu.plans.forms import KesuForm

UPLOAD = "upload"
RESPONSE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")
TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")
INSTRUMENT_SUFFIXES = (".yaml", ".yml", ".json")
DEFAULT_BY = ["gender", "urban", "age_group", "education"]


def max_upload() -> int:
    return int(getattr(settings, "KESU_MAX_SURVEY_UPLOAD", 300 * 1024 * 1024))


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def _check_file(upload, what: str, suffixes: tuple[str, ...], hint: str) -> None:
    suffix = Path(upload.name).suffix.lower()
    if suffix not in suffixes:
        raise forms.ValidationError(f"{what}“{upload.name}”的类型不支持：{hint}")
    if upload.size == 0:
        raise forms.ValidationError(f"{what}“{upload.name}”是空文件")
    if upload.size > max_upload():
        raise forms.ValidationError(f"{what}“{upload.name}”超过 {_mb(max_upload())} 上限")
    if suffix in (".xlsx", ".xlsm"):
        try:
            check_zip(upload, upload.name, upload_limits("survey"))
        except ZipRefused as error:
            raise forms.ValidationError(str(error)) from error


class SurveyForm(KesuForm):
    year = forms.IntegerField(label="调查年份", min_value=2000, max_value=2100)
    title = forms.CharField(
        label="名称", max_length=200, required=False, help_text="留空则为“某年公民科学素质抽样调查”"
    )
    instrument = forms.ChoiceField(label="选择问卷", widget=forms.RadioSelect)
    instrument_file = forms.FileField(
        label="问卷文件", required=False,
        help_text="kesu-instrument/1 格式的 .yaml 或 .json；可写 scheme: national-2022 引用全国测评方案的维度、分值和水平",
    )
    responses = forms.FileField(
        label="答卷数据", help_text="每行一位受访者：.csv（UTF-8 或 GBK，自动识别）或 .xlsx（第一个工作表）"
    )
    margins = forms.FileField(
        label="总体控制数", required=False,
        help_text="CSV 三列 variable,category,total（如 gender,男,822960）；不提供则只用设计权重，不做加权调整",
    )
    by = forms.MultipleChoiceField(
        label="分组估计", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(name, GROUP_NAMES[name]) for name in GROUP_COLUMNS],
    )
    ci_method = forms.ChoiceField(
        label="置信区间", widget=forms.RadioSelect, initial="logit",
        choices=[("logit", f"{CI_NAMES['logit']}（默认）"), ("kg", CI_NAMES["kg"])],
    )
    lonely_psu = forms.ChoiceField(
        label="只有一个初级抽样单元的分层", initial="adjust", choices=[(r, LONELY_NAMES[r]) for r in LONELY_RULES]
    )
    trim_upper = BoundedFloatField(
        label="权重上限（平均权重的倍数）", name="权重上限", bound=WEIGHT_TRIM_UPPER, required=False,
        help_text="加权后修剪过大的权重，如 5 表示不超过平均权重的 5 倍；留空不修剪",
    )
    trim_lower = BoundedFloatField(
        label="权重下限（平均权重的倍数）", name="权重下限", bound=WEIGHT_TRIM_LOWER, required=False,
        help_text="如 0.2 表示不低于平均权重的 0.2 倍；留空不修剪",
    )
    covariates = forms.FileField(
        label="地区协变量（小区域估计）", required=False,
        help_text="CSV：第一列地区名，可含 population（人口数）列，其余为数值型协变量；提供后对各地区做 Fay–Herriot 估计",
    )
    sae_area = forms.ChoiceField(
        label="小区域变量", initial="region", choices=[(name, f"{GROUP_NAMES[name]}（{name}）") for name in GROUP_COLUMNS]
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        presets = list(usable_presets())
        schemes = "、".join(scheme_presets())
        self.fields["instrument"].choices = [*presets, (UPLOAD, "上传问卷文件")]
        self.fields["instrument"].initial = presets[0][0] if presets else UPLOAD
        if schemes:
            self.fields["instrument"].help_text = (
                f"预置方案 {schemes} 只规定维度、分值和水平：请上传列出题目和答案的问卷文件，并在其中写 scheme: {scheme_presets()[0]}"
            )
        self.fields["year"].initial = timezone.localdate().year
        self.fields["by"].initial = DEFAULT_BY
        self.fields["margins"].widget.attrs["accept"] = ".csv,.xlsx"
        self.fields["covariates"].widget.attrs["accept"] = ".csv,.xlsx"
        self.fields["responses"].widget.attrs["accept"] = ".csv,.txt,.xlsx"
        self.fields["instrument_file"].widget.attrs["accept"] = ".yaml,.yml,.json"

    def clean_responses(self):
        upload = self.cleaned_data["responses"]
        _check_file(upload, "答卷文件", RESPONSE_SUFFIXES, "请上传 .csv 或 .xlsx")
        return upload

    def clean_margins(self):
        upload = self.cleaned_data.get("margins")
        if upload:
            _check_file(upload, "总体控制数文件", TABLE_SUFFIXES, "请上传 .csv（variable,category,total）")
        return upload

    def clean_covariates(self):
        upload = self.cleaned_data.get("covariates")
        if upload:
            _check_file(upload, "协变量文件", TABLE_SUFFIXES, "请上传 .csv 或 .xlsx")
        return upload

    def clean_instrument_file(self):
        upload = self.cleaned_data.get("instrument_file")
        if upload:
            _check_file(upload, "问卷文件", INSTRUMENT_SUFFIXES, "请上传 .yaml 或 .json")
            if upload.size > 5 * 1024 * 1024:
                raise forms.ValidationError(f"问卷文件“{upload.name}”超过 5 MB，不像是问卷定义")
        return upload

    def clean(self) -> dict:
        data = super().clean()
        if data.get("instrument") == UPLOAD and not data.get("instrument_file"):
            self.add_error("instrument_file", "选择了“上传问卷文件”，请选择问卷文件（.yaml 或 .json）")
        lower, upper = data.get("trim_lower"), data.get("trim_upper")
        if (lower or upper) and not data.get("margins"):
            self.add_error("trim_upper", "修剪权重在加权调整之后进行：请同时提供总体控制数文件，或清空权重上下限")
        if lower and upper and lower >= upper:
            self.add_error("trim_lower", "权重下限应小于上限")
        return data

    def options(self) -> dict:
        data = self.cleaned_data
        return {
            "by": list(data.get("by") or []),
            "ci_method": data["ci_method"],
            "lonely_psu": data["lonely_psu"],
            "trim_lower": data.get("trim_lower") or None,
            "trim_upper": data.get("trim_upper") or None,
            "sae_area": data["sae_area"] if data.get("covariates") else None,
            "skip_rows": [],
        }

    def submission(self) -> dict[str, Any]:
        """The arguments of `actions.do_receive_upload` (after `is_valid()`)."""
        data = self.cleaned_data
        preset = "" if data["instrument"] == UPLOAD else data["instrument"]
        return {
            "year": data["year"], "title": data["title"], "instrument_preset": preset,
            "instrument_file": None if preset else data["instrument_file"],
            "files": {kind: data[kind] for kind in ("responses", "margins", "covariates") if data.get(kind)},
            "options": self.options(),
        }


class OfficialFigureForm(KesuForm):
    year = forms.IntegerField(label="年份", min_value=1990, max_value=2100)
    value = forms.FloatField(label="公民具备科学素质的比例（%）", min_value=0, max_value=100)
    se = forms.FloatField(label="标准误（百分点，可不填）", required=False, min_value=0, max_value=100)
    ci_low = forms.FloatField(label="95%置信区间下限（%，可不填）", required=False, min_value=0, max_value=100)
    ci_high = forms.FloatField(label="95%置信区间上限（%，可不填）", required=False, min_value=0, max_value=100)
    source = forms.CharField(
        label="来源", max_length=300,
        help_text="必填：发布机关、文件或报告名称，如“第十二次中国公民科学素质抽样调查（中国科协，2021年1月发布）”",
        widget=forms.TextInput(attrs={"placeholder": "如：省科协《2020年全省公民科学素质调查报告》"}),
    )

    def clean_source(self) -> str:
        source = self.cleaned_data["source"].strip()
        if not source:
            raise forms.ValidationError("请填写来源（发布机关和文件），正式公布数必须注明出处")
        return source

    def clean(self) -> dict:
        data = super().clean()
        low, high, value = data.get("ci_low"), data.get("ci_high"), data.get("value")
        if (low is None) != (high is None):
            self.add_error("ci_high" if high is None else "ci_low", "置信区间的上下限要么都填，要么都不填")
        elif low is not None and high is not None and value is not None and not low <= value <= high:
            self.add_error("ci_low", f"置信区间 {low:g}%–{high:g}% 应包含比例 {value:g}%（下限 ≤ 比例 ≤ 上限）")
        return data

"""Forms of the roster: name a 分管领导/联络员, end a term, record a training (dates with DatePicker)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from kesu.infra.crypto import normalise_phone, valid_phone
from kesu.infra.forms import DatePicker
from kesu.liaisons.models import LiaisonEntry
from kesu.org.models import Jurisdiction


class EntryForm(forms.Form):
    post = forms.ChoiceField(label="岗位", choices=LiaisonEntry.Post.choices)
    name = forms.CharField(label="姓名", max_length=50)
    title = forms.CharField(label="职务", max_length=100, required=False)
    office_phone = forms.CharField(label="办公电话", max_length=30, required=False)
    mobile = forms.CharField(label="手机", max_length=20, required=False, help_text="加密保存，页面和导出中脱敏显示。")
    user = forms.ModelChoiceField(label="关联账号", queryset=get_user_model().objects.none(), required=False,
                                  help_text="关联后，本单位的填报提醒、催报等通知也发给该账号。")
    valid_from = forms.DateField(label="任职起始", widget=DatePicker(), help_text="现任者的任职至此日前一天结束，记录保留。")

    def __init__(self, *args, jurisdiction: Jurisdiction, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("valid_from", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.filter(
            memberships__jurisdiction=jurisdiction, is_active=True).distinct().order_by("username")
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.username}（{u.username}）"

    def clean_mobile(self) -> str:
        mobile = normalise_phone(self.cleaned_data["mobile"])
        if mobile and not valid_phone(mobile):
            raise forms.ValidationError("请输入正确的手机号或座机号。")
        return mobile


class EndForm(forms.Form):
    valid_to = forms.DateField(label="离任日期", widget=DatePicker())


class TrainingForm(forms.Form):
    held_on = forms.DateField(label="培训日期", widget=DatePicker())
    topic = forms.CharField(label="培训主题", max_length=200)
    place = forms.CharField(label="培训地点", max_length=200, required=False)
    attendees = forms.ModelMultipleChoiceField(label="参训联络员", queryset=LiaisonEntry.objects.none(), required=False,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, jurisdiction: Jurisdiction, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = LiaisonEntry.objects.filter(
            unit__jurisdiction=jurisdiction, post=LiaisonEntry.Post.LIAISON).select_related("unit").order_by(
            "unit__name", "-valid_from")
        self.fields["attendees"].label_from_instance = lambda e: (
            f"{e.unit.name} {e.name}" + ("" if e.valid_to is None else f"（至{e.valid_to:%Y-%m-%d}）"))

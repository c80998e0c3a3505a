"""Forms of the meeting pages (Chinese labels; dates through the browser's date picker)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from kesu.infra.forms import DatePicker
from kesu.meetings.models import Decision, Meeting
from kesu.org.models import Jurisdiction, MemberUnit


def _units(jurisdiction: Jurisdiction):
    return MemberUnit.objects.filter(jurisdiction=jurisdiction, stands_for_all=False).order_by("name")


class MeetingForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    minutes_file = forms.FileField(label="会议记录/纪要文件", required=False,
                                   help_text="PDF、Word、图片等，上传后仅本地区及上级可下载；再次上传会替换。")

    class Meta:
        model = Meeting
        fields = ["kind", "title", "held_on", "chair", "place", "attending_units", "attendees", "agenda"]
        widgets = {
            "held_on": DatePicker(),
            "attending_units": forms.CheckboxSelectMultiple,
            "attendees": forms.Textarea(attrs={"rows": 4}),
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, jurisdiction: Jurisdiction, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attending_units"].queryset = _units(jurisdiction)
        self.fields["attending_units"].required = False

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError("会议日期不能晚于今天（请在会后登记）。")
        return held_on


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label="议定事项", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    lead_units = forms.ModelMultipleChoiceField(label="牵头单位", queryset=MemberUnit.objects.none(),
                                                widget=forms.CheckboxSelectMultiple,
                                                error_messages={"required": "请至少选择一个牵头单位。"})
    support_units = forms.ModelMultipleChoiceField(label="配合单位", queryset=MemberUnit.objects.none(), required=False,
                                                   widget=forms.CheckboxSelectMultiple)
    due_on = forms.DateField(label="办结时限", widget=DatePicker())

    def __init__(self, *args, jurisdiction: Jurisdiction, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_units"].queryset = _units(jurisdiction)
        self.fields["support_units"].queryset = _units(jurisdiction)

    @staticmethod
    def initial_of(decision: Decision) -> dict:
        return {"version": decision.version, "text": decision.text, "due_on": decision.due_on,
                "lead_units": list(decision.lead_units.all()), "support_units": list(decision.support_units.all())}


class CompleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    completed_on = forms.DateField(label="办结日期", widget=DatePicker())
    note = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="重新打开的原因", max_length=500)

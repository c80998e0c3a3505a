"""Forms of the campaign pages (Chinese labels; dates through the browser's date picker; numbers bounded)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from kesu.campaigns.models import Campaign, CampaignActivity
from kesu.domain.campaign_rules import AUDIENCE_LABELS
from kesu.domain.number_bounds import ACTIVITY_VOLUNTEER_HOURS, PARTICIPANTS
from kesu.infra.forms import BoundedFloatField, BoundedIntegerField, DatePicker
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.plans.forms import KesuForm
from kesu.tracking.forms import AudienceForm, audience_field
from kesu.tracking.models import Activity
from kesu.volunteering.models import ScienceBase, ServiceArea


class CampaignForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    cascade = forms.BooleanField(label="下发到各县（为每个下级县区开启同名主题活动，由县科协办公室邀请本地区单位）", required=False)

    class Meta:
        model = Campaign
        fields = ["name", "year", "kind", "starts_on", "ends_on", "theme", "notes", "invited_units", "townships", "bases"]
        widgets = {
            "starts_on": DatePicker(), "ends_on": DatePicker(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "invited_units": forms.CheckboxSelectMultiple, "townships": forms.CheckboxSelectMultiple,
            "bases": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, jurisdiction: Jurisdiction, new: bool, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"] = forms.TypedChoiceField(label="年度", coerce=int, choices=[(y, f"{y}年") for y in range(today.year + 1, today.year - 4, -1)])
        self.fields["invited_units"].queryset = MemberUnit.objects.filter(jurisdiction=jurisdiction, stands_for_all=False).order_by("name")
        self.fields["townships"].queryset = ServiceArea.objects.filter(jurisdiction=jurisdiction, parent__isnull=True, active=True)
        self.fields["bases"].queryset = ScienceBase.objects.filter(jurisdiction=jurisdiction, revoked_year__isnull=True)
        for name in ("invited_units", "townships", "bases"):
            self.fields[name].required = False
        if not new or not jurisdiction.children.exists():
            del self.fields["cascade"]


def held_by_choices(units: list[MemberUnit], townships: list[ServiceArea]) -> list[tuple[str, str]]:
    return [(f"u{u.pk}", u.name) for u in units] + [(f"t{t.pk}", f"{t.name}（乡镇/街道）") for t in townships]


class RegisterForm(AudienceForm):
    held_by = forms.ChoiceField(label="举办单位/乡镇")
    title = forms.CharField(label="活动名称", max_length=200)
    held_on = forms.DateField(label="日期", widget=DatePicker())
    place = forms.CharField(label="地点", max_length=200)
    online = forms.ChoiceField(label="形式", choices=Activity.Online.choices, initial=Activity.Online.OFFLINE)
    description = forms.CharField(label="简要情况", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    scientists = BoundedIntegerField(label="参与科技工作者（人）", bound=PARTICIPANTS, initial=0)
    volunteers = BoundedIntegerField(label="参与志愿者（人）", bound=PARTICIPANTS, initial=0)
    volunteer_hours = BoundedFloatField(label="志愿服务时长合计（小时）", bound=ACTIVITY_VOLUNTEER_HOURS, initial=0)
    participants = BoundedIntegerField(label="参与人数（填写了受众群体人数时可不填，按各群体之和计）", name="参与人数",
                                       bound=PARTICIPANTS, required=False)

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_by"].choices = choices

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("held_by", "title", "held_on", "place", "online", "participants")]

    def people_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("scientists", "volunteers", "volunteer_hours")]

    def clean(self) -> dict:
        data = super().clean()
        if not any(data.get(f"audience_{code}") for code in AUDIENCE_LABELS) and not data.get("participants"):
            raise forms.ValidationError("请填写参与人数，或各受众群体的参与人数。")
        self.check_participants(data)
        return data


class EditActivityForm(RegisterForm):
    """The registration's fields, as registered, plus the version seen and the photos to remove."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    remove_photos = forms.TypedMultipleChoiceField(label="删除照片（勾选要删除的照片）", coerce=int, required=False,
                                                   widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, photos: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["remove_photos"].choices = photos
        if not photos:
            del self.fields["remove_photos"]


def initial_of(entry: CampaignActivity) -> dict:
    """What the edit form starts from: the activity as registered (the head count only when no group was given)."""
    activity = entry.activity
    groups = {a.group: a.participants for a in activity.audiences.all()}
    held_by = f"t{entry.township_id}" if entry.township_id else f"u{activity.unit_id}"
    return {"held_by": held_by, "title": activity.title, "held_on": activity.held_on, "place": activity.place,
            "online": activity.online, "description": activity.description,
            "participants": None if groups else activity.participants,
            **{audience_field(code): n for code, n in groups.items()},
            "scientists": entry.scientists, "volunteers": entry.volunteers, "volunteer_hours": entry.volunteer_hours,
            "version": entry.version}


class WithdrawForm(KesuForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="撤回原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

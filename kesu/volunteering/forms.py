"""Forms of the grassroots service. The same forms validate single entries and every row of an .xlsx import."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from kesu.domain.number_bounds import ROW_NUMBER, TIME_LIMIT_HOURS
from kesu.infra.forms import BoundedIntegerField, DatePicker, DateTimePicker
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.plans.forms import KesuForm
from kesu.volunteering.crypto import normalise_id, normalise_phone, valid_id_number, valid_phone
from kesu.volunteering.models import (
    ScienceBase,
    ServiceArea,
    ServiceOrder,
    ServiceSettings,
    Team,
    Topic,
    Volunteer,
)

MAX_PREFERRED_SPAN_DAYS = 90
MAX_AHEAD_DAYS = 365
MAX_SKIPPED_ROWS = 10_000
DATE = DatePicker()


def topics_for(jurisdiction: Jurisdiction):
    """Topics the office of this jurisdiction, or of one above it, maintains."""
    ids = [int(p) for p in jurisdiction.path.strip("/").split("/") if p]
    return Topic.objects.filter(jurisdiction_id__in=ids, active=True).order_by("position", "name")


def village_choices(jurisdiction: Jurisdiction) -> list:
    groups: dict[str, list[tuple[str, str]]] = {}
    for village in ServiceArea.objects.filter(jurisdiction=jurisdiction, kind=ServiceArea.Kind.VILLAGE, active=True) \
            .select_related("parent").order_by("parent__position", "parent__name", "position", "name"):
        groups.setdefault(village.parent.name, []).append((str(village.pk), village.name))
    return [("", "（不指定）")] + list(groups.items())


class OrderForm(KesuForm):
    """The public order page (群众点单): no account; a challenge and per-address limits guard it."""

    requester_kind = forms.ChoiceField(label="您是", choices=ServiceOrder.RequesterKind.choices, widget=forms.RadioSelect,
                                       initial=ServiceOrder.RequesterKind.RESIDENT)
    requester_org = forms.CharField(label="村/学校/单位名称", max_length=100, required=False,
                                    help_text="以村、学校或单位名义点单时填写")
    topic = forms.ModelChoiceField(label="需要什么服务", queryset=Topic.objects.none(), empty_label="请选择服务主题")
    description = forms.CharField(label="具体需求", max_length=1000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3, "placeholder": "例如：想了解果树冬季修剪和病虫害防治"}))
    township = forms.ModelChoiceField(label="乡镇/街道", queryset=ServiceArea.objects.none(), empty_label="请选择")
    village = forms.ChoiceField(label="村/社区", required=False)
    place = forms.CharField(label="具体地点", max_length=200, required=False, help_text="如：村委会二楼会议室")
    preferred_from = forms.DateField(label="希望服务的日期：从", widget=DATE)
    preferred_until = forms.DateField(label="到", widget=DATE)
    audience = forms.ChoiceField(label="服务对象", choices=ServiceOrder.Audience.choices)
    audience_size = forms.IntegerField(label="预计人数", min_value=1, max_value=5000)
    contact_name = forms.CharField(label="联系人", max_length=30)
    contact_phone = forms.CharField(label="联系电话", max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    consent = forms.BooleanField(label="同意将联系方式提供给承办本次服务的工作人员和志愿服务队（仅用于联系本次服务）")
    answer = forms.CharField(label="验证问题", max_length=10, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, jurisdiction: Jurisdiction, question: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.jurisdiction = jurisdiction
        self.fields["topic"].queryset = topics_for(jurisdiction)
        self.fields["township"].queryset = ServiceArea.objects.filter(
            jurisdiction=jurisdiction, kind=ServiceArea.Kind.TOWNSHIP, active=True).order_by("position", "name")
        self.fields["village"].choices = village_choices(jurisdiction)
        if question:
            self.fields["answer"].label = f"验证问题：{question}"
        today = timezone.localdate()
        for name in ("preferred_from", "preferred_until"):
            self.fields[name].widget.attrs.update(min=today.isoformat(), max=(today + dt.timedelta(days=MAX_AHEAD_DAYS)).isoformat())

    def clean_contact_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data["contact_phone"])
        if not valid_phone(phone):
            raise forms.ValidationError("请填写 11 位手机号或带区号的固定电话，如 13812345678 或 035712345678。")
        return phone

    def clean(self) -> dict:
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError("提交未成功，请刷新页面后重试。")
        start, end = data.get("preferred_from"), data.get("preferred_until")
        today = timezone.localdate()
        if start and start < today:
            self.add_error("preferred_from", "期望日期不能早于今天。")
        if start and end:
            if end < start:
                self.add_error("preferred_until", "结束日期不能早于开始日期。")
            elif (end - start).days > MAX_PREFERRED_SPAN_DAYS:
                self.add_error("preferred_until", f"期望日期范围不超过 {MAX_PREFERRED_SPAN_DAYS} 天。")
            if start > today + dt.timedelta(days=MAX_AHEAD_DAYS):
                self.add_error("preferred_from", "只能预约一年以内的服务。")
        village_id = data.get("village")
        data["village"] = None
        if village_id:
            village = ServiceArea.objects.filter(pk=village_id, kind=ServiceArea.Kind.VILLAGE, jurisdiction=self.jurisdiction).first()
            if village is None or (data.get("township") and village.parent_id != data["township"].pk):
                self.add_error("village", "所选村/社区不属于所选乡镇/街道。")
            else:
                data["village"] = village
        if data.get("requester_kind") in ("village", "school", "other") and not data.get("requester_org"):
            self.add_error("requester_org", "以村、学校或单位名义点单时，请填写名称。")
        return data


class LookupForm(KesuForm):
    code = forms.CharField(label="查询码", max_length=20, widget=forms.TextInput(attrs={"placeholder": "KS-XXXX-XXXX-XXX", "autocapitalize": "characters"}))


class RatingForm(KesuForm):
    rating = forms.TypedChoiceField(label="满意度评分", coerce=int, choices=[(i, f"{i} 分") for i in range(5, 0, -1)],
                                    widget=forms.RadioSelect)
    comment = forms.CharField(label="评价（选填）", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(KesuForm):
    reason = forms.CharField(label="原因", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


# ---------------------------------------------------------------------------- staff


class DispatchForm(KesuForm):
    unit = forms.ModelChoiceField(label="派单至部门", queryset=MemberUnit.objects.none(), empty_label="请选择部门")
    reason = forms.CharField(label="改派原因（重新派单时必填）", max_length=500, required=False)

    def __init__(self, *args, jurisdiction: Jurisdiction, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ids = [int(p) for p in jurisdiction.path.strip("/").split("/") if p]
        self.fields["unit"].queryset = MemberUnit.objects.filter(jurisdiction_id__in=ids, stands_for_all=False) \
            .select_related("jurisdiction").order_by("-jurisdiction__path", "name")


class AssignForm(KesuForm):
    team = forms.ModelChoiceField(label="指派服务队", queryset=Team.objects.none(), empty_label="请选择服务队")

    def __init__(self, *args, unit: MemberUnit | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if unit is not None:
            self.fields["team"].queryset = Team.objects.filter(unit=unit, dissolved_on__isnull=True).order_by("name")


class AcceptForm(KesuForm):
    team = forms.ModelChoiceField(label="以哪支服务队接单", queryset=Team.objects.none(), required=False, empty_label=None)

    def __init__(self, *args, teams=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams if teams is not None else Team.objects.none()


class RecordForm(KesuForm):
    """The team's service record (服务记录): when, how long, who served, how many attended, photos."""

    served_on = forms.DateField(label="服务日期", widget=DATE)
    start_time = forms.TimeField(label="开始时间", widget=forms.TimeInput(attrs={"type": "time"}))
    duration_hours = forms.FloatField(label="服务时长（小时）", min_value=0.5, max_value=12)
    attendees = forms.IntegerField(label="服务人数（到场群众）", min_value=0, max_value=100000)
    summary = forms.CharField(label="服务内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    volunteers = forms.ModelMultipleChoiceField(label="参与服务的志愿者", queryset=Volunteer.objects.none(),
                                                widget=forms.CheckboxSelectMultiple,
                                                help_text="每人计本次服务时长；个别志愿者时长较少的，在下方单独填写")

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["volunteers"].queryset = Volunteer.objects.filter(
            memberships__team=team, memberships__status="active").order_by("name")
        for volunteer in self.fields["volunteers"].queryset:
            self.fields[f"hours_{volunteer.pk}"] = forms.FloatField(
                label=f"{volunteer.name}的时长（小时，选填）", required=False, min_value=0, max_value=12)

    def clean_served_on(self) -> dt.date:
        day = self.cleaned_data["served_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("服务日期不能晚于今天：请在服务完成后登记。")
        return day

    def fewer(self) -> dict[int, float]:
        return {v.pk: self.cleaned_data[f"hours_{v.pk}"] for v in self.cleaned_data.get("volunteers", [])
                if self.cleaned_data.get(f"hours_{v.pk}") is not None}


class SignHoursForm(KesuForm):
    """Hours of one volunteer from sign-in and sign-out (an activity, or an order served over several visits)."""

    volunteer = forms.ModelChoiceField(label="志愿者", queryset=Volunteer.objects.none())
    sign_in = forms.DateTimeField(label="签到时间", widget=DateTimePicker())
    sign_out = forms.DateTimeField(label="签退时间", widget=DateTimePicker())

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = Volunteer.objects.filter(
            memberships__team=team, memberships__status="active").order_by("name")


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ServiceSettings
        fields = ["review_hours", "claim_hours", "assign_hours", "accept_hours", "serve_hours", "confirm_hours"]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            label = ServiceSettings._meta.get_field(name).verbose_name
            self.fields[name] = BoundedIntegerField(label=label, name=label.split("（")[0], bound=TIME_LIMIT_HOURS)


class TopicForm(KesuForm):
    name = forms.CharField(label="服务主题", max_length=50)
    description = forms.CharField(label="说明", max_length=200, required=False)


class AreaForm(KesuForm):
    township = forms.CharField(label="乡镇/街道", max_length=100)
    villages = forms.CharField(label="村/社区", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                               help_text="多个用“、”分隔；已存在的不会重复添加")


class RoleForm(KesuForm):
    username = forms.CharField(label="账号（用户名）", max_length=150)
    kind = forms.ChoiceField(label="角色", choices=[("officer", "社区/乡镇工作人员"), ("claimer", "部门领单人"), ("team_admin", "服务队管理员")])
    area = forms.ModelChoiceField(label="负责区域（社区/乡镇工作人员）", queryset=ServiceArea.objects.none(), required=False)
    unit = forms.ModelChoiceField(label="所在部门（部门领单人）", queryset=MemberUnit.objects.none(), required=False)
    team = forms.ModelChoiceField(label="服务队（服务队管理员）", queryset=Team.objects.none(), required=False)

    def __init__(self, *args, jurisdiction: Jurisdiction, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = ServiceArea.objects.filter(jurisdiction=jurisdiction, active=True).select_related("parent")
        self.fields["unit"].queryset = MemberUnit.objects.filter(jurisdiction=jurisdiction, stands_for_all=False)
        self.fields["team"].queryset = Team.objects.filter(jurisdiction=jurisdiction)

    def clean(self) -> dict:
        data = super().clean()
        needed = {"officer": "area", "claimer": "unit", "team_admin": "team"}.get(data.get("kind", ""))
        if needed and not data.get(needed):
            self.add_error(needed, "请选择")
        return data


# ---------------------------------------------------------------------------- registries


class TeamForm(KesuForm):
    name = forms.CharField(label="服务队名称", max_length=100)
    unit = forms.ModelChoiceField(label="所属部门", queryset=MemberUnit.objects.none(), required=False)
    area = forms.ModelChoiceField(label="主要服务区域", queryset=ServiceArea.objects.none(), required=False)
    topics = forms.ModelMultipleChoiceField(label="服务主题", queryset=Topic.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    in_pool = forms.BooleanField(label="参与服务队池接单", required=False, initial=True)
    founded_on = forms.DateField(label="成立日期", widget=DATE, initial=timezone.localdate)
    dissolved_on = forms.DateField(label="撤销日期", widget=DATE, required=False)
    description = forms.CharField(label="简介", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, jurisdiction: Jurisdiction, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = MemberUnit.objects.filter(jurisdiction=jurisdiction, stands_for_all=False)
        self.fields["area"].queryset = ServiceArea.objects.filter(jurisdiction=jurisdiction, kind="township", active=True)
        self.fields["topics"].queryset = topics_for(jurisdiction)


class VolunteerForm(KesuForm):
    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=[("", "—")] + Volunteer.Gender.choices, required=False)
    id_number = forms.CharField(label="身份证号", max_length=18, required=False)
    phone = forms.CharField(label="手机号", max_length=20)
    skills = forms.CharField(label="专业特长", max_length=200, required=False)
    topics = forms.ModelMultipleChoiceField(label="服务主题", queryset=Topic.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    area = forms.ModelChoiceField(label="所在区域", queryset=ServiceArea.objects.none(), required=False)
    affiliation = forms.CharField(label="工作单位", max_length=100, required=False)
    registered_on = forms.DateField(label="注册日期", widget=DATE, initial=timezone.localdate)
    left_on = forms.DateField(label="注销日期", widget=DATE, required=False)
    username = forms.CharField(label="关联登录账号（选填）", max_length=150, required=False,
                               help_text="关联后志愿者可登录查看本人服务记录、申请加入服务队")

    def __init__(self, *args, jurisdiction: Jurisdiction, editing: Volunteer | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.jurisdiction = jurisdiction
        self.fields["topics"].queryset = topics_for(jurisdiction)
        self.fields["area"].queryset = ServiceArea.objects.filter(jurisdiction=jurisdiction, active=True).select_related("parent")
        if editing is not None:  # numbers are never put in the page: an empty field keeps the stored one
            self.fields["phone"].required = False
            self.fields["phone"].help_text = f"留空则不修改（现为 {editing.masked_phone}）"
            self.fields["id_number"].help_text = f"留空则不修改（现为 {editing.masked_id or '未登记'}）"

    def clean_id_number(self) -> str:
        value = normalise_id(self.cleaned_data["id_number"])
        if value and not valid_id_number(value):
            raise forms.ValidationError("身份证号格式或校验位不正确。")
        return value

    def clean_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data["phone"])
        if phone and not valid_phone(phone) or not phone and self.fields["phone"].required:
            raise forms.ValidationError("手机号格式不正确。")
        return phone

    def clean(self) -> dict:
        data = super().clean()
        if data.get("left_on") and data.get("registered_on") and data["left_on"] < data["registered_on"]:
            self.add_error("left_on", "注销日期不能早于注册日期。")
        return data


class BaseForm(KesuForm):
    name = forms.CharField(label="基地名称", max_length=150)
    level = forms.ChoiceField(label="等级", choices=ScienceBase.Level.choices)
    host = forms.CharField(label="依托单位", max_length=150)
    kind = forms.ChoiceField(label="类型", choices=ScienceBase.Kind.choices)
    opening = forms.ChoiceField(label="开放状态", choices=ScienceBase.Opening.choices)
    area = forms.ModelChoiceField(label="所在乡镇", queryset=ServiceArea.objects.none(), required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)
    designated_year = forms.IntegerField(label="命名年份", min_value=1990, max_value=2100)
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args, jurisdiction: Jurisdiction, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = ServiceArea.objects.filter(jurisdiction=jurisdiction, kind="township")

    def clean_designated_year(self) -> int:
        year = self.cleaned_data["designated_year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError("命名年份不能晚于今年。")
        return year


class ReviewForm(KesuForm):
    year = forms.IntegerField(label="复核年度", min_value=1990, max_value=2100)
    outcome = forms.ChoiceField(label="复核结果", choices=[("passed", "复核通过"), ("rectify", "限期整改"), ("revoked", "撤销命名")])
    note = forms.CharField(label="说明", max_length=300, required=False)


class ImportForm(KesuForm):
    file = forms.FileField(label="Excel 文件（.xlsx）", help_text="第一行为表头；可先下载模板填写")


class SkipForm(KesuForm):
    skip = forms.CharField(label="跳过以下行", max_length=2000, required=False,
                           help_text="填写行号，用逗号或顿号分隔，如：3、7、12")

    def rows(self) -> set[int]:
        text = self.cleaned_data.get("skip", "") if hasattr(self, "cleaned_data") else ""
        rows = set()
        for part in text.replace("、", ",").replace("，", ",").replace(" ", ",").split(","):
            part = part.strip()
            if not part:
                continue
            low, _, high = part.partition("-") if "-" in part else (part, "", part)
            if not (low.isdigit() and high.isdigit() and len(low) < 10 and len(high) < 10):
                raise forms.ValidationError(f"“{part}”不是行号")
            first, last = int(low), int(high)
            for number in (first, last):
                if ROW_NUMBER.refusal("行号", number):
                    raise forms.ValidationError(f"“{part}”：{ROW_NUMBER.refusal('行号', number)}")
            if last < first or last - first > MAX_SKIPPED_ROWS:
                raise forms.ValidationError(f"“{part}”不是有效的行号范围（一次最多跳过 {MAX_SKIPPED_ROWS} 行）")
            rows.update(range(first, last + 1))
        return rows

"""Forms of the account pages. AccountForm checks one new account; the .xlsx import checks each row with it."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse

from kesu.domain.account_rules import USERNAME_RULE, person_name_problem, username_problem
from kesu.domain.unit_names import clean_name, unit_key
from kesu.org.models import Jurisdiction, Membership, MemberUnit, UnitAlias
from kesu.volunteering.crypto import normalise_phone, valid_phone

Role = Membership.Role


def unit_choices(jurisdiction: Jurisdiction) -> list[str]:
    """Names offered by the unit picker: the jurisdiction's own member units (not 各成员单位)."""
    return list(MemberUnit.objects.filter(jurisdiction=jurisdiction, stands_for_all=False)
                .order_by("name").values_list("name", flat=True))


def resolve_unit(jurisdiction: Jurisdiction, text: str) -> MemberUnit | None:
    """The member unit of `jurisdiction` that `text` names (its name, a shorter spelling or an alias)."""
    key = unit_key(clean_name(text), jurisdiction.name)
    unit = MemberUnit.objects.filter(jurisdiction=jurisdiction, key=key).first()
    if unit is None:
        alias = UnitAlias.objects.filter(jurisdiction=jurisdiction, key=key).select_related("unit").first()
        unit = alias.unit if alias else None
    return None if unit is None or unit.stands_for_all else unit


def unit_problem(jurisdiction: Jurisdiction, text: str) -> tuple[MemberUnit | None, str]:
    if not text:
        return None, "成员单位填报员须选择所在单位。"
    unit = resolve_unit(jurisdiction, text)
    if unit is None:
        return None, f"“{text}”不是{jurisdiction.name}的成员单位。"
    return unit, ""


class _Form(forms.Form):
    """Labels stand above their fields (or before them in a filter row): no colon after them."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class _RoleMixin:
    """Role and unit: a unit reporter needs a unit of the jurisdiction; other roles have none."""

    def clean_role_unit(self, jurisdiction: Jurisdiction | None) -> None:
        role, text = self.cleaned_data.get("role"), (self.cleaned_data.get("unit") or "").strip()
        self.cleaned_data["unit"] = None
        if role != Role.UNIT_REPORTER or jurisdiction is None:
            return
        unit, problem = unit_problem(jurisdiction, text)
        if problem:
            self.add_error("unit", problem)
        self.cleaned_data["unit"] = unit


class AccountForm(_RoleMixin, _Form):
    username = forms.CharField(label="账号", max_length=30, help_text=USERNAME_RULE + "；登录时使用。",
                               widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    name = forms.CharField(label="姓名", max_length=30)
    phone = forms.CharField(label="手机", max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    role = forms.ChoiceField(label="角色", choices=Role.choices, initial=Role.UNIT_REPORTER)
    unit = forms.CharField(label="单位", max_length=100, required=False,
                           help_text="成员单位填报员必填：输入几个字后从列表中选择本地区的成员单位。",
                           widget=forms.TextInput(attrs={"list": "unit-options", "autocomplete": "off"}))

    def __init__(self, *args, jurisdiction: Jurisdiction, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.jurisdiction = jurisdiction

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        problem = username_problem(username)
        if problem:
            raise forms.ValidationError(problem)
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(f"账号“{username}”已被使用，请换一个。")
        return username

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        problem = person_name_problem(name)
        if problem:
            raise forms.ValidationError(problem)
        return name

    def clean_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data["phone"])
        if not valid_phone(phone):
            raise forms.ValidationError(f"“{phone}”不是有效的手机号或固定电话号码。")
        return phone

    def clean(self) -> dict:
        super().clean()
        self.clean_role_unit(self.jurisdiction)
        return self.cleaned_data


class _AreaChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Jurisdiction) -> str:
        depth = obj.path.strip("/").count("/")
        return "　" * depth + obj.name


class GrantForm(_RoleMixin, _Form):
    jurisdiction = _AreaChoice(label="地区", queryset=Jurisdiction.objects.none(), empty_label=None,
                               widget=forms.Select(attrs={"data-unit-source": "unit-options"}))
    role = forms.ChoiceField(label="角色", choices=Role.choices, initial=Role.UNIT_REPORTER)
    unit = forms.CharField(label="单位", max_length=100, required=False, help_text="仅成员单位填报员填写。",
                           widget=forms.TextInput(attrs={"list": "unit-options", "autocomplete": "off"}))

    def __init__(self, *args, area, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = area
        self.fields["jurisdiction"].widget.attrs["data-units-url"] = reverse("accounts-units")

    def clean(self) -> dict:
        super().clean()
        self.clean_role_unit(self.cleaned_data.get("jurisdiction"))
        return self.cleaned_data


class _ParentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Jurisdiction) -> str:
        return f"{obj.name}（{obj.get_level_display()}）"


class JurisdictionForm(_Form):
    parent = _ParentChoice(label="上级地区", queryset=Jurisdiction.objects.none(), empty_label=None)
    name = forms.CharField(label="地区名称", max_length=100, help_text="如“襄汾县”“临汾市”，须与公文中的名称一致。")
    admin_username = forms.CharField(label="管理员账号", max_length=30, help_text=USERNAME_RULE + "。",
                                     widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    admin_name = forms.CharField(label="管理员姓名", max_length=30)
    admin_phone = forms.CharField(label="管理员手机", max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))

    def __init__(self, *args, parents, allow_top: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        field.queryset = parents
        if allow_top:
            field.required, field.empty_label = False, "（无上级：新建省级地区）"

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Jurisdiction.objects.filter(name=name).exists():
            raise forms.ValidationError(f"已有名为“{name}”的地区。")
        return name

    def clean(self) -> dict:
        super().clean()
        # The administrator is checked exactly like a new account of the office.
        person = AccountForm({"username": self.cleaned_data.get("admin_username", ""), "name": self.cleaned_data.get("admin_name", ""),
                              "phone": self.cleaned_data.get("admin_phone", ""), "role": Role.OFFICE_ADMIN},
                             jurisdiction=None)
        if not person.is_valid():
            for field, errors in person.errors.items():
                if f"admin_{field}" in self.fields and f"admin_{field}" not in self.errors:
                    for error in errors:
                        self.add_error(f"admin_{field}", error)
        else:
            self.cleaned_data.update({"admin_username": person.cleaned_data["username"],
                                      "admin_name": person.cleaned_data["name"], "admin_phone": person.cleaned_data["phone"]})
        return self.cleaned_data


class UploadForm(_Form):
    file = forms.FileField(label="Excel 文件（.xlsx）", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class SearchForm(_Form):
    """Filters of the account list; anything malformed is ignored rather than refused."""

    q = forms.CharField(label="账号或姓名", required=False, max_length=50)
    unit = forms.CharField(label="单位", required=False, max_length=100,
                           widget=forms.TextInput(attrs={"list": "unit-options", "autocomplete": "off"}))
    role = forms.ChoiceField(label="角色", required=False, choices=[("", "全部角色"), *Role.choices])
    state = forms.ChoiceField(label="状态", required=False,
                              choices=[("", "全部状态"), ("active", "正常"), ("inactive", "已停用"), ("locked", "已锁定"),
                                       ("must_change", "待修改临时密码")])

"""The form of the page 「API 令牌」. Its messages are Chinese whatever language the browser asks for."""

from __future__ import annotations

from django import forms

from kesu.api.models import DEFAULT_DAYS, ApiToken

VALIDITY_CHOICES = [(30, "30 天"), (90, "90 天"), (180, "半年（180 天）"), (365, "1 年"), (730, "2 年"), (1095, "3 年")]


class TokenForm(forms.Form):
    name = forms.CharField(
        label="用途", max_length=100, help_text="例如对接的系统名称：省科协数据平台",
        error_messages={"required": "请填写令牌用途。", "max_length": "令牌用途不能超过 100 个字。"},
    )
    scope = forms.ChoiceField(
        label="权限", choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ, widget=forms.RadioSelect,
        help_text="只读令牌只能查询数据；读写令牌还能保存、提交和审核报告（不超过本账号在网页上的权限）",
        error_messages={"required": "请选择令牌权限。", "invalid_choice": "令牌权限只能是“只读”或“读写”。"},
    )
    days = forms.TypedChoiceField(
        label="有效期", choices=VALIDITY_CHOICES, coerce=int, initial=DEFAULT_DAYS,
        error_messages={"required": "请选择有效期。", "invalid_choice": "请从列表中选择有效期。"},
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

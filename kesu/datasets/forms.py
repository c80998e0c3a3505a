"""Forms of the statistics pages (Chinese labels; bounded numbers, dates through the browser's date picker)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from kesu.datasets.models import TEMPLATE_CHOICES
from kesu.domain.number_bounds import Bound
from kesu.domain.reporting_periods import PERIOD_TYPE_LABELS
from kesu.infra.forms import BoundedIntegerField, DatePicker

YEAR = Bound(2000, 2100, integer=True, unit="年")
NUMBER = Bound(1, 4, integer=True)
DAYS = Bound(0, 60, integer=True, unit="天")


class RoundForm(forms.Form):
    template = forms.ChoiceField(label="报表", choices=TEMPLATE_CHOICES)
    period_type = forms.ChoiceField(label="统计周期", choices=[(p.value, label) for p, label in PERIOD_TYPE_LABELS.items()],
                                    help_text="科普统计按年度；学校情况表每学期一次，上学期填“半年”第 1 期，下学期填第 2 期。")
    year = BoundedIntegerField(label="统计年份", bound=YEAR)
    number = BoundedIntegerField(label="第几期", bound=NUMBER, help_text="年度填 1；半年填 1 或 2；季度填 1 至 4。")
    deadline = forms.DateField(label="填报截止日期", widget=DatePicker())
    lock_days = BoundedIntegerField(label="截止后锁定天数", bound=DAYS, initial=7)
    remind_days = BoundedIntegerField(label="截止前提醒天数", bound=DAYS, initial=3)

    @staticmethod
    def initial_values() -> dict:
        today = timezone.localdate()
        return {"template": "kepu", "period_type": "year", "year": today.year - 1, "number": 1,
                "deadline": today + dt.timedelta(days=30), "lock_days": 7, "remind_days": 3}


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class SchoolUploadForm(forms.Form):
    file = forms.FileField(label="学校名单（.xlsx）")

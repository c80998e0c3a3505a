"""The leading group's standing work in the demo, dated from today: each member unit's 分管领导 and 联络员 (one
liaison replaced this year, so the roster shows history), this year's 联络员培训, and the office's draft narrative
of the ended plan's end-of-term evaluation. Loaded once (a second call changes nothing)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from kesu.evaluation.actions import do_save_evaluation_text
from kesu.evaluation.models import EvaluationText, Part
from kesu.liaisons.actions import do_record_training, do_set_liaison
from kesu.liaisons.models import LiaisonEntry, Training
from kesu.org.access import Roles
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.plans.models import Plan

DAY = dt.timedelta(days=1)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "丽娟", "志强", "海燕", "文博", "晓东", "春梅", "国庆", "雅琴", "明亮", "红霞", "振华"]

EVALUATION = {
    Part.EFFECTS: (
        "“十四五”期间，全市公民具备科学素质的比例稳步提升，五大提升行动和重点工程总体按计划推进。"
        "各成员单位按照分工落实牵头任务，科普阵地和科技志愿服务队伍不断壮大，全国科普日、科技活动周等"
        "主题活动覆盖城乡，青少年、农民、产业工人、老年人和领导干部等重点人群科学素质明显提高。"
    ),
    Part.PROBLEMS: (
        "一是区域之间、城乡之间发展仍不平衡，部分县（市、区）基层科普服务能力不足；二是部分成员单位报送不及时，"
        "量化目标的统计口径不够统一；三是科普经费投入与人均标准相比仍有差距，社会力量参与不够。"
    ),
    Part.NEXT: (
        "一是将全民科学素质工作纳入“十五五”规划统筹推进，按年度制定工作要点；二是健全成员单位联络员制度，"
        "完善督查考核和统计制度；三是逐步提高人均科普专项经费，引导社会资金投入科普事业。"
    ),
}


def _person(index: int) -> str:
    return SURNAMES[index % len(SURNAMES)] + GIVEN[index % len(GIVEN)]


def load_demo_liaisons(jurisdiction: Jurisdiction, office: AbstractBaseUser) -> int:
    """分管领导 and 联络员 for up to 12 member units; returns how many people are listed."""
    if LiaisonEntry.objects.filter(unit__jurisdiction=jurisdiction).exists():
        return 0
    roles = Roles(office)
    today = timezone.localdate()
    start = dt.date(today.year - 3, 1, 1)
    units = list(MemberUnit.objects.filter(jurisdiction=jurisdiction, stands_for_all=False).order_by("name")[:12])
    people = 0
    for i, unit in enumerate(units):
        do_set_liaison(unit, LiaisonEntry.Post.LEADER, {
            "name": _person(2 * i), "title": "副局长" if "局" in unit.name else "副主任", "valid_from": start,
            "office_phone": f"0356-20{i:02d}{i + 11:03d}", "mobile": f"139{i:04d}{7000 + i:04d}"}, office, roles)
        do_set_liaison(unit, LiaisonEntry.Post.LIAISON, {
            "name": _person(2 * i + 1), "title": "科员", "valid_from": start,
            "office_phone": f"0356-21{i:02d}{i + 31:03d}", "mobile": f"138{i:04d}{5000 + i:04d}"}, office, roles)
        people += 2
    if units:  # one unit's liaison changed this spring: the roster keeps the predecessor's term
        do_set_liaison(units[0], LiaisonEntry.Post.LIAISON, {
            "name": "宋佳宁", "title": "科员", "valid_from": max(dt.date(today.year, 3, 1), today - 200 * DAY),
            "mobile": "13600005678"}, office, roles)
        people += 1
    return people


def load_demo_training(jurisdiction: Jurisdiction, office: AbstractBaseUser) -> Training | None:
    """This year's liaison training, a month ago, attended by all but two liaisons then in office."""
    if Training.objects.filter(jurisdiction=jurisdiction).exists():
        return None
    held_on = timezone.localdate() - 30 * DAY
    liaisons = list(LiaisonEntry.objects.filter(
        unit__jurisdiction=jurisdiction, post=LiaisonEntry.Post.LIAISON, valid_from__lte=held_on,
    ).exclude(valid_to__lt=held_on).order_by("unit__name"))
    if not liaisons:
        return None
    return do_record_training(jurisdiction, {
        "held_on": held_on, "topic": "全民科学素质工作联络员业务培训（填报与统计）", "place": "市科技馆报告厅",
    }, liaisons[:-2] or liaisons, office, Roles(office))


def load_demo_evaluation(plan: Plan, office: AbstractBaseUser) -> None:
    """The office's draft narrative of the plan's whole-term evaluation."""
    years = (plan.period_start, plan.period_end)
    for part, text in EVALUATION.items():
        if not EvaluationText.objects.filter(plan=plan, start_year=years[0], end_year=years[1], part=part).exists():
            do_save_evaluation_text(plan, years, part, text, 0, office)

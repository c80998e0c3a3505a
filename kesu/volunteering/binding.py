"""Plan targets bound to live counts — enter once, count everywhere.

A TargetBinding ties a plans.Target (e.g. 科技志愿服务队人数达3000人以上, 市级科普教育基地5家以上) to one count
kind and its filters. bound_target_values(plan) gives each bound target's current value and the counting rule
in words; bound_target_series(plan) gives the values at each quarter's end as observations, so that tracking's
targets_progress can project the trend exactly as it does for reported values.

Scope: the plan's jurisdiction and everything below it (a city's target counts its counties' volunteers).
Stocks (volunteers, team members, teams, bases) are counted as they stood on the day; flows (activities,
participants, completed orders, service hours) are summed since the plan period began — or within the year,
for a yearly (每年) target. Counting stops at the target's deadline year (or the end of the plan period).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from kesu.domain.campaign_rules import audience_words
from kesu.domain.target_progress import Observation
from kesu.plans.models import Plan, Target
from kesu.tracking.live_values import Total
from kesu.tracking.models import Activity, ActivityAudience
from kesu.volunteering.models import (
    ScienceBase,
    ServiceHours,
    ServiceOrder,
    ServiceRecord,
    TargetBinding,
    Team,
    TeamMembership,
    Volunteer,
)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    unit: str
    stock: bool  # a number of things existing on a day (else: a sum of events over a window)
    rule: str  # how it is counted, {scope}/{window} filled in


KINDS: dict[str, Kind] = {k.key: k for k in [
    Kind("volunteers", "在册科技志愿者人数", "人", True, "{scope}在册科技志愿者人数（注册日期不晚于当日、未注销）"),
    Kind("team_members", "科技志愿服务队队员人数", "人", True,
         "{scope}科技志愿服务队在队队员人数（经服务队审核入队；一人加入多支队伍只计一次）"),
    Kind("teams", "科技志愿服务队数", "支", True, "{scope}在册科技志愿服务队数（已成立、未撤销）"),
    Kind("bases", "科普教育基地数", "家", True, "{scope}{levels}科普教育基地数（已命名、未撤销命名）"),
    Kind("activities", "科普活动场次", "场", False, "{scope}{window}登记的{audiences}{activity_kinds}场次"),
    Kind("activity_participants", "科普活动参与人次", "人次", False,
         "{scope}{window}登记的{audiences}{activity_kinds}{audience_people}参与人数之和"),
    Kind("orders_completed", "志愿服务单完成数", "单", False, "{scope}{window}办结的群众点单服务单数"),
    Kind("order_participants", "志愿服务单服务人次", "人次", False, "{scope}{window}办结的服务单服务人数之和（以服务记录为准）"),
    Kind("service_hours", "志愿服务时长", "小时", False, "{scope}{window}记录的志愿服务时长之和"),
]}
LEVEL_LABELS = dict(ScienceBase.Level.choices)
ACTIVITY_LABELS = dict(Activity.Kind.choices)


def _subtree(plan: Plan) -> str:
    return plan.jurisdiction.path


def _window(target: Target, plan: Plan, day: dt.date) -> tuple[dt.date, dt.date]:
    if target.annual:
        return dt.date(day.year, 1, 1), day
    return dt.date(plan.period_start, 1, 1), day


def _window_text(target: Target, plan: Plan) -> str:
    return "当年1月1日以来" if target.annual else f"{plan.period_start}年以来"


def rule_text(binding: TargetBinding) -> str:
    kind = KINDS[binding.kind]
    plan = binding.target.task.section.plan
    levels = "、".join(LEVEL_LABELS[level] for level in binding.levels) if binding.levels else "各级"
    kinds = "、".join(ACTIVITY_LABELS[k] for k in binding.activity_kinds) + "活动" if binding.activity_kinds else "科普活动"
    text = kind.rule.format(scope=f"{plan.jurisdiction.name}及下辖地区", levels=levels, activity_kinds=kinds,
                            window=_window_text(binding.target, plan), **_audience_words(binding.audiences))
    return f"实时统计：{text}。"


def count(binding: TargetBinding, plan: Plan, day: dt.date) -> float:
    """The bound count as it stood at the end of `day`."""
    start, end = _window(binding.target, plan, day)
    return count_kind(binding.kind, _subtree(plan), start, end, binding.levels, binding.activity_kinds, binding.audiences)


def _audience_words(audiences: list[str]) -> dict[str, str]:
    """面向老年人、农民的 … （仅计这些群体的人数）: the audience filter in words, or nothing without one."""
    if not audiences:
        return {"audiences": "", "audience_people": ""}
    words = audience_words(audiences)
    return {"audiences": f"面向{words}的", "audience_people": f"中{words}的"}


def count_kind(kind: str, path: str, start: dt.date, day: dt.date, levels: list[str] = (),
               activity_kinds: list[str] = (), audiences: list[str] = ()) -> float:
    """A count of KINDS in the area at `path` and below: stocks as they stood on `day`, flows from `start` to `day`."""
    end = day
    if kind == "volunteers":
        return Volunteer.objects.filter(jurisdiction__path__startswith=path, registered_on__lte=day) \
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=day)).count()
    if kind == "team_members":
        return TeamMembership.objects.filter(team__jurisdiction__path__startswith=path, joined_on__lte=day) \
            .filter(Q(status="active") | Q(status="left", left_on__gt=day)) \
            .aggregate(n=Count("volunteer", distinct=True))["n"]
    if kind == "teams":
        return Team.objects.filter(jurisdiction__path__startswith=path, founded_on__lte=day) \
            .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day)).count()
    if kind == "bases":
        bases = ScienceBase.objects.filter(jurisdiction__path__startswith=path, designated_year__lte=day.year) \
            .filter(Q(revoked_year__isnull=True) | Q(revoked_year__gt=day.year))
        if levels:
            bases = bases.filter(level__in=levels)
        return bases.count()
    if kind in ("activities", "activity_participants"):
        activities = _activities(activity_kinds, path).filter(held_on__gte=start, held_on__lte=end)
        if audiences:  # only activities for these groups, and only these groups' participants
            groups = ActivityAudience.objects.filter(activity__in=activities, group__in=audiences)
            if kind == "activities":
                return groups.values("activity").distinct().count()
            return groups.aggregate(n=Sum("participants"))["n"] or 0
        if kind == "activities":
            return activities.count()
        return activities.aggregate(n=Sum("participants"))["n"] or 0
    tz = timezone.get_default_timezone()
    closed = ServiceOrder.objects.filter(
        jurisdiction__path__startswith=path, state="closed",
        closed_at__gte=dt.datetime.combine(start, dt.time(0), tz), closed_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tz))
    if kind == "orders_completed":
        return closed.count()
    if kind == "order_participants":
        return ServiceRecord.objects.filter(order__in=closed).aggregate(n=Sum("attendees"))["n"] or 0
    if kind == "service_hours":
        return ServiceHours.objects.filter(team__jurisdiction__path__startswith=path, served_on__gte=start,
                                           served_on__lte=end).aggregate(n=Sum("hours"))["n"] or 0
    raise ValueError(f"unknown count kind {kind}")


def _activities(activity_kinds: list[str], path: str) -> QuerySet[Activity]:
    activities = Activity.objects.filter(plan__jurisdiction__path__startswith=path)
    if activity_kinds:
        activities = activities.filter(kind__in=activity_kinds)
    return activities


def period_totals(plan: Plan, start: dt.date, end: dt.date) -> list[Total]:
    """Every count kind for the plan's area (kesu.tracking.live_values.period_totals, e.g. for an evaluation)."""
    scope = f"{plan.jurisdiction.name}及下辖地区"
    window = f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}"
    return [
        Total(kind.label, float(count_kind(kind.key, _subtree(plan), start, end)), kind.unit,
              kind.rule.format(scope=scope, levels="各级", activity_kinds="科普活动", window=window, **_audience_words([]))
              + ("（截至期末）" if kind.stock else ""))
        for kind in KINDS.values()
    ]


def _bindings(plan: Plan) -> list[TargetBinding]:
    return list(TargetBinding.objects.filter(target__task__section__plan=plan)
                .select_related("target__task__section__plan__jurisdiction"))


def bound_target_values(plan: Plan, as_of: dt.date | None = None) -> dict[int, tuple[float, str]]:
    """target id → (current value, counting rule in words), for every bound target of the plan."""
    day = as_of or timezone.localdate()
    return {b.target_id: (float(count(b, plan, last_day(b.target, plan, day))), rule_text(b)) for b in _bindings(plan)}


def last_day(target: Target, plan: Plan, today: dt.date) -> dt.date:
    """Counting stops at the target's deadline (or the end of the plan period): later work does not count."""
    end_year = plan.period_end if target.annual or target.year is None else min(target.year, plan.period_end)
    return min(today, dt.date(end_year, 12, 31))


def observation_days(plan: Plan, today: dt.date) -> list[dt.date]:
    """Quarter ends from the start of the plan period up to today, and today."""
    days = []
    for year in range(plan.period_start, today.year + 1):
        for month, last in ((3, 31), (6, 30), (9, 30), (12, 31)):
            day = dt.date(year, month, last)
            if day < today:
                days.append(day)
    return days + [today]


def bound_target_series(plan: Plan, as_of: dt.date | None = None) -> dict[int, tuple[list[Observation], str]]:
    """target id → (observations at each quarter end and today, counting rule): what targets_progress needs.

    A yearly target only gets the days of the current year (its value restarts each January).
    """
    today = as_of or timezone.localdate()
    result = {}
    for binding in _bindings(plan):
        end = last_day(binding.target, plan, today)
        days = observation_days(plan, end)
        if binding.target.annual:
            days = [d for d in days if d.year == end.year]
        result[binding.target_id] = ([Observation(d, float(count(binding, plan, d))) for d in days], rule_text(binding))
    return result


_LEVEL_WORDS = [("国家级", "national"), ("省级", "province"), ("市级", "city"), ("县级", "county")]
_ACTIVITY_WORDS = [("科普日", "science_day"), ("科技活动周", "science_week"), ("讲座", "lecture"), ("报告", "lecture"),
                   ("培训", "training"), ("展览", "exhibition"), ("竞赛", "contest"), ("志愿服务活动", "volunteer")]


def suggest(target: Target) -> tuple[str, list[str], list[str]] | None:
    """A binding the indicator's wording and unit suggest (kind, levels, activity kinds), or None.

    Cautious: rates and shares (%, 率) are never counts, and the unit must fit the count (人, 支, 家, 场…).
    """
    text, unit = target.indicator + target.text, target.unit
    if "%" in unit or "率" in target.indicator or "比例" in target.indicator:
        return None
    if "科普教育基地" in text and unit in ("家", "个", "处"):
        return "bases", [code for word, code in _LEVEL_WORDS if word in target.indicator], []
    if "服务队" in text and unit in ("人", "名"):
        return "team_members", [], []
    if "服务队" in text and unit in ("支", "个"):
        return "teams", [], []
    if "志愿者" in text and unit in ("人", "名"):
        return "volunteers", [], []
    if "时长" in text and unit == "小时":
        return "service_hours", [], []
    if "活动" in target.indicator:
        kinds = sorted({code for word, code in _ACTIVITY_WORDS if word in text})
        if unit in ("场", "次", "项", "期"):
            return "activities", [], kinds
        if unit in ("人次", "人"):
            return "activity_participants", [], kinds
    return None


_AUDIENCE_WORDS = [("老年", "elderly"), ("助老", "elderly"), ("农民", "farmers"), ("青少年", "youth"), ("学生", "youth"),
                   ("产业工人", "workers"), ("职工", "workers"), ("领导干部", "cadres"), ("公务员", "cadres")]


def suggest_audiences(target: Target) -> list[str]:
    """The audience groups an activity target names ("[智慧助老]每年组织科普活动不少于5次" → the elderly), else none."""
    text = target.indicator + target.text
    if "活动" not in text:
        return []
    return sorted({code for word, code in _AUDIENCE_WORDS if word in text})


class BindingSource:
    """Bound targets as tracking's live source (kesu.tracking.live_values), registered in ServicesConfig.ready()."""

    def live_plan_ids(self, plan_ids: Iterable[int]) -> set[int]:
        return set(TargetBinding.objects.filter(target__task__section__plan_id__in=list(plan_ids))
                   .values_list("target__task__section__plan_id", flat=True))

    def values(self, plan: Plan, as_of: dt.date) -> dict[int, tuple[float, str]]:
        return bound_target_values(plan, as_of)

    def series(self, plan: Plan, as_of: dt.date) -> dict[int, tuple[list[Observation], str]]:
        return bound_target_series(plan, as_of)

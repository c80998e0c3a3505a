"""The built-in pre-fill sources (kesu.datasets.prefill): activities and participants (进展填报 · 科普活动),
registered volunteers and science bases (志愿服务), completed volunteer service orders."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, Sum
from django.utils import timezone

from kesu.datasets.models import Submission
from kesu.datasets.prefill import register_prefill
from kesu.domain.reporting_periods import Period
from kesu.domain.unit_names import unit_key
from kesu.tracking.models import Activity
from kesu.volunteering.models import ScienceBase, ServiceOrder, TeamMembership, Volunteer

ACTIVITIES = "进展填报 · 科普活动登记"
SERVICE = "志愿服务"


def _activities(submission: Submission, period: Period, kinds: tuple[str, ...] = ()):
    if submission.kind != Submission.Kind.UNIT:
        return None
    rows = Activity.objects.filter(unit_id=submission.unit_id, held_on__gte=period.starts_on, held_on__lte=period.ends_on)
    return rows.filter(kind__in=kinds) if kinds else rows


def _count(kinds: tuple[str, ...] = ()):
    def count(submission: Submission, period: Period) -> float | None:
        rows = _activities(submission, period, kinds)
        return None if rows is None else rows.count()
    return count


def _participants(submission: Submission, period: Period) -> float | None:
    rows = _activities(submission, period)
    return None if rows is None else rows.aggregate(n=Sum("participants"))["n"] or 0


def _volunteers(submission: Submission, period: Period) -> float | None:
    day = period.ends_on
    if submission.kind == Submission.Kind.UNIT:
        return TeamMembership.objects.filter(team__unit_id=submission.unit_id, joined_on__lte=day) \
            .filter(Q(status="active") | Q(status="left", left_on__gt=day)).values("volunteer").distinct().count()
    if submission.kind == Submission.Kind.TOWNSHIP:
        return Volunteer.objects.filter(area_id=submission.area_id, registered_on__lte=day) \
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=day)).count()
    return None


def _bases(submission: Submission, period: Period) -> float | None:
    bases = ScienceBase.objects.filter(designated_year__lte=period.year) \
        .filter(Q(revoked_year__isnull=True) | Q(revoked_year__gt=period.year))
    if submission.kind == Submission.Kind.TOWNSHIP:
        return bases.filter(area_id=submission.area_id).count()
    if submission.kind == Submission.Kind.UNIT:
        key = unit_key(submission.unit.name)
        return sum(1 for host in bases.filter(jurisdiction_id=submission.round.jurisdiction_id).values_list("host", flat=True)
                   if unit_key(host) == key)
    return None


def _services(submission: Submission, period: Period) -> float | None:
    tz = timezone.get_default_timezone()
    closed = ServiceOrder.objects.filter(
        state="closed", closed_at__gte=dt.datetime.combine(period.starts_on, dt.time(0), tz),
        closed_at__lt=dt.datetime.combine(period.ends_on + dt.timedelta(days=1), dt.time(0), tz))
    if submission.kind == Submission.Kind.UNIT:
        return closed.filter(unit_id=submission.unit_id).count()
    if submission.kind == Submission.Kind.TOWNSHIP:
        return closed.filter(township_id=submission.area_id).count()
    return None


def register_builtin_sources() -> None:
    window = "统计期内（按活动日期）"
    register_prefill("kepu.a_events", ACTIVITIES, _count(), f"本单位{window}登记的科普活动场次")
    register_prefill("kepu.a_lectures", ACTIVITIES, _count(("lecture",)), f"本单位{window}登记的“讲座/报告”场次")
    register_prefill("kepu.a_exhibitions", ACTIVITIES, _count(("exhibition",)), f"本单位{window}登记的“展览/展示”场次")
    register_prefill("kepu.a_contests", ACTIVITIES, _count(("contest",)), f"本单位{window}登记的“竞赛”场次")
    register_prefill("kepu.a_participants", ACTIVITIES, _participants, f"本单位{window}登记的科普活动参与人数之和")
    register_prefill("kepu.p_volunteers", f"{SERVICE} · 志愿者名册", _volunteers,
                     "统计期末在册的科技志愿者：成员单位按其所属服务队的在队队员（一人只计一次），乡镇按所在区域")
    register_prefill("kepu.v_bases", f"{SERVICE} · 科普教育基地", _bases,
                     "统计年度已命名、未撤销的科普教育基地：成员单位按依托单位名称，乡镇按所在乡镇")
    register_prefill("kepu.a_volunteer_services", f"{SERVICE} · 群众点单", _services,
                     "统计期内办结的群众点单服务单数：成员单位按承办部门，乡镇按所在乡镇")

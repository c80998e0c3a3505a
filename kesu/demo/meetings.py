"""Demo leading-group meetings (领导小组会议) of a jurisdiction, dated from today: this year's plenary meeting with
decisions done on time, overdue and not yet due, and a liaison meeting. Loaded once (a second call changes nothing)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from kesu.meetings.actions import do_add_decision, do_complete_decision, do_record_meeting
from kesu.meetings.models import Meeting
from kesu.org.models import Jurisdiction, MemberUnit

DAY = dt.timedelta(days=1)
PLENARY_TITLE = "全民科学素质工作领导小组全体会议"


def _pick(units: list[MemberUnit], *names: str) -> list[MemberUnit]:
    """The units whose name contains one of `names` (the first units when none matches: any plan's units will do)."""
    found = [u for u in units if any(n in u.name for n in names)]
    return found or units[:1]


def load_demo_meetings(jurisdiction: Jurisdiction, office: AbstractBaseUser) -> Meeting | None:
    units = list(MemberUnit.objects.filter(jurisdiction=jurisdiction, stands_for_all=False).order_by("name"))
    if not units:
        return None
    existing = Meeting.objects.filter(jurisdiction=jurisdiction, title__endswith=PLENARY_TITLE).first()
    if existing:
        return existing
    today = timezone.localdate()
    kx, edu, agri = _pick(units, "科协"), _pick(units, "教育"), _pick(units, "农业")
    meeting = do_record_meeting(jurisdiction, office, {
        "kind": Meeting.Kind.PLENARY, "title": f"{today.year}年{PLENARY_TITLE}", "held_on": today - 75 * DAY,
        "chair": "分管副市长（领导小组组长）", "place": "市政府第一会议室",
        "attendees": "分管副市长（领导小组组长）\n市科协主席（领导小组副组长）\n各成员单位分管负责同志",
        "agenda": "一、总结上年度全民科学素质工作\n二、部署本年度工作要点\n三、协调解决实施中的重大问题",
    }, units[: min(len(units), 12)])
    done = do_add_decision(meeting, office, "筹备本年度全国科普日主场活动，各成员单位结合职能组织系列活动",
                           today - 40 * DAY, kx, edu + agri)
    do_complete_decision(done, office, done.version, today - 45 * DAY, "主场活动如期举办，各成员单位开展系列活动")
    do_add_decision(meeting, office, "制定中小学科学教育“双减”加法实施方案，报领导小组办公室备案", today - 10 * DAY, edu, kx)
    do_add_decision(meeting, office, "开展农村科技特派员科普服务专项行动", today + 30 * DAY, agri, kx)
    liaison = do_record_meeting(jurisdiction, office, {
        "kind": Meeting.Kind.LIAISON, "title": "全民科学素质工作联络员会议暨业务培训", "held_on": today - 20 * DAY,
        "chair": "市科协分管副主席", "place": "市科技馆", "attendees": "", "agenda": "一、年度填报要求\n二、联络员业务培训",
    }, units[: min(len(units), 8)])
    do_add_decision(liaison, office, "各成员单位按时报送年度工作总结", today + 20 * DAY, kx, [])
    return meeting

"""Meetings tests start from 襄汾县 (kesu.testing actors) with four member units, a reporter of 县教科局 and of
团县委, and one meeting held ten days ago with two decisions (one overdue, one due in a month)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from kesu.meetings.actions import do_add_decision, do_record_meeting
from kesu.meetings.models import Meeting
from kesu.org.models import Membership, MemberUnit
from kesu.testing import PASSWORD, BaseTestCase

DAY = dt.timedelta(days=1)


def meeting_data(**changes) -> dict:
    data = {"kind": Meeting.Kind.PLENARY, "title": "县全民科学素质工作领导小组全体会议",
            "held_on": timezone.localdate() - 10 * DAY, "chair": "王副县长", "place": "县政府三楼会议室",
            "attendees": "王副县长\n李主席（县科协）", "agenda": "一、总结上年工作\n二、部署本年任务"}
    data.update(changes)
    return data


class MeetingTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.edu, cls.kx, cls.league, cls.health = (
            MemberUnit.objects.create(jurisdiction=cls.county, name=name, key=name)
            for name in ("县教科局", "县科协", "团县委", "县卫健局"))
        cls.other_unit = MemberUnit.objects.create(jurisdiction=cls.other_county, name="乡宁县科协", key="乡宁县科协")
        cls.edu_reporter = cls.reporter("edu_reporter", cls.edu)
        cls.league_reporter = cls.reporter("league_reporter", cls.league)
        cls.health_reporter = cls.reporter("health_reporter", cls.health)
        today = timezone.localdate()
        cls.meeting = do_record_meeting(cls.county, cls.county_admin, meeting_data(), [cls.edu, cls.kx])
        cls.late = do_add_decision(cls.meeting, cls.county_admin, "制定科普进校园年度方案", today - 2 * DAY,
                                   [cls.edu], [cls.league])
        cls.later = do_add_decision(cls.meeting, cls.county_admin, "筹备全国科普日活动", today + 30 * DAY, [cls.kx], [cls.edu])

    @classmethod
    def reporter(cls, username: str, unit: MemberUnit):
        user = get_user_model().objects.create_user(username, password=PASSWORD)
        Membership.objects.create(user=user, jurisdiction=cls.county, role=Membership.Role.UNIT_REPORTER, unit=unit)
        return user

"""Tracking tests start from the small plan of 襄汾县 with an open quarterly cycle and unit reporters:
edu_reporter (县教科局, leads two measures), kx_reporter (县科协, leads the grassroots measure and supports
the youth ones), league_reporter (团县委, supports one measure) — plus the org actors of BaseTestCase.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from kesu.org.models import Membership, MemberUnit
from kesu.testing import PASSWORD, BaseTestCase, small_plan
from kesu.tracking.actions import do_open_cycle
from kesu.tracking.models import Report


def current_plan() -> dict:
    """The small plan shifted so that its period (and its targets' deadlines) cover today."""
    year = timezone.localdate().year
    parsed = small_plan(period={"start": year - 2, "end": year + 2})
    for section in parsed["sections"]:
        for task in section["tasks"]:
            for target in task["targets"]:
                target["year"] = year + 2 if target["year"] else None
    return parsed


class TrackingTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.plan = self.import_plan(current_plan())
        self.edu = MemberUnit.objects.get(name="县教科局")
        self.kx = MemberUnit.objects.get(name="县科协")
        self.league = MemberUnit.objects.get(name="团县委")
        self.edu_reporter = self.reporter("edu_reporter", self.edu)
        self.kx_reporter = self.reporter("kx_reporter", self.kx)
        self.league_reporter = self.reporter("league_reporter", self.league)
        today = timezone.localdate()
        self.cycle = do_open_cycle(self.plan, self.county_admin, "quarter", today.year, (today.month - 1) // 3 + 1,
                                   today + dt.timedelta(days=10))

    def reporter(self, username: str, unit: MemberUnit):
        user = get_user_model().objects.create_user(username, password=PASSWORD)
        Membership.objects.create(user=user, jurisdiction=self.county, role=Membership.Role.UNIT_REPORTER, unit=unit)
        return user

    def report_of(self, unit: MemberUnit, title_part: str = "") -> Report:
        return Report.objects.filter(cycle=self.cycle, unit=unit, task__title__contains=title_part).first()

"""Tracking tests start from the small plan of 襄汾县 with an open quarterly cycle and unit reporters:
edu_reporter (县教科局, leads two measures), kx_reporter (县科协, leads the grassroots measure and supports
the youth ones), league_reporter (团县委, supports one measure) — plus the org actors of BaseTestCase.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.cache import cache
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
    """Set up once per class (Django copies the objects for each test; the database is rolled back after each)."""

    reporters_have_email = False  # e-mail goes through the outbox only to accounts that have an address

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.plan = cls.import_plan(cls, current_plan())
        cls.edu = MemberUnit.objects.get(name="县教科局")
        cls.kx = MemberUnit.objects.get(name="县科协")
        cls.league = MemberUnit.objects.get(name="团县委")
        cls.edu_reporter = cls.reporter("edu_reporter", cls.edu)
        cls.kx_reporter = cls.reporter("kx_reporter", cls.kx)
        cls.league_reporter = cls.reporter("league_reporter", cls.league)
        today = timezone.localdate()
        cls.cycle = do_open_cycle(cls.plan, cls.county_admin, "quarter", today.year, (today.month - 1) // 3 + 1,
                                  today + dt.timedelta(days=10))

    def setUp(self) -> None:
        cache.clear()  # page fragments and plan versions cached by an earlier test of the same plan

    @classmethod
    def reporter(cls, username: str, unit: MemberUnit):
        email = f"{username}@example.org" if cls.reporters_have_email else ""
        user = get_user_model().objects.create_user(username, password=PASSWORD, email=email)
        Membership.objects.create(user=user, jurisdiction=cls.county, role=Membership.Role.UNIT_REPORTER, unit=unit)
        return user

    def report_of(self, unit: MemberUnit, title_part: str = "") -> Report:
        return Report.objects.filter(cycle=self.cycle, unit=unit, task__title__contains=title_part).first()

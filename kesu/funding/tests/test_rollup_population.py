"""The city's roll-up weighs a rate shared by its counties by the 常住人口 entered with their funding, and a changed
population changes the cached roll-up at once."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from kesu.funding.actions import do_save_funding_year
from kesu.funding.tests.base import year_data
from kesu.org.models import Membership, MemberUnit
from kesu.testing import PASSWORD
from kesu.tracking.actions import do_approve_report, do_open_cycle, do_save_report, do_submit_report
from kesu.tracking.models import Report
from kesu.tracking.tests.base import TrackingTestCase, current_plan

RATE = "学生科普活动参与率"


@override_settings(KESU_READ_CACHE=True)
class PopulationWeightTests(TrackingTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        today = timezone.localdate()
        other = cls.import_plan(cls, current_plan(), jurisdiction=cls.other_county, sha="other")
        other_cycle = do_open_cycle(other, cls.other_county_admin, "quarter", today.year, (today.month - 1) // 3 + 1,
                                    today + dt.timedelta(days=10))
        other_edu = MemberUnit.objects.get(jurisdiction=cls.other_county, name="县教科局")
        other_reporter = get_user_model().objects.create_user("other_edu", password=PASSWORD)
        Membership.objects.create(user=other_reporter, jurisdiction=cls.other_county, role=Membership.Role.UNIT_REPORTER,
                                  unit=other_edu)
        for cycle, reporter, admin, value in ((cls.cycle, cls.edu_reporter, cls.county_admin, 80),
                                              (other_cycle, other_reporter, cls.other_county_admin, 100)):
            report = Report.objects.get(cycle=cycle, task__targets__indicator=RATE)
            report = do_save_report(report, reporter, report.version, "in_progress", "已开展", {report.task.targets.get().pk: value})
            do_approve_report(do_submit_report(report, reporter, report.version), admin)
        year = today.year
        do_save_funding_year(cls.other_county, year - 1, cls.other_county_admin, 0, year_data(population="100000"))

    def rollup(self) -> str:
        return self.client.get(reverse("tracking-rollup", args=[self.city.pk])).content.decode()

    def test_a_rate_is_weighted_once_every_area_has_a_population(self):
        self.login(self.city_leader)
        self.assertNotIn("<br>按人口加权", self.rollup())  # 襄汾县 has no population yet
        with self.captureOnCommitCallbacks(execute=True):  # the plans' new versions are set once the save commits
            do_save_funding_year(self.county, timezone.localdate().year, self.county_admin, 0, year_data(population="300000"))
        # (80 × 300000 + 100 × 100000) ÷ 400000, with 乡宁县's population of last year; the cached page changed at once
        self.assertIn("<br>按人口加权 85%", self.rollup())

    def tearDown(self) -> None:
        cache.clear()

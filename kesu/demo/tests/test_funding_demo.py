"""The demo's 科普经费: two years for 襄汾县 with the province's standard, so per capita, growth and spending show;
loaded once."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from kesu.demo.funding import load_demo_funding
from kesu.funding.figures import summary
from kesu.funding.models import AllocationLine, FundingYear, SpendingEntry
from kesu.testing import BaseTestCase


class FundingDemoTests(BaseTestCase):
    def test_two_years_with_growth_and_the_standard_loaded_once(self) -> None:
        self.import_plan()
        year = timezone.localdate().year
        self.assertIsNotNone(load_demo_funding(self.county, self.county_admin))
        self.assertIsNone(load_demo_funding(self.county, self.county_admin))
        self.assertEqual(sorted(FundingYear.objects.values_list("year", flat=True)), [year - 1, year])
        found = summary(self.county, year)
        self.assertTrue(found.per_capita.known and found.growth.known)
        self.assertEqual(found.standard_verdict.state, "met")  # 88 万元 for 415000 people: 2.12 ≥ 2 元/人
        self.assertFalse(summary(self.county, year - 1).standard_verdict.met)  # 68 万元: 1.64 < 2
        self.assertTrue(AllocationLine.objects.filter(task__isnull=False).exists())
        self.assertTrue(SpendingEntry.objects.filter(files__isnull=False).exists())
        self.login(self.county_admin)
        self.assertContains(self.client.get(reverse("funding-year", args=[self.county.pk])), "2.12 元/人")

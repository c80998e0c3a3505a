"""The new-cycle form offers a period the plan accepts: this quarter for a current plan; for an ended plan it
says so and offers only its final annual report (终期总结), then nothing (issue 10, item 7)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from kesu.testing import BaseTestCase, small_plan
from kesu.tracking.models import ReportingCycle
from kesu.tracking.tests.base import current_plan


def ended_plan() -> dict:
    year = timezone.localdate().year
    parsed = small_plan(period={"start": year - 5, "end": year - 1})
    for section in parsed["sections"]:
        for task in section["tasks"]:
            for target in task["targets"]:
                target["year"] = year - 1 if target["year"] else None
    return parsed


class NewCycleFormTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.current = cls.import_plan(cls, current_plan(), sha="current")
        cls.ended = cls.import_plan(cls, ended_plan(), jurisdiction=cls.other_county, sha="ended")

    def open_with_defaults(self, plan, user):
        self.login(user)
        url = reverse("tracking-plan", args=[plan.pk])
        page = self.client.get(url)
        form = page.context["form"]
        data = {name: form[name].value() for name in form.fields}
        data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items() if v is not None}
        return page, self.client.post(url, data)

    def test_the_default_of_a_current_plan_is_accepted(self):
        page, answer = self.open_with_defaults(self.current, self.county_admin)
        self.assertNotContains(page, "实施期已结束")
        self.assertEqual(answer.status_code, 302, answer.content.decode()[:2000])
        cycle = ReportingCycle.objects.get(plan=self.current)
        self.assertEqual(cycle.year, timezone.localdate().year)
        self.assertGreater(cycle.deadline, timezone.localdate())
        _, again = self.open_with_defaults(self.current, self.county_admin)  # the next default is not the same one
        self.assertEqual(again.status_code, 302)
        self.assertEqual(ReportingCycle.objects.filter(plan=self.current).count(), 2)

    def test_an_ended_plan_says_so_and_offers_only_its_final_report(self):
        page, answer = self.open_with_defaults(self.ended, self.other_county_admin)
        self.assertContains(page, "实施期已结束")
        self.assertEqual(answer.status_code, 302, answer.content.decode()[:2000])
        cycle = ReportingCycle.objects.get(plan=self.ended)
        self.assertEqual((cycle.period_type, cycle.year), ("year", self.ended.period_end))
        self.assertGreater(cycle.deadline, timezone.localdate())
        after = self.client.get(reverse("tracking-plan", args=[self.ended.pk]))
        self.assertContains(after, "实施期已结束")
        self.assertNotContains(after, "开启填报</button>")

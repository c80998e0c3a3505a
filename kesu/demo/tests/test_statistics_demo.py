"""`load_demo_statistics`: 襄汾县's statistics round in every state, a school list and a bound target, loaded once."""

from __future__ import annotations

from django.urls import reverse

from kesu.datasets.models import DataBinding, Round, School, Submission
from kesu.demo.statistics import REPORTER, load_demo_statistics
from kesu.demo.volunteering import do_create_service_demo
from kesu.testing import BaseTestCase
from kesu.tracking.live_values import live_values


class StatisticsDemoTests(BaseTestCase):
    def test_it_loads_a_round_in_every_state_once(self) -> None:
        plan = self.import_plan()
        do_create_service_demo(self.county)
        round_ = load_demo_statistics(self.county, self.county_admin)
        states = list(Submission.objects.filter(round=round_).values_list("state", flat=True))
        for state in ("draft", "submitted", "returned", "approved"):
            self.assertIn(state, states)
        self.assertEqual(School.objects.filter(jurisdiction=self.county).count(), 8)
        self.assertEqual(Round.objects.filter(jurisdiction=self.county, template="school").count(), 1)
        binding = DataBinding.objects.get(target__task__section__plan=plan)
        self.assertEqual(binding.code, "s_with_teacher")
        self.assertIn(binding.target_id, live_values(plan, round_.deadline))
        self.assertEqual(load_demo_statistics(self.county, self.county_admin).pk, round_.pk)
        self.assertEqual(Round.objects.count(), 2)
        self.client.force_login(self.county_admin.__class__.objects.get(username=REPORTER))
        self.assertContains(self.client.get(reverse("home")), "统计报表待填报")

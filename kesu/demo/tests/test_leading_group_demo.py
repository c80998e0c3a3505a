"""The demo's liaison roster, liaison training and evaluation narrative: dated from today, loaded once."""

from __future__ import annotations

from django.urls import reverse

from kesu.demo.leading_group import load_demo_evaluation, load_demo_liaisons, load_demo_training
from kesu.evaluation.models import EvaluationText
from kesu.liaisons.models import LiaisonEntry, Training
from kesu.testing import BaseTestCase


class LeadingGroupDemoTests(BaseTestCase):
    def test_the_roster_has_history_a_training_and_is_loaded_once(self) -> None:
        self.import_plan()
        people = load_demo_liaisons(self.county, self.county_admin)
        self.assertEqual(people, LiaisonEntry.objects.count())
        self.assertEqual(LiaisonEntry.objects.filter(valid_to__isnull=False).count(), 1)  # the replaced liaison
        training = load_demo_training(self.county, self.county_admin)
        self.assertGreater(training.attendees.count(), 0)
        self.assertEqual(load_demo_liaisons(self.county, self.county_admin), 0)
        self.assertIsNone(load_demo_training(self.county, self.county_admin))
        self.assertEqual(Training.objects.count(), 1)
        self.login(self.county_admin)
        page = self.client.get(reverse("liaisons-roster", args=[self.county.pk]))
        self.assertContains(page, "宋佳宁")
        self.assertNotContains(page, "13600005678")  # masked

    def test_the_evaluation_narrative_is_written_once(self) -> None:
        plan = self.import_plan()
        load_demo_evaluation(plan, self.county_admin)
        load_demo_evaluation(plan, self.county_admin)
        self.assertEqual(EvaluationText.objects.filter(plan=plan).count(), 3)
        self.assertTrue(all(t.version == 1 for t in EvaluationText.objects.all()))

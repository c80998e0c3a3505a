"""`load_demo_survey`: the demo survey as `make demo` loads it, through the real wizard actions and job."""

from __future__ import annotations

from django.urls import reverse

from kesu.demo.survey import DEMO_TITLE, demo_year, load_demo_survey
from kesu.survey.models import LiteracyFigure, SurveyRun
from kesu.survey.tests.base import SurveyTestCase


class DemoTests(SurveyTestCase):
    def test_it_loads_a_finished_demo_run_and_records_its_figure_once(self) -> None:
        self.import_plan()  # baseline 2020: 9.8%
        run = load_demo_survey(self.county, self.county_admin)
        self.assertEqual((run.status, run.title, run.year), ("done", DEMO_TITLE, demo_year()))
        self.assertEqual(run.result["design"]["respondents"], 2636)
        self.assertEqual(len(run.result["sae"]["areas"]), 6)
        figures = {f.kind: f for f in LiteracyFigure.objects.all()}
        self.assertAlmostEqual(figures["estimate"].value, 100 * run.result["estimates"][0]["rate"], places=3)
        self.assertEqual((figures["official"].year, figures["official"].value), (2020, 9.8))
        self.assertEqual(load_demo_survey(self.county, self.county_admin).pk, run.pk)
        self.assertEqual((SurveyRun.objects.count(), LiteracyFigure.objects.count()), (1, 2))
        self.login(self.county_viewer)
        self.assertContains(self.client.get(reverse("survey-trend", args=[self.county.pk])), "能否实现目标？")

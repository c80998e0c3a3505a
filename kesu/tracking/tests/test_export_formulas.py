"""The assessment export holds rubric labels and adjustment reasons as text, even formula-like ones."""

from django.urls import reverse

from kesu.infra.tests.xlsx_checks import FORMULAS, assert_text
from kesu.tracking.actions import do_adjust_score, do_save_rubric
from kesu.tracking.assessment import rubric_for
from kesu.tracking.tests.base import TrackingTestCase


class ScoresExportFormulaTests(TrackingTestCase):
    def test_labels_and_reasons_that_look_like_formulas_stay_text(self):
        rubric = rubric_for(self.plan, self.cycle.year)
        do_save_rubric(rubric, self.county_admin, rubric.version, [("on_time", FORMULAS[1], 40), ("progress", "措施完成", 60)])
        do_adjust_score(rubric, self.edu, self.county_admin, 5, FORMULAS[0])
        self.login(self.county_admin)
        response = self.client.get(reverse("tracking-scores-xlsx", args=[self.plan.pk, self.cycle.year]))
        self.assertEqual(response.status_code, 200)
        assert_text(response.content, f"{FORMULAS[1]}（40分）", f"+5 {FORMULAS[0]}")

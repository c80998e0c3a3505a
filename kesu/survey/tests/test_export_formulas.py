"""The survey export holds the uploaded file's name (and every category) as text, even a formula-like one."""

from django.urls import reverse

from kesu.infra.tests.xlsx_checks import assert_text
from kesu.survey.tests.base import SurveyTestCase, fixture_bytes, upload


class SurveyExportFormulaTests(SurveyTestCase):
    def test_a_formula_like_file_name_stays_text(self):
        run = self.finished_run(responses=upload("=1+1.csv", fixture_bytes("demo_responses.csv")), by=("gender",))
        response = self.client.get(reverse("survey-run-xlsx", args=[run.pk]))
        assert_text(response.content, "=1+1.csv")

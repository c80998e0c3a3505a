"""The plan's exports hold what the document says as text, even text a spreadsheet would run as a formula."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from kesu.infra.tests.xlsx_checks import FORMULAS, assert_text
from kesu.testing import BaseTestCase, small_plan


class PlanExportFormulaTests(BaseTestCase):
    def setUp(self):
        parsed = small_plan()
        task = parsed["sections"][0]["tasks"][0]
        task["title"] = FORMULAS[0]
        task["targets"][0].update(indicator=FORMULAS[1], text=FORMULAS[2])
        self.plan = self.import_plan(parsed)
        self.login(self.county_viewer)

    def test_the_division_of_labour_keeps_a_formula_like_title_as_text(self):
        response = self.client.get(reverse("plan-export-division", args=[self.plan.pk]))
        assert_text(response.content, FORMULAS[0], FORMULAS[1])

    def test_the_target_list_keeps_formula_like_text_as_text_and_numbers_as_numbers(self):
        response = self.client.get(reverse("plan-export-targets", args=[self.plan.pk]))
        assert_text(response.content, FORMULAS[0], FORMULAS[1], FORMULAS[2])
        rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True)
        self.assertIn((FORMULAS[1], 90, "%"), [row[2:5] for row in rows])

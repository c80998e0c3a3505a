"""The service's exports hold names and free text as text, even text a spreadsheet would run as a formula."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from kesu.infra.tests.xlsx_checks import FORMULAS, assert_text
from kesu.volunteering.tests.base import ServiceTestCase


class ServiceExportFormulaTests(ServiceTestCase):
    def test_the_volunteer_list_keeps_formula_like_entries_as_text(self):
        self.wang.name, self.wang.skills, self.wang.affiliation = FORMULAS[0], FORMULAS[1], FORMULAS[3]
        self.wang.save()
        self.login(self.county_admin)
        response = self.client.get(reverse("service-volunteers-xlsx"))
        assert_text(response.content, FORMULAS[0], FORMULAS[1], FORMULAS[3])
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True))
        self.assertEqual(next(r for r in rows if r[0] == FORMULAS[0])[10], 0, "hours stay a number")

    def test_the_dashboard_keeps_formula_like_township_and_topic_names_as_text(self):
        self.gucheng.name = FORMULAS[0]
        self.gucheng.save()
        self.farming.name = FORMULAS[4]
        self.farming.save()
        self.place()
        self.login(self.county_admin)
        response = self.client.get(reverse("service-dashboard-xlsx") + "?year=all")
        assert_text(response.content, FORMULAS[0], FORMULAS[4])

"""Numbers display as entered (6, not 6.0) and comparators read in Chinese (不低于, 超过, 达到) on every page,
form, export and the summary (issue 10). One domain function: kesu.domain.number_text."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from kesu.domain.plan_revision import diff_plans
from kesu.plans.models import Target
from kesu.tracking.actions import do_save_report
from kesu.tracking.summary.content import gather
from kesu.tracking.tests.test_dashboards import ApprovedReportsTestCase


class NumberDisplayTests(ApprovedReportsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.report = self.report_of(self.kx, "基层")
        self.target = self.report.task.targets.get()

    def test_a_saved_value_of_6_comes_back_as_6_in_the_form(self):
        do_save_report(self.report, self.kx_reporter, self.report.version, "in_progress", "", {self.target.pk: 6})
        self.login(self.kx_reporter)
        page = self.client.get(reverse("tracking-report", args=[self.report.pk])).content.decode()
        self.assertIn(f'name="target_{self.target.pk}" value="6"', page.replace(' step="any"', ""))
        self.assertNotIn("6.0", page)

    def test_an_equals_target_reads_daodao_on_pages_exports_and_forms(self):
        Target.objects.filter(pk=self.target.pk).update(comparator="=")
        self.login(self.county_admin)
        for name in ("plan-targets", "tracking-targets"):
            self.assertContains(self.client.get(reverse(name, args=[self.plan.pk])), "达到3000人", msg_prefix=name)
        self.assertContains(self.client.get(reverse("plan-overview", args=[self.plan.pk])), "达到<b>3000</b>人")
        edit = self.client.get(reverse("target-edit", args=[self.plan.pk, self.target.pk])).content.decode()
        self.assertIn('value="3000"', edit, "the correction form shows the target as entered")
        self.assertNotIn("3000.0", edit)
        workbook = load_workbook(io.BytesIO(self.client.get(reverse("plan-export-targets", args=[self.plan.pk])).content))
        self.assertIn("达到", [c.value for row in workbook.active.iter_rows() for c in row])
        self.login(self.kx_reporter)
        self.assertContains(self.client.get(reverse("tracking-report", args=[self.report.pk])), "目标 达到3000人")

    def test_the_headline_reads_chaoguo_and_the_summary_states_targets_in_words(self):
        self.login(self.county_admin)
        self.assertContains(self.client.get(reverse("tracking-dashboard", args=[self.plan.pk])), "2025年超过14.5%")
        self.approve(self.report, "in_progress", {self.target.pk: 6})
        goals = {row[0]: (row[1], row[2]) for row in gather(self.plan, self.cycle.year).targets}
        self.assertEqual(goals["科技志愿服务队人数"], ("不低于3000人", "6人"))

    def test_a_revised_headline_target_reads_buduyu_not_an_operator(self):
        old = {"headline": {"target": {"year": 2025, "value": 14.0, "comparator": ">="}}}
        new = {"headline": {"target": {"year": 2025, "value": 14.5, "comparator": ">="}}}
        self.assertEqual([(c.old, c.new) for c in diff_plans(old, new)], [("2025年不低于14%", "2025年不低于14.5%")])

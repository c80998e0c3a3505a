"""A year with quarterly and annual cycles: every page takes the same report as a measure's latest (an approved
annual report counts), counts each stretch of time once, and a new cycle never drops figures to 0 (issue 10)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from kesu.tracking.actions import do_open_cycle
from kesu.tracking.assessment import unit_facts
from kesu.tracking.dashboard import plan_dashboard
from kesu.tracking.models import Report, ReportingCycle
from kesu.tracking.summary.content import gather
from kesu.tracking.tests.base import current_plan
from kesu.tracking.tests.test_dashboards import ApprovedReportsTestCase


class QuarterAndYearTests(ApprovedReportsTestCase):
    """Last year had a second-quarter cycle (已开展: 推进中) and an annual cycle (已完成), both approved."""

    def setUp(self) -> None:
        super().setUp()
        self.last_year = self.cycle.year - 1
        deadline = timezone.localdate() + dt.timedelta(days=10)
        quarter = do_open_cycle(self.plan, self.county_admin, "quarter", self.last_year, 2, deadline)
        self.year = do_open_cycle(self.plan, self.county_admin, "year", self.last_year, 1, deadline)
        self.approve(self.report_in(quarter, self.edu, "基础教育"), "in_progress")
        self.approve(self.report_in(self.year, self.edu, "基础教育"), "completed")
        self.task = self.report_in(self.year, self.edu, "基础教育").task

    def report_in(self, cycle: ReportingCycle, unit, title_part: str) -> Report:
        return Report.objects.get(cycle=cycle, unit=unit, task__title__contains=title_part)

    def test_the_dashboard_takes_the_approved_annual_report(self):
        board = plan_dashboard(self.plan)
        self.assertEqual(board.sections[0].counts.get("completed"), 1)
        self.assertEqual(board.carried, 1, "last year's status, kept in this year's quarter and marked as such")
        self.login(self.county_admin)
        self.assertContains(self.client.get(reverse("tracking-dashboard", args=[self.plan.pk])), "其中 1 项沿用上一期已审核状态")

    def test_the_public_page_shows_the_approved_annual_report_as_carried_forward(self):
        type(self.plan).objects.filter(pk=self.plan.pk).update(status="published")
        response = self.client.get(reverse("public-plan", args=[self.plan.pk]))
        self.assertEqual([r.progress for r in response.context["latest"][self.task.pk]], ["completed"])
        self.assertContains(response, f"沿用{self.last_year}年度已审核数据")

    def test_the_summary_takes_the_annual_report_and_counts_the_year_once(self):
        content = gather(self.plan, self.last_year)
        self.assertEqual(content.sections[0].counts.get("completed"), 1)
        self.assertEqual(content.rates.expected, 3, "the second quarter's 3 reports, not also the year's 3")

    def test_the_assessment_takes_the_annual_report_and_counts_the_year_once(self):
        facts = unit_facts(self.plan, self.last_year)[self.edu.pk]
        self.assertEqual(facts.expected_reports, 2)
        self.assertIn("completed", facts.measure_progress)


class RollupAcrossCyclesTests(ApprovedReportsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.other = self.import_plan(current_plan(), jurisdiction=self.other_county, sha="other")
        report = self.report_of(self.kx, "基层")
        self.approve(report, "in_progress", {report.task.targets.get().pk: 1000})
        rate = self.report_of(self.edu, "基础教育")
        self.approve(rate, "in_progress", {rate.task.targets.get().pk: 80})
        other_cycle = do_open_cycle(self.other, self.other_county_admin, "quarter", self.cycle.year, self.cycle.number,
                                    timezone.localdate() + dt.timedelta(days=10))
        other_rate = Report.objects.get(cycle=other_cycle, task__title__contains="基础教育")
        reporter = self.reporter("other_edu", other_rate.unit)
        reporter.memberships.update(jurisdiction=self.other_county)
        from kesu.tracking.actions import do_approve_report, do_save_report, do_submit_report

        other_rate = do_save_report(other_rate, reporter, other_rate.version, "in_progress", "已开展",
                                    {other_rate.task.targets.get().pk: 60})
        do_approve_report(do_submit_report(other_rate, reporter, other_rate.version), self.other_county_admin)

    def rollup(self):
        self.login(self.city_leader)
        return self.client.get(reverse("tracking-rollup", args=[self.city.pk]))

    def test_opening_an_annual_cycle_keeps_the_last_approved_figures(self):
        do_open_cycle(self.plan, self.county_admin, "year", self.cycle.year, 1, timezone.localdate() + dt.timedelta(days=30))
        response = self.rollup()
        row = {r.plan.jurisdiction.name: r for r in response.context["rows"]}["襄汾县"]
        self.assertEqual(row.cycle_label, str(self.cycle))
        self.assertEqual(row.on_track, 2, "the measures approved this quarter stay on track")
        summed = {t.indicator: t for t in response.context["targets"]}["科技志愿服务队人数"]
        self.assertEqual((summed.target_total, summed.current_total), (6000, 1000))

    def test_a_value_from_an_earlier_cycle_is_kept_and_marked(self):
        next_number = self.cycle.number % 4 + 1
        next_year = self.cycle.year + (self.cycle.number == 4)
        do_open_cycle(self.plan, self.county_admin, "quarter", next_year, next_number,
                      timezone.localdate() + dt.timedelta(days=120))
        response = self.rollup()
        summed = {t.indicator: t for t in response.context["targets"]}["科技志愿服务队人数"]
        self.assertEqual(summed.current_total, 1000, "not 0 because a new cycle opened")

    def test_a_rate_target_is_never_summed(self):
        response = self.rollup()
        rate = {t.indicator: t for t in response.context["targets"]}["学生科普活动参与率"]
        self.assertIsNone(rate.target_total)
        self.assertEqual((rate.current_spread.low, rate.current_spread.median, rate.current_spread.high), (60, 70, 80))
        self.assertNotContains(response, "180%")
        self.assertContains(response, "不相加")
        self.assertContains(response, "中位")

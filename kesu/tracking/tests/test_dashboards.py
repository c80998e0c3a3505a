"""Dashboard, roll-up, targets over time and the yearly assessment, computed from approved reports."""

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kesu.tracking.actions import (
    do_adjust_score,
    do_approve_report,
    do_open_cycle,
    do_save_report,
    do_save_rubric,
    do_submit_report,
)
from kesu.tracking.assessment import rubric_for, targets_progress, yearly_scores
from kesu.tracking.models import Report, TrackingEvent
from kesu.tracking.tests.base import TrackingTestCase, current_plan


class ApprovedReportsTestCase(TrackingTestCase):
    def approve(self, report: Report, progress: str, values: dict | None = None) -> Report:
        reporter = self.edu_reporter if report.unit == self.edu else self.kx_reporter
        report = do_save_report(report, reporter, report.version, progress, "已开展", values or {})
        report = do_submit_report(report, reporter, report.version)
        return do_approve_report(report, self.county_admin)


class DashboardTests(ApprovedReportsTestCase):
    def test_it_shows_progress_by_section_and_the_heat_map(self):
        self.approve(self.report_of(self.edu, "基础教育"), "completed")
        self.approve(self.report_of(self.kx, "基层"), "behind")
        self.login(self.county_admin)
        response = self.client.get(reverse("tracking-dashboard", args=[self.plan.pk]))
        board = response.context["board"]
        youth, grassroots = board.sections
        self.assertEqual(youth.counts, {"completed": 1, "not_started": 1})
        self.assertEqual(youth.on_track, 0.5)
        self.assertEqual(grassroots.counts, {"behind": 1})
        heat = {row.unit.name: row.cells for row in board.heat_rows}
        self.assertEqual(heat["县教科局"], [0.5, None])
        self.assertEqual(heat["县科协"], [None, 0.3])
        self.assertContains(response, "每个牵头单位每项措施取时段最晚的审核通过报告")

    def test_it_lists_overdue_reports(self):
        type(self.cycle).objects.filter(pk=self.cycle.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))
        self.login(self.city_leader)
        response = self.client.get(reverse("tracking-dashboard", args=[self.plan.pk]))
        self.assertEqual(len(response.context["board"].overdue), 3)


class TargetsOverTimeTests(ApprovedReportsTestCase):
    def test_it_uses_only_approved_values_and_states_the_basis(self):
        report = self.report_of(self.kx, "基层")
        target = report.task.targets.get()
        self.approve(report, "in_progress", {target.pk: 1200})
        draft = self.report_of(self.edu, "基础教育")
        do_save_report(draft, self.edu_reporter, draft.version, "in_progress", "", {draft.task.targets.get().pk: 95})
        rows = {t.indicator: (obs, progress) for t, obs, progress in targets_progress(self.plan)}
        observations, progress = rows["科技志愿服务队人数"]
        self.assertEqual([o.value for o in observations], [1200])
        self.assertIn("推算", progress.basis)
        self.assertEqual(rows["学生科普活动参与率"][1].status.value, "no_data", "a draft value does not count")
        self.login(self.county_viewer)
        page = self.client.get(reverse("tracking-targets", args=[self.plan.pk]))
        self.assertContains(page, "1200")


class AssessmentTests(ApprovedReportsTestCase):
    def test_it_scores_units_from_the_years_data_with_adjustments(self):
        year = self.cycle.year
        self.approve(self.report_of(self.edu, "基础教育"), "completed")
        self.approve(self.report_of(self.edu, "教师"), "in_progress")
        rubric = rubric_for(self.plan, year)
        manual = rubric.items.get(kind="manual")
        do_adjust_score(rubric, self.kx, self.county_admin, -5, "未按要求报送佐证")
        _, rows = yearly_scores(self.plan, year)
        scores = {r.unit.name: r for r in rows}
        edu = scores["县教科局"].score
        self.assertEqual([i.earned for i in edu.items], [20.0, 42.5, 0.0, 0.0])
        self.assertEqual(scores["县科协"].score.total, -5.0)
        self.assertEqual((scores["县教科局"].rank, scores["县科协"].rank), (1, 2))
        self.assertTrue(TrackingEvent.objects.filter(kind="score_adjusted", field="未按要求报送佐证").exists())

        self.login(self.county_admin)
        url = reverse("tracking-adjust", args=[self.plan.pk, year])
        self.client.post(url, {"item": manual.pk, "unit": self.edu.pk, "delta": 8, "reason": "创新开展馆校合作"})
        _, rows = yearly_scores(self.plan, year)
        self.assertEqual({r.unit.name: r.score.total for r in rows}["县教科局"], 70.5)
        response = self.client.post(url, {"unit": self.kx.pk, "delta": 3, "reason": ""})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(TrackingEvent.objects.filter(kind="score_adjusted").count(), 1, "an adjustment without a reason is refused")

    def test_it_lets_the_office_edit_the_rubric(self):
        rubric = rubric_for(self.plan, self.cycle.year)
        do_save_rubric(rubric, self.county_admin, rubric.version, [("on_time", "按时报送", 40), ("progress", "措施完成", 60)])
        self.assertEqual([(i.label, i.points) for i in rubric.items.all()], [("按时报送", 40), ("措施完成", 60)])
        self.assertTrue(TrackingEvent.objects.filter(kind="rubric_saved").exists())

    def test_it_exports_the_ranking_to_excel(self):
        self.approve(self.report_of(self.edu, "基础教育"), "completed")
        self.login(self.city_leader)
        response = self.client.get(reverse("tracking-scores-xlsx", args=[self.plan.pk, self.cycle.year]))
        rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, max_row=4)]
        self.assertEqual(rows[0][:2], [1, "县教科局"])


class RollupTests(ApprovedReportsTestCase):
    def test_it_rolls_up_the_counties_of_a_city_and_sums_shared_targets(self):
        other = self.import_plan(current_plan(), jurisdiction=self.other_county, sha="other")
        today = timezone.localdate()
        do_open_cycle(other, self.other_county_admin, "year", today.year, 1, today + dt.timedelta(days=30))
        report = self.report_of(self.kx, "基层")
        self.approve(report, "in_progress", {report.task.targets.get().pk: 1000})
        self.login(self.city_leader)
        response = self.client.get(reverse("tracking-rollup", args=[self.city.pk]))
        rows = {r.plan.jurisdiction.name: r for r in response.context["rows"]}
        self.assertEqual(rows["襄汾县"].on_track, 1)
        self.assertEqual(rows["乡宁县"].submitted, 0)
        summed = {t.indicator: t for t in response.context["targets"]}["科技志愿服务队人数"]
        self.assertEqual((len(summed.areas), summed.target_total, summed.current_total), (2, 6000, 1000))

    def test_it_keeps_the_rollup_from_county_accounts(self):
        self.login(self.county_admin)
        self.assertEqual(self.client.get(reverse("tracking-rollup", args=[self.city.pk])).status_code, 404)

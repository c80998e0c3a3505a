"""Work points reported in cycles (kesu.tracking.cycle_items): due for their lead units in every cycle of the year,
filled and submitted by the unit, approved or returned by the office; seen only by those who may; counted in the
assessment's measure progress and listed in the yearly summary."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from kesu.domain.report_workflow import MoveRefused
from kesu.notices.models import Notice
from kesu.tracking.actions import (
    StaleReport,
    do_approve_item_report,
    do_open_cycle,
    do_return_item_report,
    do_save_item_report,
    do_submit_item_report,
)
from kesu.tracking.assessment import item_progress_rule, unit_facts
from kesu.tracking.models import ItemReport, Report
from kesu.tracking.summary.content import gather
from kesu.tracking.summary.pdf import render_pdf
from kesu.tracking.summary.word import render_docx
from kesu.workpoints.actions import do_remove_work_point
from kesu.workpoints.reporting import SOURCE
from kesu.workpoints.tests.base import WorkPointsTestCase


class CycleItemsTests(WorkPointsTestCase):
    def item(self, point, unit=None) -> ItemReport:
        return ItemReport.objects.get(cycle=self.cycle, source=SOURCE, source_id=point.pk, unit=unit or point.lead_units.get())

    def submitted(self, point, reporter, progress="in_progress", text="已开展") -> ItemReport:
        report = self.item(point)
        report = do_save_item_report(report, reporter, report.version, progress, text)
        return do_submit_item_report(report, reporter, report.version)

    def test_points_confirmed_while_a_cycle_is_open_are_due_at_once_for_each_lead_unit(self) -> None:
        reports = ItemReport.objects.filter(cycle=self.cycle, source=SOURCE)
        self.assertEqual(sorted((r.title[:4], r.unit.name) for r in reports),
                         [("举办青少", "县科协"), ("提升基础", "县教科局"), ("新建社区", "县科协")])
        self.assertEqual(Report.objects.filter(cycle=self.cycle).count(), 3)  # measures' reports are untouched

    def test_a_cycle_opened_later_creates_the_years_item_reports_with_its_measure_reports(self) -> None:
        today = timezone.localdate()
        annual = do_open_cycle(self.plan, self.county_admin, "year", today.year, 1, today + dt.timedelta(days=20))
        self.assertEqual(ItemReport.objects.filter(cycle=annual, source=SOURCE).count(), 3)
        self.assertTrue(annual.plan.tracking_events.filter(kind="items_added", new__contains="年度工作要点 3 份").exists())
        notice = Notice.objects.filter(user=self.kx_reporter, title__contains=str(annual)).get()
        self.assertIn("年度工作要点 2 项", notice.body)  # the cycle's notice names the unit's work points too

    def test_the_unit_fills_and_submits_and_the_office_returns_then_approves(self) -> None:
        report = self.submitted(self.training, self.edu_reporter, "completed", "培训科学教师120人")
        self.assertEqual(report.state, "submitted")
        self.assertIsNotNone(report.first_submitted_at)
        with self.assertRaises(MoveRefused):
            do_save_item_report(report, self.edu_reporter, report.version, "completed", "再改")
        report = do_return_item_report(report, self.county_admin, "请补充培训学校数")
        self.assertEqual(report.state, "returned")
        report = do_save_item_report(report, self.edu_reporter, report.version, "completed", "培训科学教师120人，覆盖32所学校")
        report = do_submit_item_report(report, self.edu_reporter, report.version)
        report = do_approve_item_report(report, self.county_admin)
        self.assertEqual(report.state, "approved")
        kinds = list(report.events.order_by("at", "pk").values_list("kind", flat=True))
        self.assertEqual(kinds, ["report_saved", "report_saved", "report_submitted", "report_returned", "report_saved",
                                 "report_submitted", "report_approved"])
        with self.assertRaises(MoveRefused):
            do_return_item_report(report, self.county_admin, "晚了")

    def test_a_stale_save_is_refused_and_another_unit_cannot_move_it(self) -> None:
        report = self.item(self.training)
        do_save_item_report(report, self.edu_reporter, report.version, "in_progress", "第一稿")
        with self.assertRaises(StaleReport):
            do_save_item_report(report, self.edu_reporter, report.version, "in_progress", "旧版本上的修改")
        report.refresh_from_db()
        with self.assertRaises(MoveRefused):
            do_save_item_report(report, self.kx_reporter, report.version, "completed", "别的单位")
        with self.assertRaises(MoveRefused):
            do_approve_item_report(self.submitted(self.contest, self.kx_reporter), self.kx_reporter)

    def test_the_report_page_fills_and_submits_and_keeps_the_text_on_a_stale_version(self) -> None:
        report = self.item(self.training)
        url = reverse("tracking-item-report", args=[report.pk])
        self.login(self.edu_reporter)
        page = self.client.get(url)
        self.assertContains(page, "提升基础教育阶段科学教育水平，开展中小学科学教师培训")
        self.assertContains(page, "提交审核")
        self.client.post(url, {"version": report.version, "progress": "in_progress", "summary": "第一稿", "action": "save"})
        stale = self.client.post(url, {"version": report.version, "progress": "in_progress", "summary": "我的新内容"})
        self.assertContains(stale, "已被他人修改", status_code=409)
        self.assertContains(stale, "我的新内容", status_code=409)
        report.refresh_from_db()
        response = self.client.post(url, {"version": report.version, "progress": "completed", "summary": "完成", "action": "submit"})
        self.assertRedirects(response, url)
        self.assertEqual(ItemReport.objects.get(pk=report.pk).state, "submitted")
        self.login(self.county_admin)
        self.client.post(reverse("tracking-item-review", args=[report.pk]), {"decision": "return", "reason": ""})
        self.assertEqual(ItemReport.objects.get(pk=report.pk).state, "submitted")  # a return needs its reason
        self.client.post(reverse("tracking-item-review", args=[report.pk]), {"decision": "approve"})
        self.assertEqual(ItemReport.objects.get(pk=report.pk).state, "approved")

    def test_another_unit_another_area_and_readers_see_only_what_they_may(self) -> None:
        report = self.item(self.training)
        url = reverse("tracking-item-report", args=[report.pk])
        for user in (self.kx_reporter, self.other_county_admin, self.outsider, self.county_viewer, self.city_leader):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 404, user)  # a draft: its unit and the office only
        self.login(self.kx_reporter)
        self.assertEqual(self.client.post(url, {"version": report.version, "progress": "completed", "summary": "x"}).status_code, 404)
        self.assertEqual(self.client.post(reverse("tracking-item-review", args=[report.pk]), {"decision": "approve"}).status_code, 404)
        self.submitted(self.training, self.edu_reporter)
        self.login(self.county_viewer)
        self.assertEqual(self.client.get(url).status_code, 200)  # submitted: the leaders read it
        self.assertNotContains(self.client.get(url), "提交审核")
        self.assertEqual(self.client.post(reverse("tracking-item-review", args=[report.pk]), {"decision": "approve"}).status_code, 403)

    def test_my_reports_the_home_page_and_the_cycle_page_list_the_item_reports(self) -> None:
        self.login(self.kx_reporter)
        mine = self.client.get(reverse("tracking-my-reports", args=[self.plan.pk]))
        self.assertContains(mine, "举办青少年科技创新大赛")
        self.assertNotContains(mine, "提升基础教育阶段科学教育水平，开展")  # 县教科局's point
        self.assertContains(self.client.get("/"), "待填年度工作要点")
        self.submitted(self.contest, self.kx_reporter)
        self.login(self.county_admin)
        page = self.client.get(reverse("tracking-cycle", args=[self.plan.pk, self.cycle.pk]))
        self.assertContains(page, "年度工作要点：应报 3，已提交 1，已审核通过 0")
        self.assertContains(page, "不计入措施报告的报送率")
        self.assertContains(self.client.get("/"), "待审核事项报告")

    def test_the_cycle_export_has_a_sheet_of_item_reports_the_viewer_may_read(self) -> None:
        self.submitted(self.contest, self.kx_reporter, "completed", "大赛已举办")
        url = reverse("tracking-cycle-xlsx", args=[self.plan.pk, self.cycle.pk])
        for user, rows in ((self.county_admin, 3), (self.county_viewer, 1)):  # leaders: submitted ones only
            self.login(user)
            sheet = load_workbook(io.BytesIO(self.client.get(url).content))["事项报告"]
            titles = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True) if row[2]]
            self.assertEqual(len(titles), rows, user)
            self.assertIn("举办青少年科技创新大赛", titles)

    def test_the_measures_report_page_lists_this_years_points_linked_to_it(self) -> None:
        report = Report.objects.get(cycle=self.cycle, task=self.training.task, unit=self.edu)
        self.login(self.edu_reporter)
        page = self.client.get(reverse("tracking-report", args=[report.pk]))
        self.assertContains(page, "本年度工作要点")
        self.assertContains(page, reverse("workpoints-point", args=[self.training.pk]))

    def test_the_assessment_counts_each_point_by_its_latest_approved_progress(self) -> None:
        before = unit_facts(self.plan, self.year)[self.kx.pk].measure_progress
        report = self.submitted(self.contest, self.kx_reporter, "completed", "大赛已举办")
        do_approve_item_report(report, self.county_admin)
        after = unit_facts(self.plan, self.year)[self.kx.pk].measure_progress
        self.assertEqual(len(after), len(before))  # 县科协's two points were already counted, as not started
        self.assertEqual(after.count("completed"), before.count("completed") + 1)
        self.assertEqual(unit_facts(self.plan, self.year)[self.edu.pk].measure_progress.count("not_started"), 3)
        self.assertIn("年度工作要点", item_progress_rule())
        self.login(self.county_admin)
        self.assertContains(self.client.get(reverse("tracking-assessment", args=[self.plan.pk, self.year])),
                            "最近一期审核通过的报告的推进状态计分")

    def test_the_yearly_summary_has_a_section_on_the_work_points(self) -> None:
        report = self.submitted(self.contest, self.kx_reporter, "completed", "大赛已举办，参赛学生300人")
        do_approve_item_report(report, self.county_admin)
        content = gather(self.plan, self.year)
        section = next(s for s in content.extra_sections if s.title == "年度工作要点落实情况")
        self.assertIn("2. 举办青少年科技创新大赛——县科协（已完成）：大赛已举办，参赛学生300人", section.lines)
        self.assertIn("县教科局：暂无审核通过的报告", section.lines[0])
        self.assertIn(section.rule, content.rules)
        paragraphs = [p.text for p in Document(io.BytesIO(render_docx(content))).paragraphs]
        self.assertIn("（3）年度工作要点落实情况", paragraphs)  # after the plan's two sections
        self.assertTrue(render_pdf(content).startswith(b"%PDF"))

    def test_removing_a_point_withdraws_its_unsubmitted_reports_but_keeps_submitted_ones(self) -> None:
        submitted = self.submitted(self.contest, self.kx_reporter)
        draft = self.item(self.estation)
        do_remove_work_point(self.estation, self.county_admin, self.estation.version)
        self.assertFalse(ItemReport.objects.filter(pk=draft.pk).exists())
        do_remove_work_point(self.contest, self.county_admin, self.contest.version)
        self.assertTrue(ItemReport.objects.filter(pk=submitted.pk).exists())
        self.login(self.county_admin)
        self.assertContains(self.client.get(reverse("tracking-item-report", args=[submitted.pk])), "该事项已删除")

"""The cycle page at scale (issue 10): filters, search and pages; batch approval; 催报 to chosen units; .xlsx
and print of all the cycle's reports; a notice to every unit when a cycle opens; resubmissions say so."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kesu.notices.models import Notice, OutboxMessage
from kesu.org.models import MemberUnit
from kesu.tracking import actions, views
from kesu.tracking.actions import do_open_cycle, do_return_report, do_save_report, do_submit_report
from kesu.tracking.models import Report, TrackingEvent
from kesu.tracking.tests.base import TrackingTestCase


class CycleTestCase(TrackingTestCase):
    """The small plan of 襄汾县 with an open quarterly cycle; reporters have e-mail addresses."""

    reporters_have_email = True

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.cycle_url = reverse("tracking-cycle", args=[cls.plan.pk, cls.cycle.pk])

    def report_of(self, unit: MemberUnit, title_part: str = "") -> Report:
        return Report.objects.get(cycle=self.cycle, unit=unit, task__title__contains=title_part)

    def submit(self, report: Report, reporter, summary: str = "已开展") -> Report:
        report = do_save_report(report, reporter, report.version, "in_progress", summary, {})
        return do_submit_report(report, reporter, report.version)

    def url(self, name: str) -> str:
        return reverse(name, args=[self.plan.pk, self.cycle.pk])


class CycleListTests(CycleTestCase):
    def rows(self, **params) -> str:
        self.login(self.county_admin)
        response = self.client.get(self.cycle_url, params)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_it_filters_by_status_unit_and_section_and_searches(self):
        teach = self.report_of(self.edu, "教师")
        school = self.report_of(self.edu, "基础教育")
        grass = self.report_of(self.kx, "基层")
        self.submit(school, self.edu_reporter, summary="开展科学教育活动12场")
        links = {r: reverse("tracking-report", args=[r.pk]) for r in (teach, school, grass)}

        def shown(**params) -> set[Report]:
            page = self.rows(**params)
            return {r for r, link in links.items() if f'href="{link}"' in page}

        self.assertEqual(shown(), {teach, school, grass})
        self.assertEqual(shown(status="submitted"), {school})
        self.assertEqual(shown(unit=self.kx.pk), {grass})
        self.assertEqual(shown(section=grass.task.section_id), {grass})
        self.assertEqual(shown(q="教师"), {teach}, "search in the measure's title")
        self.assertEqual(shown(q="县科协"), {grass}, "search in the unit's name")
        self.assertEqual(shown(q="12场"), {school}, "search in the progress text")
        self.assertEqual(shown(status="draft", unit=self.edu.pk), {teach})

    def test_it_answers_400_to_malformed_filters(self):
        self.login(self.county_admin)
        for params in ({"unit": "x"}, {"section": "-1"}, {"page": "abc"}, {"status": "<b>"}):
            self.assertEqual(self.client.get(self.cycle_url, params).status_code, 400, params)

    def test_it_pages_the_list_and_keeps_the_filters_in_the_links(self):
        with mock.patch.object(views, "CYCLE_PAGE_SIZE", 1):
            first = self.rows(status="draft", q="教")
            self.assertIn("第 1/2 页", first)
            self.assertIn("?status=draft&amp;q=%E6%95%99&amp;page=2", first)
            second = self.rows(status="draft", q="教", page=2)
            self.assertIn("第 2/2 页", second)
            self.assertEqual(self.rows(page=9).count("第 3/3 页"), 1, "a page past the end shows the last one")

    @override_settings(KESU_READ_CACHE=True)
    def test_the_cached_list_differs_per_filter(self):
        cache.clear()
        self.addCleanup(cache.clear)
        grass = reverse("tracking-report", args=[self.report_of(self.kx, "基层").pk])
        self.assertIn(grass, self.rows())
        self.assertNotIn(grass, self.rows(unit=self.edu.pk))
        self.assertIn(grass, self.rows(unit=self.kx.pk))
        self.assertNotIn(grass, self.rows(q="教师"))


class BatchApproveTests(CycleTestCase):
    def setUp(self) -> None:
        self.school = self.submit(self.report_of(self.edu, "基础教育"), self.edu_reporter)
        self.grass = self.submit(self.report_of(self.kx, "基层"), self.kx_reporter)
        self.teach = self.report_of(self.edu, "教师")

    def approve(self, user, *reports: Report, **extra):
        self.login(user)
        chosen = [f"{r.pk}:{r.version}" for r in reports]
        return self.client.post(self.url("tracking-cycle-approve"), {"report": chosen} | extra)

    def test_it_approves_the_chosen_submitted_reports_each_with_its_history(self):
        response = self.approve(self.county_admin, self.school, self.grass, query="status=submitted")
        self.assertRedirects(response, self.cycle_url + "?status=submitted", fetch_redirect_response=False)
        for report in (self.school, self.grass):
            report.refresh_from_db()
            self.assertEqual(report.state, "approved")
            self.assertEqual(TrackingEvent.objects.filter(report=report, kind="report_approved").count(), 1)
        self.assertTrue(Notice.objects.filter(user=self.kx_reporter, title__contains="审核通过").exists())

    def test_it_refuses_by_name_and_approves_nothing_when_one_is_not_submitted(self):
        response = self.approve(self.county_admin, self.school, self.teach)
        self.assertEqual(response.status_code, 302)
        page = self.client.get(response.url).content.decode()
        self.assertIn("县教科局 · 实施教师科学素质提升工程", page)
        self.school.refresh_from_db()
        self.assertEqual(self.school.state, "submitted", "nothing half-done")
        self.assertFalse(TrackingEvent.objects.filter(kind="report_approved").exists())

    def test_it_refuses_a_report_changed_since_the_page_was_loaded(self):
        seen = Report.objects.get(pk=self.grass.pk)
        do_return_report(self.grass, self.county_admin, "请补充")
        self.submit(Report.objects.get(pk=self.grass.pk), self.kx_reporter, summary="改过了")
        with self.assertRaisesMessage(actions.CycleRefused, "县科协 · 健全基层科普服务体系"):
            actions.do_approve_reports(self.cycle, self.county_admin, {self.school.pk: self.school.version, seen.pk: seen.version})
        self.assertEqual(Report.objects.filter(state="approved").count(), 0)

    def test_only_the_office_of_the_plan_may_batch_approve(self):
        for user in (self.edu_reporter, self.kx_reporter, self.county_viewer, self.city_admin, self.city_leader,
                     self.other_county_admin, self.outsider):
            response = self.approve(user, self.school)
            self.assertIn(response.status_code, (403, 404), user.username)
        self.assertFalse(Report.objects.filter(state="approved").exists())

    def test_it_refuses_a_report_of_another_cycle(self):
        today = timezone.localdate()
        other = do_open_cycle(self.plan, self.county_admin, "year", today.year, 1, today + dt.timedelta(days=20))
        stranger = Report.objects.filter(cycle=other).first()
        with self.assertRaises(actions.CycleRefused):
            actions.do_approve_reports(self.cycle, self.county_admin, {stranger.pk: stranger.version})


class UrgeTests(CycleTestCase):
    def urge(self, user, *units: MemberUnit):
        self.login(user)
        return self.client.post(self.url("tracking-cycle-urge"), {"unit": [u.pk for u in units]})

    def test_it_sends_each_chosen_unit_a_notice_and_an_email_after_commit(self):
        Notice.objects.all().delete()
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            response = self.urge(self.county_admin, self.edu, self.kx)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(callbacks, "e-mail goes out after commit")
        for reporter in (self.edu_reporter, self.kx_reporter):
            notice = Notice.objects.get(user=reporter)
            self.assertIn("催报", notice.title)
            self.assertEqual(OutboxMessage.objects.filter(user=reporter, title=notice.title).count(), 1)
        self.assertFalse(Notice.objects.filter(user=self.league_reporter).exists())
        urged = TrackingEvent.objects.filter(kind="units_urged")
        self.assertEqual(sorted(urged.values_list("subject", flat=True)), sorted([f"{self.cycle} · 县教科局", f"{self.cycle} · 县科协"]))

    def test_it_refuses_units_that_have_already_submitted(self):
        self.submit(self.report_of(self.kx, "基层"), self.kx_reporter)
        Notice.objects.all().delete()
        response = self.urge(self.county_admin, self.edu, self.kx)
        page = self.client.get(response.url).content.decode()
        self.assertIn("县科协已全部提交", page)
        self.assertFalse(Notice.objects.exists(), "nothing sent when one unit is refused")
        self.assertFalse(TrackingEvent.objects.filter(kind="units_urged").exists())

    def test_only_the_office_of_the_plan_may_urge(self):
        Notice.objects.all().delete()
        for user in (self.edu_reporter, self.county_viewer, self.city_admin, self.other_county_admin, self.outsider):
            self.assertIn(self.urge(user, self.edu).status_code, (403, 404), user.username)
        self.assertFalse(Notice.objects.exists())


class ExportAndPrintTests(CycleTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        school = Report.objects.get(cycle=cls.cycle, unit=cls.edu, task__title__contains="基础教育")
        target = school.task.targets.get()
        school = do_save_report(school, cls.edu_reporter, school.version, "in_progress", "=HYPERLINK(\"x\")开展活动", {target.pk: 6})
        school = do_submit_report(school, cls.edu_reporter, school.version)
        do_return_report(school, cls.county_admin, "请补充<b>照片</b>")
        cls.draft = Report.objects.get(cycle=cls.cycle, unit=cls.edu, task__title__contains="教师")
        cls.draft = do_save_report(cls.draft, cls.edu_reporter, cls.draft.version, "in_progress", "草稿未交", {})

    def test_the_xlsx_lists_every_report_with_values_and_the_reviewers_note(self):
        self.login(self.county_admin)
        response = self.client.get(self.url("tracking-cycle-xlsx"))
        self.assertEqual(response.status_code, 200)
        self.assertIn(".xlsx", response["Content-Disposition"])
        ws = load_workbook(io.BytesIO(response.content)).active
        rows = [[c.value for c in row] for row in ws.iter_rows()]
        text = repr(rows)
        for expected in ("县教科局", "县科协", "已退回", "学生科普活动参与率：6%", "请补充<b>照片</b>", "草稿未交"):
            self.assertIn(expected, text)
        cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=HYPER"))
        self.assertEqual(cell.data_type, "s", "text that looks like a formula stays text")

    def test_the_print_view_lists_every_report_escaped(self):
        self.login(self.county_admin)
        page = self.client.get(self.url("tracking-cycle-print")).content.decode()
        for expected in ("县科协", "健全基层科普服务体系", "学生科普活动参与率", "6%", "已退回", "草稿未交"):
            self.assertIn(expected, page)
        self.assertIn("请补充&lt;b&gt;照片&lt;/b&gt;", page)
        self.assertNotIn("<b>照片", page)

    def test_a_leader_gets_only_submitted_and_approved_reports(self):
        self.login(self.county_viewer)
        page = self.client.get(self.url("tracking-cycle-print")).content.decode()
        self.assertNotIn("草稿未交", page)
        ws = load_workbook(io.BytesIO(self.client.get(self.url("tracking-cycle-xlsx")).content)).active
        self.assertNotIn("草稿未交", repr([[c.value for c in row] for row in ws.iter_rows()]))

    def test_reporters_and_other_jurisdictions_cannot_export_or_print(self):
        for user in (self.edu_reporter, self.kx_reporter, self.other_county_admin, self.outsider):
            self.login(user)
            for name in ("tracking-cycle-xlsx", "tracking-cycle-print"):
                self.assertIn(self.client.get(self.url(name)).status_code, (403, 404), (user.username, name))


class CycleNoticeTests(CycleTestCase):
    def test_every_unit_hears_when_a_cycle_opens(self):
        Notice.objects.all().delete()
        today = timezone.localdate()
        with self.captureOnCommitCallbacks(execute=True):
            cycle = do_open_cycle(self.plan, self.county_admin, "year", today.year, 1, today + dt.timedelta(days=30))
        for reporter in (self.edu_reporter, self.kx_reporter, self.league_reporter):
            notice = Notice.objects.get(user=reporter)
            self.assertIn(f"{cycle}填报已开启", notice.title)
            self.assertIn(f"{today + dt.timedelta(days=30):%Y-%m-%d}", notice.body)
        self.assertIn("牵头 2 项措施", Notice.objects.get(user=self.edu_reporter).body)
        self.assertIn("配合", Notice.objects.get(user=self.league_reporter).body)
        self.assertTrue(OutboxMessage.objects.filter(user=self.league_reporter).exists())

    def test_a_resubmission_after_return_says_so_to_the_office(self):
        report = self.submit(self.report_of(self.kx, "基层"), self.kx_reporter)
        first = Notice.objects.filter(user=self.county_admin).latest("pk")
        self.assertNotIn("重新提交", first.title)
        do_return_report(report, self.county_admin, "请补充")
        self.submit(Report.objects.get(pk=report.pk), self.kx_reporter, summary="已补充")
        again = Notice.objects.filter(user=self.county_admin).latest("pk")
        self.assertIn("已重新提交", again.title)
        self.assertEqual(TrackingEvent.objects.filter(report=report, kind="report_submitted").latest("pk").new, "已重新提交")

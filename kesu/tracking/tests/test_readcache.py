"""The cached dashboard, report list and roll-up: a change shows on the next request, and no viewer sees what
their role hides (entries are keyed on the role-relevant part)."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kesu.plans.actions import do_edit_plan
from kesu.tracking import readcache
from kesu.tracking.actions import do_save_report, do_submit_report
from kesu.tracking.models import Report
from kesu.tracking.tests.base import TrackingTestCase

ON_TRACK_NONE = "<div class=\"headline\">0.0%</div>"
ON_TRACK_ONE_OF_THREE = "<div class=\"headline\">33.3%</div>"


@override_settings(KESU_READ_CACHE=True)
class ReadCacheTests(TrackingTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)

    def submit(self, report: Report, reporter, progress: str = "completed") -> Report:
        with self.captureOnCommitCallbacks(execute=True):
            report = do_save_report(report, reporter, report.version, progress, "已开展", {})
            return do_submit_report(report, reporter, report.version)

    def approve_on_the_web(self, report: Report) -> None:
        self.login(self.county_admin)
        with self.captureOnCommitCallbacks(execute=True):  # the version changes after commit, as in production
            response = self.client.post(reverse("tracking-review", args=[report.pk]), {"decision": "approve"})
        self.assertEqual(response.status_code, 302)

    def get(self, user, name: str, *args) -> tuple[str, list[str]]:
        self.login(user)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(reverse(name, args=args))
        self.assertEqual(response.status_code, 200)
        return response.content.decode(), [q["sql"] for q in captured.captured_queries]

    def test_the_dashboard_comes_from_the_cache_until_a_report_is_approved(self):
        report = self.submit(self.report_of(self.edu, "基础教育"), self.edu_reporter)
        page, _ = self.get(self.county_admin, "tracking-dashboard", self.plan.pk)
        self.assertIn(ON_TRACK_NONE, page)
        again, sqls = self.get(self.county_admin, "tracking-dashboard", self.plan.pk)
        self.assertIn(ON_TRACK_NONE, again)
        self.assertFalse([s for s in sqls if '"tracking_report"' in s], "the second request reads no report")
        self.approve_on_the_web(report)
        after, _ = self.get(self.county_admin, "tracking-dashboard", self.plan.pk)
        self.assertIn(ON_TRACK_ONE_OF_THREE, after, "1 of the 3 measures approved as completed")
        leader, _ = self.get(self.city_leader, "tracking-dashboard", self.plan.pk)
        self.assertIn(ON_TRACK_ONE_OF_THREE, leader)

    def test_a_corrected_plan_shows_on_the_next_request(self):
        self.get(self.county_admin, "tracking-dashboard", self.plan.pk)
        with self.captureOnCommitCallbacks(execute=True):
            do_edit_plan(self.plan, self.county_admin, self.plan.version, {"target_value": 16.5})
        page, _ = self.get(self.county_admin, "tracking-dashboard", self.plan.pk)
        self.assertIn("16.5%", page)

    def test_the_roll_up_shows_an_approval_at_once(self):
        report = self.submit(self.report_of(self.edu, "基础教育"), self.edu_reporter)
        rates = '<td class="num">33.3%</td><td class="num">{}</td>'  # reporting rate, then measures on track
        before, _ = self.get(self.city_admin, "tracking-rollup", self.city.pk)
        self.assertIn(rates.format("0.0%"), before)
        self.approve_on_the_web(report)
        after, _ = self.get(self.city_admin, "tracking-rollup", self.city.pk)
        self.assertIn(rates.format("33.3%"), after)

    def test_a_leader_never_gets_the_offices_report_list_with_drafts(self):
        draft = self.report_of(self.edu, "基础教育")
        submitted = self.submit(self.report_of(self.kx, "基层"), self.kx_reporter)
        link = reverse("tracking-report", args=[draft.pk])
        office, _ = self.get(self.county_admin, "tracking-cycle", self.plan.pk, self.cycle.pk)
        self.assertIn(link, office)
        for supervisor in (self.county_viewer, self.city_admin, self.city_leader):
            page, _ = self.get(supervisor, "tracking-cycle", self.plan.pk, self.cycle.pk)
            self.assertNotIn(link, page, supervisor.username)
            self.assertIn(reverse("tracking-report", args=[submitted.pk]), page)
        self.assertNotIn("为该单位开通补报", page, "the exception form stays the office's")

    def test_a_submission_shows_in_the_report_list_of_the_leader(self):
        report = self.report_of(self.edu, "基础教育")
        link = reverse("tracking-report", args=[report.pk])
        before, _ = self.get(self.county_viewer, "tracking-cycle", self.plan.pk, self.cycle.pk)
        self.assertNotIn(link, before)
        self.submit(report, self.edu_reporter)
        after, _ = self.get(self.county_viewer, "tracking-cycle", self.plan.pk, self.cycle.pk)
        self.assertIn(link, after)

    def test_access_is_checked_before_the_cache(self):
        self.get(self.county_admin, "tracking-dashboard", self.plan.pk)
        self.login(self.other_county_admin)
        self.assertEqual(self.client.get(reverse("tracking-dashboard", args=[self.plan.pk])).status_code, 404)  # a draft plan of another county
        self.login(self.edu_reporter)
        self.assertEqual(self.client.get(reverse("tracking-cycle", args=[self.plan.pk, self.cycle.pk])).status_code, 403)
        self.get(self.city_admin, "tracking-rollup", self.city.pk)
        self.login(self.county_admin)
        self.assertEqual(self.client.get(reverse("tracking-rollup", args=[self.city.pk])).status_code, 404)


class ReadCacheSwitchTests(TrackingTestCase):
    @override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
    def test_off_with_a_cache_of_each_process(self):
        self.assertFalse(readcache.enabled(), "workers could not tell each other of a change")

    @override_settings(CACHES={"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}})
    def test_on_with_a_shared_cache(self):
        self.assertTrue(readcache.enabled())

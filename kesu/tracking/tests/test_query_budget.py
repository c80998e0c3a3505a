"""One load of the signed-in user's memberships per request, whatever the number of access checks.

Each test runs the same request twice: as served, and with the per-request load switched off (as before:
every check read the memberships again). Before: the report page read them 5 times, saving and submitting a
report 6 times (plus the office's notice recipients), the dashboard twice.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from django.core.signals import request_started
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kesu.org import access
from kesu.org.access import is_office_admin, reporter_unit_ids, supervises
from kesu.org.models import Membership
from kesu.tracking.models import Report
from kesu.tracking.tests.base import TrackingTestCase


def permission_loads(sqls: list[str]) -> int:
    """Queries of a user's own memberships (not the recipients of a notice, which are looked up by jurisdiction)."""
    return sum(bool(re.search(r'FROM "org_membership".*"org_membership"\."user_id" = \d', sql)) for sql in sqls)


@contextlib.contextmanager
def every_check_reads_memberships() -> Iterator[None]:
    request_started.disconnect(dispatch_uid="kesu-access-open")
    try:
        yield
    finally:
        request_started.connect(access.open_request_scope, dispatch_uid="kesu-access-open")


class QueryBudgetTests(TrackingTestCase):
    def capture(self, method: str, url: str, data: dict | None = None, expected: int = 200) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = getattr(self.client, method)(url, data or {})
        self.assertEqual(response.status_code, expected)
        return [q["sql"] for q in captured.captured_queries]

    def test_the_report_page_loads_the_reporters_memberships_once(self):
        url = reverse("tracking-report", args=[self.report_of(self.edu, "基础教育").pk])
        self.login(self.edu_reporter)
        with every_check_reads_memberships():
            before = self.capture("get", url)
        after = self.capture("get", url)
        # Seven checks on the page (the top bar's 账号管理 and 志愿服务 links are two of them), one membership load.
        self.assertEqual((permission_loads(before), permission_loads(after)), (7, 1))
        self.assertEqual(len(after), len(before) - 6)

    def test_saving_and_submitting_a_report_loads_the_memberships_once(self):
        self.login(self.edu_reporter)

        def save_and_submit(report: Report, text: str) -> list[str]:  # the same changes to two like reports
            sqls = self.capture("post", reverse("tracking-report", args=[report.pk]), {
                "version": report.version, "progress": "in_progress", "summary": text, "action": "submit",
            }, expected=302)
            report.refresh_from_db()
            self.assertEqual((report.state, report.summary), ("submitted", text))
            return sqls

        with every_check_reads_memberships():
            before = save_and_submit(self.report_of(self.edu, "教师"), "开展教师培训")
        after = save_and_submit(self.report_of(self.edu, "基础教育"), "已开展科学教育")
        # Four checks (a post builds no page, so it checks less than the page itself), one membership load.
        self.assertEqual((permission_loads(before), permission_loads(after)), (4, 1))
        self.assertEqual(len(after), len(before) - 3)

    def test_the_dashboard_loads_the_viewers_memberships_once(self):
        url = reverse("tracking-dashboard", args=[self.plan.pk])
        self.login(self.county_admin)
        with every_check_reads_memberships():
            before = self.capture("get", url)
        after = self.capture("get", url)
        self.assertEqual((permission_loads(before), permission_loads(after)), (4, 1))  # the top bar: 2 of them
        self.assertEqual(len(after), len(before) - 3)


class RequestScopeTests(TrackingTestCase):
    """The shared load never outlives its request, and a change of roles within a request is seen at once."""

    def test_outside_a_request_every_check_reads_the_database(self):
        self.login(self.edu_reporter)
        self.client.get(reverse("tracking-report", args=[self.report_of(self.edu).pk]))
        self.assertEqual(reporter_unit_ids(self.edu_reporter, self.county), {self.edu.pk})
        Membership.objects.filter(user=self.edu_reporter).delete()
        self.assertEqual(reporter_unit_ids(self.edu_reporter, self.county), set())

    def test_a_role_granted_or_revoked_during_the_request_counts_for_the_next_check(self):
        access.open_request_scope()
        try:
            self.assertFalse(is_office_admin(self.edu_reporter, self.plan.jurisdiction))
            grant = Membership.objects.create(user=self.edu_reporter, jurisdiction=self.city, role=Membership.Role.VIEWER)
            self.assertEqual(len(access.memberships_of(self.edu_reporter)), 2)
            grant.delete()
            self.assertEqual(len(access.memberships_of(self.edu_reporter)), 1)
            with self.assertNumQueries(0):  # every later check of the request reuses the load
                self.assertEqual(reporter_unit_ids(self.edu_reporter), {self.edu.pk})
                self.assertFalse(is_office_admin(self.edu_reporter, self.plan.jurisdiction))
                self.assertFalse(supervises(self.edu_reporter, self.county))
        finally:
            access.close_request_scope()

    def test_each_user_has_their_own_load(self):
        access.open_request_scope()
        try:
            self.assertTrue(is_office_admin(self.county_admin, self.plan.jurisdiction))
            self.assertFalse(is_office_admin(self.edu_reporter, self.plan.jurisdiction))
            self.assertEqual(reporter_unit_ids(self.county_admin), set())
            self.assertEqual(reporter_unit_ids(self.edu_reporter), {self.edu.pk})
        finally:
            access.close_request_scope()

    def test_another_units_reporter_is_still_refused(self):
        report = self.report_of(self.kx, "基层")
        self.login(self.edu_reporter)
        response = self.client.post(reverse("tracking-report", args=[report.pk]), {
            "version": report.version, "progress": "completed", "summary": "越权填写",
        })
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Report.objects.get(pk=report.pk).summary, "")

"""GET /api/plans/{id}/reports and /api/reports/{id}: each role sees exactly what tracking.access allows —
another unit's draft and its evidence are refused by API and by direct URL, even with a valid token."""

import shutil
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from kesu.api.tests.base import ApiTestCase
from kesu.plans.models import Plan
from kesu.tracking.actions import (
    do_add_evidence,
    do_approve_report,
    do_return_report,
    do_save_contribution,
    do_save_report,
    do_submit_report,
)

PDF = b"%PDF-1.4\n%kesu api test\n"


class ReportVisibilityTests(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.media = tempfile.mkdtemp(prefix="kesu-api-media-")
        cls.enterClassContext(override_settings(MEDIA_ROOT=cls.media))
        cls.addClassCleanup(shutil.rmtree, cls.media, ignore_errors=True)

    def setUp(self):
        super().setUp()
        self.draft = self.report_of(self.edu, "基础教育")
        self.draft = do_save_report(self.draft, self.edu_reporter, self.draft.version, "in_progress", "草稿内容：尚未定稿", {})
        self.evidence = do_add_evidence(self.draft, self.edu_reporter, SimpleUploadedFile("照片.pdf", PDF), False)
        self.kx_report = self.report_of(self.kx)
        self.path = f"/api/reports/{self.draft.pk}"
        self.list_path = f"/api/plans/{self.plan.pk}/reports"
        self.evidence_url = reverse("tracking-evidence", args=[self.evidence.pk])

    def submit(self, report):
        report.refresh_from_db()
        return do_submit_report(report, self.edu_reporter if report.unit == self.edu else self.kx_reporter, report.version)

    def test_it_lists_only_the_own_units_reports_to_a_reporter_drafts_included(self):
        all_reports = {r.pk for r in self.cycle.reports.all()}
        self.assertEqual(set(self.ids(self.api(self.county_admin).get(self.list_path))), all_reports)
        own = set(self.ids(self.api(self.edu_reporter).get(self.list_path)))
        self.assertEqual(own, set(self.cycle.reports.filter(unit=self.edu).values_list("pk", flat=True)))
        self.assertIn(self.draft.pk, own)
        self.assertEqual(self.ids(self.api(self.kx_reporter).get(self.list_path)), [self.kx_report.pk])
        self.assertEqual(self.ids(self.api(self.league_reporter).get(self.list_path)), [], "a supporting unit owns no report")

    def test_it_refuses_another_units_draft_by_api(self):
        for user in (self.kx_reporter, self.league_reporter, self.city_leader, self.city_admin, self.county_viewer,
                     self.other_county_admin, self.outsider):
            with self.subTest(user=user.username):
                response = self.api(user).get(self.path)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("草稿内容", response.content.decode())
                self.assertNotIn("照片.pdf", response.content.decode())

    def test_it_refuses_another_units_evidence_by_direct_url(self):
        for user in (self.kx_reporter, self.city_leader, self.county_viewer, self.other_county_admin, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.evidence_url).status_code, 404)
        self.client.logout()

    def test_it_does_not_open_the_evidence_download_with_a_token(self):
        """The download view takes a signed-in browser session; a bearer token, even the owner's, opens nothing."""
        response = self.client.get(self.evidence_url, headers={"Authorization": f"Bearer {self.key_for(self.edu_reporter)}"})
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])
        self.assertNotIn(PDF, response.content)

    def test_it_shows_the_own_unit_and_the_office_the_draft_with_evidence_metadata(self):
        for user in (self.edu_reporter, self.county_admin):
            with self.subTest(user=user.username):
                body = self.api(user).get(self.path).json()
                self.assertEqual((body["state"], body["summary"]), ("draft", "草稿内容：尚未定稿"))
                [evidence] = body["evidence"]
                self.assertEqual(evidence["original_name"], "照片.pdf")
                self.assertEqual(evidence["content_type"], "application/pdf")
                self.assertEqual(evidence["size"], len(PDF))
                self.assertEqual(evidence["unit"], {"id": self.edu.pk, "name": "县教科局"})
                self.assertEqual(evidence["download_url"], f"http://testserver{self.evidence_url}")
                self.assertNotIn("%PDF", self.api(user).get(self.path).content.decode(), "never the file's contents")
        # The download URL is the access-checked page view: it serves the reporter's browser session.
        self.login(self.edu_reporter)
        self.assertEqual(b"".join(self.client.get(self.evidence_url).streaming_content), PDF)

    def test_it_shows_supervisors_submitted_and_approved_reports_only(self):
        supervisors = (self.city_leader, self.city_admin, self.county_viewer)
        for user in supervisors:
            self.assertEqual(self.ids(self.api(user).get(self.list_path)), [], user.username)
        self.submit(self.draft)
        for user in supervisors:
            with self.subTest(user=user.username, state="submitted"):
                self.assertEqual(self.ids(self.api(user).get(self.list_path)), [self.draft.pk])
                self.assertEqual(self.api(user).get(self.path).json()["summary"], "草稿内容：尚未定稿")
        do_return_report(self.draft, self.county_admin, "请补充照片")
        for user in supervisors:
            with self.subTest(user=user.username, state="returned"):
                self.assertEqual(self.ids(self.api(user).get(self.list_path)), [])
                self.assertEqual(self.api(user).get(self.path).status_code, 404)
        self.submit(self.draft)
        do_approve_report(self.draft, self.county_admin)
        for user in supervisors:
            with self.subTest(user=user.username, state="approved"):
                self.assertEqual(self.api(user).get(self.path).json()["state"], "approved")
        self.assertEqual(self.api(self.kx_reporter).get(self.path).status_code, 404, "other units stay out even when approved")

    def test_it_keeps_other_jurisdictions_out_of_a_published_plans_reports(self):
        self.submit(self.draft)
        self.assertEqual(self.api(self.other_county_admin).get(self.list_path).status_code, 404, "unpublished plan")
        Plan.objects.filter(pk=self.plan.pk).update(status=Plan.Status.PUBLISHED)
        for user in (self.other_county_admin, self.outsider):
            with self.subTest(user=user.username):
                self.assertEqual(self.api(user).get(self.list_path).status_code, 403)
                self.assertEqual(self.api(user).get(self.path).status_code, 404)

    def test_it_filters_by_cycle_unit_task_and_state(self):
        api = self.api(self.county_admin)
        self.assertEqual(self.ids(api.get(self.list_path, unit=self.kx.pk)), [self.kx_report.pk])
        self.assertEqual(self.ids(api.get(self.list_path, task=self.draft.task_id)), [self.draft.pk])
        self.assertEqual(len(self.ids(api.get(self.list_path, cycle=self.cycle.pk))), 3)
        self.assertEqual(self.ids(api.get(self.list_path, cycle=987654)), [])
        self.submit(self.kx_report)
        self.assertEqual(self.ids(api.get(self.list_path, state="submitted")), [self.kx_report.pk])
        self.assertEqual(api.get(self.list_path, state="lost").status_code, 422)
        misspelt = api.get(self.list_path, stat="submitted")
        self.assertEqual(misspelt.status_code, 422, "a misspelt filter must not silently return everything")
        self.assertEqual(misspelt.json()["detail"][0]["loc"], ["query", "stat"])
        self.assertEqual(api.get(self.path, expand="all").status_code, 422)
        body = api.get(self.list_path, limit=1, offset=1).json()
        self.assertEqual((body["count"], len(body["items"])), (3, 1))

    def test_it_describes_a_report_with_values_contributions_and_history(self):
        target = self.draft.task.targets.get()
        self.draft.refresh_from_db()
        do_save_report(self.draft, self.edu_reporter, self.draft.version, "in_progress", "开展活动12场", {target.pk: 60})
        do_save_contribution(self.draft, self.kx, self.kx_reporter, "县科协派出科技辅导员8人", None)
        body = self.api(self.county_admin).get(self.path).json()
        self.assertEqual(body["task"], {"id": self.draft.task_id, "title": "提升基础教育阶段科学教育水平"})
        self.assertEqual(body["cycle"]["id"], self.cycle.pk)
        self.assertEqual(body["values"], [{
            "target_id": target.pk, "indicator": "学生科普活动参与率", "unit": "%", "comparator": ">=",
            "target_value": 90.0, "value": 60.0,
        }])
        self.assertEqual([(c["unit"]["name"], c["text"]) for c in body["contributions"]], [("县科协", "县科协派出科技辅导员8人")])
        saved = [e for e in body["history"] if e["kind"] == "report_saved" and e["field"] == "工作进展"]
        self.assertEqual((saved[0]["actor"], saved[0]["old"], saved[0]["new"]), ("edu_reporter", "草稿内容：尚未定稿", "开展活动12场"))
        self.assertEqual(saved[0]["kind_label"], "保存报告")
        self.assertTrue(body["reviewable"] is False and body["editable"] is False, "the office neither edits nor reviews a draft")
        self.assertTrue(self.api(self.edu_reporter).get(self.path).json()["editable"])

    def test_it_answers_a_missing_report_exactly_like_a_hidden_one(self):
        hidden = self.api(self.kx_reporter).get(self.path)
        missing = self.api(self.kx_reporter).get("/api/reports/987654")
        self.assertEqual((hidden.status_code, hidden.json()), (missing.status_code, missing.json()))

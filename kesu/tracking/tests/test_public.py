"""The public page: published plans only, approved content only, public evidence only — for anonymous visitors."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kesu.plans.models import Plan
from kesu.tracking.actions import do_add_evidence, do_approve_report, do_save_report, do_submit_report
from kesu.tracking.tests.base import TrackingTestCase

PDF = b"%PDF-1.4\n"


class PublicPageTests(TrackingTestCase):
    def setUp(self):
        super().setUp()
        Plan.objects.filter(pk=self.plan.pk).update(status=Plan.Status.PUBLISHED)
        approved = self.report_of(self.edu, "基础教育")
        approved = do_save_report(approved, self.edu_reporter, approved.version, "completed", "审核通过的内容", {})
        self.public_file = do_add_evidence(approved, self.edu_reporter, SimpleUploadedFile("公开照片.pdf", PDF), True)
        self.private_file = do_add_evidence(approved, self.edu_reporter, SimpleUploadedFile("内部名单.pdf", PDF), False)
        approved = do_submit_report(approved, self.edu_reporter, approved.version)
        do_approve_report(approved, self.county_admin)
        pending = self.report_of(self.edu, "教师")
        pending = do_save_report(pending, self.edu_reporter, pending.version, "in_progress", "待审核的内容", {})
        do_submit_report(pending, self.edu_reporter, pending.version)
        draft = self.report_of(self.kx, "基层")
        do_save_report(draft, self.kx_reporter, draft.version, "behind", "草稿里的内容", {})
        self.url = reverse("public-plan", args=[self.plan.pk])

    def test_it_shows_approved_progress_to_anonymous_visitors(self):
        response = self.client.get(self.url)
        self.assertContains(response, "审核通过的内容")
        self.assertContains(response, "公开照片.pdf")
        self.assertContains(response, "完成比例＝最新审核通过的填报值÷目标值")

    def test_it_never_shows_drafts_pending_reports_or_private_evidence(self):
        response = self.client.get(self.url)
        for secret in ("待审核的内容", "草稿里的内容", "内部名单.pdf"):
            self.assertNotContains(response, secret)
        self.assertEqual(self.client.get(reverse("public-evidence", args=[self.private_file.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("public-evidence", args=[self.public_file.pk])).status_code, 200)

    def test_it_hides_an_unpublished_plan(self):
        Plan.objects.filter(pk=self.plan.pk).update(status=Plan.Status.DRAFT)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.get(reverse("public-evidence", args=[self.public_file.pk])).status_code, 404)
        self.assertNotContains(self.client.get(reverse("public-plans")), self.plan.title)

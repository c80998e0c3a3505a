"""Every role against reports, drafts and evidence files, by direct URL."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kesu.tracking.actions import do_add_evidence, do_save_report, do_submit_report
from kesu.tracking.models import Evidence
from kesu.tracking.tests.base import TrackingTestCase

PDF = b"%PDF-1.4\n%minimal\n"


class ReportAccessTests(TrackingTestCase):
    def setUp(self):
        super().setUp()
        self.draft = self.report_of(self.edu, "基础教育")
        self.draft = do_save_report(self.draft, self.edu_reporter, self.draft.version, "in_progress", "草稿内容：尚未定稿", {})
        self.evidence = do_add_evidence(self.draft, self.edu_reporter, SimpleUploadedFile("照片.pdf", PDF), False)
        self.report_url = reverse("tracking-report", args=[self.draft.pk])
        self.evidence_url = reverse("tracking-evidence", args=[self.evidence.pk])

    def test_it_shows_a_draft_only_to_its_own_unit_and_the_office(self):
        for user in (self.edu_reporter, self.county_admin):
            self.login(user)
            self.assertContains(self.client.get(self.report_url), "草稿内容")
            self.assertEqual(self.client.get(self.evidence_url).status_code, 200)

    def test_it_refuses_another_units_draft_and_its_evidence_by_direct_url(self):
        for user in (self.kx_reporter, self.city_leader, self.county_viewer, self.other_county_admin, self.outsider):
            self.login(user)
            page = self.client.get(self.report_url)
            self.assertNotContains(page, "草稿内容", status_code=page.status_code)
            self.assertEqual(self.client.get(self.evidence_url).status_code, 404, user)

    def test_it_shows_supervisors_a_submitted_report_read_only(self):
        do_submit_report(self.draft, self.edu_reporter, self.draft.version)
        for user in (self.city_leader, self.county_viewer, self.city_admin):
            self.login(user)
            page = self.client.get(self.report_url)
            self.assertContains(page, "草稿内容")
            self.assertNotContains(page, "审核通过并锁定")
            self.assertEqual(self.client.post(reverse("tracking-review", args=[self.draft.pk]), {"decision": "approve"}).status_code, 403)
        self.login(self.kx_reporter)
        self.assertEqual(self.client.get(self.evidence_url).status_code, 404)

    def test_it_lets_only_the_own_unit_change_a_report(self):
        for user in (self.kx_reporter, self.county_admin, self.city_admin):
            self.login(user)
            response = self.client.post(self.report_url, {"version": self.draft.version, "progress": "behind", "summary": "篡改"})
            self.assertIn(response.status_code, (403, 404), user)
            response = self.client.post(reverse("tracking-evidence-upload", args=[self.draft.pk]),
                                        {"file": SimpleUploadedFile("x.pdf", PDF)})
            self.assertIn(response.status_code, (403, 404), user)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.summary, "草稿内容：尚未定稿")
        self.assertEqual(Evidence.objects.count(), 1)

    def test_it_lets_only_the_office_open_cycles_and_grant_exceptions(self):
        url = reverse("tracking-plan", args=[self.plan.pk])
        year = self.plan.period_start
        data = {"period_type": "year", "year": year, "number": 1, "deadline": f"{year + 1}-01-20", "lock_days": 7, "remind_days": 3}
        for user in (self.edu_reporter, self.county_viewer, self.city_admin):
            self.login(user)
            self.assertEqual(self.client.post(url, data).status_code, 403)
            self.assertEqual(self.client.post(reverse("tracking-exception", args=[self.plan.pk, self.cycle.pk]), {}).status_code, 403)
        self.login(self.county_admin)
        self.assertEqual(self.client.post(url, data).status_code, 302)

    def test_it_keeps_the_cycle_overview_from_unit_reporters(self):
        self.login(self.edu_reporter)
        self.assertEqual(self.client.get(reverse("tracking-cycle", args=[self.plan.pk, self.cycle.pk])).status_code, 403)
        self.assertEqual(self.client.get(reverse("tracking-dashboard", args=[self.plan.pk])).status_code, 403)


class EvidenceUploadTests(TrackingTestCase):
    def setUp(self):
        super().setUp()
        self.report = self.report_of(self.edu, "基础教育")
        self.login(self.edu_reporter)

    def upload(self, name, data):
        return self.client.post(reverse("tracking-evidence-upload", args=[self.report.pk]),
                                {"file": SimpleUploadedFile(name, data)}, follow=True)

    def test_it_accepts_a_pdf_and_a_photo(self):
        self.upload("活动通知.pdf", PDF)
        self.upload("现场.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100)
        self.assertEqual(list(Evidence.objects.values_list("original_name", flat=True)), ["活动通知.pdf", "现场.jpg"])

    def test_it_refuses_bad_files_with_a_message_naming_them(self):
        for name, data, message in [
            ("脚本.exe", b"MZ", "文件类型不支持"),
            ("伪装.pdf", b"MZ\x90\x00", "内容与扩展名 .pdf 不符"),
            ("空.png", b"", "是空文件"),
        ]:
            response = self.upload(name, data)
            self.assertContains(response, name)
            self.assertContains(response, message)
        self.assertFalse(Evidence.objects.exists())

    def test_it_refuses_a_file_over_the_size_limit(self):
        with self.settings(KESU_MAX_EVIDENCE=1024):
            response = self.upload("大文件.pdf", PDF + b"0" * 2048)
        self.assertContains(response, "超过")
        self.assertFalse(Evidence.objects.exists())

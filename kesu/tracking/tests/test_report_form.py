"""The report form never loses input (issue 10): evidence uploaded before saving keeps the typed text; the
measure's own text and its targets are shown beside the form."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kesu.tracking.models import Evidence, Report, TrackingEvent
from kesu.tracking.tests.test_cycle_page import CycleTestCase

PDF = b"%PDF-1.4\n%minimal\n"


class EvidenceKeepsTextTests(CycleTestCase):
    def setUp(self) -> None:
        self.report = self.report_of(self.edu, "基础教育")
        self.target = self.report.task.targets.get()
        self.page = reverse("tracking-report", args=[self.report.pk])
        self.login(self.edu_reporter)

    def typed(self, **extra) -> dict:
        """What the reporter typed in the one form of the page, without saving yet."""
        return {"version": self.report.version, "progress": "in_progress", "summary": "开展科学教育活动12场",
                f"target_{self.target.pk}": "6"} | extra

    def test_uploading_evidence_before_saving_keeps_the_typed_text(self):
        response = self.client.post(self.page, self.typed(action="upload", file=SimpleUploadedFile("活动通知.pdf", PDF)))
        self.assertRedirects(response, self.page, fetch_redirect_response=False)
        self.report.refresh_from_db()
        self.assertEqual((self.report.summary, self.report.progress, self.report.state),
                         ("开展科学教育活动12场", "in_progress", "draft"))
        self.assertEqual(self.report.values.get().value, 6)
        self.assertEqual(list(Evidence.objects.filter(report=self.report).values_list("original_name", flat=True)), ["活动通知.pdf"])
        kinds = set(TrackingEvent.objects.filter(report=self.report).values_list("kind", flat=True))
        self.assertEqual(kinds, {"report_saved", "evidence_added"})
        page = self.client.get(self.page).content.decode()
        self.assertIn("开展科学教育活动12场", page)
        self.assertIn('value="6"', page, "a value of 6 comes back as 6, not 6.0")

    def test_the_upload_address_also_saves_the_text_posted_along(self):
        url = reverse("tracking-evidence-upload", args=[self.report.pk])
        response = self.client.post(url, self.typed(file=SimpleUploadedFile("现场.pdf", PDF)))
        self.assertEqual(response.status_code, 302)
        self.report.refresh_from_db()
        self.assertEqual(self.report.summary, "开展科学教育活动12场")
        self.assertTrue(Evidence.objects.filter(report=self.report, original_name="现场.pdf").exists())

    def test_a_refused_file_shows_the_form_again_with_the_text_still_in_it(self):
        response = self.client.post(self.page, self.typed(action="upload", file=SimpleUploadedFile("脚本.exe", b"MZ")))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "开展科学教育活动12场", status_code=400)
        self.assertContains(response, "脚本.exe", status_code=400)
        self.assertContains(response, "文件类型不支持", status_code=400)
        self.assertFalse(Evidence.objects.exists())
        self.assertEqual(Report.objects.get(pk=self.report.pk).summary, "")

    def test_saving_with_a_file_chosen_uploads_it_too(self):
        response = self.client.post(self.page, self.typed(action="save", file=SimpleUploadedFile("照片.pdf", PDF)))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Evidence.objects.filter(report=self.report, original_name="照片.pdf").exists())
        self.assertEqual(Report.objects.get(pk=self.report.pk).summary, "开展科学教育活动12场")

    def test_removing_evidence_before_saving_keeps_the_typed_text(self):
        self.client.post(self.page, self.typed(action="upload", file=SimpleUploadedFile("旧照片.pdf", PDF)))
        evidence = Evidence.objects.get(report=self.report)
        self.report.refresh_from_db()
        response = self.client.post(reverse("tracking-evidence-delete", args=[evidence.pk]), self.typed(summary="改写后的进展"))
        self.assertRedirects(response, self.page, fetch_redirect_response=False)
        self.assertFalse(Evidence.objects.exists())
        self.assertEqual(Report.objects.get(pk=self.report.pk).summary, "改写后的进展")

    def test_another_unit_cannot_upload_with_text(self):
        for user in (self.kx_reporter, self.county_admin, self.other_county_admin):
            self.login(user)
            response = self.client.post(self.page, self.typed(action="upload", file=SimpleUploadedFile("x.pdf", PDF)))
            self.assertIn(response.status_code, (403, 404), user.username)
        self.assertFalse(Evidence.objects.exists())
        self.assertEqual(Report.objects.get(pk=self.report.pk).summary, "")


class MeasureBesideTheFormTests(CycleTestCase):
    def test_the_report_page_shows_the_measures_text_units_and_targets_in_chinese(self):
        report = self.report_of(self.edu, "基础教育")
        for user in (self.edu_reporter, self.county_admin):
            self.login(user)
            page = self.client.get(reverse("tracking-report", args=[report.pk])).content.decode()
            self.assertIn("措施内容", page)
            self.assertIn("青少年科学素质提升行动", page)
            self.assertIn("提升基础教育阶段科学教育水平", page)
            self.assertIn("配合单位", page)
            self.assertIn("县科协、团县委", page)
            self.assertIn("学生科普活动参与率不低于90%", page)
            self.assertIn("学生科普活动参与率达90%以上", page, "the target as the plan words it")
            self.assertNotIn("&gt;=", page)

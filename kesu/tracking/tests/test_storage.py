"""Uploaded and generated files go through Django's storage setting only (KESU_STORAGE: filesystem or s3), never
through paths under MEDIA_ROOT: with an in-memory storage, evidence and summaries are stored, served and removed
while MEDIA_ROOT never comes into being."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from kesu.jobs import run_due_jobs
from kesu.tracking.actions import do_approve_report, do_save_report, do_submit_report
from kesu.tracking.models import Evidence, SummaryDocument
from kesu.tracking.tests.base import TrackingTestCase

PDF = b"%PDF-1.4\n%evidence in memory\n"
IN_MEMORY = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


@override_settings(STORAGES=IN_MEMORY)
class StorageTests(TrackingTestCase):
    def tearDown(self) -> None:
        self.assertFalse(Path(settings.MEDIA_ROOT).exists(), "something wrote under MEDIA_ROOT")
        super().tearDown()

    def test_the_storage_is_the_in_memory_one(self):
        self.assertIsInstance(Evidence._meta.get_field("file").storage, InMemoryStorage)
        self.assertIsInstance(SummaryDocument._meta.get_field("pdf").storage, InMemoryStorage)

    def test_evidence_is_uploaded_downloaded_and_removed_through_the_storage(self):
        report = self.report_of(self.edu, "基础教育")
        self.login(self.edu_reporter)
        response = self.client.post(reverse("tracking-evidence-upload", args=[report.pk]),
                                    {"file": SimpleUploadedFile("活动照片.pdf", PDF)})
        self.assertEqual(response.status_code, 302)
        evidence = Evidence.objects.get()
        self.assertTrue(default_storage.exists(evidence.file.name))
        download = self.client.get(reverse("tracking-evidence", args=[evidence.pk]))
        self.assertEqual(download.status_code, 200)
        self.assertEqual(b"".join(download.streaming_content), PDF)

        self.client.post(reverse("tracking-evidence-delete", args=[evidence.pk]))
        self.assertFalse(Evidence.objects.exists())
        self.assertFalse(default_storage.exists(evidence.file.name))

    def test_a_summary_is_generated_into_and_downloaded_from_the_storage(self):
        report = self.report_of(self.kx, "基层")
        report = do_save_report(report, self.kx_reporter, report.version, "in_progress", "组建服务队", {})
        do_approve_report(do_submit_report(report, self.kx_reporter, report.version), self.county_admin)
        self.login(self.county_admin)
        self.client.post(reverse("tracking-summaries", args=[self.plan.pk]), {"year": self.cycle.year})
        run_due_jobs()
        document = SummaryDocument.objects.get()
        self.assertEqual(document.status, "done", document.error)
        for kind, start in (("docx", b"PK"), ("pdf", b"%PDF")):
            with self.subTest(kind=kind):
                self.assertTrue(default_storage.exists(getattr(document, kind).name))
                response = self.client.get(reverse("tracking-summary-file", args=[document.pk, kind]))
                self.assertEqual(response.status_code, 200)
                self.assertTrue(b"".join(response.streaming_content).startswith(start))

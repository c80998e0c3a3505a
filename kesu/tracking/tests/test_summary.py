"""The annual summary: requested from the page, produced by the background job, as .docx and PDF."""

import io

from django.urls import reverse
from docx import Document
from pdfminer.high_level import extract_text

from kesu.jobs import run_due_jobs
from kesu.tracking.actions import do_approve_report, do_save_report, do_submit_report
from kesu.tracking.models import SummaryDocument
from kesu.tracking.tests.base import TrackingTestCase


class SummaryTests(TrackingTestCase):
    def setUp(self):
        super().setUp()
        report = self.report_of(self.kx, "基层")
        target = report.task.targets.get()
        report = do_save_report(report, self.kx_reporter, report.version, "in_progress", "组建科技志愿服务队12支", {target.pk: 1500})
        report = do_submit_report(report, self.kx_reporter, report.version)
        do_approve_report(report, self.county_admin)

    def test_it_produces_an_editable_word_draft_and_a_pdf_in_the_background(self):
        self.login(self.county_admin)
        url = reverse("tracking-summaries", args=[self.plan.pk])
        self.client.post(url, {"year": self.cycle.year})
        document = SummaryDocument.objects.get()
        self.assertEqual(document.status, "queued")
        self.assertEqual(run_due_jobs()["年度总结"], 1)
        document.refresh_from_db()
        self.assertEqual(document.status, "done", document.error)

        docx = self.client.get(reverse("tracking-summary-file", args=[document.pk, "docx"]))
        text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(docx.streaming_content))).paragraphs)
        for expected in ("襄汾县", "工作总结（初稿）", "一、总体情况", "组建科技志愿服务队12支", "五、存在的问题", "附：统计口径"):
            self.assertIn(expected, text)
        self.assertEqual(len(Document(io.BytesIO(document.docx.read())).inline_shapes), 2, "two charts as images")

        pdf = self.client.get(reverse("tracking-summary-file", args=[document.pk, "pdf"]))
        pdf_text = extract_text(io.BytesIO(b"".join(pdf.streaming_content)))
        self.assertIn("工作总结", pdf_text)
        self.assertIn("组建科技志愿服务队12支", pdf_text.replace("\n", ""))

    def test_it_lets_only_the_office_request_and_supervisors_download(self):
        self.login(self.county_viewer)
        self.assertEqual(self.client.post(reverse("tracking-summaries", args=[self.plan.pk]), {"year": self.cycle.year}).status_code, 403)
        self.login(self.county_admin)
        self.client.post(reverse("tracking-summaries", args=[self.plan.pk]), {"year": self.cycle.year})
        run_due_jobs()
        document = SummaryDocument.objects.get()
        for user, status in ((self.city_leader, 200), (self.edu_reporter, 403), (self.other_county_admin, 404)):
            self.login(user)
            self.assertEqual(self.client.get(reverse("tracking-summary-file", args=[document.pk, "pdf"])).status_code, status, user)

    def test_it_claims_a_queued_document_only_once(self):
        from kesu.tracking.summary.job import do_produce_queued_summaries, do_request_summary

        do_request_summary(self.plan, self.cycle.year, self.county_admin)
        self.assertEqual(do_produce_queued_summaries(), 1)
        self.assertEqual(do_produce_queued_summaries(), 0)

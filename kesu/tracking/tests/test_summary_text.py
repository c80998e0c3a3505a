"""Report text reaches the annual summary PDF as text: ReportLab markup in it is shown, never obeyed."""

import io
import tempfile
from pathlib import Path

from django.urls import reverse
from docx import Document
from pdfminer.high_level import extract_text
from PIL import Image

from kesu.jobs import run_due_jobs
from kesu.tracking.actions import do_approve_report, do_save_report, do_submit_report
from kesu.tracking.models import SummaryDocument
from kesu.tracking.summary.job import do_request_summary
from kesu.tracking.tests.base import TrackingTestCase


class SummaryTextTests(TrackingTestCase):
    def approve(self, summary: str) -> None:
        report = self.report_of(self.kx, "基层")
        target = report.task.targets.get()
        report = do_save_report(report, self.kx_reporter, report.version, "in_progress", summary, {target.pk: 1500})
        report = do_submit_report(report, self.kx_reporter, report.version)
        do_approve_report(report, self.county_admin)

    def summary_pdf(self) -> bytes:
        do_request_summary(self.plan, self.cycle.year, self.county_admin)
        run_due_jobs()
        document = SummaryDocument.objects.get()
        self.assertEqual(document.status, "done", document.error)
        self.login(self.county_admin)
        response = self.client.get(reverse("tracking-summary-file", args=[document.pk, "pdf"]))
        return b"".join(response.streaming_content)

    def test_an_image_tag_in_a_report_does_not_put_a_server_file_into_the_pdf(self):
        with tempfile.TemporaryDirectory() as folder:
            secret = Path(folder) / "secret.png"
            Image.new("RGB", (40, 40), "red").save(secret)
            self.approve(f'完成培训<img src="{secret}" width="40" height="40"/>')
            pdf = self.summary_pdf()
        self.assertEqual(pdf.count(b"/Subtype /Image"), 2, "only the two charts are images")
        self.assertIn(f'完成培训<img src="{secret}"', extract_text(io.BytesIO(pdf)).replace("\n", ""))

    def test_a_less_than_sign_in_a_locked_report_leaves_the_summary_working(self):
        self.approve("覆盖率a<b，且 x & y")
        text = extract_text(io.BytesIO(self.summary_pdf())).replace("\n", "")
        self.assertIn("覆盖率a<b，且 x & y", text)

    def test_control_characters_pasted_from_word_leave_the_summary_working(self):
        # Word's manual line break (\x0b) and a stray bell (\x07) are not allowed in .docx XML.
        self.approve("第一行\x0b第二行\x07完成")
        self.summary_pdf()
        document = SummaryDocument.objects.get()
        text = "\n".join(p.text for p in Document(io.BytesIO(document.docx.read())).paragraphs)
        self.assertIn("第一行\n第二行完成", text)

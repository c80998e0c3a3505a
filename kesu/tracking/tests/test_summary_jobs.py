"""Summaries survive faults: leases on claimed documents, retry after a dead worker, retry and cancel buttons."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from kesu.infra.leases import claim
from kesu.tracking.models import SummaryDocument, TrackingEvent
from kesu.tracking.summary import job
from kesu.tracking.tests.base import TrackingTestCase

PAST = dt.timedelta(minutes=1)


class SummaryLeaseTests(TrackingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.document = job.do_request_summary(self.plan, self.cycle.year, self.county_admin)

    def left_running(self, attempts: int, lease_until: dt.datetime) -> None:
        """As a worker killed mid-job leaves it."""
        SummaryDocument.objects.filter(pk=self.document.pk).update(
            status="running", attempts=attempts, lease_until=lease_until, worker="dead-host:4242:0000",
            claimed_at=timezone.now() - dt.timedelta(hours=1))

    def test_a_claim_records_who_when_and_until_when(self) -> None:
        lease = claim(SummaryDocument, self.document.pk, "summary")
        self.document.refresh_from_db()
        self.assertEqual((self.document.status, self.document.attempts, self.document.worker), ("running", 1, lease.token))
        self.assertAlmostEqual((self.document.lease_until - self.document.claimed_at).total_seconds(), 600, delta=1)
        self.assertIsNone(claim(SummaryDocument, self.document.pk, "summary"), "a second worker finds it taken")

    def test_a_document_whose_worker_died_is_produced_by_the_next_pass(self) -> None:
        self.left_running(attempts=1, lease_until=timezone.now() - PAST)
        with self.assertLogs("kesu.infra.leases", "WARNING"):
            self.assertEqual(job.do_produce_queued_summaries(), 1)
        self.document.refresh_from_db()
        self.assertEqual((self.document.status, self.document.attempts), ("done", 2), self.document.error)
        self.assertTrue(self.document.pdf.name and self.document.docx.name)

    def test_after_the_last_attempt_it_is_failed_with_the_reason(self) -> None:
        self.left_running(attempts=3, lease_until=timezone.now() - PAST)
        with self.assertLogs("kesu.infra.leases", "ERROR"):
            self.assertEqual(job.do_produce_queued_summaries(), 0)
        self.document.refresh_from_db()
        self.assertEqual(self.document.status, "failed")
        self.assertEqual(self.document.error, "处理进程中断，已尝试3次仍未完成。可以重试；如仍失败，请联系系统管理员。")
        event = TrackingEvent.objects.get(kind="summary_failed")
        self.assertEqual((event.subject, event.actor), (f"{self.cycle.year}年度工作总结", None))

    def test_a_document_with_a_live_lease_is_left_alone(self) -> None:
        until = timezone.now() + dt.timedelta(minutes=5)
        self.left_running(attempts=3, lease_until=until)
        self.assertEqual(job.do_produce_queued_summaries(), 0)
        self.document.refresh_from_db()
        self.assertEqual((self.document.status, self.document.attempts, self.document.lease_until), ("running", 3, until))

    def test_a_document_cancelled_while_rendering_stops_and_keeps_no_files(self) -> None:
        lease = claim(SummaryDocument, self.document.pk, "summary")
        real = job.render_docx

        def cancelled_meanwhile(content):
            job.do_cancel_summary(self.document, self.county_admin)
            return real(content)

        with mock.patch.object(job, "render_docx", cancelled_meanwhile), mock.patch.object(job, "render_pdf") as pdf:
            job.work(lease)
        pdf.assert_not_called()  # stopped at its next step
        self.document.refresh_from_db()
        self.assertEqual((self.document.status, self.document.docx.name, self.document.pdf.name), ("cancelled", "", ""))

    def test_a_result_finished_after_a_cancel_is_discarded(self) -> None:
        lease = claim(SummaryDocument, self.document.pk, "summary")
        stored: list[str] = []
        real = job.produce

        def produce_then_cancelled(document, heartbeat):
            real(document, heartbeat)
            stored.extend([document.docx.name, document.pdf.name])
            job.do_cancel_summary(document, self.county_admin)

        with mock.patch.object(job, "produce", produce_then_cancelled):
            job.work(lease)
        self.document.refresh_from_db()
        self.assertEqual((self.document.status, self.document.docx.name), ("cancelled", ""))
        self.assertFalse(any(self.document.docx.storage.exists(name) for name in stored), "files removed")


class SummaryButtonsTests(TrackingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.document = job.do_request_summary(self.plan, self.cycle.year, self.county_admin)
        self.page = reverse("tracking-summaries", args=[self.plan.pk])

    def post(self, user, action: str):
        self.login(user)
        return self.client.post(reverse(f"tracking-summary-{action}", args=[self.document.pk]))

    def test_the_office_cancels_queued_work_and_retries_it(self) -> None:
        self.login(self.county_admin)
        self.assertContains(self.client.get(self.page), reverse("tracking-summary-cancel", args=[self.document.pk]))
        self.assertRedirects(self.post(self.county_admin, "cancel"), self.page)
        self.document.refresh_from_db()
        self.assertEqual(self.document.status, "cancelled")
        page = self.client.get(self.page)
        self.assertContains(page, "已取消")
        self.assertContains(page, reverse("tracking-summary-retry", args=[self.document.pk]))

        self.post(self.county_admin, "retry")
        self.document.refresh_from_db()
        self.assertEqual((self.document.status, self.document.attempts), ("queued", 0))
        kinds = list(TrackingEvent.objects.filter(kind__startswith="summary_").order_by("id").values_list("kind", "actor"))
        self.assertEqual(kinds, [("summary_requested", self.county_admin.pk), ("summary_cancelled", self.county_admin.pk),
                                 ("summary_retried", self.county_admin.pk)])
        self.assertEqual(job.do_produce_queued_summaries(), 1)

    def test_a_failed_document_can_be_retried_and_a_done_one_is_refused(self) -> None:
        SummaryDocument.objects.filter(pk=self.document.pk).update(status="failed", error="x", attempts=3)
        self.post(self.county_admin, "retry")
        self.document.refresh_from_db()
        self.assertEqual((self.document.status, self.document.error, self.document.attempts), ("queued", "", 0))
        SummaryDocument.objects.filter(pk=self.document.pk).update(status="done")
        response = self.post(self.county_admin, "retry")
        self.assertContains(self.client.get(response.url), "只有生成失败或已取消的工作总结可以重试")
        self.assertEqual(SummaryDocument.objects.get(pk=self.document.pk).status, "done")

    def test_only_the_plans_office_may_retry_or_cancel(self) -> None:
        for user, status in ((self.county_viewer, 403), (self.city_leader, 403), (self.city_admin, 403),
                             (self.edu_reporter, 403), (self.other_county_admin, 404)):
            for action in ("cancel", "retry"):
                self.assertEqual(self.post(user, action).status_code, status, (user, action))
        self.assertEqual(SummaryDocument.objects.get(pk=self.document.pk).status, "queued")
        self.login(self.city_leader)
        self.assertNotContains(self.client.get(self.page), "取消</button>")
        self.client.logout()
        self.assertEqual(self.client.post(reverse("tracking-summary-cancel", args=[self.document.pk])).status_code, 302)
        self.assertEqual(SummaryDocument.objects.get(pk=self.document.pk).status, "queued", "anonymous: to sign-in")

"""Notifications go out after commit through the outbox: a failing channel never undoes the reporter's action."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.urls import reverse

from kesu.notices.models import Notice, OutboxMessage
from kesu.tracking.models import Report
from kesu.tracking.tests.base import TrackingTestCase

SENT: list[tuple[str, str]] = []


def failing_sms(user, title, body, link) -> None:
    raise ConnectionError("SMS gateway unreachable")


def recording_sms(user, title, body, link) -> None:
    SENT.append((user.username, title))


FAILING = "kesu.tracking.tests.test_outbox.failing_sms"
RECORDING = "kesu.tracking.tests.test_outbox.recording_sms"


class SubmissionWithFailingChannelTests(TrackingTestCase):
    def submit(self) -> Report:
        report = self.report_of(self.edu, "基础教育")
        self.login(self.edu_reporter)
        data = {"version": report.version, "progress": "in_progress", "summary": "开展科学教育活动12场", "action": "submit"}
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("tracking-report", args=[report.pk]), data)
        self.assertEqual(response.status_code, 302)
        report.refresh_from_db()
        return report

    def test_a_failing_sms_gateway_does_not_undo_the_submission(self) -> None:
        with self.settings(KESU_NOTIFIERS=[FAILING]), self.assertLogs("kesu.notices", "WARNING") as logs:
            report = self.submit()
        self.assertEqual(report.state, "submitted")
        self.assertTrue(Notice.objects.filter(user=self.county_admin, title__contains="提交").exists())
        message = OutboxMessage.objects.get(channel=FAILING, user=self.county_admin)
        self.assertEqual((message.status, message.attempts), ("pending", 1))
        self.assertIn("SMS gateway unreachable", message.last_error)
        self.assertIn("SMS gateway unreachable", "\n".join(logs.output))

    def test_the_channels_hear_of_it_only_after_the_commit(self) -> None:
        SENT.clear()
        self.county_admin.email = "office@example.org"
        self.county_admin.save(update_fields=["email"])
        report = self.report_of(self.edu, "基础教育")
        with self.settings(KESU_NOTIFIERS=[RECORDING]), self.captureOnCommitCallbacks() as callbacks:
            self.login(self.edu_reporter)
            self.client.post(reverse("tracking-report", args=[report.pk]), {
                "version": report.version, "progress": "in_progress", "summary": "x", "action": "submit"})
            self.assertEqual((SENT, mail.outbox), ([], []), "nothing leaves before the commit")
            self.assertEqual(
                set(OutboxMessage.objects.filter(user=self.county_admin).values_list("channel", "status")),
                {("email", "pending"), (RECORDING, "pending")},
            )
        with self.settings(KESU_NOTIFIERS=[RECORDING]):
            for callback in callbacks:
                callback()
        self.assertIn(("county_admin", f"县教科局提交了{self.cycle}报告"), SENT)
        self.assertEqual(mail.outbox[0].to, ["office@example.org"])
        self.assertFalse(OutboxMessage.objects.exclude(status="sent").exists())

    def test_reminders_go_through_the_outbox_too(self) -> None:
        from kesu.tracking.actions import do_send_due_reminders

        with self.settings(KESU_NOTIFIERS=[FAILING]), self.assertLogs("kesu.notices", "WARNING"):
            with self.captureOnCommitCallbacks(execute=True):
                self.assertEqual(do_send_due_reminders(self.cycle.due_at - dt.timedelta(days=1)), 3)
        self.assertTrue(Notice.objects.filter(user=self.edu_reporter, title__contains="即将截止").exists())
        self.assertTrue(OutboxMessage.objects.filter(user=self.edu_reporter, status="pending", attempts=1).exists())

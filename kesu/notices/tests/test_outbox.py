"""The outbox job: a failed delivery is retried with backoff, logged each time, and given up after N attempts."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.utils import timezone

from kesu.notices import outbox
from kesu.notices.models import Notice, OutboxMessage

GATEWAY = {"up": False, "sent": []}


def flaky_sms(user, title, body, link) -> None:
    if not GATEWAY["up"]:
        raise ConnectionError("SMS gateway unreachable")
    GATEWAY["sent"].append((user.username, title, link))


FLAKY = "kesu.notices.tests.test_outbox.flaky_sms"


@override_settings(KESU_NOTIFIERS=[FLAKY], KESU_OUTBOX_MAX_ATTEMPTS=3, KESU_OUTBOX_RETRY_SECONDS=60,
                   KESU_SITE_URL="https://kesu.example.org")
class OutboxJobTests(TestCase):
    def setUp(self) -> None:
        GATEWAY.update(up=False, sent=[])
        self.user = get_user_model().objects.create_user("reporter", email="r@example.org")
        with self.assertLogs("kesu.notices", "WARNING"), self.captureOnCommitCallbacks(execute=True):
            outbox.notify([self.user], "报告被退回", "请补充照片", "/reports/1/")
        self.message = OutboxMessage.objects.get(channel=FLAKY)

    def make_due(self) -> None:
        OutboxMessage.objects.filter(pk=self.message.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))

    def test_the_notice_is_kept_and_the_failed_channel_waits_for_its_backoff(self) -> None:
        self.assertTrue(Notice.objects.filter(user=self.user, title="报告被退回").exists())
        self.assertEqual(OutboxMessage.objects.get(channel="email").status, "sent", "the other channel went out")
        self.message.refresh_from_db()
        self.assertEqual((self.message.status, self.message.attempts), ("pending", 1))
        wait = self.message.next_attempt_at - timezone.now()
        self.assertTrue(dt.timedelta(seconds=50) < wait <= dt.timedelta(seconds=60), wait)
        self.assertEqual(outbox.do_deliver_outbox(), 0, "not before its backoff")
        self.assertEqual(OutboxMessage.objects.get(pk=self.message.pk).attempts, 1)

    def test_the_job_retries_until_the_channel_is_back(self) -> None:
        self.make_due()
        with self.assertLogs("kesu.notices", "WARNING"):
            self.assertEqual(outbox.do_deliver_outbox(), 0)
        self.message.refresh_from_db()
        self.assertEqual((self.message.status, self.message.attempts), ("pending", 2))
        self.assertGreater(self.message.next_attempt_at - timezone.now(), dt.timedelta(seconds=110), "doubled")
        GATEWAY["up"] = True
        self.make_due()
        self.assertEqual(outbox.do_deliver_outbox(), 1)
        self.message.refresh_from_db()
        self.assertEqual((self.message.status, self.message.attempts, self.message.last_error), ("sent", 3, ""))
        self.assertEqual(GATEWAY["sent"], [("reporter", "报告被退回", "https://kesu.example.org/reports/1/")])
        self.assertEqual(outbox.do_deliver_outbox(), 0, "sent once only")

    def test_it_gives_up_after_the_last_attempt_and_says_so_in_the_log(self) -> None:
        for _ in range(2):
            self.make_due()
            with self.assertLogs("kesu.notices", "WARNING") as logs:
                outbox.do_deliver_outbox()
        self.assertIn("giving up", logs.output[-1])
        self.message.refresh_from_db()
        self.assertEqual((self.message.status, self.message.attempts), ("failed", 3))
        self.assertIn("SMS gateway unreachable", self.message.last_error)
        self.make_due()
        self.assertEqual(outbox.do_deliver_outbox(), 0)
        self.assertEqual(OutboxMessage.objects.get(pk=self.message.pk).attempts, 3)

    def test_a_message_being_sent_is_not_taken_by_a_second_worker(self) -> None:
        self.make_due()
        claimed = outbox._claim(self.message.pk, timezone.now())
        self.assertIsNotNone(claimed)
        self.assertIsNone(outbox._claim(self.message.pk, timezone.now()))
        self.assertEqual(outbox.deliver([self.message.pk]), 0)

"""The order workflow's notices use the same outbox: a failing channel neither undoes a move nor breaks the page."""

from __future__ import annotations

from kesu.notices.models import Notice, OutboxMessage
from kesu.volunteering import actions
from kesu.volunteering.models import ServiceOrder
from kesu.volunteering.tests.base import ServiceTestCase


def failing_sms(user, title, body, link) -> None:
    raise TimeoutError("SMS gateway timed out")


FAILING = "kesu.volunteering.tests.test_outbox.failing_sms"


class OrderNoticeOutboxTests(ServiceTestCase):
    def test_a_failing_channel_neither_undoes_nor_interrupts_a_dispatch(self) -> None:
        order = self.place()
        with self.settings(KESU_NOTIFIERS=[FAILING]), self.assertLogs("kesu.notices", "WARNING"):
            with self.captureOnCommitCallbacks(execute=True):
                actions.do_dispatch_order(order, self.gucheng_officer, self.roles(self.gucheng_officer), self.kx)
        self.assertEqual(ServiceOrder.objects.get(pk=order.pk).state, "dispatched")
        self.assertTrue(Notice.objects.filter(user=self.kx_claimer, title__contains="待领单").exists())
        message = OutboxMessage.objects.get(user=self.kx_claimer, channel=FAILING)
        self.assertEqual((message.status, message.attempts), ("pending", 1))
        self.assertIn("SMS gateway timed out", message.last_error)

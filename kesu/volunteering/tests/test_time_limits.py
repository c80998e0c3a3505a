"""Time limits per step, set by the office, and the escalation job (polls due_at, claims rows atomically)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from kesu.notices.models import Notice
from kesu.volunteering import actions
from kesu.volunteering.actions import do_escalate_overdue_orders, limits_for
from kesu.volunteering.models import OrderEvent, ServiceOrder, ServiceSettings
from kesu.volunteering.tests.base import ServiceTestCase

HOUR = dt.timedelta(hours=1)


class TimeLimitTests(ServiceTestCase):
    def test_it_sets_each_steps_due_time_from_the_offices_limits_inherited_from_above(self):
        self.assertEqual(limits_for(self.county)["review"], 48)
        ServiceSettings.objects.create(jurisdiction=self.city, review_hours=24, accept_hours=12)
        self.assertEqual(limits_for(self.county)["review"], 24, "the county inherits the city's limits")
        ServiceSettings.objects.create(jurisdiction=self.county, review_hours=6)
        order = self.place()
        self.assertAlmostEqual((order.due_at - order.submitted_at).total_seconds(), 6 * 3600, delta=1)
        order = actions.do_pool_order(order, self.gucheng_officer, self.roles(self.gucheng_officer))
        self.assertAlmostEqual((order.due_at - order.state_since).total_seconds(), 72 * 3600, delta=1)

    def test_it_does_not_hurry_the_team_before_the_preferred_date(self):
        far = timezone.localdate() + dt.timedelta(days=60)
        order = self.place(preferred_from=far, preferred_until=far + dt.timedelta(days=2))
        actions.do_pool_order(order, self.gucheng_officer, self.roles(self.gucheng_officer))
        order = actions.do_accept_order(order, self.team_a_admin, self.roles(self.team_a_admin), self.team_a)
        self.assertEqual(timezone.localtime(order.due_at).date(), far + dt.timedelta(days=3))

    def test_it_escalates_an_order_stuck_past_its_limit_once_and_shows_it_on_the_dashboard(self):
        order = self.place()
        stuck = self.place(township=self.xincheng)
        on_time = self.place()
        ServiceOrder.objects.filter(pk__in=[order.pk, stuck.pk]).update(due_at=timezone.now() - HOUR)
        self.assertEqual(do_escalate_overdue_orders(), 2)
        self.assertEqual(do_escalate_overdue_orders(), 0, "claimed rows are not escalated again")
        order.refresh_from_db()
        self.assertIsNone(order.due_at)
        self.assertTrue(order.escalated)
        on_time.refresh_from_db()
        self.assertIsNone(on_time.escalated_at)
        event = OrderEvent.objects.get(order=order, kind=OrderEvent.Kind.ESCALATED)
        self.assertIn("社区/乡镇审核派单超过时限", event.detail)
        self.assertFalse(event.public)
        self.assertTrue(Notice.objects.filter(user=self.county_admin, title__contains="服务单超时").exists())
        self.assertTrue(Notice.objects.filter(user=self.gucheng_officer, title__contains="服务单超时").exists())
        self.login(self.county_admin)
        page = self.client.get(reverse("service-dashboard"))
        self.assertEqual({o.pk for o in page.context["board"].escalated}, {order.pk, stuck.pk})
        board = self.client.get(reverse("service-board") + "?late=1")
        self.assertEqual(board.context["escalated"], 2)

    def test_it_clears_the_escalation_when_the_order_moves_on(self):
        order = self.place()
        ServiceOrder.objects.filter(pk=order.pk).update(due_at=timezone.now() - HOUR)
        do_escalate_overdue_orders()
        order = actions.do_dispatch_order(order, self.gucheng_officer, self.roles(self.gucheng_officer), self.kx)
        self.assertIsNone(order.escalated_at)
        self.assertIsNotNone(order.due_at)
        self.assertAlmostEqual((order.due_at - order.state_since).total_seconds(), 48 * 3600, delta=1)

    def test_it_tells_whoever_the_order_waits_for(self):
        order = self.to_accepted()
        ServiceOrder.objects.filter(pk=order.pk).update(due_at=timezone.now() - HOUR)
        do_escalate_overdue_orders()
        self.assertTrue(Notice.objects.filter(user=self.team_a_admin, title__contains="开展服务").exists())
        pooled = self.place()
        actions.do_pool_order(pooled, self.gucheng_officer, self.roles(self.gucheng_officer))
        ServiceOrder.objects.filter(pk=pooled.pk).update(due_at=timezone.now() - HOUR)
        do_escalate_overdue_orders()
        self.assertTrue(Notice.objects.filter(user=self.team_b_admin, title__contains="服务队接单").exists())

    def test_it_skips_an_order_that_moved_between_the_poll_and_the_claim(self):
        order = self.place()
        past = timezone.now() - HOUR
        ServiceOrder.objects.filter(pk=order.pk).update(due_at=past)
        # another worker moved it meanwhile: the claim conditioned on the due time and state read finds nothing
        claimed = ServiceOrder.objects.filter(pk=order.pk, due_at=past, state="dispatched").update(due_at=None)
        self.assertEqual(claimed, 0)
        self.assertEqual(do_escalate_overdue_orders(now=past - HOUR), 0, "not yet due at that time")
        self.assertEqual(do_escalate_overdue_orders(batch=1), 1)

    def test_it_lets_the_office_change_limits_on_the_settings_page(self):
        self.login(self.county_admin)
        url = reverse("service-settings") + f"?j={self.county.pk}"
        response = self.client.post(url, {"form": "limits", "j": self.county.pk, "review_hours": 8, "claim_hours": 24,
                                          "assign_hours": 24, "accept_hours": 24, "serve_hours": 240, "confirm_hours": 168})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(limits_for(self.county)["review"], 8)
        self.login(self.gucheng_officer)
        self.assertEqual(self.client.get(url).status_code, 403)

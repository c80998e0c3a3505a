"""The service dashboard: orders by status, step durations, satisfaction, coverage by township, topics;
its .xlsx export; and the registry pages (bases, activities) around it."""

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kesu.tracking.models import Activity
from kesu.volunteering import actions, stats
from kesu.volunteering.models import OrderEvent, ScienceBase, ServiceOrder, ServiceRecord
from kesu.volunteering.tests.base import ServiceTestCase


class DashboardTests(ServiceTestCase):
    def setUp(self) -> None:
        self.closed = []
        for rating, village in ((5, self.east), (4, self.west), (2, self.east)):
            order = self.to_accepted()
            ServiceOrder.objects.filter(pk=order.pk).update(village=village, state="served")
            ServiceRecord.objects.create(order=order, team=self.team_a, served_on=timezone.localdate(), start_time=dt.time(9),
                                         duration_hours=2, attendees=30, summary="讲座")
            self.closed.append(actions.do_confirm_order(order, rating))
        self.waiting = self.place(township=self.xincheng, topic=self.health)
        # step times from the history: make the review of the first order take 10 hours
        first = self.closed[0]
        submitted = OrderEvent.objects.get(order=first, kind=OrderEvent.Kind.SUBMITTED)
        OrderEvent.objects.filter(pk=submitted.pk).update(at=OrderEvent.objects.get(order=first, kind=OrderEvent.Kind.DISPATCH).at - dt.timedelta(hours=10))

    def test_it_counts_orders_steps_satisfaction_coverage_and_topics(self):
        board = stats.build(self.county, timezone.localdate().year)
        by_state = {key: n for key, _, n in board.by_state}
        self.assertEqual((board.total, by_state["closed"], by_state["submitted"]), (4, 3, 1))
        review = next(s for s in board.steps if s.step == "review")
        self.assertEqual(review.count, 3)
        self.assertAlmostEqual(review.p90_hours, 8.0, delta=0.1)  # 10 h and two near-zero: P90 interpolates
        self.assertEqual((board.satisfaction.count, round(board.satisfaction.mean, 2)), (3, 3.67))
        self.assertAlmostEqual(board.satisfaction.satisfied_share, 2 / 3)
        gucheng = next(r for r in board.townships if r.township == self.gucheng)
        self.assertEqual((gucheng.orders, gucheng.closed, gucheng.covered, gucheng.villages, gucheng.people), (3, 3, 2, 2, 90))
        xincheng = next(r for r in board.townships if r.township == self.xincheng)
        self.assertEqual((xincheng.orders, xincheng.closed, xincheng.covered), (1, 0, 0))
        self.assertEqual(board.topics[0], ("农业技术", 3, 3))
        self.assertEqual(sum(p for _, p, _ in board.monthly), 4)

    def test_it_shows_the_dashboard_to_offices_and_leaders_only(self):
        for user in (self.county_admin, self.county_viewer, self.city_leader):
            self.login(user)
            page = self.client.get(reverse("service-dashboard") + f"?j={self.county.pk}")
            self.assertEqual(page.status_code, 200, user.username)
            self.assertContains(page, "<svg", msg_prefix="the chart is inline SVG")
            self.assertContains(page, "各环节用时")
        for user in (self.team_a_admin, self.gucheng_officer, self.outsider):
            self.login(user)
            self.assertEqual(self.client.get(reverse("service-dashboard")).status_code, 403, user.username)
        self.login(self.county_admin)
        self.assertEqual(self.client.get(reverse("service-dashboard") + f"?j={self.other_county.pk}").status_code, 403)

    def test_it_exports_the_dashboard_to_excel(self):
        self.login(self.county_admin)
        response = self.client.get(reverse("service-dashboard-xlsx") + "?year=all")
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["服务单状态", "环节用时", "满意度", "乡镇覆盖", "热门主题", "超时服务单"])
        rows = [[c.value for c in row] for row in book["乡镇覆盖"].iter_rows()]
        self.assertIn(["古城镇", 2, 2, 3, 3, 90, 3.7], rows)
        self.assertIn("attachment", response["Content-Disposition"])


class RegistryPageTests(ServiceTestCase):
    def test_it_lists_bases_by_level_and_records_a_yearly_review(self):
        base = ScienceBase.objects.create(jurisdiction=self.county, name="县科技馆", level="county", host="县科协", kind="venue",
                                          designated_year=2022)
        self.login(self.county_admin)
        page = self.client.get(reverse("service-bases"))
        self.assertContains(page, "县科技馆")
        self.assertEqual(dict((v, n) for v, _, n in page.context["levels"])["county"], 1)
        self.client.post(reverse("service-base", args=[base.pk]), {"form": "review", "year": 2026, "outcome": "revoked", "note": "闭馆"})
        base.refresh_from_db()
        self.assertEqual(base.revoked_year, 2026)
        response = self.client.post(reverse("service-base-new") + f"?j={self.county.pk}", {
            "j": self.county.pk, "name": "县科技馆", "level": "county", "host": "县科协", "kind": "venue", "opening": "open",
            "designated_year": 2023})
        self.assertContains(response, "同一等级已有同名基地")
        self.login(self.county_viewer)
        self.assertEqual(self.client.get(reverse("service-base", args=[base.pk])).status_code, 403)
        self.assertEqual(self.client.get(reverse("service-bases")).status_code, 200)

    def test_it_lets_the_office_record_an_activity_for_a_unit_in_trackings_register(self):
        self.login(self.county_admin)
        url = reverse("service-activities") + f"?j={self.county.pk}"
        response = self.client.post(url, {"j": self.county.pk, "plan": self.plan.pk, "kind": "lecture", "title": "防灾减灾讲座",
                                          "held_on": "2026-05-12", "participants": 80, "unit": self.kx.pk})
        self.assertEqual(response.status_code, 302)
        activity = Activity.objects.get()
        self.assertEqual((activity.unit, activity.plan, activity.reported_by), (self.kx, self.plan, self.county_admin))
        page = self.client.get(url)
        self.assertContains(page, "防灾减灾讲座")
        self.login(self.city_leader)
        page = self.client.get(url)
        self.assertIsNone(page.context["form"], "leaders read only")

    def test_the_office_records_the_form_and_audiences_and_a_mismatch_keeps_what_was_typed(self):
        self.login(self.county_admin)
        url = reverse("service-activities") + f"?j={self.county.pk}"
        typed = {"j": self.county.pk, "plan": self.plan.pk, "kind": "lecture", "title": "青少年科普讲座",
                 "held_on": "2026-05-12", "online": "online", "participants": 50, "audience_youth": 45, "unit": self.kx.pk}
        response = self.client.post(url, typed)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "参与人数 50 与各受众群体人数之和 45 不一致")
        self.assertContains(response, 'name="audience_youth" value="45"')
        self.assertContains(response, "<details class=\"card\" open>", html=False)
        self.assertFalse(Activity.objects.exists())
        self.assertEqual(self.client.post(url, typed | {"participants": ""}).status_code, 302)
        activity = Activity.objects.get()
        self.assertEqual((activity.online, activity.participants, activity.audience_text), ("online", 45, "青少年/学生 45"))
        page = self.client.get(url)
        self.assertContains(page, "线上")
        self.assertContains(page, "青少年/学生 45")
        self.login(self.other_county_admin)
        self.assertNotContains(self.client.get(reverse("service-activities")), "青少年科普讲座")

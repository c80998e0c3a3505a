"""Two (or more) teams accepting one order at the same moment, on PostgreSQL with real threads and connections:
exactly one wins, every other is told clearly which team took it, and the order is held by one team."""

import threading
import unittest

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, TransactionTestCase
from django.urls import reverse

from kesu.domain.dispatch import MoveRefused
from kesu.org.models import Jurisdiction, Membership
from kesu.volunteering import actions
from kesu.volunteering.access import roles_of
from kesu.volunteering.models import OrderEvent, ServiceArea, ServiceOrder, ServiceRole, Team, Topic
from kesu.volunteering.tests.base import order_data

POSTGRES_ONLY = unittest.skipUnless(
    connection.vendor == "postgresql",
    "并发接单测试需要 PostgreSQL（SQLite 没有行锁与真正并发的连接）：DATABASE_URL=postgres://… 后运行",
)


@POSTGRES_ONLY
class AcceptRaceTests(TransactionTestCase):
    def setUp(self) -> None:
        self.county = Jurisdiction.objects.create(name="襄汾县", level="county")
        self.office = get_user_model().objects.create_user("office")
        Membership.objects.create(user=self.office, jurisdiction=self.county, role="office_admin")
        township = ServiceArea.objects.create(jurisdiction=self.county, kind="township", name="古城镇")
        topic = Topic.objects.create(jurisdiction=self.county, name="农业技术")
        self.teams, self.admins = [], []
        for i in range(8):
            team = Team.objects.create(jurisdiction=self.county, name=f"第{i + 1}服务队", in_pool=True)
            admin = get_user_model().objects.create_user(f"team{i + 1}")
            ServiceRole.objects.create(user=admin, kind="team_admin", team=team)
            self.teams.append(team)
            self.admins.append(admin)
        self.order = actions.do_submit_order(order_data(township, topic))
        actions.do_pool_order(self.order, self.office, roles_of(self.office))

    def _race(self, attempt, count: int) -> list[tuple[int, object]]:
        barrier = threading.Barrier(count)
        results: list[tuple[int, object]] = [None] * count  # type: ignore[list-item]

        def run(i: int) -> None:
            try:
                barrier.wait(timeout=10)
                results[i] = (i, attempt(i))
            except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
                results[i] = (i, error)
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        return results

    def test_it_lets_exactly_one_of_two_teams_win_and_tells_the_other(self):
        def attempt(i: int):
            return actions.do_accept_order(self.order, self.admins[i], roles_of(self.admins[i]), self.teams[i])

        results = self._race(attempt, 2)
        wins = [(i, r) for i, r in results if isinstance(r, ServiceOrder)]
        losses = [(i, r) for i, r in results if isinstance(r, MoveRefused)]
        self.assertEqual((len(wins), len(losses)), (1, 1), results)
        winner = wins[0][0]
        order = ServiceOrder.objects.get(pk=self.order.pk)
        self.assertEqual((order.state, order.team_id), ("accepted", self.teams[winner].pk))
        self.assertEqual(str(losses[0][1]), f"该服务单已由“{self.teams[winner].name}”接单，您的接单没有成功。")
        self.assertEqual(OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.ACCEPT).count(), 1)

    def test_it_keeps_one_winner_among_eight_concurrent_requests_through_the_page(self):
        clients = []
        for admin in self.admins:
            client = Client()
            client.force_login(admin)
            clients.append(client)
        url = reverse("service-order-move", args=[self.order.pk, "accept"])

        def attempt(i: int):
            # (response.context is not thread-safe in the test client: read the request's messages instead)
            response = clients[i].post(url, {"team": self.teams[i].pk})
            return [str(m) for m in response.wsgi_request._messages], response["Location"]

        results = self._race(attempt, len(clients))
        self.assertFalse([r for _, r in results if isinstance(r, Exception)], results)
        accepted = [(m, where) for _, (m, where) in results if m == ["已服务队接单"]]
        refused = [(m, where) for _, (m, where) in results if m and "您的接单没有成功" in m[0]]
        self.assertEqual((len(accepted), len(refused)), (1, 7), results)
        order = ServiceOrder.objects.get(pk=self.order.pk)
        self.assertEqual(order.state, "accepted")
        self.assertEqual(accepted[0][1], reverse("service-order", args=[order.pk]))
        for message, where in refused:
            self.assertIn(f"已由“{order.team.name}”接单", message[0], "each loser is told which team took it")
            self.assertEqual(where, reverse("service-board"), "and sent back to the board (the order is not theirs)")
        self.assertEqual(OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.ACCEPT).count(), 1)

"""Volunteer service in the API, for every service role: what each sees (orders, teams, volunteers masked exactly
as on the pages, hours, bases, activities, time limits), and moving an order through its steps with the pages'
actions and rules (another team's order, another county's data and unmasked personal data are refused)."""

from __future__ import annotations

import datetime as dt
import threading
import unittest

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, TransactionTestCase
from django.urls import reverse
from django.utils import timezone

from kesu.api.actions import do_create_api_token
from kesu.api.models import ApiToken
from kesu.api.tests.base import TokenClient
from kesu.org.models import Jurisdiction, Membership
from kesu.tracking.models import Activity
from kesu.volunteering import actions
from kesu.volunteering.access import roles_of
from kesu.volunteering.crypto import mask_id, mask_name, mask_phone
from kesu.volunteering.models import (
    OrderEvent,
    ScienceBase,
    ServiceArea,
    ServiceOrder,
    ServiceRole,
    ServiceSettings,
    Team,
    Topic,
    Volunteer,
)
from kesu.volunteering.tests.base import ID_LI, ID_WANG, ServiceTestCase, order_data

ORDERS = "/api/service/orders"


class ServiceApiTestCase(ServiceTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.keys: dict[tuple[int, str], str] = {}

    def api(self, user, scope: str = ApiToken.Scope.READ_WRITE) -> TokenClient:
        if (user.pk, scope) not in self.keys:
            self.keys[(user.pk, scope)] = do_create_api_token(user, user, name="对接系统", scope=scope, days=30)[1]
        return TokenClient(self.client, self.keys[(user.pk, scope)])

    def ok(self, response) -> dict:
        self.assertEqual(response.status_code, 200, response.content.decode())
        return response.json()

    def ids(self, response) -> set[int]:
        return {item["id"] for item in self.ok(response)["items"]}

    def move(self, user, order: ServiceOrder, move: str, **body):
        return self.api(user).post(f"{ORDERS}/{order.pk}/move", {"move": move, **body})

    def page_html(self, user, url: str) -> str:
        client = Client()
        client.force_login(user)
        response = client.get(url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()


class OrderReadTests(ServiceApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.gucheng_order = self.place()
        self.xincheng_order = self.place(township=self.xincheng)

    def test_it_lists_only_the_orders_of_the_users_area_unit_or_team(self):
        both = {self.gucheng_order.pk, self.xincheng_order.pk}
        self.assertEqual(self.ids(self.api(self.county_admin).get(ORDERS)), both)
        self.assertEqual(self.ids(self.api(self.city_leader).get(ORDERS)), both)
        self.assertEqual(self.ids(self.api(self.gucheng_officer).get(ORDERS)), {self.gucheng_order.pk})
        self.assertEqual(self.ids(self.api(self.xincheng_officer).get(ORDERS)), {self.xincheng_order.pk})
        self.assertEqual(self.ids(self.api(self.kx_claimer).get(ORDERS)), set(), "not dispatched to the department yet")
        self.assertEqual(self.ids(self.api(self.team_a_admin).get(ORDERS)), set())
        self.assertEqual(self.ids(self.api(self.other_county_admin).get(ORDERS)), set())
        actions.do_dispatch_order(self.gucheng_order, self.gucheng_officer, self.roles(self.gucheng_officer), self.kx)
        self.assertEqual(self.ids(self.api(self.kx_claimer).get(ORDERS)), {self.gucheng_order.pk})
        self.assertEqual(self.ids(self.api(self.edu_claimer).get(ORDERS)), set())

    def test_it_refuses_the_list_to_an_account_without_a_service_role(self):
        response = self.api(self.outsider).get(ORDERS)
        self.assertEqual(response.status_code, 403)
        self.assertIn("基层科普服务的角色", response.json()["detail"])

    def test_it_filters_by_state_and_township_and_pages(self):
        actions.do_reject_order(self.xincheng_order, self.county_admin, self.roles(self.county_admin), "重复提交")
        office = self.api(self.county_admin)
        self.assertEqual(self.ids(office.get(ORDERS, state="rejected")), {self.xincheng_order.pk})
        self.assertEqual(self.ids(office.get(ORDERS, township=self.gucheng.pk)), {self.gucheng_order.pk})
        body = self.ok(office.get(ORDERS, limit=1, offset=1))
        self.assertEqual((body["count"], len(body["items"])), (2, 1))
        self.assertEqual(office.get(ORDERS, status="rejected").status_code, 422, "a misspelt filter is refused")
        self.assertEqual(office.get(ORDERS, state="lost").status_code, 422)
        response = office.get("/api/service/volunteers", q="王\x00")
        self.assertEqual(response.status_code, 422, "PostgreSQL stores no NUL: refused, never a server error")
        self.assertEqual(response.json()["detail"][0]["loc"], ["query", "q"])
        self.assertEqual(office.get("/api/service/activities", kind="\x00").status_code, 422)
        response = self.move(self.gucheng_officer, self.gucheng_order, "reject", reason="重复\x00")
        self.assertEqual(response.status_code, 422)

    def test_it_hides_an_order_from_everyone_outside_its_area(self):
        url = f"{ORDERS}/{self.gucheng_order.pk}"
        for user in (self.xincheng_officer, self.kx_claimer, self.team_a_admin, self.other_county_admin, self.outsider):
            with self.subTest(user=user.username):
                response = self.api(user).get(url)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.json()["detail"], "没有找到该服务单")

    def test_it_shows_the_contact_in_full_only_to_those_handling_the_order_as_the_page_does(self):
        url = f"{ORDERS}/{self.gucheng_order.pk}"
        for user, masked in ((self.county_admin, False), (self.gucheng_officer, False), (self.city_leader, True),
                             (self.county_viewer, True)):
            with self.subTest(user=user.username):
                body = self.ok(self.api(user).get(url))
                self.assertEqual(body["contact_masked"], masked)
                name, phone = ("张建国", "13912345678") if not masked else (mask_name("张建国"), mask_phone("13912345678"))
                self.assertEqual((body["contact_name"], body["contact_phone"]), (name, phone))
                page = self.page_html(user, reverse("service-order", args=[self.gucheng_order.pk]))
                self.assertIn(body["contact_name"], page)
                self.assertIn(body["contact_phone"], page)
        self.assertNotIn("13912345678", self.api(self.city_leader).get(url).content.decode())

    def test_it_gives_the_history_and_the_moves_the_user_may_make(self):
        actions.do_dispatch_order(self.gucheng_order, self.gucheng_officer, self.roles(self.gucheng_officer), self.kx)
        body = self.ok(self.api(self.kx_claimer).get(f"{ORDERS}/{self.gucheng_order.pk}"))
        self.assertEqual(body["state"], "dispatched")
        self.assertEqual(body["moves"], ["claim", "release"])
        self.assertEqual([(e["kind"], e["kind_label"]) for e in body["history"]],
                         [("submitted", "群众点单"), ("dispatch", "派单至部门")])
        self.assertEqual(body["history"][1]["actor"], "gucheng_officer")
        self.assertEqual(body["history"][1]["role"], "社区/乡镇")
        self.assertEqual(self.ok(self.api(self.city_leader).get(f"{ORDERS}/{self.gucheng_order.pk}"))["moves"], [])


class OrderMoveTests(ServiceApiTestCase):
    def test_it_moves_an_order_through_every_step_with_the_pages_actions(self):
        order = self.place()
        self.ok(self.move(self.gucheng_officer, order, "dispatch", unit_id=self.kx.pk))
        self.ok(self.move(self.kx_claimer, order, "claim"))
        self.ok(self.move(self.kx_claimer, order, "assign", team_id=self.team_a.pk))
        accepted = self.ok(self.move(self.team_a_admin, order, "accept"))
        self.assertEqual((accepted["state"], accepted["team"]["id"]), ("accepted", self.team_a.pk))
        served_on = timezone.localdate() - dt.timedelta(days=1)
        served = self.ok(self.api(self.team_a_admin).post(f"{ORDERS}/{order.pk}/record", {
            "served_on": served_on.isoformat(), "start_time": "09:00", "duration_hours": 2, "attendees": 35,
            "summary": "果树冬季修剪现场讲解", "volunteers": [{"volunteer_id": self.wang.pk}, {"volunteer_id": self.li.pk, "hours": 1}],
        }))
        self.assertEqual(served["state"], "served")
        self.assertEqual(served["record"]["attendees"], 35)
        closed = self.ok(self.move(self.county_admin, order, "close", reason="申请人长期未评价"))
        self.assertEqual(closed["state"], "closed")
        self.assertEqual([e["kind"] for e in closed["history"]],
                         ["submitted", "dispatch", "claim", "assign", "accept", "record", "close"])
        self.assertEqual(closed["history"][-1]["actor"], "county_admin")
        hours = self.ok(self.api(self.county_admin).get(f"/api/service/volunteers/{self.li.pk}/hours"))
        self.assertEqual((hours["total_hours"], hours["services"], hours["items"][0]["order_id"]), (1.0, 1, order.pk))

    def test_it_refuses_another_teams_order_and_a_step_that_is_someone_elses(self):
        order = self.place()
        actions.do_dispatch_order(order, self.gucheng_officer, self.roles(self.gucheng_officer), self.kx)
        actions.do_claim_order(order, self.kx_claimer, self.roles(self.kx_claimer))
        actions.do_assign_order(order, self.kx_claimer, self.roles(self.kx_claimer), self.team_a)
        for user in (self.team_b_admin, self.team_c_admin, self.edu_claimer, self.xincheng_officer, self.other_county_admin):
            with self.subTest(user=user.username):
                self.assertEqual(self.move(user, order, "accept").status_code, 404)
        response = self.move(self.city_leader, order, "accept")  # sees it (supervisor), may not act
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["detail"], "只有被指派或已接单的志愿服务队可以进行此操作。")
        response = self.move(self.gucheng_officer, order, "assign", team_id=self.team_b.pk)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["detail"], "只有接到派单的部门可以领单、退回或指派服务队。")
        response = self.api(self.team_b_admin).post(f"{ORDERS}/{order.pk}/record", {
            "served_on": timezone.localdate().isoformat(), "start_time": "09:00", "duration_hours": 2, "attendees": 1,
            "summary": "x", "volunteers": [{"volunteer_id": self.wang.pk}]})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.fresh(order).state, "assigned")
        self.assertEqual(OrderEvent.objects.filter(order=order).count(), 4, "refusals leave no history")

    def test_it_answers_409_with_the_reason_when_the_state_refuses_the_move(self):
        order = self.place()
        response = self.move(self.gucheng_officer, order, "reject")
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["detail"], "驳回必须填写原因。")
        response = self.move(self.gucheng_officer, order, "claim")
        self.assertEqual(response.status_code, 409, "no one claims an order before it is dispatched")
        self.ok(self.move(self.gucheng_officer, order, "reject", reason="不在服务范围"))
        response = self.move(self.gucheng_officer, order, "dispatch", unit_id=self.kx.pk)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["detail"], "该服务单已驳回，不能再派单至部门。")

    def test_it_refuses_a_stale_version(self):
        order = self.place()
        self.ok(self.move(self.gucheng_officer, order, "dispatch", unit_id=self.kx.pk, version=order.version))
        response = self.move(self.county_admin, order, "pool", reason="部门人手不足", version=order.version)
        self.assertEqual(response.status_code, 409)
        self.assertIn("已被他人处理", response.json()["detail"])
        self.assertEqual(self.fresh(order).state, "dispatched")

    def test_it_tells_the_team_that_lost_the_pool_which_team_took_the_order(self):
        order = self.place()
        actions.do_pool_order(order, self.gucheng_officer, self.roles(self.gucheng_officer))
        self.ok(self.move(self.team_a_admin, order, "accept", team_id=self.team_a.pk))
        response = self.move(self.team_b_admin, order, "accept", team_id=self.team_b.pk)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["detail"], "该服务单已由“科协科普志愿服务队”接单，您的接单没有成功。")
        self.assertEqual(self.fresh(order).team_id, self.team_a.pk)

    def test_it_refuses_writes_with_a_read_only_token(self):
        order = self.place()
        client = self.api(self.gucheng_officer, scope=ApiToken.Scope.READ)
        self.ok(client.get(f"{ORDERS}/{order.pk}"))
        response = client.post(f"{ORDERS}/{order.pk}/move", {"move": "dispatch", "unit_id": self.kx.pk})
        self.assertEqual(response.status_code, 403)
        self.assertIn("只读令牌", response.json()["detail"])
        self.assertEqual(self.fresh(order).state, "submitted")

    def test_it_refuses_a_record_naming_someone_outside_the_team(self):
        order = self.to_accepted()
        response = self.api(self.team_a_admin).post(f"{ORDERS}/{order.pk}/record", {
            "served_on": timezone.localdate().isoformat(), "start_time": "09:00", "duration_hours": 2, "attendees": 3,
            "summary": "讲解", "volunteers": [{"volunteer_id": self.zhao.pk}]})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["detail"], f"志愿者 {self.zhao.pk} 不是本队在队志愿者。")
        response = self.api(self.team_a_admin).post(f"{ORDERS}/{order.pk}/record", {
            "served_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat(), "start_time": "09:00",
            "duration_hours": 2, "attendees": 3, "summary": "讲解", "volunteers": [{"volunteer_id": self.wang.pk}]})
        self.assertEqual(response.status_code, 422)
        self.assertIn("不能晚于今天", response.json()["detail"][0]["msg"])
        response = self.api(self.team_a_admin).post(f"{ORDERS}/{order.pk}/record", {
            "served_on": timezone.localdate().isoformat(), "start_time": "09:00", "duration_hours": 2, "attendees": 3,
            "summary": "讲解", "volunteers": [{"volunteer_id": self.wang.pk, "hours": 3}]})
        self.assertEqual(response.status_code, 409, "the hours rules refuse, with their message")
        self.assertIn("王芳", response.json()["detail"])
        self.assertEqual(self.fresh(order).state, "accepted")


class RegistryReadTests(ServiceApiTestCase):
    def test_it_masks_volunteers_exactly_as_the_pages_do_for_the_same_user(self):
        url = f"/api/service/volunteers/{self.wang.pk}"
        for user, masked in ((self.county_admin, True), (self.city_leader, True), (self.county_viewer, True),
                             (self.team_a_admin, True), (self.city_admin, True)):
            with self.subTest(user=user.username):
                body = self.ok(self.api(user).get(url))
                self.assertEqual(body["masked"], masked)
                expected = (mask_id(ID_WANG), mask_phone("13800001111")) if masked else (ID_WANG, "13800001111")
                self.assertEqual((body["id_number"], body["phone"]), expected)
                page = self.page_html(user, reverse("service-volunteer", args=[self.wang.pk]))
                self.assertIn(body["id_number"], page)
                self.assertIn(body["phone"], page)
                listed = {v["id"]: v for v in self.ok(self.api(user).get("/api/service/volunteers"))["items"]}
                self.assertEqual((listed[self.wang.pk]["id_number"], listed[self.wang.pk]["phone"]), expected)
                if masked:
                    self.assertNotIn(ID_LI, self.api(user).get("/api/service/volunteers").content.decode())

    def test_a_volunteer_sees_their_own_numbers(self):
        account = get_user_model().objects.create_user("wangfang")
        Volunteer.objects.filter(pk=self.wang.pk).update(user=account)
        body = self.ok(self.api(account).get(f"/api/service/volunteers/{self.wang.pk}"))
        self.assertEqual((body["id_number"], body["masked"]), (ID_WANG, False))
        self.assertEqual(self.api(account).get(f"/api/service/volunteers/{self.li.pk}").status_code, 404)

    def test_it_hides_volunteers_outside_the_users_area_or_team(self):
        for user in (self.team_b_admin, self.kx_claimer, self.gucheng_officer, self.other_county_admin):
            with self.subTest(user=user.username):
                self.assertEqual(self.api(user).get(f"/api/service/volunteers/{self.wang.pk}").status_code, 404)
                self.assertEqual(self.api(user).get(f"/api/service/volunteers/{self.wang.pk}/hours").status_code, 404)
                self.assertNotIn(self.wang.pk, self.ids(self.api(user).get("/api/service/volunteers")))
        self.assertEqual(self.api(self.outsider).get("/api/service/volunteers").status_code, 403)
        self.assertEqual(self.ids(self.api(self.team_a_admin).get("/api/service/volunteers")),
                         {self.wang.pk, self.li.pk, self.zhao.pk})

    def test_it_lists_the_teams_each_role_sees(self):
        teams = "/api/service/teams"
        self.assertEqual(self.ids(self.api(self.county_admin).get(teams)), {self.team_a.pk, self.team_b.pk, self.team_c.pk})
        self.assertEqual(self.ids(self.api(self.kx_claimer).get(teams)), {self.team_a.pk, self.team_b.pk})
        self.assertEqual(self.ids(self.api(self.team_c_admin).get(teams)), {self.team_c.pk})
        self.assertEqual(self.ids(self.api(self.other_county_admin).get(teams)), set())
        self.assertEqual(self.api(self.outsider).get(teams).status_code, 403)
        members = {t["id"]: t["members"] for t in self.ok(self.api(self.county_admin).get(teams))["items"]}
        self.assertEqual(members[self.team_a.pk], 2, "the pending 赵敏 is not counted")

    def test_it_lists_bases_and_activities_of_the_supervised_area_only(self):
        year = timezone.localdate().year
        base = ScienceBase.objects.create(jurisdiction=self.county, name="襄汾县科技馆", level="county", host="县科协",
                                          kind="venue", designated_year=year - 2)
        other = ScienceBase.objects.create(jurisdiction=self.other_county, name="乡宁县农业园", level="county",
                                           host="县农业农村局", kind="production", designated_year=year - 1)
        activity = Activity.objects.create(plan=self.plan, unit=self.kx, kind=Activity.Kind.values[0], title="科普日",
                                           held_on=timezone.localdate(), participants=300)
        self.assertEqual(self.ids(self.api(self.county_admin).get("/api/service/bases")), {base.pk})
        self.assertEqual(self.ids(self.api(self.city_leader).get("/api/service/bases")), {base.pk, other.pk})
        self.assertEqual(self.ids(self.api(self.other_county_admin).get("/api/service/bases")), {other.pk})
        self.assertEqual(self.api(self.county_admin).get("/api/service/bases", jurisdiction=self.other_county.pk).status_code, 404)
        self.assertEqual(self.ids(self.api(self.county_admin).get("/api/service/activities")), {activity.pk})
        self.assertEqual(self.ids(self.api(self.other_county_admin).get("/api/service/activities")), set())
        for user in (self.team_a_admin, self.outsider):
            with self.subTest(user=user.username):
                self.assertEqual(self.api(user).get("/api/service/bases").status_code, 403)
                self.assertEqual(self.api(user).get("/api/service/activities").status_code, 403)

    def test_it_gives_the_time_limits_and_where_they_come_from(self):
        limits = self.ok(self.api(self.county_admin).get("/api/service/time-limits"))
        self.assertEqual((limits["jurisdiction"]["id"], limits["source"]), (self.county.pk, "default"))
        self.assertEqual([row["step"] for row in limits["limits"]], ["review", "claim", "assign", "accept", "serve", "confirm"])
        ServiceSettings.objects.create(jurisdiction=self.city, review_hours=12)
        limits = self.ok(self.api(self.county_admin).get("/api/service/time-limits"))
        self.assertEqual((limits["source"], limits["limits"][0]["hours"]), ("inherited", 12))
        self.assertEqual(self.api(self.county_admin).get("/api/service/time-limits", jurisdiction=self.city.pk).status_code, 404)
        self.assertEqual(self.ok(self.api(self.city_admin).get("/api/service/time-limits"))["source"], "own")
        self.assertEqual(self.api(self.team_a_admin).get("/api/service/time-limits").status_code, 403)


@unittest.skipUnless(
    connection.vendor == "postgresql",
    "并发接单测试需要 PostgreSQL（SQLite 没有行锁与真正并发的连接）：DATABASE_URL=postgres://… 后运行",
)
class ApiAcceptRaceTests(TransactionTestCase):
    """Two pool teams accept one order through the API at the same moment, each on its own connection."""

    def setUp(self) -> None:
        county = Jurisdiction.objects.create(name="襄汾县", level="county")
        office = get_user_model().objects.create_user("office")
        Membership.objects.create(user=office, jurisdiction=county, role="office_admin")
        township = ServiceArea.objects.create(jurisdiction=county, kind="township", name="古城镇")
        topic = Topic.objects.create(jurisdiction=county, name="农业技术")
        self.teams, self.keys = [], []
        for i in range(2):
            team = Team.objects.create(jurisdiction=county, name=f"第{i + 1}服务队", in_pool=True)
            admin = get_user_model().objects.create_user(f"team{i + 1}")
            ServiceRole.objects.create(user=admin, kind="team_admin", team=team)
            self.teams.append(team)
            self.keys.append(do_create_api_token(admin, admin, name="对接系统", scope=ApiToken.Scope.READ_WRITE, days=30)[1])
        self.order = actions.do_submit_order(order_data(township, topic))
        actions.do_pool_order(self.order, office, roles_of(office))

    def test_one_accept_wins_and_the_other_gets_409_naming_the_team_that_holds_the_order(self):
        barrier = threading.Barrier(2)
        results: list = [None, None]

        def run(i: int) -> None:
            try:
                client = TokenClient(Client(), self.keys[i])
                barrier.wait(timeout=10)
                response = client.post(f"{ORDERS}/{self.order.pk}/move", {"move": "accept", "team_id": self.teams[i].pk})
                results[i] = (response.status_code, response.json())
            except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
                results[i] = (0, error)
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        self.assertEqual(sorted(status for status, _ in results), [200, 409], results)
        order = ServiceOrder.objects.select_related("team").get(pk=self.order.pk)
        winner = next(body for status, body in results if status == 200)
        loser = next(body for status, body in results if status == 409)
        self.assertEqual((order.state, order.team_id), ("accepted", winner["team"]["id"]))
        self.assertEqual(loser["detail"], f"该服务单已由“{order.team.name}”接单，您的接单没有成功。")
        self.assertEqual(OrderEvent.objects.filter(order=order, kind="accept").count(), 1)

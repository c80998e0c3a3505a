"""The order workflow through the actions and the pages: every transition, allowed and refused, with its
history, notices and the one-team-holds-it rule."""

from django.db import IntegrityError, transaction
from django.urls import reverse

from kesu.domain.dispatch import MoveRefused
from kesu.notices.models import Notice
from kesu.volunteering import actions
from kesu.volunteering.models import OrderEvent, ServiceOrder
from kesu.volunteering.tests.base import ServiceTestCase


class TransitionTests(ServiceTestCase):
    def test_it_walks_an_order_from_the_public_page_to_the_rating_and_keeps_every_step(self):
        order = self.place()
        self.assertEqual((order.state, order.code[:3]), ("submitted", "KS-"))
        self.assertTrue(Notice.objects.filter(user=self.gucheng_officer, title__contains="新服务单").exists())
        self.assertFalse(Notice.objects.filter(user=self.xincheng_officer).exists(), "only the order's own area is told")
        actions.do_dispatch_order(order, self.gucheng_officer, self.roles(self.gucheng_officer), self.kx)
        self.assertTrue(Notice.objects.filter(user=self.kx_claimer, title__contains="待领单").exists())
        actions.do_claim_order(order, self.kx_claimer, self.roles(self.kx_claimer))
        actions.do_assign_order(order, self.kx_claimer, self.roles(self.kx_claimer), self.team_a)
        self.assertTrue(Notice.objects.filter(user=self.team_a_admin, title__contains="待接单").exists())
        order = actions.do_accept_order(order, self.team_a_admin, self.roles(self.team_a_admin))
        self.assertEqual((order.state, order.team), ("accepted", self.team_a))
        order.state = "served"
        ServiceOrder.objects.filter(pk=order.pk).update(state="served")
        order = actions.do_confirm_order(order, 5, "讲得很实用")
        self.assertEqual((order.state, order.rating, order.rating_comment), ("closed", 5, "讲得很实用"))
        kinds = list(OrderEvent.objects.filter(order=order).values_list("kind", "role"))
        self.assertEqual(kinds, [("submitted", "申请人"), ("dispatch", "社区/乡镇"), ("claim", "部门"), ("assign", "部门"),
                                 ("accept", "志愿服务队"), ("confirm", "申请人")])
        accept = OrderEvent.objects.get(order=order, kind=OrderEvent.Kind.ACCEPT)
        self.assertEqual((accept.from_state, accept.to_state, accept.actor), ("assigned", "accepted", self.team_a_admin))
        self.assertIn("科协科普志愿服务队接单", accept.detail)

    def test_it_lets_an_officer_reject_with_a_reason_the_requester_sees_and_reopen_it(self):
        order = self.place()
        roles = self.roles(self.gucheng_officer)
        with self.assertRaisesMessage(MoveRefused, "驳回必须填写原因"):
            actions.do_reject_order(order, self.gucheng_officer, roles, "  ")
        order = actions.do_reject_order(order, self.gucheng_officer, roles, "不属于科普服务范围")
        self.assertEqual((order.state, order.public_reason, order.due_at), ("rejected", "不属于科普服务范围", None))
        with self.assertRaisesMessage(MoveRefused, "已驳回"):
            actions.do_dispatch_order(order, self.gucheng_officer, roles, self.kx)
        order = actions.do_reopen_order(order, self.county_admin, self.roles(self.county_admin), "申请人补充了说明")
        self.assertEqual((order.state, order.public_reason), ("submitted", ""))
        self.assertIsNotNone(order.due_at)

    def test_it_keeps_officers_to_their_own_area(self):
        order = self.place()
        with self.assertRaisesMessage(MoveRefused, "本区域的社区/乡镇"):
            actions.do_dispatch_order(order, self.xincheng_officer, self.roles(self.xincheng_officer), self.kx)
        with self.assertRaises(MoveRefused):
            actions.do_reject_order(order, self.kx_claimer, self.roles(self.kx_claimer), "x")
        with self.assertRaises(MoveRefused):
            actions.do_reject_order(order, self.county_viewer, self.roles(self.county_viewer), "x")
        with self.assertRaises(MoveRefused):
            actions.do_reject_order(order, self.city_admin, self.roles(self.city_admin), "x")
        village = self.place(village=self.east)
        village_officer = self._service_user("east_officer", area=self.east)
        actions.do_pool_order(village, village_officer, self.roles(village_officer))
        with self.assertRaises(MoveRefused):
            actions.do_pool_order(order, village_officer, self.roles(village_officer))

    def test_it_refuses_dispatch_to_a_unit_outside_the_jurisdiction_or_none(self):
        order = self.place()
        roles = self.roles(self.county_admin)
        with self.assertRaisesMessage(MoveRefused, "请选择承办部门"):
            actions.do_dispatch_order(order, self.county_admin, roles, None)
        other = self.other_county.units.create(name="乡宁县科协", key="乡宁县科协")
        with self.assertRaisesMessage(MoveRefused, "本级或上级"):
            actions.do_dispatch_order(order, self.county_admin, roles, other)

    def test_it_lets_only_the_dispatched_department_claim_release_and_assign_its_own_teams(self):
        order = self.place()
        actions.do_dispatch_order(order, self.gucheng_officer, self.roles(self.gucheng_officer), self.kx)
        with self.assertRaisesMessage(MoveRefused, "接到派单的部门"):
            actions.do_claim_order(order, self.edu_claimer, self.roles(self.edu_claimer))
        with self.assertRaisesMessage(MoveRefused, "还不能接单"):
            actions.do_accept_order(order, self.team_a_admin, self.roles(self.team_a_admin), self.team_a)
        roles = self.roles(self.kx_claimer)
        with self.assertRaises(MoveRefused):
            actions.do_assign_order(order, self.kx_claimer, roles, self.team_a)  # must claim first
        actions.do_claim_order(order, self.kx_claimer, roles)
        with self.assertRaisesMessage(MoveRefused, "本部门的一支在册服务队"):
            actions.do_assign_order(order, self.kx_claimer, roles, self.team_c)
        actions.do_assign_order(order, self.kx_claimer, roles, self.team_b)
        order = actions.do_assign_order(order, self.kx_claimer, roles, self.team_a)  # re-assign before acceptance
        self.assertEqual(order.team, self.team_a)
        with self.assertRaisesMessage(MoveRefused, "被指派或已接单的志愿服务队"):
            actions.do_accept_order(order, self.team_b_admin, self.roles(self.team_b_admin))
        with self.assertRaisesMessage(MoveRefused, "不能部门退回"):
            actions.do_release_order(order, self.kx_claimer, roles, "已指派，不能退回")  # assigned: not a unit move

    def test_it_returns_a_released_order_to_the_officers(self):
        order = self.place()
        actions.do_dispatch_order(order, self.gucheng_officer, self.roles(self.gucheng_officer), self.edu)
        actions.do_claim_order(order, self.edu_claimer, self.roles(self.edu_claimer))
        with self.assertRaisesMessage(MoveRefused, "部门退回必须填写原因"):
            actions.do_release_order(order, self.edu_claimer, self.roles(self.edu_claimer), "")
        order = actions.do_release_order(order, self.edu_claimer, self.roles(self.edu_claimer), "不属于本部门职责")
        self.assertEqual((order.state, order.unit), ("submitted", None))
        self.assertTrue(Notice.objects.filter(user=self.gucheng_officer, title__contains="部门退回").exists())
        release = OrderEvent.objects.get(order=order, kind=OrderEvent.Kind.RELEASE)
        self.assertFalse(release.public, "a department's internal reason is not shown to the requester")

    def test_it_sends_a_declined_order_back_to_the_department_or_the_pool(self):
        order = self.to_accepted(via_unit=True)
        with self.assertRaisesMessage(MoveRefused, "服务队退单必须填写原因"):
            actions.do_decline_order(order, self.team_a_admin, self.roles(self.team_a_admin), "")
        with self.assertRaisesMessage(MoveRefused, "被指派或已接单的志愿服务队"):
            actions.do_decline_order(order, self.team_b_admin, self.roles(self.team_b_admin), "不是我们")
        order = actions.do_decline_order(order, self.team_a_admin, self.roles(self.team_a_admin), "队员出差")
        self.assertEqual((order.state, order.team, order.unit), ("claimed", None, self.kx))
        self.assertTrue(Notice.objects.filter(user=self.kx_claimer, title__contains="服务队退单").exists())

        pooled = self.to_accepted(via_unit=False)
        pooled = actions.do_decline_order(pooled, self.team_a_admin, self.roles(self.team_a_admin), "人手不足")
        self.assertEqual((pooled.state, pooled.team), ("pooled", None))
        pooled = actions.do_accept_order(pooled, self.team_b_admin, self.roles(self.team_b_admin))
        self.assertEqual(pooled.team, self.team_b)

    def test_it_declines_an_assigned_order_back_to_the_department(self):
        order = self.place()
        actions.do_dispatch_order(order, self.gucheng_officer, self.roles(self.gucheng_officer), self.kx)
        actions.do_claim_order(order, self.kx_claimer, self.roles(self.kx_claimer))
        actions.do_assign_order(order, self.kx_claimer, self.roles(self.kx_claimer), self.team_a)
        order = actions.do_decline_order(order, self.team_a_admin, self.roles(self.team_a_admin), "时间冲突")
        self.assertEqual((order.state, order.team), ("claimed", None))

    def test_it_redispatches_with_a_reason_and_takes_the_order_from_its_team(self):
        order = self.to_accepted(via_unit=True)
        roles = self.roles(self.gucheng_officer)
        with self.assertRaisesMessage(MoveRefused, "派单至部门必须填写原因"):
            actions.do_dispatch_order(order, self.gucheng_officer, roles, self.edu)
        order = actions.do_dispatch_order(order, self.gucheng_officer, roles, self.edu, "服务队长期未联系申请人")
        self.assertEqual((order.state, order.unit, order.team), ("dispatched", self.edu, None))
        order = actions.do_pool_order(order, self.gucheng_officer, roles, "改由服务队池承接")
        self.assertEqual((order.state, order.unit), ("pooled", None))

    def test_it_lets_only_pool_teams_of_the_jurisdiction_or_above_take_a_pooled_order(self):
        order = self.place()
        actions.do_pool_order(order, self.gucheng_officer, self.roles(self.gucheng_officer))
        with self.assertRaisesMessage(MoveRefused, "志愿服务队可以进行此操作"):
            actions.do_accept_order(order, self.kx_claimer, self.roles(self.kx_claimer))
        with self.assertRaises(MoveRefused):
            actions.do_accept_order(order, self.team_c_admin, self.roles(self.team_c_admin), self.team_c)  # not in the pool
        self.assertTrue(Notice.objects.filter(user=self.team_a_admin, title__contains="服务队池").exists())
        self.assertFalse(Notice.objects.filter(user=self.team_c_admin, title__contains="服务队池").exists())
        order = actions.do_accept_order(order, self.team_b_admin, self.roles(self.team_b_admin))
        self.assertEqual((order.state, order.team), ("accepted", self.team_b))
        with self.assertRaisesMessage(MoveRefused, "已由“科协健康服务队”接单"):
            actions.do_accept_order(order, self.team_a_admin, self.roles(self.team_a_admin), self.team_a)
        with self.assertRaisesMessage(MoveRefused, "您的服务队“科协健康服务队”已经接下"):
            actions.do_accept_order(order, self.team_b_admin, self.roles(self.team_b_admin))

    def test_it_lets_the_requester_cancel_before_service_and_staff_only_with_a_reason(self):
        order = self.place()
        order = actions.do_cancel_order(order)
        self.assertEqual(order.state, "cancelled")
        other = self.to_accepted()
        with self.assertRaisesMessage(MoveRefused, "取消服务单必须填写原因"):
            actions.do_cancel_order(other, "", user=self.gucheng_officer, roles=self.roles(self.gucheng_officer))
        with self.assertRaises(MoveRefused):
            actions.do_cancel_order(other, "x", user=self.team_a_admin, roles=self.roles(self.team_a_admin))
        other = actions.do_cancel_order(other, "申请人电话告知不需要了", user=self.gucheng_officer,
                                        roles=self.roles(self.gucheng_officer))
        self.assertEqual((other.state, other.team), ("cancelled", self.team_a), "the history keeps who held it")
        self.assertTrue(Notice.objects.filter(user=self.team_a_admin, title__contains="已取消").exists())
        reopened = actions.do_reopen_order(other, self.gucheng_officer, self.roles(self.gucheng_officer), "申请人又需要了")
        self.assertEqual((reopened.state, reopened.team, reopened.unit), ("submitted", None, None))

    def test_it_handles_the_end_of_the_service_confirm_dispute_and_close(self):
        order = self.to_accepted()
        ServiceOrder.objects.filter(pk=order.pk).update(state="served")
        with self.assertRaisesMessage(MoveRefused, "1—5"):
            actions.do_confirm_order(order, 7)
        with self.assertRaisesMessage(MoveRefused, "不能再取消"):
            actions.do_cancel_order(order)
        order = actions.do_dispute_order(order, "讲师没有来")
        self.assertEqual((order.state, order.team), ("accepted", self.team_a))
        ServiceOrder.objects.filter(pk=order.pk).update(state="served")
        with self.assertRaisesMessage(MoveRefused, "只有科协办公室"):
            actions.do_close_order(order, self.gucheng_officer, self.roles(self.gucheng_officer), "联系不上")
        order = actions.do_close_order(order, self.county_admin, self.roles(self.county_admin), "申请人逾期未评价")
        self.assertEqual((order.state, order.rating, order.due_at), ("closed", None, None))
        with self.assertRaisesMessage(MoveRefused, "已办结"):
            actions.do_confirm_order(order, 5)

    def test_it_never_lets_two_teams_hold_an_order_in_the_database_either(self):
        order = self.to_accepted()
        with self.assertRaises(IntegrityError), transaction.atomic():
            ServiceOrder.objects.filter(pk=order.pk).update(team=None)

    def test_it_refuses_a_stale_conditional_update(self):
        order = self.place()
        ServiceOrder.objects.filter(pk=order.pk).update(version=order.version)  # unchanged: the move goes through
        actions.do_pool_order(order, self.gucheng_officer, self.roles(self.gucheng_officer))
        self.assertEqual(self.fresh(order).version, order.version + 1)


class PageTests(ServiceTestCase):
    def test_it_shows_each_role_the_orders_it_works_on_the_board(self):
        mine = self.place()
        self.place(township=self.xincheng)
        self.login(self.gucheng_officer)
        response = self.client.get(reverse("service-board"))
        self.assertContains(response, "待审核派单")
        self.assertContains(response, reverse("service-order", args=[mine.pk]))
        self.assertEqual(len(response.context["columns"][0]["cards"]), 1)
        self.login(self.county_admin)
        self.assertEqual(len(self.client.get(reverse("service-board")).context["columns"][0]["cards"]), 2)
        self.login(self.outsider)
        self.assertEqual(self.client.get(reverse("service-board")).status_code, 403)

    def test_it_carries_an_order_through_the_pages(self):
        order = self.place()
        self.login(self.gucheng_officer)
        page = self.client.get(reverse("service-order", args=[order.pk]))
        self.assertContains(page, "13912345678", msg_prefix="the area's officer handles it: full contact")
        self.client.post(reverse("service-order-move", args=[order.pk, "dispatch"]), {"unit": self.kx.pk})
        self.assertEqual(self.fresh(order).state, "dispatched")
        self.login(self.kx_claimer)
        self.client.post(reverse("service-order-move", args=[order.pk, "claim"]))
        self.client.post(reverse("service-order-move", args=[order.pk, "assign"]), {"team": self.team_a.pk})
        self.login(self.team_b_admin)
        self.assertEqual(self.client.get(reverse("service-order", args=[order.pk])).status_code, 404)
        self.login(self.team_a_admin)
        response = self.client.post(reverse("service-order-move", args=[order.pk, "accept"]), follow=True)
        self.assertContains(response, "已服务队接单")
        self.assertEqual(self.fresh(order).state, "accepted")
        response = self.client.post(reverse("service-order-move", args=[order.pk, "accept"]), follow=True)
        self.assertContains(response, "已经接下这张服务单")

    def test_it_shows_refusals_and_unknown_moves(self):
        order = self.place()
        self.login(self.gucheng_officer)
        response = self.client.post(reverse("service-order-move", args=[order.pk, "reject"]), {"reason": ""}, follow=True)
        self.assertContains(response, "驳回必须填写原因")
        self.assertEqual(self.client.post(reverse("service-order-move", args=[order.pk, "fly"])).status_code, 404)
        response = self.client.post(reverse("service-order-move", args=[order.pk, "confirm"]), follow=True)
        self.assertContains(response, "只有申请人")

    def test_it_sends_a_department_that_returned_an_order_back_to_the_board(self):
        order = self.place()
        actions.do_dispatch_order(order, self.gucheng_officer, self.roles(self.gucheng_officer), self.edu)
        self.login(self.edu_claimer)
        response = self.client.post(reverse("service-order-move", args=[order.pk, "release"]), {"reason": "非本部门职责"})
        self.assertRedirects(response, reverse("service-board"))

    def test_it_hides_orders_from_people_with_no_part_in_them(self):
        order = self.place()
        for user in (self.outsider, self.xincheng_officer, self.edu_claimer, self.team_c_admin, self.other_county_admin):
            self.login(user)
            self.assertEqual(self.client.get(reverse("service-order", args=[order.pk])).status_code, 404, user.username)
        self.login(self.city_leader)  # a supervisor reads, contact masked
        page = self.client.get(reverse("service-order", args=[order.pk]))
        self.assertContains(page, "139****5678")
        self.assertNotContains(page, "13912345678")
        self.assertEqual(page.context["moves"], [])

    def test_it_names_the_winning_team_only_to_pool_teams_that_lost_a_pool_race(self):
        def accept_as_team_b(order: ServiceOrder):
            return self.client.post(reverse("service-order-move", args=[order.pk, "accept"]), {"team": self.team_b.pk})

        self.login(self.team_b_admin)
        assigned = self.to_accepted(via_unit=True)  # a department gave it to team A: not team B's business
        response = accept_as_team_b(assigned)
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, self.team_a.name, status_code=404)
        pooled = self.to_accepted(via_unit=False)  # team A took it from the pool first: team B is told who
        response = accept_as_team_b(pooled)
        self.assertRedirects(response, reverse("service-board"), fetch_redirect_response=False)
        self.assertIn(f"已由“{self.team_a.name}”接单", [str(m) for m in response.wsgi_request._messages][0])

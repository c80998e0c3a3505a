"""The public order page and the tracking-code pages: no account, an arithmetic challenge, per-address limits,
contact details masked, and the requester's own moves (cancel, confirm and rate, object)."""

import datetime as dt

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from kesu.volunteering import actions, throttle
from kesu.volunteering.models import RateCounter, ServiceOrder
from kesu.volunteering.tests.base import ServiceTestCase


class PublicOrderTests(ServiceTestCase):
    def setUp(self) -> None:
        self.url = reverse("public-service-order", args=[self.county.pk])

    def answer(self) -> str:
        return str(self.client.session[throttle.SESSION_KEY]["answer"])

    def form(self, **changes) -> dict:
        today = timezone.localdate()
        data = {
            "requester_kind": "school", "requester_org": "古城镇中心小学", "topic": self.health.pk, "description": "防溺水讲座",
            "township": self.gucheng.pk, "village": self.west.pk, "place": "学校礼堂",
            "preferred_from": (today + dt.timedelta(days=2)).isoformat(), "preferred_until": (today + dt.timedelta(days=9)).isoformat(),
            "audience": "students", "audience_size": "300", "contact_name": "刘老师", "contact_phone": "138 1234 5678",
            "consent": "on", "website": "",
        }
        return data | changes

    def submit(self, **changes):
        self.client.get(self.url)
        data = self.form(**changes)
        data.setdefault("answer", self.answer())
        return self.client.post(self.url, data)

    def test_it_takes_an_order_without_an_account_and_gives_a_tracking_code(self):
        page = self.client.get(self.url)
        self.assertContains(page, "群众点单")
        self.assertContains(page, "等于几")
        self.assertContains(page, "智能手机使用")
        response = self.submit()
        order = ServiceOrder.objects.get()
        self.assertRedirects(response, reverse("public-service-status", args=[order.code]), fetch_redirect_response=False)
        self.assertEqual((order.state, order.village, order.contact_phone, order.audience_size), ("submitted", self.west, "13812345678", 300))
        status = self.client.get(response["Location"])
        self.assertContains(status, "提交成功")
        self.assertContains(status, order.code)
        self.assertContains(status, "138****5678")
        self.assertNotContains(status, "13812345678")
        self.assertNotContains(status, "刘老师")
        again = self.client.get(response["Location"])
        self.assertNotContains(again, "提交成功", msg_prefix="the banner shows once")

    def test_it_refuses_a_wrong_answer_and_asks_a_new_question(self):
        self.client.get(self.url)
        first = self.client.session[throttle.SESSION_KEY]["question"]
        response = self.client.post(self.url, self.form(answer="999"))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "验证问题回答不正确", status_code=400)
        self.assertFalse(ServiceOrder.objects.exists())
        self.assertIn(throttle.SESSION_KEY, self.client.session)
        self.assertNotEqual(response.context["form"]["answer"].value(), "999")
        del first
        response = self.client.post(self.url, self.form(answer=self.answer()))
        self.assertEqual(response.status_code, 302)

    def test_it_uses_each_question_once(self):
        self.client.get(self.url)
        answer = self.answer()
        self.client.post(self.url, self.form(answer=answer))
        response = self.client.post(self.url, self.form(answer=answer))
        self.assertEqual(response.status_code, 400, "a replayed answer is refused (the question was used up)")
        self.assertEqual(ServiceOrder.objects.count(), 1)

    def test_it_accepts_chinese_and_full_width_answers(self):
        request = type("R", (), {"session": {}})()
        throttle.new_challenge(request)
        request.session[throttle.SESSION_KEY]["answer"] = 12
        self.assertTrue(throttle.check_challenge(request, "１２"))
        for text, value in (("十二", 12), ("九", 9), ("二十", 20), ("二十三", 23), ("十", 10)):
            request.session[throttle.SESSION_KEY] = {"answer": value, "question": ""}
            self.assertTrue(throttle.check_challenge(request, text), text)

    def test_it_checks_the_form_like_a_person_would(self):
        today = timezone.localdate()
        cases = {
            "contact_phone": ({"contact_phone": "12345"}, "手机号"),
            "preferred_from": ({"preferred_from": (today - dt.timedelta(days=1)).isoformat()}, "不能早于今天"),
            "preferred_until": ({"preferred_until": (today + dt.timedelta(days=1)).isoformat()}, "不能早于开始日期"),
            "village": ({"village": self.south.pk}, "不属于所选乡镇"),
            "requester_org": ({"requester_org": ""}, "请填写名称"),
            "consent": ({"consent": ""}, ""),
        }
        for field, (changes, message) in cases.items():
            response = self.submit(**changes)
            self.assertEqual(response.status_code, 400, field)
            self.assertIn(field, response.context["form"].errors, field)
            if message:
                self.assertContains(response, message, status_code=400)
        self.assertFalse(ServiceOrder.objects.exists())
        far = (today + dt.timedelta(days=200)).isoformat()
        self.assertEqual(self.submit(preferred_until=far).status_code, 400, "a window longer than 90 days")

    def test_it_ignores_robots_that_fill_the_hidden_field(self):
        response = self.submit(website="http://spam.example")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ServiceOrder.objects.exists())

    def test_it_limits_orders_per_address(self):
        for _ in range(5):
            self.assertEqual(self.submit().status_code, 302)
        response = self.submit()
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "每小时最多提交 5 张服务单", status_code=429)
        self.assertEqual(ServiceOrder.objects.count(), 5)
        other = self.client_class(REMOTE_ADDR="10.1.2.3")
        other.get(self.url)
        data = self.form(answer=str(other.session[throttle.SESSION_KEY]["answer"]))
        self.assertEqual(other.post(self.url, data).status_code, 302, "another address is not affected")
        self.assertFalse(RateCounter.objects.filter(key__contains="127.0.0.1").exists(), "addresses are stored hashed")

    @override_settings(KESU_SERVICE_RATE_LIMITS={"order_attempt": [(3600, 3)]})
    def test_it_limits_attempts_so_the_question_cannot_be_brute_forced(self):
        self.client.get(self.url)
        for _ in range(3):
            self.assertEqual(self.client.post(self.url, self.form(answer="0")).status_code, 400)
        self.assertEqual(self.client.post(self.url, self.form(answer="0")).status_code, 429)

    def test_it_counts_requests_in_windows_and_purges_old_counters(self):
        now = timezone.now()
        self.assertTrue(throttle.hit("lookup_miss", "abc", now))
        RateCounter.objects.update(window_start=now - dt.timedelta(days=3))
        self.assertEqual(throttle.do_purge_rate_counters(now), 1)

    def test_it_needs_a_township_and_a_topic_to_open_the_page(self):
        self.assertEqual(self.client.get(reverse("public-service-order", args=[self.other_county.pk])).status_code, 404)
        self.assertRedirects(self.client.get(reverse("public-service")), self.url)


class TrackingCodeTests(ServiceTestCase):
    def test_it_finds_an_order_by_its_code_in_any_spelling(self):
        order = self.place()
        raw = order.code.replace("-", "").lower()[2:]
        response = self.client.get(reverse("public-service-track"), {"code": raw})
        self.assertRedirects(response, reverse("public-service-status", args=[order.code]))
        self.assertEqual(actions.normalise_code(order.code.replace("0", "O")), order.code if "0" not in order.code else actions.normalise_code(order.code))

    def test_it_limits_guessing_codes(self):
        for _ in range(10):
            self.assertEqual(self.client.get(reverse("public-service-status", args=["KS-AAAA-BBBB-CCC"])).status_code, 404)
        order = self.place()
        response = self.client.get(reverse("public-service-status", args=[order.code]))
        self.assertEqual(response.status_code, 429, "after 10 misses an address may not look up for a while")
        self.assertContains(response, "输错查询码 10 次", status_code=429)

    def test_it_shows_the_requester_the_reason_of_a_rejection_but_not_internal_notes(self):
        order = self.place()
        actions.do_dispatch_order(order, self.gucheng_officer, self.roles(self.gucheng_officer), self.edu)
        actions.do_release_order(order, self.edu_claimer, self.roles(self.edu_claimer), "内部：本局人手紧张")
        actions.do_reject_order(order, self.gucheng_officer, self.roles(self.gucheng_officer), "不属于科普服务范围，请联系农技站")
        page = self.client.get(reverse("public-service-status", args=[order.code]))
        self.assertContains(page, "不属于科普服务范围，请联系农技站")
        self.assertNotContains(page, "本局人手紧张")
        self.assertNotContains(page, "县教科局")

    def test_it_lets_the_requester_cancel_then_not_again(self):
        order = self.place()
        url = reverse("public-service-action", args=[order.code, "cancel"])
        response = self.client.post(url, {"reason": "时间冲突"}, follow=True)
        self.assertContains(response, "服务单已取消")
        self.assertEqual(self.fresh(order).state, "cancelled")
        response = self.client.post(url, {"reason": ""}, follow=True)
        self.assertContains(response, "已取消，不能再取消")

    def test_it_lets_the_requester_confirm_and_rate_a_served_order(self):
        order = self.to_accepted()
        ServiceOrder.objects.filter(pk=order.pk).update(state="served")
        page = self.client.get(reverse("public-service-status", args=[order.code]))
        self.assertContains(page, "确认服务并评价")
        self.assertContains(page, "科协科普志愿服务队")
        url = reverse("public-service-action", args=[order.code, "confirm"])
        response = self.client.post(url, {"rating": "", "comment": ""}, follow=True)
        self.assertContains(response, "请为本次服务打分")
        response = self.client.post(url, {"rating": "4", "comment": "很实用"}, follow=True)
        self.assertContains(response, "感谢您的评价")
        order = self.fresh(order)
        self.assertEqual((order.state, order.rating, order.rating_comment), ("closed", 4, "很实用"))

    def test_it_lets_the_requester_object_to_a_service(self):
        order = self.to_accepted()
        ServiceOrder.objects.filter(pk=order.pk).update(state="served")
        url = reverse("public-service-action", args=[order.code, "dispute"])
        self.client.post(url, {"reason": ""})
        self.assertEqual(self.fresh(order).state, "served", "an objection needs a reason")
        self.client.post(url, {"reason": "讲师没有来"})
        self.assertEqual(self.fresh(order).state, "accepted")
        self.assertEqual(self.client.post(reverse("public-service-action", args=[order.code, "hack"])).status_code, 404)

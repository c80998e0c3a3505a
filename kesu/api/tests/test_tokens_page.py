"""The page 「API 令牌」: everyone manages their own tokens; an office admin also lists and revokes the tokens of
the accounts in its area; nobody else sees or touches them (404)."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from kesu.api.actions import do_create_api_token
from kesu.api.models import ApiToken, ApiTokenEvent
from kesu.org.models import Membership
from kesu.testing import BaseTestCase

URL = "/tokens/"
KEY = re.compile(r"kesu_[A-Za-z0-9_-]{30,}")


class TokensPageTests(BaseTestCase):
    def issue(self, user, name: str = "对接系统", scope: str = ApiToken.Scope.READ) -> ApiToken:
        return do_create_api_token(user, user, name=name, scope=scope, days=365)[0]

    def revoke_as(self, user, token: ApiToken):
        self.login(user)
        return self.client.post(reverse("api-token-revoke", args=[token.pk]))

    def test_it_is_linked_from_my_account_and_needs_a_sign_in(self):
        self.assertRedirects(self.client.get(URL), f"{reverse('login')}?next={URL}")
        self.login(self.county_viewer)
        self.assertContains(self.client.get(reverse("home")), f'href="{reverse("accounts-me")}"', html=False)
        self.assertContains(self.client.get(reverse("accounts-me")), f'href="{URL}">API 令牌</a>', html=False)

    def test_it_creates_a_token_showing_the_key_once(self):
        self.login(self.county_viewer)
        response = self.client.post(URL, {"name": "县融媒体平台", "scope": "read", "days": "90"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        keys = KEY.findall(response.content.decode())
        self.assertEqual(len(set(keys)), 1)
        token = ApiToken.objects.get(user=self.county_viewer)
        self.assertEqual((token.name, token.scope), ("县融媒体平台", "read"))
        self.assertAlmostEqual((token.expires_at - timezone.now()).total_seconds(), 90 * 86400, delta=60)
        self.assertContains(response, "只显示这一次")
        self.assertEqual(self.client.get("/api/plans", headers={"Authorization": f"Bearer {keys[0]}"}).status_code, 200)

        later = self.client.get(URL).content.decode()
        self.assertNotIn(keys[0], later)
        self.assertIn("县融媒体平台", later)
        self.assertIn(token.prefix, later)
        event = ApiTokenEvent.objects.get(token=token)
        self.assertEqual((event.kind, event.actor), (ApiTokenEvent.Kind.CREATED, self.county_viewer))

    def test_it_refuses_a_token_without_a_purpose_or_with_a_made_up_validity_in_chinese(self):
        self.login(self.county_viewer)
        cases = [({"name": " ", "scope": "read", "days": "365"}, "请填写令牌用途"),
                 ({"name": "x", "scope": "admin", "days": "365"}, "令牌权限只能是"),
                 ({"name": "x", "scope": "read", "days": "100000"}, "请从列表中选择有效期"),
                 ({"name": "x", "scope": "read", "days": "abc"}, "请从列表中选择有效期")]
        for data, message in cases:
            with self.subTest(data=data):
                # An English-speaking browser still gets Chinese messages.
                response = self.client.post(URL, data, headers={"Accept-Language": "en-US,en;q=0.9"})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
                self.assertIsNone(KEY.search(response.content.decode()))
        self.assertFalse(ApiToken.objects.exists())

    def test_a_user_revokes_their_own_token_which_then_stops_working(self):
        token, key = do_create_api_token(self.county_viewer, self.county_viewer, name="对接", scope="read", days=365)
        response = self.revoke_as(self.county_viewer, token)
        self.assertRedirects(response, URL)
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)
        self.assertEqual(self.client.get("/api/plans", headers={"Authorization": f"Bearer {key}"}).status_code, 401)
        self.assertEqual([e.kind for e in token.events.order_by("at", "id")], ["created", "revoked"])
        self.assertContains(self.client.get(URL), "已吊销")

    def test_revoking_needs_a_post(self):
        token = self.issue(self.county_viewer)
        self.login(self.county_viewer)
        self.assertEqual(self.client.get(reverse("api-token-revoke", args=[token.pk])).status_code, 405)

    def test_other_users_neither_see_nor_revoke_my_tokens(self):
        token = self.issue(self.county_viewer, name="只属于我的对接")
        for user in [self.outsider, self.city_leader, self.other_county_admin]:
            with self.subTest(user=user.username):
                self.login(user)
                self.assertNotContains(self.client.get(URL), "只属于我的对接")
                self.assertEqual(self.revoke_as(user, token).status_code, 404)
        token.refresh_from_db()
        self.assertIsNone(token.revoked_at)
        self.assertFalse(token.events.filter(kind="revoked").exists())

    def test_a_plain_user_sees_no_area_section(self):
        self.login(self.county_viewer)
        self.assertNotContains(self.client.get(URL), "本辖区账号的令牌")

    def test_an_office_admin_lists_and_revokes_tokens_of_accounts_in_its_area(self):
        token = self.issue(self.county_viewer, name="县领导看板")
        for admin in [self.county_admin, self.city_admin]:
            with self.subTest(admin=admin.username):
                self.login(admin)
                page = self.client.get(URL)
                self.assertContains(page, "本辖区账号的令牌")
                self.assertContains(page, "县领导看板")
        self.assertRedirects(self.revoke_as(self.county_admin, token), URL)
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)
        event = token.events.get(kind="revoked")
        self.assertEqual(event.actor, self.county_admin)

    def test_an_office_admin_of_another_county_cannot(self):
        token = self.issue(self.county_viewer, name="县领导看板")
        self.login(self.other_county_admin)
        self.assertNotContains(self.client.get(URL), "县领导看板")
        self.assertEqual(self.revoke_as(self.other_county_admin, token).status_code, 404)
        token.refresh_from_db()
        self.assertIsNone(token.revoked_at)

    def test_an_office_admin_does_not_reach_accounts_above_or_partly_outside_its_area(self):
        root = get_user_model().objects.create_superuser("root", password="root-password-1")
        both = self._user("both_counties", self.county, Membership.Role.VIEWER)
        Membership.objects.create(user=both, jurisdiction=self.other_county, role=Membership.Role.VIEWER)
        tokens = [self.issue(self.city_admin, name="市级对接"), self.issue(root, name="超级管理员对接"),
                  self.issue(both, name="两县共用对接")]
        self.login(self.county_admin)
        page = self.client.get(URL)
        for token in tokens:
            with self.subTest(token=token.name):
                self.assertNotContains(page, token.name)
                self.assertEqual(self.revoke_as(self.county_admin, token).status_code, 404)
        # The city office reaches the account with roles in both of its counties.
        self.assertRedirects(self.revoke_as(self.city_admin, tokens[2]), URL)

    def test_the_history_shows_who_created_and_revoked(self):
        token = self.issue(self.county_viewer, name="县领导看板")
        self.revoke_as(self.county_admin, token)
        self.login(self.county_viewer)
        page = self.client.get(URL).content.decode()
        self.assertIn("令牌记录", page)
        self.assertIn("创建令牌", page)
        self.assertIn("吊销令牌", page)
        self.assertIn("county_admin", page)

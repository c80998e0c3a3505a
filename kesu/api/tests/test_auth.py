"""Token authentication: Bearer key → the token's user; missing, unknown, malformed or revoked → 401."""

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kesu.api.actions import do_revoke_api_token
from kesu.api.models import ApiToken, hash_key
from kesu.api.tests.base import ApiTestCase


class TokenAuthTests(ApiTestCase):
    def test_it_refuses_a_request_without_a_token(self):
        response = self.client.get("/api/plans")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["WWW-Authenticate"], 'Bearer realm="kesu"')
        self.assertIn("令牌", response.json()["detail"])

    def test_it_refuses_unknown_and_malformed_tokens(self):
        key = self.key_for(self.county_admin)
        for header in [f"Bearer {key}x", "Bearer kesu_nope", "Bearer ", f"Token {key}", key, f"Basic {key}"]:
            with self.subTest(header=header):
                response = self.client.get("/api/plans", headers={"Authorization": header})
                self.assertEqual(response.status_code, 401)

    def test_it_refuses_a_revoked_token(self):
        token, key = self.issue(self.county_admin, "已停用的对接")
        self.assertEqual(self.api(key=key).get("/api/plans").status_code, 200)
        do_revoke_api_token(token, self.county_admin)
        self.assertEqual(self.api(key=key).get("/api/plans").status_code, 401)
        self.assertEqual(self.api(key=key).get(f"/api/plans/{self.plan.pk}").status_code, 401)

    def test_it_refuses_the_token_of_a_deactivated_account(self):
        key = self.key_for(self.county_admin)
        get_user_model().objects.filter(pk=self.county_admin.pk).update(is_active=False)
        self.assertEqual(self.api(key=key).get("/api/plans").status_code, 401)

    def test_it_refuses_every_operation_without_a_token(self):
        report = self.report_of(self.edu, "基础教育")
        calls = [
            ("get", "/api/plans"), ("get", f"/api/plans/{self.plan.pk}"), ("get", f"/api/plans/{self.plan.pk}/tasks"),
            ("get", f"/api/plans/{self.plan.pk}/cycles"), ("get", f"/api/plans/{self.plan.pk}/reports"),
            ("get", f"/api/plans/{self.plan.pk}/targets/progress"), ("get", f"/api/plans/{self.plan.pk}/scores"),
            ("get", f"/api/reports/{report.pk}"), ("put", f"/api/reports/{report.pk}"),
            ("post", f"/api/reports/{report.pk}/submit"), ("post", f"/api/reports/{report.pk}/approve"),
            ("post", f"/api/reports/{report.pk}/return"),
        ]
        for method, path in calls:
            with self.subTest(path=path, method=method):
                self.assertEqual(getattr(self.api(key="kesu_wrong"), method)(path).status_code, 401)
                self.assertEqual(getattr(self.client, method)(path).status_code, 401)

    def test_it_ignores_a_browser_session(self):
        self.login(self.county_admin)
        self.assertEqual(self.client.get("/api/plans").status_code, 401)

    def test_it_acts_with_the_rights_of_the_tokens_user(self):
        self.assertIn(self.plan.pk, self.ids(self.api(self.county_admin).get("/api/plans")))
        self.assertNotIn(self.plan.pk, self.ids(self.api(self.other_county_admin).get("/api/plans")))

    def test_it_stores_only_a_hash_and_a_display_prefix_of_the_key(self):
        token, key = self.issue(self.county_admin, "对接系统")
        self.assertTrue(key.startswith("kesu_") and len(key) > 40)
        token.refresh_from_db()
        self.assertEqual(token.key_hash, hash_key(key))
        self.assertTrue(key.startswith(token.prefix))
        self.assertLess(len(token.prefix), 16)
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM api_apitoken WHERE id = %s", [token.pk])
            row = cursor.fetchone()
        self.assertNotIn(key, [str(value) for value in row])

    def test_it_records_when_a_token_was_last_used(self):
        token, key = self.issue(self.county_admin, "对接系统")
        self.assertIsNone(token.last_used_at)
        self.api(key=key).get("/api/plans")
        token.refresh_from_db()
        self.assertIsNotNone(token.last_used_at)
        self.assertLess(timezone.now() - token.last_used_at, dt.timedelta(minutes=1))


class TokenScopeAndExpiryTests(ApiTestCase):
    def test_a_read_only_token_reads_but_every_write_gets_403_in_chinese(self):
        report = self.report_of(self.edu, "基础教育")
        _, key = self.issue(self.edu_reporter, "只读对接", scope=ApiToken.Scope.READ)
        reader = self.api(key=key)
        self.assertEqual(reader.get(f"/api/reports/{report.pk}").status_code, 200)
        writes = [("put", f"/api/reports/{report.pk}", {"version": report.version, "summary": "改"}),
                  ("post", f"/api/reports/{report.pk}/submit", {"version": report.version}),
                  ("post", f"/api/reports/{report.pk}/approve", {}), ("post", f"/api/reports/{report.pk}/return", {"reason": "x"})]
        for method, path, body in writes:
            with self.subTest(method=method, path=path):
                response = getattr(reader, method)(path, body)
                self.assertEqual(response.status_code, 403)
                self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
                self.assertIn("只读", response.json()["detail"])
        report.refresh_from_db()
        self.assertEqual((report.state, report.summary), ("draft", ""))

    def test_a_read_write_token_writes(self):
        report = self.report_of(self.edu, "基础教育")
        _, key = self.issue(self.edu_reporter, "读写对接", scope=ApiToken.Scope.READ_WRITE)
        response = self.api(key=key).post(f"/api/reports/{report.pk}/submit", {"version": report.version})
        self.assertEqual(response.status_code, 200, response.content.decode())

    def test_an_expired_token_gets_401_saying_so(self):
        token, key = self.issue(self.county_admin, "过期对接", days=1)
        self.assertEqual(self.api(key=key).get("/api/plans").status_code, 200)
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        response = self.api(key=key).get("/api/plans")
        self.assertEqual(response.status_code, 401)
        self.assertIn("已过期", response.json()["detail"])
        self.assertEqual(response["WWW-Authenticate"], 'Bearer realm="kesu"')

    def test_a_new_token_expires_after_the_chosen_days(self):
        token, _ = self.issue(self.county_admin, "对接", days=30)
        self.assertAlmostEqual((token.expires_at - timezone.now()).total_seconds(), 30 * 86400, delta=60)


class TokenCommandTests(ApiTestCase):
    def test_it_prints_a_working_key_once(self):
        out, err = io.StringIO(), io.StringIO()
        call_command("create_api_token", "county_admin", "--name", "对接系统", stdout=out, stderr=err)
        key = out.getvalue().strip()
        token = ApiToken.objects.get(user=self.county_admin)
        self.assertEqual((token.name, token.key_hash), ("对接系统", hash_key(key)))
        self.assertIn("只显示这一次", err.getvalue())
        self.assertNotIn(key, err.getvalue())
        self.assertEqual(self.api(key=key).get("/api/plans").status_code, 200)

    def test_it_takes_the_days_and_scope_and_records_the_issue(self):
        call_command("create_api_token", "county_admin", "--days", "30", "--scope", "write",
                     stdout=io.StringIO(), stderr=io.StringIO())
        token = ApiToken.objects.get(user=self.county_admin)
        self.assertEqual(token.scope, ApiToken.Scope.READ_WRITE)
        self.assertAlmostEqual((token.expires_at - timezone.now()).total_seconds(), 30 * 86400, delta=60)
        self.assertEqual([e.kind for e in token.events.all()], ["created"])

    def test_a_token_is_read_only_for_a_year_unless_asked(self):
        call_command("create_api_token", "county_admin", stdout=io.StringIO(), stderr=io.StringIO())
        token = ApiToken.objects.get(user=self.county_admin)
        self.assertEqual(token.scope, ApiToken.Scope.READ)
        self.assertAlmostEqual((token.expires_at - timezone.now()).total_seconds(), 365 * 86400, delta=60)

    def test_it_refuses_days_out_of_range(self):
        for days in ["0", "-3", "5000"]:
            with self.subTest(days=days), self.assertRaisesMessage(CommandError, "有效期"):
                call_command("create_api_token", "county_admin", "--days", days, stdout=io.StringIO(), stderr=io.StringIO())
        self.assertFalse(ApiToken.objects.exists())

    def test_it_refuses_an_unknown_account(self):
        with self.assertRaisesMessage(CommandError, "没有找到账号"):
            call_command("create_api_token", "nobody", stdout=io.StringIO(), stderr=io.StringIO())
        self.assertFalse(ApiToken.objects.exists())


class TokenAdminTests(ApiTestCase):
    def test_it_issues_a_token_in_the_admin_showing_the_key_once_and_revokes_it(self):
        admin = get_user_model().objects.create_superuser("root", password="root-password-1")
        self.client.force_login(admin)
        response = self.client.post(reverse("admin:api_apitoken_add"), {"user": self.county_admin.pk, "name": "省平台", "scope": "read_write"}, follow=True)
        self.assertEqual(response.status_code, 200)
        token = ApiToken.objects.get(name="省平台")
        shown = [str(m) for m in response.context["messages"] if "不会再显示" in str(m)]
        self.assertEqual(len(shown), 1)
        key = shown[0][shown[0].index("kesu_"):].strip()
        self.assertEqual(token.key_hash, hash_key(key))
        self.assertNotContains(self.client.get(reverse("admin:api_apitoken_change", args=[token.pk])), key)

        self.client.post(reverse("admin:api_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]})
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)
        self.assertEqual(self.api(key=key).get("/api/plans").status_code, 401)
        self.assertEqual([(e.kind, e.actor) for e in token.events.order_by("at", "id")],
                         [("created", admin), ("revoked", admin)])

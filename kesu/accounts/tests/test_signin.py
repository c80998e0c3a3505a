"""Sign-in security: lockout per account and per address (Chinese message, unlock by the office), the client
address behind trusted proxies, password rules in Chinese, the forced change of a temporary password, and the
idle time after which a session ends."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from kesu.accounts import actions
from kesu.accounts.models import AccountEvent, Profile
from kesu.accounts.tests.base import AccountsTestCase
from kesu.org.models import Membership
from kesu.testing import PASSWORD

LIMIT = 5


class LockoutTest(AccountsTestCase):
    def sign_in(self, username: str, password: str, address: str = "10.0.0.1", **extra):
        return self.client_class().post(reverse("login"), {"username": username, "password": password},
                                        REMOTE_ADDR=address, **extra)

    def fail(self, username: str, times: int, address: str = "10.0.0.1") -> None:
        for _ in range(times):  # the failure that reaches the limit is answered with the lockout page
            self.assertIn(self.sign_in(username, "wrong-password", address).status_code, (200, 429))

    def test_settings_default_to_five_failures_and_thirty_minutes(self):
        from django.conf import settings

        self.assertEqual(settings.AXES_FAILURE_LIMIT, LIMIT)
        self.assertEqual(settings.AXES_COOLOFF_TIME, dt.timedelta(minutes=30))

    def test_account_locked_after_n_failures_even_with_the_right_password(self):
        self.fail("reporter", LIMIT - 1)
        self.assertEqual(self.sign_in("reporter", PASSWORD).status_code, 302)  # N-1 failures: still signs in
        self.fail("reporter", LIMIT - 1, address="10.0.0.9")
        response = self.sign_in("reporter", "wrong-password", address="10.0.0.9")  # the N-th failure
        self.assertEqual(response.status_code, 429)
        response = self.sign_in("reporter", PASSWORD, address="10.9.9.9")  # right password, another address
        self.assertEqual(response.status_code, 429)
        page = response.content.decode()
        self.assertIn("已被暂时锁定", page)
        self.assertIn("30 分钟后再试", page)
        self.assertNotIn("Account locked", page)
        self.assertTrue(AccountEvent.objects.filter(target=self.reporter, kind=AccountEvent.Kind.LOCKED_OUT).exists())

    def test_other_accounts_from_other_addresses_are_unaffected(self):
        self.fail("reporter", LIMIT)
        self.assertEqual(self.sign_in("county_viewer", PASSWORD, address="10.0.0.2").status_code, 302)

    def test_an_address_is_locked_after_n_failures_over_several_accounts(self):
        for name in ("a1", "a2", "a3", "a4", "a5"):
            self.fail(name, 1, address="10.0.0.3")
        self.assertEqual(self.sign_in("county_viewer", PASSWORD, address="10.0.0.3").status_code, 429)
        self.assertEqual(self.sign_in("county_viewer", PASSWORD, address="10.0.0.4").status_code, 302)

    def test_lock_ends_after_the_cool_off(self):
        self.fail("reporter", LIMIT)
        self.assertEqual(self.sign_in("reporter", PASSWORD, address="10.0.0.5").status_code, 429)
        AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))  # the failures age
        self.assertEqual(self.sign_in("reporter", PASSWORD, address="10.0.0.5").status_code, 302)

    def test_office_admin_sees_the_lock_and_unlocks(self):
        self.fail("reporter", LIMIT)
        self.login(self.county_admin)
        page = self.client.get(reverse("accounts-account", args=[self.reporter.pk])).content.decode()
        self.assertIn("登录已锁定", page)
        self.assertIn(reverse("accounts-unlock", args=[self.reporter.pk]), page)
        self.assertContains(self.client.get(reverse("accounts-manage"), {"state": "locked"}), "王填报")
        self.client.post(reverse("accounts-unlock", args=[self.reporter.pk]))
        event = AccountEvent.objects.get(target=self.reporter, kind=AccountEvent.Kind.UNLOCKED)
        self.assertEqual(event.actor, self.county_admin)
        self.assertEqual(self.sign_in("reporter", PASSWORD).status_code, 302)

    def test_other_county_cannot_unlock_our_accounts(self):
        self.fail("reporter", LIMIT)
        self.login(self.other_county_admin)
        self.assertEqual(self.client.post(reverse("accounts-unlock", args=[self.reporter.pk])).status_code, 404)
        self.assertEqual(self.sign_in("reporter", PASSWORD, address="10.0.0.7").status_code, 429)

    @override_settings(KESU_TRUSTED_PROXIES=1)
    def test_behind_a_trusted_proxy_the_forwarded_address_counts(self):
        for i in range(LIMIT):
            self.sign_in(f"x{i}", "wrong-password", address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
        # Same proxy, another client: not locked; the attacker's address is.
        ok = self.sign_in("county_viewer", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
        self.assertEqual(ok.status_code, 302)
        locked = self.sign_in("county_viewer", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
        self.assertEqual(locked.status_code, 429)

    @override_settings(KESU_TRUSTED_PROXIES=1)
    def test_a_malformed_forwarded_address_is_no_error(self):
        response = self.sign_in("reporter", "wrong-password", address="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.sign_in("reporter", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="::1").status_code, 302)

    def test_without_trusted_proxies_a_forged_header_changes_nothing(self):
        for i in range(LIMIT):
            self.sign_in(f"x{i}", "wrong-password", address="10.0.0.8", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        self.assertEqual(self.sign_in("county_viewer", PASSWORD, address="10.0.0.8").status_code, 429)


class PasswordTest(AccountsTestCase):
    def change(self, old: str, new: str):
        return self.client.post(reverse("accounts-password"), {"old_password": old, "new_password1": new, "new_password2": new})

    def test_weak_passwords_are_refused_in_chinese(self):
        self.login(self.reporter)
        cases = {"12345678": ["太常见", "只包含数字"], "password": ["太常见"], "reporter1": ["太相似"], "ab1-x": ["太短"]}
        for password, messages in cases.items():
            with self.subTest(password=password):
                response = self.change(PASSWORD, password)
                self.assertEqual(response.status_code, 200)
                for message in messages:
                    self.assertContains(response, message)
                self.assertNotContains(response, "This password")
        self.reporter.refresh_from_db()
        self.assertTrue(self.reporter.check_password(PASSWORD))

    def test_a_browser_asking_for_english_still_gets_chinese(self):
        self.login(self.reporter)
        response = self.client.post(reverse("accounts-password"), {"old_password": PASSWORD, "new_password1": "password",
                                                                   "new_password2": "password"},
                                    HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertContains(response, "太常见")
        self.assertContains(response, "旧密码")
        self.assertNotContains(response, "Old password")

    def test_wrong_old_password_is_refused_in_chinese(self):
        self.login(self.reporter)
        self.assertContains(self.change("not-my-password", "Gz7-kesu-long"), "旧密码不正确")

    def test_change_keeps_the_session_and_writes_history(self):
        self.login(self.reporter)
        response = self.change(PASSWORD, "Gz7-kesu-long")
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.reporter.refresh_from_db()
        self.assertTrue(self.reporter.check_password("Gz7-kesu-long"))
        self.assertEqual(self.client.get(reverse("accounts-me")).status_code, 200)
        self.assertTrue(AccountEvent.objects.filter(target=self.reporter, kind=AccountEvent.Kind.PASSWORD_CHANGED).exists())

    def test_temporary_password_must_be_changed_at_first_sign_in(self):
        new = actions.do_create_account(self.county_admin, self.county, "xf-new", "新人", "13812345678",
                                        Membership.Role.UNIT_REPORTER, self.unit)
        client = self.client
        response = client.post(reverse("login"), {"username": "xf-new", "password": new.password})
        self.assertEqual(response.status_code, 302)
        for url in (reverse("home"), reverse("accounts-me"), reverse("notices")):
            with self.subTest(url=url):
                self.assertRedirects(client.get(url), reverse("accounts-password"), fetch_redirect_response=False)
        page = client.get(reverse("accounts-password"))
        self.assertContains(page, "临时密码")
        response = client.post(reverse("accounts-password"), {"old_password": new.password, "new_password1": "Gz7-kesu-long",
                                                              "new_password2": "Gz7-kesu-long"})
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(client.get(reverse("accounts-me")).status_code, 200)
        self.assertFalse(Profile.objects.get(user=new.user).must_change_password)
        # Signing in again later: no detour.
        other = self.client_class()
        other.post(reverse("login"), {"username": "xf-new", "password": "Gz7-kesu-long"})
        self.assertEqual(other.get(reverse("accounts-me")).status_code, 200)

    def test_reset_by_the_office_forces_a_change_again(self):
        password = actions.do_reset_password(self.county_admin, self.reporter)
        client = self.client_class()
        client.post(reverse("login"), {"username": "reporter", "password": password})
        self.assertRedirects(client.get(reverse("accounts-me")), reverse("accounts-password"), fetch_redirect_response=False)


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.db")
class IdleSessionTest(AccountsTestCase):
    def test_session_ends_after_the_idle_time_and_activity_extends_it(self):
        from django.conf import settings

        self.assertEqual(settings.SESSION_COOKIE_AGE, 120 * 60)
        self.client.post(reverse("login"), {"username": "reporter", "password": PASSWORD})
        start = timezone.now()
        with mock.patch("django.utils.timezone.now", return_value=start + dt.timedelta(minutes=100)):
            self.assertEqual(self.client.get(reverse("accounts-me")).status_code, 200)
        with mock.patch("django.utils.timezone.now", return_value=start + dt.timedelta(minutes=200)):
            self.assertEqual(self.client.get(reverse("accounts-me")).status_code, 200)  # 100 minutes after the last
        with mock.patch("django.utils.timezone.now", return_value=start + dt.timedelta(minutes=330)):
            self.assertEqual(self.client.get(reverse("accounts-me")).status_code, 302)  # 130 idle minutes

    def test_reading_pages_writes_the_session_at_most_once_a_minute(self):
        from django.contrib.sessions.models import Session

        self.client.post(reverse("login"), {"username": "reporter", "password": PASSWORD})
        key = self.client.session.session_key
        first = Session.objects.get(session_key=key).expire_date
        start = timezone.now()
        with mock.patch("django.utils.timezone.now", return_value=start + dt.timedelta(seconds=30)):
            self.client.get(reverse("accounts-me"))
        self.assertEqual(Session.objects.get(session_key=key).expire_date, first)
        with mock.patch("django.utils.timezone.now", return_value=start + dt.timedelta(seconds=90)):
            self.client.get(reverse("accounts-me"))
        self.assertGreater(Session.objects.get(session_key=key).expire_date, first)


class DeactivatedSignInTest(AccountsTestCase):
    def test_deactivated_account_cannot_sign_in(self):
        actions.do_deactivate_account(self.county_admin, self.reporter)
        self.assertFalse(get_user_model().objects.get(pk=self.reporter.pk).is_active)
        response = self.client.post(reverse("login"), {"username": "reporter", "password": PASSWORD})
        self.assertEqual(response.status_code, 200)

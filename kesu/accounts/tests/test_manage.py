"""Creating, deactivating, resetting, granting and revoking: each through its page, each with its history row,
each refused outside the admin's area, and checked again at the moment of the POST."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kesu.accounts import actions
from kesu.accounts.models import AccountEvent, Profile
from kesu.accounts.tests.base import AccountsTestCase
from kesu.org.models import Membership
from kesu.testing import PASSWORD

Kind = AccountEvent.Kind
Role = Membership.Role


def shown_password(html: str) -> str:
    return re.search(r'<td class="secret">([^<]+)</td>', html).group(1)


class CreateAccountTest(AccountsTestCase):
    def post_new(self, **changes) -> object:
        data = {"username": "xf-kx-li", "name": "李科协", "phone": "138 1234 5678", "role": Role.UNIT_REPORTER,
                "unit": "县科协"} | changes
        return self.client.post(f"{reverse('accounts-new')}?j={self.county.pk}", data)

    def test_office_admin_creates_a_reporter_with_a_temporary_password_shown_once(self):
        self.login(self.county_admin)
        response = self.post_new()
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        password = shown_password(response.content.decode())
        user = get_user_model().objects.get(username="xf-kx-li")
        self.assertEqual(user.first_name, "李科协")
        self.assertTrue(user.check_password(password))
        membership = Membership.objects.get(user=user)
        self.assertEqual((membership.jurisdiction, membership.role, membership.unit.name), (self.county, Role.UNIT_REPORTER, "县科协"))
        profile = Profile.objects.get(user=user)
        self.assertTrue(profile.must_change_password)
        self.assertEqual(profile.phone, "13812345678")
        kinds = list(AccountEvent.objects.filter(target=user).values_list("kind", flat=True))
        self.assertCountEqual(kinds, [Kind.CREATED, Kind.ROLE_GRANTED])
        self.assertTrue(AccountEvent.objects.filter(target=user, actor=self.county_admin, jurisdiction=self.county).exists())
        # The password is nowhere else: not on the account page, not in the history.
        page = self.client.get(reverse("accounts-account", args=[user.pk])).content.decode()
        self.assertNotIn(password, page)
        self.assertNotIn(password, self.client.get(reverse("accounts-history")).content.decode())

    def test_viewer_and_office_admin_roles_need_no_unit(self):
        self.login(self.county_admin)
        self.assertEqual(self.post_new(username="xf-leader", role=Role.VIEWER, unit="").status_code, 200)
        self.assertEqual(self.post_new(username="xf-admin2", role=Role.OFFICE_ADMIN, unit="县科协").status_code, 200)
        self.assertIsNone(Membership.objects.get(user__username="xf-admin2").unit)

    def test_bad_input_is_named_in_chinese_and_nothing_is_created(self):
        self.login(self.county_admin)
        cases = [
            ({"unit": "县教育局"}, "不是襄汾县的成员单位"),  # a unit of 乡宁县
            ({"unit": ""}, "须选择所在单位"),
            ({"unit": "各成员单位"}, "不是襄汾县的成员单位"),
            ({"phone": "12345"}, "不是有效的手机号"),
            ({"username": "reporter"}, "已被使用"),
            ({"username": "REPORTER"}, "已被使用"),
            ({"username": "张三"}, "不是有效的账号"),
            ({"name": "=1+1"}, "不能以 = + - @ 开头"),
        ]
        for change, message in cases:
            with self.subTest(change=change):
                response = self.post_new(**change)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, message, status_code=400)
        self.assertFalse(get_user_model().objects.filter(username="xf-kx-li").exists())

    def test_unit_may_be_written_in_a_shorter_spelling(self):
        self.login(self.county_admin)
        self.assertEqual(self.post_new(unit="教科局").status_code, 200)
        self.assertEqual(Membership.objects.get(user__username="xf-kx-li").unit, self.unit)

    def test_city_admin_creates_accounts_in_its_counties_but_a_county_admin_not_in_the_city(self):
        self.login(self.city_admin)
        self.assertEqual(self.post_new().status_code, 200)
        self.login(self.county_admin)
        response = self.client.post(f"{reverse('accounts-new')}?j={self.city.pk}",
                                    {"username": "lf-x", "name": "某", "phone": "13812345678", "role": Role.VIEWER})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(get_user_model().objects.filter(username="lf-x").exists())

    def test_admin_demoted_between_page_and_post_is_refused(self):
        self.login(self.county_admin)
        self.assertEqual(self.client.get(f"{reverse('accounts-new')}?j={self.county.pk}").status_code, 200)
        Membership.objects.filter(user=self.county_admin, jurisdiction=self.county).update(role=Role.VIEWER)
        self.assertEqual(self.post_new().status_code, 403)
        self.assertEqual(self.client.post(reverse("accounts-deactivate", args=[self.reporter.pk])).status_code, 403)
        self.assertFalse(get_user_model().objects.filter(username="xf-kx-li").exists())
        self.reporter.refresh_from_db()
        self.assertTrue(self.reporter.is_active)

    def test_actions_check_the_right_themselves(self):
        with self.assertRaises(PermissionDenied):
            actions.do_create_account(self.county_viewer, self.county, "x-y-z", "某", "13812345678", Role.VIEWER)
        with self.assertRaises(PermissionDenied):
            actions.do_deactivate_account(self.other_county_admin, self.reporter)


class ChangeAccountTest(AccountsTestCase):
    def test_deactivate_and_reactivate_with_history(self):
        self.login(self.county_admin)
        self.client.post(reverse("accounts-deactivate", args=[self.reporter.pk]))
        self.reporter.refresh_from_db()
        self.assertFalse(self.reporter.is_active)
        signed_in = self.client_class().post(reverse("login"), {"username": "reporter", "password": PASSWORD})
        self.assertContains(signed_in, "用户名或密码不正确")  # same answer as a wrong password
        self.client.post(reverse("accounts-reactivate", args=[self.reporter.pk]))
        self.reporter.refresh_from_db()
        self.assertTrue(self.reporter.is_active)
        kinds = list(AccountEvent.objects.filter(target=self.reporter).order_by("pk").values_list("kind", "actor"))
        self.assertEqual(kinds, [(Kind.DEACTIVATED, self.county_admin.pk), (Kind.REACTIVATED, self.county_admin.pk)])

    def test_deactivated_account_loses_its_open_session(self):
        reporter_client = self.client_class()
        reporter_client.force_login(self.reporter)
        self.assertEqual(reporter_client.get(reverse("accounts-me")).status_code, 200)
        actions.do_deactivate_account(self.county_admin, self.reporter)
        self.assertEqual(reporter_client.get(reverse("accounts-me")).status_code, 302)

    def test_deactivating_twice_is_refused_with_a_message(self):
        self.login(self.county_admin)
        self.client.post(reverse("accounts-deactivate", args=[self.reporter.pk]))
        response = self.client.post(reverse("accounts-deactivate", args=[self.reporter.pk]), follow=True)
        self.assertContains(response, "该账号已经停用")
        self.assertEqual(AccountEvent.objects.filter(kind=Kind.DEACTIVATED).count(), 1)

    def test_reset_password_shows_a_temporary_password_once_and_ends_sessions(self):
        reporter_client = self.client_class()
        reporter_client.force_login(self.reporter)
        self.login(self.county_admin)
        response = self.client.post(reverse("accounts-reset-password", args=[self.reporter.pk]))
        password = shown_password(response.content.decode())
        self.reporter.refresh_from_db()
        self.assertTrue(self.reporter.check_password(password))
        self.assertTrue(Profile.objects.get(user=self.reporter).must_change_password)
        self.assertTrue(AccountEvent.objects.filter(target=self.reporter, kind=Kind.PASSWORD_RESET).exists())
        self.assertEqual(reporter_client.get(reverse("accounts-me")).status_code, 302)  # signed out
        self.assertEqual(self.client.get(reverse("accounts-reset-password", args=[self.reporter.pk])).status_code, 405)

    def test_nobody_manages_their_own_account_or_one_beyond_their_area(self):
        self.login(self.county_admin)
        self.assertEqual(self.client.post(reverse("accounts-deactivate", args=[self.county_admin.pk])).status_code, 403)
        # city_admin also gets a viewer role in the county: visible to the county, but not the county's to disable.
        Membership.objects.create(user=self.city_admin, jurisdiction=self.county, role=Role.VIEWER)
        self.assertEqual(self.client.get(reverse("accounts-account", args=[self.city_admin.pk])).status_code, 200)
        self.assertEqual(self.client.post(reverse("accounts-reset-password", args=[self.city_admin.pk])).status_code, 403)
        self.assertEqual(self.client.post(reverse("accounts-deactivate", args=[self.city_admin.pk])).status_code, 403)
        self.city_admin.refresh_from_db()
        self.assertTrue(self.city_admin.is_active)

    def test_superuser_accounts_are_for_superusers(self):
        root = get_user_model().objects.create_superuser("root", password=PASSWORD)
        Membership.objects.create(user=root, jurisdiction=self.county, role=Role.VIEWER)
        self.login(self.county_admin)
        self.assertEqual(self.client.post(reverse("accounts-reset-password", args=[root.pk])).status_code, 403)
        membership = Membership.objects.get(user=root)
        self.assertEqual(self.client.post(reverse("accounts-revoke", args=[root.pk, membership.pk])).status_code, 403)


class RolesTest(AccountsTestCase):
    def test_grant_a_reporter_role_with_the_unit_picker_and_revoke_it(self):
        self.login(self.county_admin)
        url = reverse("accounts-grant", args=[self.county_viewer.pk])
        response = self.client.post(url, {"jurisdiction": self.county.pk, "role": Role.UNIT_REPORTER, "unit": "团县委"})
        self.assertRedirects(response, reverse("accounts-account", args=[self.county_viewer.pk]))
        membership = Membership.objects.get(user=self.county_viewer, jurisdiction=self.county)
        self.assertEqual((membership.role, membership.unit.name), (Role.UNIT_REPORTER, "团县委"))
        granted = AccountEvent.objects.get(target=self.county_viewer, kind=Kind.ROLE_GRANTED)
        self.assertIn("团县委", granted.details)
        self.assertIn("原为：襄汾县 领导/查看", granted.details)
        self.client.post(reverse("accounts-revoke", args=[self.county_viewer.pk, membership.pk]))
        self.assertFalse(Membership.objects.filter(pk=membership.pk).exists())
        revoked = AccountEvent.objects.get(target=self.county_viewer, kind=Kind.ROLE_REVOKED)
        self.assertEqual((revoked.actor, revoked.jurisdiction), (self.county_admin, self.county))
        # Without any role the account stays in the county's list? It was opened elsewhere (no profile): gone.
        self.assertEqual(self.client.get(reverse("accounts-account", args=[self.county_viewer.pk])).status_code, 404)

    def test_accounts_opened_by_the_office_stay_visible_without_roles(self):
        new = actions.do_create_account(self.county_admin, self.county, "xf-tmp", "临时", "13812345678", Role.VIEWER)
        actions.do_revoke_role(self.county_admin, Membership.objects.get(user=new.user))
        self.login(self.county_admin)
        self.assertEqual(self.client.get(reverse("accounts-account", args=[new.user.pk])).status_code, 200)

    def test_grant_outside_the_area_or_to_oneself_is_refused(self):
        self.login(self.county_admin)
        response = self.client.post(reverse("accounts-grant", args=[self.reporter.pk]),
                                    {"jurisdiction": self.other_county.pk, "role": Role.VIEWER})
        self.assertEqual(response.status_code, 400)  # 乡宁县 is not a choice of the county admin
        self.assertFalse(Membership.objects.filter(user=self.reporter, jurisdiction=self.other_county).exists())
        response = self.client.post(reverse("accounts-grant", args=[self.county_admin.pk]),
                                    {"jurisdiction": self.county.pk, "role": Role.VIEWER})
        self.assertEqual(response.status_code, 403)

    def test_reporter_role_needs_a_unit_of_that_jurisdiction(self):
        self.login(self.city_admin)
        response = self.client.post(reverse("accounts-grant", args=[self.reporter.pk]),
                                    {"jurisdiction": self.other_county.pk, "role": Role.UNIT_REPORTER, "unit": "县教科局"})
        self.assertContains(response, "不是乡宁县的成员单位", status_code=400)

    def test_granting_the_same_role_again_is_refused(self):
        self.login(self.county_admin)
        response = self.client.post(reverse("accounts-grant", args=[self.reporter.pk]),
                                    {"jurisdiction": self.county.pk, "role": Role.UNIT_REPORTER, "unit": "县教科局"})
        self.assertContains(response, "该账号已是", status_code=400)

    def test_history_page_lists_the_areas_events_only(self):
        actions.do_deactivate_account(self.county_admin, self.reporter)
        actions.do_deactivate_account(self.other_county_admin, self.other_reporter)
        self.login(self.county_admin)
        page = self.client.get(reverse("accounts-history")).content.decode()
        self.assertIn("停用账号", page)
        self.assertIn("reporter", page)
        self.assertNotIn("other_reporter", page)
        self.login(self.city_admin)
        page = self.client.get(reverse("accounts-history")).content.decode()
        self.assertIn("other_reporter", page)

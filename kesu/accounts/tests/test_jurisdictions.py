"""The level above creates a jurisdiction under its own, with its first office admin, from the web."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.urls import reverse

from kesu.accounts.models import AccountEvent, Profile
from kesu.accounts.tests.base import AccountsTestCase
from kesu.org.models import Jurisdiction, Membership
from kesu.testing import PASSWORD

URL = reverse("accounts-jurisdiction-new")


class NewJurisdictionTest(AccountsTestCase):
    def post(self, **changes):
        data = {"parent": self.city.pk, "name": "曲沃县", "admin_username": "quwo", "admin_name": "曲沃管理员",
                "admin_phone": "13900000001"} | changes
        return self.client.post(URL, data)

    def test_city_office_creates_a_county_and_its_first_admin(self):
        self.login(self.city_admin)
        self.assertContains(self.client.get(URL), "新建下级地区")
        response = self.post()
        self.assertEqual(response.status_code, 200)
        password = re.search(r'<td class="secret">([^<]+)</td>', response.content.decode()).group(1)
        county = Jurisdiction.objects.get(name="曲沃县")
        self.assertEqual((county.level, county.parent), (Jurisdiction.Level.COUNTY, self.city))
        admin = get_user_model().objects.get(username="quwo")
        self.assertTrue(admin.check_password(password))
        self.assertTrue(Membership.objects.filter(user=admin, jurisdiction=county, role=Membership.Role.OFFICE_ADMIN).exists())
        self.assertTrue(Profile.objects.get(user=admin).must_change_password)
        kinds = set(AccountEvent.objects.filter(jurisdiction=county).values_list("kind", flat=True))
        self.assertEqual(kinds, {AccountEvent.Kind.JURISDICTION_CREATED, AccountEvent.Kind.CREATED, AccountEvent.Kind.ROLE_GRANTED})
        # The new admin signs in, changes the temporary password and manages the new county's accounts.
        client = self.client_class()
        client.post(reverse("login"), {"username": "quwo", "password": password})
        client.post(reverse("accounts-password"), {"old_password": password, "new_password1": "Qw-2026-kesu",
                                                   "new_password2": "Qw-2026-kesu"})
        self.assertEqual(client.get(f"{reverse('accounts-new')}?j={county.pk}").status_code, 200)
        # The city sees it in its area.
        self.assertContains(self.client.get(reverse("accounts-manage")), "quwo")

    def test_province_office_creates_cities_only_under_itself(self):
        shanxi_admin = get_user_model().objects.create_user("shanxi", password=PASSWORD)
        Membership.objects.create(user=shanxi_admin, jurisdiction=self.province, role=Membership.Role.OFFICE_ADMIN)
        self.login(shanxi_admin)
        self.assertEqual(self.post(parent=self.province.pk, name="运城市", admin_username="yuncheng").status_code, 200)
        self.assertEqual(Jurisdiction.objects.get(name="运城市").level, Jurisdiction.Level.CITY)
        # A county under one of its cities is the city's business (the city is not a choice).
        self.assertEqual(self.post(name="洪洞县", admin_username="hongtong").status_code, 400)
        self.assertFalse(Jurisdiction.objects.filter(name="洪洞县").exists())

    def test_county_offices_viewers_and_reporters_are_refused(self):
        for user in (self.county_admin, self.city_leader, self.reporter, self.outsider):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(URL).status_code, 403)
                self.assertEqual(self.post().status_code, 403)
        self.assertFalse(Jurisdiction.objects.filter(name="曲沃县").exists())

    def test_bad_input_is_named_in_chinese(self):
        self.login(self.city_admin)
        cases = [({"name": "襄汾县"}, "已有名为“襄汾县”的地区"), ({"admin_username": "reporter"}, "已被使用"),
                 ({"admin_phone": "123"}, "不是有效的手机号"), ({"parent": self.county.pk}, "选择一个有效的选项")]
        for change, message in cases:
            with self.subTest(change=change):
                self.assertContains(self.post(**change), message, status_code=400)
        self.assertFalse(get_user_model().objects.filter(username="quwo").exists())

    def test_superuser_may_create_a_province(self):
        root = get_user_model().objects.create_superuser("root", password=PASSWORD)
        self.login(root)
        self.assertEqual(self.post(parent="", name="河南省", admin_username="henan").status_code, 200)
        henan = Jurisdiction.objects.get(name="河南省")
        self.assertEqual((henan.level, henan.parent), (Jurisdiction.Level.PROVINCE, None))

    def test_city_admin_demoted_before_posting_is_refused(self):
        self.login(self.city_admin)
        self.client.get(URL)
        Membership.objects.filter(user=self.city_admin).update(role=Membership.Role.VIEWER)
        self.assertEqual(self.post().status_code, 403)
        self.assertFalse(Jurisdiction.objects.filter(name="曲沃县").exists())

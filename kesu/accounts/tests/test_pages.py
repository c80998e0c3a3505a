"""Who sees which account page: an office admin its area's accounts; reporters, viewers and outsiders are
refused (403); another county's admin does not find our accounts (404)."""

from __future__ import annotations

from django.urls import reverse

from kesu.accounts.tests.base import AccountsTestCase


class ManagePagesTest(AccountsTestCase):
    def office_pages(self) -> list[str]:
        return [
            reverse("accounts-manage"), f"{reverse('accounts-new')}?j={self.county.pk}",
            f"{reverse('accounts-import')}?j={self.county.pk}", f"{reverse('accounts-import-template')}?j={self.county.pk}",
            reverse("accounts-history"), reverse("accounts-account", args=[self.reporter.pk]),
            f"{reverse('accounts-units')}?j={self.county.pk}",
        ]

    def test_office_admin_sees_every_page_of_its_area(self):
        self.login(self.county_admin)
        for url in self.office_pages():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_reporter_viewer_and_outsider_are_refused(self):
        for user in (self.reporter, self.county_viewer, self.city_leader, self.outsider):
            self.login(user)
            for url in self.office_pages():
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)

    def test_top_bar_leads_office_admins_to_account_management(self):
        link = f'href="{reverse("accounts-manage")}"'
        self.login(self.county_admin)
        self.assertContains(self.client.get(reverse("home")), link, html=False)
        for user in (self.reporter, self.county_viewer, self.outsider):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertNotContains(self.client.get(reverse("home")), link, html=False)

    def test_signed_out_goes_to_login(self):
        response = self.client.get(reverse("accounts-manage"))
        self.assertRedirects(response, f"{reverse('login')}?next={reverse('accounts-manage')}", fetch_redirect_response=False)

    def test_list_shows_own_area_only(self):
        self.login(self.county_admin)
        page = self.client.get(reverse("accounts-manage")).content.decode()
        self.assertIn("reporter", page)
        self.assertIn("王填报", page)
        self.assertIn("county_viewer", page)
        self.assertNotIn("other_reporter", page)
        self.assertNotIn("other_county_admin", page)
        self.assertNotIn("city_leader", page)

    def test_city_admin_sees_its_counties(self):
        self.login(self.city_admin)
        page = self.client.get(reverse("accounts-manage")).content.decode()
        for name in ("reporter", "other_reporter", "county_admin", "other_county_admin", "city_leader"):
            self.assertIn(name, page)

    def test_other_county_admin_cannot_see_or_change_our_accounts(self):
        self.login(self.other_county_admin)
        target = self.reporter.pk
        self.assertEqual(self.client.get(reverse("accounts-account", args=[target])).status_code, 404)
        for name in ("accounts-deactivate", "accounts-reactivate", "accounts-reset-password", "accounts-unlock", "accounts-grant"):
            with self.subTest(action=name):
                self.assertEqual(self.client.post(reverse(name, args=[target])).status_code, 404)
        self.assertEqual(self.client.get(f"{reverse('accounts-new')}?j={self.county.pk}").status_code, 404)
        self.assertEqual(self.client.get(f"{reverse('accounts-units')}?j={self.county.pk}").status_code, 404)
        self.reporter.refresh_from_db()
        self.assertTrue(self.reporter.is_active)

    def test_filters_search_and_pagination(self):
        self.login(self.county_admin)
        url = reverse("accounts-manage")
        page = self.client.get(url, {"j": self.county.pk, "unit": "教科"}).content.decode()
        self.assertIn("reporter", page)
        self.assertNotIn("county_viewer", page)
        page = self.client.get(url, {"q": "王填"}).content.decode()
        self.assertIn("reporter", page)
        self.assertNotIn("county_viewer", page)
        page = self.client.get(url, {"role": "viewer"}).content.decode()
        self.assertIn("county_viewer", page)
        self.assertNotIn("王填报", page)
        # Malformed filters are ignored, never a 500.
        self.assertEqual(self.client.get(url, {"page": "x", "role": "boss", "state": "?"}).status_code, 200)
        self.assertEqual(self.client.get(url, {"j": "abc"}).status_code, 404)

    def test_pages_of_thirty(self):
        from django.contrib.auth import get_user_model

        from kesu.org.models import Membership

        for i in range(35):
            user = get_user_model().objects.create_user(f"bulk{i:02d}")
            Membership.objects.create(user=user, jurisdiction=self.county, role=Membership.Role.VIEWER)
        self.login(self.county_admin)
        first = self.client.get(reverse("accounts-manage")).content.decode()
        self.assertIn("第 1 / 2 页", first)
        second = self.client.get(reverse("accounts-manage"), {"page": 2}).content.decode()
        self.assertIn("第 2 / 2 页", second)

    def test_units_without_reporter_are_offered(self):
        self.login(self.county_admin)
        page = self.client.get(reverse("accounts-manage"), {"j": self.county.pk}).content.decode()
        self.assertIn("尚无填报员的成员单位", page)
        self.assertIn("县科协", page)  # no reporter yet; 县教科局 has one

    def test_unit_picker_offers_only_the_jurisdictions_units(self):
        self.login(self.county_admin)
        page = self.client.get(reverse("accounts-new"), {"j": self.county.pk}).content.decode()
        self.assertIn('<option value="县教科局">', page)
        self.assertNotIn("县教育局", page)  # a unit of 乡宁县
        self.assertNotIn('value="各成员单位"', page)
        data = self.client.get(reverse("accounts-units"), {"j": self.county.pk}).json()
        self.assertIn("县教科局", data["units"])


class OwnAccountPagesTest(AccountsTestCase):
    def test_everyone_has_my_account_and_password_pages_linked_from_the_top_bar(self):
        for user in (self.reporter, self.county_viewer, self.outsider, self.county_admin):
            self.login(user)
            home = self.client.get(reverse("accounts-me"))
            self.assertEqual(home.status_code, 200)
            self.assertContains(home, f'href="{reverse("accounts-password")}"')
            self.assertEqual(self.client.get(reverse("accounts-password")).status_code, 200)

    def test_my_account_links_management_for_office_admins_only(self):
        self.login(self.reporter)
        self.assertNotContains(self.client.get(reverse("accounts-me")), reverse("accounts-manage"))
        self.login(self.county_admin)
        self.assertContains(self.client.get(reverse("accounts-me")), reverse("accounts-manage"))

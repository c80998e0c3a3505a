"""The service tabs shown follow the roles' properties (kesu.volunteering.access.Roles), not template logic."""

from __future__ import annotations

from django.urls import reverse

from kesu.volunteering.tests.base import ServiceTestCase

# actor -> (服务统计 and 科普基地, 设置 and 人员角色)
TABS = {
    "county_admin": (True, True),
    "city_leader": (True, False),
    "county_viewer": (True, False),
    "team_a_admin": (False, False),
    "gucheng_officer": (False, False),
}


class ServiceTabsTests(ServiceTestCase):
    def test_each_actor_sees_only_the_tabs_it_may_use(self):
        for name, (statistics, settings) in TABS.items():
            self.login(getattr(self, name))
            page = self.client.get(reverse("service-board")).content.decode()
            with self.subTest(actor=name):
                self.assertEqual((reverse("service-dashboard") in page, reverse("service-bases") in page),
                                 (statistics, statistics))
                self.assertEqual((reverse("service-settings") in page, reverse("service-roles") in page),
                                 (settings, settings))

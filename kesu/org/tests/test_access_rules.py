"""The one definition of each access rule (kesu.org.access): every named actor against every rule and jurisdiction.

  山西省 > 临汾市 (city_admin, city_leader) > 襄汾县 (county_admin, county_viewer, reporter of 县教科局)
                                          > 乡宁县 (other_county_admin)
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from kesu.org import access
from kesu.org.models import Membership, MemberUnit
from kesu.testing import PASSWORD, BaseTestCase

# rule -> actor -> (山西省, 临汾市, 襄汾县, 乡宁县)
EXPECTED: dict[str, dict[str, tuple[bool, bool, bool, bool]]] = {
    "is_office_admin": {
        "city_admin": (False, True, False, False),
        "city_leader": (False, False, False, False),
        "county_admin": (False, False, True, False),
        "county_viewer": (False, False, False, False),
        "other_county_admin": (False, False, False, True),
        "reporter": (False, False, False, False),
        "outsider": (False, False, False, False),
        "anonymous": (False, False, False, False),
        "superuser": (True, True, True, True),
    },
    "administers": {
        "city_admin": (False, True, True, True),
        "city_leader": (False, False, False, False),
        "county_admin": (False, False, True, False),
        "county_viewer": (False, False, False, False),
        "other_county_admin": (False, False, False, True),
        "reporter": (False, False, False, False),
        "outsider": (False, False, False, False),
        "anonymous": (False, False, False, False),
        "superuser": (True, True, True, True),
    },
    "supervises": {
        "city_admin": (False, True, True, True),
        "city_leader": (False, True, True, True),
        "county_admin": (False, False, True, False),
        "county_viewer": (False, False, True, False),
        "other_county_admin": (False, False, False, True),
        "reporter": (False, False, False, False),
        "outsider": (False, False, False, False),
        "anonymous": (False, False, False, False),
        "superuser": (True, True, True, True),
    },
    "in_scope": {
        "city_admin": (False, True, True, True),
        "city_leader": (False, True, True, True),
        "county_admin": (False, False, True, False),
        "county_viewer": (False, False, True, False),
        "other_county_admin": (False, False, False, True),
        "reporter": (False, False, True, False),
        "outsider": (False, False, False, False),
        "anonymous": (False, False, False, False),
        "superuser": (True, True, True, True),
    },
}

# actor -> (is_any_office, supervises_any, is_unit_reporter, can_open_admin_site)
EXPECTED_PROPERTIES: dict[str, tuple[bool, bool, bool, bool]] = {
    "city_admin": (True, True, False, False),
    "city_leader": (False, True, False, False),
    "county_admin": (True, True, False, False),
    "county_viewer": (False, True, False, False),
    "other_county_admin": (True, True, False, False),
    "reporter": (False, False, True, False),
    "outsider": (False, False, False, False),
    "anonymous": (False, False, False, False),
    "superuser": (True, True, False, True),
}


class AccessRuleTableTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.edu = MemberUnit.objects.create(jurisdiction=cls.county, name="县教科局", key="教科局")
        cls.reporter = get_user_model().objects.create_user("reporter", password=PASSWORD)
        Membership.objects.create(user=cls.reporter, jurisdiction=cls.county, role=Membership.Role.UNIT_REPORTER,
                                  unit=cls.edu)
        cls.superuser = get_user_model().objects.create_superuser("root", password=PASSWORD)

    def actor(self, name: str):
        return AnonymousUser() if name == "anonymous" else getattr(self, name)

    def test_each_rule_for_each_actor_and_jurisdiction(self):
        places = (self.province, self.city, self.county, self.other_county)
        for rule, rows in EXPECTED.items():
            for name, expected in rows.items():
                user = self.actor(name)
                with self.subTest(rule=rule, actor=name):
                    self.assertEqual(tuple(getattr(access, rule)(user, j) for j in places), expected)
                    roles = access.roles_of(user)
                    method = {"is_office_admin": roles.is_office_for}.get(rule) or getattr(roles, rule)
                    self.assertEqual(tuple(method(j) for j in places), expected)

    def test_the_properties_templates_read(self):
        for name, expected in EXPECTED_PROPERTIES.items():
            roles = access.roles_of(self.actor(name))
            with self.subTest(actor=name):
                self.assertEqual(
                    (roles.is_any_office, roles.supervises_any, roles.is_unit_reporter, roles.can_open_admin_site),
                    expected,
                )

    def test_unit_reporter_units_by_jurisdiction(self):
        self.assertEqual(access.reporter_unit_ids(self.reporter), {self.edu.pk})
        self.assertEqual(access.reporter_unit_ids(self.reporter, self.county), {self.edu.pk})
        self.assertEqual(access.reporter_unit_ids(self.reporter, self.other_county), set())
        self.assertEqual(access.reporter_unit_ids(self.county_admin, self.county), set())

    def test_area_querysets_follow_the_same_rules(self):
        self.assertEqual(set(access.jurisdictions_in_scope(self.city_leader)), {self.city, self.county, self.other_county})
        self.assertEqual(set(access.jurisdictions_in_scope(self.reporter)), {self.county})
        self.assertEqual(set(access.supervised_jurisdictions(access.roles_of(self.reporter))), set())
        self.assertEqual(set(access.supervised_jurisdictions(access.roles_of(self.county_viewer))), {self.county})
        self.assertEqual(set(access.administered_jurisdictions(self.city_admin)), {self.city})


class RequestRolesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.superuser = get_user_model().objects.create_superuser("root", password=PASSWORD)

    def test_only_a_superuser_sees_the_admin_site_link(self):
        for user, shown in ((self.city_admin, False), (self.superuser, True)):
            self.login(user)
            with self.subTest(user=user.username):
                page = self.client.get(reverse("accounts-me")).content.decode()
                self.assertEqual("管理后台" in page, shown)

"""Test helpers: named actors in a small jurisdiction tree, and a compact plan in kesu-plan/1 form.

  山西省 (province)
  └── 临汾市 (city)        city_admin, city_leader
      ├── 襄汾县 (county)  county_admin, county_viewer
      └── 乡宁县 (county)  other_county_admin
  outsider: signed in, member of nothing
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import TestCase

from kesu.org.models import Jurisdiction, Membership
from kesu.plans.actions import do_import_plan
from kesu.plans.models import Plan

PASSWORD = "test-password-1"

SMALL_PLAN: dict = {
    "format": "kesu-plan/1",
    "title": "襄汾县全民科学素质行动规划纲要实施方案（2021—2025年）",
    "jurisdiction": {"name": "襄汾县", "level": "county"},
    "issuer": "襄汾县人民政府办公室",
    "doc_number": "襄政办发〔2022〕23号",
    "issued_on": "2022-10-20",
    "period": {"start": 2021, "end": 2025},
    "headline": {"baseline": {"year": 2020, "value": 9.8}, "target": {"year": 2025, "value": 14.5, "comparator": ">"}},
    "sections": [
        {
            "kind": "action", "group": "youth", "title": "青少年科学素质提升行动", "lead": [], "support": [],
            "tasks": [
                {"title": "提升基础教育阶段科学教育水平", "lead": ["县教科局"], "support": ["县科协", "团县委"], "targets": [
                    {"indicator": "学生科普活动参与率", "value": 90, "unit": "%", "comparator": ">=", "year": None,
                     "annual": False, "text": "学生科普活动参与率达90%以上"}]},
                {"title": "实施教师科学素质提升工程", "lead": ["县教科局"], "support": ["县科协"], "targets": []},
            ],
        },
        {
            "kind": "project", "group": "grassroots", "title": "基层科普能力提升工程",
            "lead": ["县科协"], "support": ["各成员单位"],
            "tasks": [
                {"title": "健全基层科普服务体系", "lead": ["县科协"], "support": ["各成员单位"], "targets": [
                    {"indicator": "科技志愿服务队人数", "value": 3000, "unit": "人", "comparator": ">=", "year": 2025,
                     "annual": False, "text": "科技志愿服务队人数达3000人以上"}]},
            ],
        },
    ],
    "phases": [{"name": "启动实施阶段", "start": 2021, "end": 2022}],
    "notes": [],
}


def small_plan(**changes) -> dict:
    plan = copy.deepcopy(SMALL_PLAN)
    plan.update(changes)
    return plan


def shared_dir() -> Path:
    return Path(os.environ.get("KESU_SHARED", settings.PROJECT_DIR.parent / "shared"))


class BaseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.province = Jurisdiction.objects.create(name="山西省", level="province")
        cls.city = Jurisdiction.objects.create(name="临汾市", level="city", parent=cls.province)
        cls.county = Jurisdiction.objects.create(name="襄汾县", level="county", parent=cls.city)
        cls.other_county = Jurisdiction.objects.create(name="乡宁县", level="county", parent=cls.city)
        cls.city_admin = cls._user("city_admin", cls.city, Membership.Role.OFFICE_ADMIN)
        cls.city_leader = cls._user("city_leader", cls.city, Membership.Role.VIEWER)
        cls.county_admin = cls._user("county_admin", cls.county, Membership.Role.OFFICE_ADMIN)
        cls.county_viewer = cls._user("county_viewer", cls.county, Membership.Role.VIEWER)
        cls.other_county_admin = cls._user("other_county_admin", cls.other_county, Membership.Role.OFFICE_ADMIN)
        cls.outsider = get_user_model().objects.create_user("outsider", password=PASSWORD)

    @classmethod
    def _user(cls, username: str, jurisdiction: Jurisdiction, role: str):
        user = get_user_model().objects.create_user(username, password=PASSWORD)
        Membership.objects.create(user=user, jurisdiction=jurisdiction, role=role)
        return user

    def import_plan(self, parsed: dict | None = None, jurisdiction: Jurisdiction | None = None, sha: str = "sha-1") -> Plan:
        outcome = do_import_plan(
            parsed or small_plan(), jurisdiction=jurisdiction or self.county, source_name="plan.txt",
            source_sha256=sha, actor=None, confirm=True,
        )
        return outcome.plan

    def login(self, user) -> None:
        self.client.force_login(user)

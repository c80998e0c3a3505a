"""Service tests start from 襄汾县 (BaseTestCase's tree) with its plan, two townships, topics, and named actors:

  古城镇 (东村, 西村) — officer gucheng_officer;  新城镇 (南村) — officer xincheng_officer
  县科协 — claimer kx_claimer; teams 科协科普志愿服务队 (admin team_a_admin, pool) and 科协健康服务队 (team_b_admin, pool)
  县教科局 — claimer edu_claimer; team 教科局科学教育服务队 (team_c_admin, not in the pool)
  volunteers 王芳, 李强 (active in team A), 赵敏 (pending in team A)
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from kesu.org.models import MemberUnit
from kesu.plans.actions import do_import_plan
from kesu.testing import BaseTestCase
from kesu.tracking.tests.base import current_plan
from kesu.volunteering import actions
from kesu.volunteering.access import roles_of
from kesu.volunteering.models import (
    ServiceArea,
    ServiceOrder,
    ServiceRole,
    Team,
    TeamMembership,
    Topic,
    Volunteer,
)

ID_WANG = "110101199003074514"
ID_LI = "11010119900307387X"


def order_data(township: ServiceArea, topic: Topic, **changes) -> dict:
    today = timezone.localdate()
    data = {
        "township": township, "village": None, "place": "村委会二楼", "topic": topic, "description": "果树冬季修剪",
        "preferred_from": today + dt.timedelta(days=3), "preferred_until": today + dt.timedelta(days=10),
        "audience": "farmers", "audience_size": 40, "requester_kind": "village", "requester_org": "东村村委会",
        "contact_name": "张建国", "contact_phone": "13912345678",
    }
    return data | changes


class ServiceTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.plan = cls.import_plan_cls()
        cls.kx = MemberUnit.objects.get(jurisdiction=cls.county, name="县科协")
        cls.edu = MemberUnit.objects.get(jurisdiction=cls.county, name="县教科局")
        cls.gucheng = ServiceArea.objects.create(jurisdiction=cls.county, kind="township", name="古城镇")
        cls.east = ServiceArea.objects.create(jurisdiction=cls.county, kind="village", name="东村", parent=cls.gucheng)
        cls.west = ServiceArea.objects.create(jurisdiction=cls.county, kind="village", name="西村", parent=cls.gucheng)
        cls.xincheng = ServiceArea.objects.create(jurisdiction=cls.county, kind="township", name="新城镇")
        cls.south = ServiceArea.objects.create(jurisdiction=cls.county, kind="village", name="南村", parent=cls.xincheng)
        cls.farming = Topic.objects.create(jurisdiction=cls.county, name="农业技术", position=0)
        cls.health = Topic.objects.create(jurisdiction=cls.county, name="健康", position=1)
        Topic.objects.create(jurisdiction=cls.county, name="防灾减灾", position=2)
        Topic.objects.create(jurisdiction=cls.county, name="智能手机使用", position=3)
        cls.team_a = Team.objects.create(jurisdiction=cls.county, name="科协科普志愿服务队", unit=cls.kx, in_pool=True,
                                         founded_on=dt.date(2022, 1, 1))
        cls.team_b = Team.objects.create(jurisdiction=cls.county, name="科协健康服务队", unit=cls.kx, in_pool=True,
                                         founded_on=dt.date(2022, 1, 1))
        cls.team_c = Team.objects.create(jurisdiction=cls.county, name="教科局科学教育服务队", unit=cls.edu, in_pool=False,
                                         founded_on=dt.date(2022, 1, 1))
        cls.gucheng_officer = cls._service_user("gucheng_officer", area=cls.gucheng)
        cls.xincheng_officer = cls._service_user("xincheng_officer", area=cls.xincheng)
        cls.kx_claimer = cls._service_user("kx_claimer", unit=cls.kx)
        cls.edu_claimer = cls._service_user("edu_claimer", unit=cls.edu)
        cls.team_a_admin = cls._service_user("team_a_admin", team=cls.team_a)
        cls.team_b_admin = cls._service_user("team_b_admin", team=cls.team_b)
        cls.team_c_admin = cls._service_user("team_c_admin", team=cls.team_c)
        cls.wang = Volunteer.objects.create(jurisdiction=cls.county, name="王芳", gender="female", id_number=ID_WANG,
                                            phone="13800001111", skills="果树栽培", registered_on=dt.date(2023, 3, 1))
        cls.li = Volunteer.objects.create(jurisdiction=cls.county, name="李强", gender="male", id_number=ID_LI,
                                          phone="13800002222", skills="急救", registered_on=dt.date(2023, 5, 1))
        cls.zhao = Volunteer.objects.create(jurisdiction=cls.county, name="赵敏", phone="13800003333",
                                            registered_on=dt.date(2024, 1, 1))
        for volunteer in (cls.wang, cls.li):
            TeamMembership.objects.create(team=cls.team_a, volunteer=volunteer, status="active", joined_on=dt.date(2023, 6, 1))
        TeamMembership.objects.create(team=cls.team_a, volunteer=cls.zhao, status="pending")

    @classmethod
    def import_plan_cls(cls):
        return do_import_plan(current_plan(), jurisdiction=cls.county, source_name="plan.txt", source_sha256="sha-s",
                              actor=None, confirm=True).plan

    @classmethod
    def _service_user(cls, username: str, **target):
        user = get_user_model().objects.create_user(username)  # no password hashing: tests sign in with force_login
        kind = {"area": "officer", "unit": "claimer", "team": "team_admin"}[next(iter(target))]
        ServiceRole.objects.create(user=user, kind=kind, **target)
        return user

    def roles(self, user):
        return roles_of(user)

    def place(self, **changes) -> ServiceOrder:
        township, topic = changes.pop("township", self.gucheng), changes.pop("topic", self.farming)
        return actions.do_submit_order(order_data(township, topic, **changes), client_digest="test")

    def fresh(self, order: ServiceOrder) -> ServiceOrder:
        return ServiceOrder.objects.select_related("jurisdiction", "township", "topic", "unit", "team").get(pk=order.pk)

    def to_accepted(self, via_unit: bool = True) -> ServiceOrder:
        order = self.place()
        if via_unit:
            actions.do_dispatch_order(order, self.gucheng_officer, self.roles(self.gucheng_officer), self.kx)
            actions.do_claim_order(order, self.kx_claimer, self.roles(self.kx_claimer))
            actions.do_assign_order(order, self.kx_claimer, self.roles(self.kx_claimer), self.team_a)
        else:
            actions.do_pool_order(order, self.gucheng_officer, self.roles(self.gucheng_officer))
        return actions.do_accept_order(order, self.team_a_admin, self.roles(self.team_a_admin), self.team_a if not via_unit else None)

"""A county whose 2021–2025-style plan (shifted to end last year) has approved final values, and its successor's
document: one measure with the same title, one alike, one new; two targets with the same indicators, one new."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from kesu.org.models import Membership, MemberUnit
from kesu.plans.actions import do_import_plan, do_set_plan_status
from kesu.plans.models import Plan
from kesu.survey.models import LiteracyFigure
from kesu.testing import PASSWORD, BaseTestCase, small_plan
from kesu.tracking.actions import do_approve_report, do_open_cycle, do_save_report, do_submit_report
from kesu.tracking.models import Report


def old_plan() -> dict:
    year = timezone.localdate().year
    parsed = small_plan(title=f"襄汾县全民科学素质行动规划纲要实施方案（{year - 5}—{year - 1}年）",
                        period={"start": year - 5, "end": year - 1})
    parsed["sections"][1]["tasks"][0]["targets"][0]["year"] = year - 1
    return parsed


def successor_plan(start: int | None = None) -> dict:
    year = start or timezone.localdate().year
    parsed = small_plan(title=f"襄汾县全民科学素质行动规划纲要实施方案（{year}—{year + 4}年）",
                        period={"start": year, "end": year + 4}, issued_on=f"{year}-06-01",
                        headline={"baseline": {"year": year - 1, "value": 12.0},
                                  "target": {"year": year + 4, "value": 18, "comparator": ">="}})
    youth, grassroots = parsed["sections"]
    youth["tasks"][0]["title"] = "持续提升基础教育阶段科学教育水平"
    youth["tasks"][0]["targets"][0].update(value=95, text="学生科普活动参与率达95%以上")
    youth["tasks"][1] = {"title": "建设青少年科技创新实验室", "lead": ["县教科局"], "support": ["县科协"], "targets": []}
    grassroots["tasks"][0]["targets"][0].update(value=4000, year=year + 4, text="科技志愿服务队人数达4000人以上")
    grassroots["tasks"][0]["targets"].append({"indicator": "科普讲座场次", "value": 200, "unit": "场", "comparator": ">=",
                                              "year": None, "annual": True, "text": "每年举办科普讲座200场以上"})
    return parsed


class SuccessionTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.year = timezone.localdate().year
        cls.old = cls.import_plan(cls, old_plan())
        do_set_plan_status(cls.old, None, Plan.Status.PUBLISHED)
        cls.edu = MemberUnit.objects.get(name="县教科局")
        cls.kx = MemberUnit.objects.get(name="县科协")
        cls.edu_reporter = cls.reporter("edu_reporter", cls.edu)
        cls.kx_reporter = cls.reporter("kx_reporter", cls.kx)
        cls.final_cycle = do_open_cycle(cls.old, cls.county_admin, "year", cls.year - 1, 1,
                                        timezone.localdate() + dt.timedelta(days=10))
        reporters = {cls.edu.pk: cls.edu_reporter, cls.kx.pk: cls.kx_reporter}
        for report in Report.objects.filter(cycle=cls.final_cycle).select_related("task"):
            values = {t.pk: 93 if t.unit == "%" else 2600 for t in report.task.targets.all()}
            report = do_save_report(report, reporters[report.unit_id], report.version, "completed", "完成", values)
            report = do_submit_report(report, reporters[report.unit_id], report.version)
            do_approve_report(report, cls.county_admin)
        LiteracyFigure.objects.create(jurisdiction=cls.county, year=cls.year - 1, value=12.34, kind="estimate",
                                      source="襄汾县公民科学素质监测")

    @classmethod
    def reporter(cls, username: str, unit: MemberUnit):
        user = get_user_model().objects.create_user(username, password=PASSWORD)
        Membership.objects.create(user=user, jurisdiction=cls.county, role=Membership.Role.UNIT_REPORTER, unit=unit)
        return user

    def setUp(self) -> None:
        cache.clear()

    def import_successor(self, **kwargs) -> Plan:
        return do_import_plan(successor_plan(), jurisdiction=self.county, source_name="next.txt",
                              source_sha256="sha-next", actor=self.county_admin, **kwargs).plan

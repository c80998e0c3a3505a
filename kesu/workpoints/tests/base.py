"""Work-point tests start from tracking's small plan of 襄汾县 (an open quarterly cycle, unit reporters) and this
year's work points imported from TEXT through the plan parser, each linked as proposed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kesu.tracking.actions import do_open_cycle
from kesu.tracking.models import ItemReport
from kesu.tracking.tests.base import TrackingTestCase
from kesu.workpoints.actions import PointData, do_add_work_point, do_confirm_work_points, do_stage_work_points
from kesu.workpoints.models import WorkPlan, WorkPoint
from kesu.workpoints.preview import build_preview
from kesu.workpoints.reporting import SOURCE

TEXT = """襄汾县2026年全民科学素质工作要点

一、青少年科学素质提升行动
1.提升基础教育阶段科学教育水平，开展中小学科学教师培训。（牵头单位：县教科局；配合单位：县科协）
2.举办青少年科技创新大赛。（牵头单位：县科协；配合单位：团县委、县外事办）

二、基层科普能力提升工程
3.新建社区科普e站5个。（牵头单位：县科协）
"""


def import_points(plan, actor, text: str = TEXT, name: str = "工作要点.txt", year: int | None = None,
                  encoding: str = "utf-8") -> WorkPlan:
    staged = do_stage_work_points(plan, year or timezone.localdate().year, actor, name, text.encode(encoding))
    links = {p.point.position: p.proposal.measure_id for p in build_preview(staged).points}
    return do_confirm_work_points(staged, actor, links).workplan


class WorkPointsTestCase(TrackingTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.year = timezone.localdate().year
        cls.workplan = import_points(cls.plan, cls.county_admin)
        cls.training = WorkPoint.objects.get(text__startswith="提升基础教育")
        cls.contest = WorkPoint.objects.get(text__startswith="举办青少年")
        cls.estation = WorkPoint.objects.get(text__startswith="新建社区")


def workpoints_world(plan, office, unit) -> dict[str, int]:
    """Path values for the page tests (phone layout, URL fuzz): a point of this year led by `unit`, its report in an
    open cycle, and a staged import."""
    today = timezone.localdate()
    if not plan.cycles.filter(year=today.year, locks_at__gt=timezone.now()).exists():
        do_open_cycle(plan, office, "year", today.year, 1, today + dt.timedelta(days=10))
    point = do_add_work_point(plan, today.year, office, PointData("青少年科学素质提升行动", "举办青少年科技创新大赛", [unit], [], None))
    staged = do_stage_work_points(plan, today.year, office, "工作要点.txt", TEXT.encode())
    report = ItemReport.objects.filter(source=SOURCE, source_id=point.pk).first()
    return {"point_id": point.pk, "staged_id": staged.pk, "item_report_id": report.pk}

"""Demo yearly work points (年度工作要点) of 晋城市, made up (fixtures/jincheng_2026_work_points.txt): imported through
the plan parser into the jurisdiction's newest plan (the 2026–2030 successor when it is there), linked to measures
as proposed, then reported in this year's open cycle together with the leading group's open decisions — some
submitted, one approved, one returned — by a demo reporter of 市教育局. Loaded once (a second call changes nothing)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from kesu.demo.accounts import DEMO_PASSWORD
from kesu.domain.reporting_periods import Period, PeriodType
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.plans.current import current_plan_of
from kesu.plans.models import Plan
from kesu.tracking.actions import (
    do_add_due_items,
    do_approve_item_report,
    do_open_cycle,
    do_return_item_report,
    do_save_item_report,
    do_submit_item_report,
)
from kesu.tracking.models import ItemReport, ReportingCycle
from kesu.workpoints.actions import do_confirm_work_points, do_stage_work_points
from kesu.workpoints.models import WorkPlan
from kesu.workpoints.preview import build_preview
from kesu.workpoints.reporting import SOURCE

FIXTURE = Path(__file__).with_name("fixtures") / "jincheng_2026_work_points.txt"
FIXTURE_YEAR = 2026  # the year the made-up document is written for; the demo loads it as this year's
REPORTER = "jincheng-jyj"  # 市教育局's demo reporter

DONE_TEXTS = [
    ("completed", "已组织科学家进校园报告会32场，覆盖中小学86所、师生4.1万人次。"),
    ("in_progress", "已完成全市中小学科学教师实验技能培训3期，培训教师420人，第4期定于下月举办。"),
    ("in_progress", "已印发实施方案，正在征求各县（市、区）教育部门意见。"),
]


def _plan_of(jurisdiction: Jurisdiction) -> tuple[Plan, int] | None:
    """The current plan (the successor, once imported) and the year its work points are for."""
    today = timezone.localdate()
    plan = current_plan_of(jurisdiction)
    if plan is None:
        return None
    return plan, min(max(today.year, plan.period_start), plan.period_end)


def _open_cycle(plan: Plan, year: int, office: AbstractBaseUser) -> ReportingCycle:
    """This year's open cycle of the plan, or this quarter's, opened now."""
    now = timezone.now()
    cycle = plan.cycles.filter(year=year, locks_at__gt=now).order_by("deadline").first()
    if cycle is not None:
        return cycle
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1 if year == today.year else 4
    deadline = max(Period(PeriodType.QUARTER, year, quarter).ends_on, today) + dt.timedelta(days=10)
    return do_open_cycle(plan, office, "quarter", year, quarter, deadline)


def _reporter(jurisdiction: Jurisdiction) -> tuple[AbstractBaseUser, MemberUnit] | None:
    unit = MemberUnit.objects.filter(jurisdiction=jurisdiction, name__contains="教育局").first()
    if unit is None:
        return None
    user, created = get_user_model().objects.get_or_create(username=REPORTER)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, jurisdiction=jurisdiction,
                                     defaults={"role": Membership.Role.UNIT_REPORTER, "unit": unit})
    return user, unit


def load_demo_work_points(jurisdiction: Jurisdiction, office: AbstractBaseUser) -> WorkPlan | None:
    found = _plan_of(jurisdiction)
    if found is None:
        return None
    plan, year = found
    existing = WorkPlan.objects.filter(plan=plan, year=year).first()
    if existing is not None:
        return existing
    text = FIXTURE.read_text(encoding="utf-8").replace(f"{FIXTURE_YEAR}年", f"{year}年")  # the document of this year
    staged = do_stage_work_points(plan, year, office, FIXTURE.name.replace(str(FIXTURE_YEAR), str(year)),
                                  text.encode("utf-8"))
    links = {p.point.position: p.proposal.measure_id for p in build_preview(staged).points}
    workplan = do_confirm_work_points(staged, office, links).workplan
    cycle = _open_cycle(plan, year, office)
    do_add_due_items(cycle, office)  # the leading group's open decisions too (meetings are loaded before)
    reporter = _reporter(jurisdiction)
    if reporter is None:
        return workplan
    user, unit = reporter
    mine = list(ItemReport.objects.filter(cycle=cycle, unit=unit).order_by("-source", "source_id"))  # work points first
    for index, report in enumerate(mine[:len(DONE_TEXTS)]):
        progress, text = DONE_TEXTS[index]
        report = do_save_item_report(report, user, report.version, progress, text)
        report = do_submit_item_report(report, user, report.version)
        if index == 0 and report.source == SOURCE:
            do_approve_item_report(report, office)
        elif index == 1:
            do_return_item_report(report, office, "请补充培训的县（市、区）分布和下一期的时间安排。")
    return workplan

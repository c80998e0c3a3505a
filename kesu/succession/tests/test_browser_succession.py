"""In a real browser: 晋城市's office uploads the made-up 2026–2030 document (kesu/demo/fixtures) as the successor of
its 2021–2025 seed plan, sees the proposed links, confirms them, and finds the carried-over baselines on the targets
page — and the old plan read-only. KESU_SCREENSHOTS=DIR keeps screenshots (desktop and phone)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kesu.browser_testing import browser_page, log_in, requires_chromium, screenshot
from kesu.demo.succession import FIXTURE, add_old_targets
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.plans.actions import do_import_plan, do_set_plan_status
from kesu.plans.importing import parse_path
from kesu.plans.models import Plan, Target
from kesu.survey.models import LiteracyFigure
from kesu.testing import shared_dir
from kesu.tracking.actions import do_approve_report, do_open_cycle, do_save_report, do_submit_report
from kesu.tracking.models import Report

pytestmark = requires_chromium
SEED = shared_dir() / "seeds" / "000_723ff2c0e97ff852.txt"  # 晋城市 2021–2025


@pytest.fixture
def jincheng(transactional_db, django_user_model):
    if not SEED.exists():
        pytest.skip(f"找不到示例方案 {SEED}")
    city = Jurisdiction.objects.create(name="晋城市", level="city")
    office = django_user_model.objects.create_user("jincheng", password="browser-pass-1")
    Membership.objects.create(user=office, jurisdiction=city, role=Membership.Role.OFFICE_ADMIN)
    parsed, sha = parse_path(SEED)
    old = do_import_plan(parsed, jurisdiction=city, source_name=SEED.name, source_sha256=sha, actor=None).plan
    do_set_plan_status(old, None, Plan.Status.PUBLISHED)
    add_old_targets(old)
    kx = MemberUnit.objects.get(jurisdiction=city, name="市科协")
    reporter = django_user_model.objects.create_user("kx", password="browser-pass-1")
    Membership.objects.create(user=reporter, jurisdiction=city, role=Membership.Role.UNIT_REPORTER, unit=kx)
    cycle = do_open_cycle(old, office, "year", old.period_end, 1, timezone.localdate() + dt.timedelta(days=10))
    report = Report.objects.get(cycle=cycle, unit=kx, task__title="健全基层科普服务体系")
    volunteers = Target.objects.get(task=report.task, indicator="科技志愿服务队人数")
    report = do_save_report(report, reporter, report.version, "completed", "完成", {volunteers.pk: 3500})
    do_approve_report(do_submit_report(report, reporter, report.version), office)
    LiteracyFigure.objects.create(jurisdiction=city, year=old.period_end, value=15.3, kind="official", source="省科协公布")
    return old


def test_the_office_imports_the_successor_confirms_the_links_and_sees_the_baselines(live_server, jincheng):
    end = jincheng.period_end
    with browser_page() as page:
        log_in(page, live_server.url, "jincheng", "browser-pass-1")
        page.goto(f"{live_server.url}/plans/import/")
        page.set_input_files("input[type=file]", str(FIXTURE))
        page.click("text=上传并识别")
        page.wait_for_selector("text=确认导入")
        assert "新方案作为它的后续方案" in page.content()
        page.click("button:has-text('确认导入')")
        page.wait_for_selector("h2:has-text('方案衔接')")
        body = page.locator("main, body").first.inner_text()
        assert "指标名称相同" in body and "措施名称相同" in body
        assert page.input_value("input[aria-label='科技志愿服务队人数基线']") == "3500"
        assert page.input_value("input[name=headline_value]") == "15.3"
        screenshot(page, "succession-proposals.png")
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # wide tables scroll inside their frame
        screenshot(page, "succession-proposals-phone.png")
        page.set_viewport_size({"width": 1280, "height": 900})
        page.click("button:has-text('确认衔接')")
        page.wait_for_selector("text=方案衔接已确认")
        table = page.locator("table.data").inner_text()
        assert f"{end}年 3500人" in table
        assert f"{end}年 15.3%" in table
        screenshot(page, "succession-targets.png")
        page.goto(f"{live_server.url}/plans/{jincheng.pk}/")
        assert "结束，只读；现行方案" in page.locator(".notice").inner_text()
    with browser_page(390, 844) as phone:
        log_in(phone, live_server.url, "jincheng", "browser-pass-1")
        successor = Plan.objects.get(predecessor=jincheng)
        phone.goto(f"{live_server.url}/plans/{successor.pk}/succession/")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(phone, "succession-confirmed-phone.png")

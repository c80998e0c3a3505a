"""In a real browser: a unit reporter fills and submits a progress report, the office approves it.

Needs Debian's chromium; skipped with that message otherwise. KESU_SCREENSHOTS=DIR keeps screenshots.
"""

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.plans.actions import do_import_plan
from kesu.tracking.actions import do_open_cycle
from kesu.tracking.models import Report
from kesu.tracking.tests.base import current_plan

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="浏览器测试已跳过：本机没有 Debian chromium（apt-get install chromium fonts-noto-cjk 后可运行）",
)


@pytest.fixture
def cycle(transactional_db, django_user_model):
    county = Jurisdiction.objects.create(name="襄汾县", level="county")
    office = django_user_model.objects.create_user("office", password="browser-pass-1")
    Membership.objects.create(user=office, jurisdiction=county, role=Membership.Role.OFFICE_ADMIN)
    plan = do_import_plan(current_plan(), jurisdiction=county, source_name="p.txt", source_sha256="s", actor=None).plan
    reporter = django_user_model.objects.create_user("reporter", password="browser-pass-1")
    Membership.objects.create(user=reporter, jurisdiction=county, role=Membership.Role.UNIT_REPORTER,
                              unit=MemberUnit.objects.get(name="县科协"))
    today = timezone.localdate()
    return do_open_cycle(plan, office, "quarter", today.year, (today.month - 1) // 3 + 1, today + dt.timedelta(days=10))


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "browser-pass-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _shot(page, name: str) -> None:
    if os.environ.get("KESU_SCREENSHOTS"):
        folder = Path(os.environ["KESU_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / name), full_page=True)


def test_it_walks_a_report_from_the_reporter_to_the_offices_approval(live_server, cycle):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    from playwright.sync_api import sync_playwright

    plan = cycle.plan
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("dialog", lambda dialog: dialog.accept())
        _login(page, live_server.url, "reporter")
        page.goto(f"{live_server.url}/plans/{plan.pk}/tracking/mine/")
        page.click("text=健全基层科普服务体系")
        page.select_option("#id_progress", "in_progress")
        page.fill("#id_summary", "组建科技志愿服务队12支，开展志愿服务46场")
        target_input = page.locator("input[id^=id_target_]")
        target_input.fill("1500")
        _shot(page, "report-form.png")
        page.click("button[value=submit]")
        page.wait_for_selector("text=报告已提交")
        assert page.locator(".state-submitted").count() == 1
        page.click("button:has-text('退出')")

        _login(page, live_server.url, "office")
        page.goto(f"{live_server.url}/plans/{plan.pk}/tracking/cycles/{cycle.pk}/")
        page.click("text=健全基层科普服务体系")
        assert "组建科技志愿服务队12支" in page.content()
        page.click("button[value=approve]")
        page.wait_for_selector("text=已审核通过，报告已锁定")
        browser.close()
    report = Report.objects.get(task__title="健全基层科普服务体系")
    assert (report.state, report.values.get().value) == ("approved", 1500)

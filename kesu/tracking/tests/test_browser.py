"""In a real browser: a unit reporter fills and submits a progress report, the office approves it.

Needs Debian's chromium; skipped with that message otherwise. KESU_SCREENSHOTS=DIR keeps screenshots.
"""

import datetime as dt

import pytest
from django.utils import timezone

from kesu.browser_testing import browser_page, log_in, requires_chromium, screenshot
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.plans.actions import do_import_plan
from kesu.tracking.actions import do_open_cycle
from kesu.tracking.models import Report
from kesu.tracking.tests.base import current_plan

pytestmark = requires_chromium


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


def test_it_walks_a_report_from_the_reporter_to_the_offices_approval(live_server, cycle):
    plan = cycle.plan
    with browser_page() as page:
        log_in(page, live_server.url, "reporter", "browser-pass-1")
        page.goto(f"{live_server.url}/plans/{plan.pk}/tracking/mine/")
        page.click("text=健全基层科普服务体系")
        page.select_option("#id_progress", "in_progress")
        page.fill("#id_summary", "组建科技志愿服务队12支，开展志愿服务46场")
        target_input = page.locator("input[id^=id_target_]")
        target_input.fill("1500")
        screenshot(page, "report-form.png")
        page.click("button[value=submit]")
        page.wait_for_selector("text=报告已提交")
        assert page.locator(".state-submitted").count() == 1
        page.click("button:has-text('退出')")

        log_in(page, live_server.url, "office", "browser-pass-1")
        page.goto(f"{live_server.url}/plans/{plan.pk}/tracking/cycles/{cycle.pk}/")
        page.click("text=健全基层科普服务体系")
        assert "组建科技志愿服务队12支" in page.content()
        page.click("button[value=approve]")
        page.wait_for_selector("text=已审核通过，报告已锁定")
    report = Report.objects.get(task__title="健全基层科普服务体系")
    assert (report.state, report.values.get().value) == ("approved", 1500)

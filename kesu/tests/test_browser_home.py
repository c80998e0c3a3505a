"""In a real browser, one walk per role: sign in → the home page's to-do list → that role's main task.

office: a submitted report to review; reporter: its report form; leader: the dashboard; township officer: the
dispatch board. Needs Debian's chromium; skipped with that message otherwise. KESU_SCREENSHOTS=DIR keeps screenshots.
"""

import datetime as dt

import pytest
from django.utils import timezone

from kesu.browser_testing import chromium, log_in, new_page, requires_chromium, screenshot
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.plans.actions import do_import_plan
from kesu.tracking import actions as tracking
from kesu.tracking.models import Report
from kesu.tracking.tests.base import current_plan
from kesu.volunteering import actions as service
from kesu.volunteering.models import ServiceArea, ServiceRole, Topic
from kesu.volunteering.tests.base import order_data

pytestmark = requires_chromium
PASSWORD = "browser-pass-1"


@pytest.fixture
def county(transactional_db, django_user_model):
    county = Jurisdiction.objects.create(name="襄汾县", level="county")

    def user(name: str, role: str | None = None, unit: MemberUnit | None = None):
        account = django_user_model.objects.create_user(name, password=PASSWORD)
        if role:
            Membership.objects.create(user=account, jurisdiction=county, role=role, unit=unit)
        return account

    office = user("office", Membership.Role.OFFICE_ADMIN)
    user("leader", Membership.Role.VIEWER)
    plan = do_import_plan(current_plan(), jurisdiction=county, source_name="p.txt", source_sha256="s", actor=None).plan
    user("reporter", Membership.Role.UNIT_REPORTER, MemberUnit.objects.get(name="县科协"))
    today = timezone.localdate()
    cycle = tracking.do_open_cycle(plan, office, "quarter", today.year, (today.month - 1) // 3 + 1, today + dt.timedelta(days=10))
    edu = user("edu", Membership.Role.UNIT_REPORTER, MemberUnit.objects.get(name="县教科局"))
    report = Report.objects.filter(cycle=cycle, unit__name="县教科局").first()
    report = tracking.do_save_report(report, edu, report.version, "in_progress", "开展科学教育周活动", {})
    tracking.do_submit_report(report, edu, report.version)
    township = ServiceArea.objects.create(jurisdiction=county, kind="township", name="古城镇")
    ServiceRole.objects.create(user=user("officer"), kind="officer", area=township)
    service.do_submit_order(order_data(township, Topic.objects.create(jurisdiction=county, name="农业技术")),
                            client_digest="test")
    return plan


def test_each_role_goes_from_its_home_to_its_main_task(live_server, county):
    base = live_server.url
    with chromium() as browser:
        page = new_page(browser)
        log_in(page, base, "office", PASSWORD)
        screenshot(page, "home-office.png")
        page.click("text=待审核报告")
        page.click("text=提升基础教育阶段科学教育水平")
        assert page.locator("button[value=approve]").count() == 1

        page = new_page(browser)
        log_in(page, base, "reporter", PASSWORD)
        screenshot(page, "home-reporter.png")
        page.click("text=待填报告")
        page.click("text=健全基层科普服务体系")
        assert page.locator("#id_summary").count() == 1

        page = new_page(browser)
        log_in(page, base, "leader", PASSWORD)
        screenshot(page, "home-leader.png")
        page.click(".todo >> text=仪表盘")
        page.wait_for_selector("text=各章节措施进展")

        page = new_page(browser, 390, 844)
        log_in(page, base, "officer", PASSWORD)
        assert "古城镇（襄汾县）派单员" in page.content()
        screenshot(page, "home-officer-phone.png")
        page.click("text=待审核派单")
        page.wait_for_selector("text=派单看板")
        assert page.locator(".ticket").count() == 1

"""In a real browser, one walk per role: sign in → the home page's to-do list → that role's main task.

office: a submitted report to review; reporter: its report form; leader: the dashboard; township officer, department
claimer and team admin: the dispatch board with their order; the city office above: the roll-up. Needs Debian's chromium; skipped with that message otherwise. KESU_SCREENSHOTS=DIR keeps screenshots.
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
from kesu.volunteering.access import roles_of
from kesu.volunteering.models import ServiceArea, ServiceRole, Team, Topic
from kesu.volunteering.tests.base import order_data

pytestmark = requires_chromium
PASSWORD = "browser-pass-1"


@pytest.fixture
def county(transactional_db, django_user_model):
    city = Jurisdiction.objects.create(name="临汾市", level="city")
    county = Jurisdiction.objects.create(name="襄汾县", level="county", parent=city)

    def user(name: str, role: str | None = None, unit: MemberUnit | None = None, where: Jurisdiction = county):
        account = django_user_model.objects.create_user(name, password=PASSWORD)
        if role:
            Membership.objects.create(user=account, jurisdiction=where, role=role, unit=unit)
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
    officer = user("officer")
    ServiceRole.objects.create(user=officer, kind="officer", area=township)
    kx = MemberUnit.objects.get(name="县科协")
    claimer = user("claimer")
    ServiceRole.objects.create(user=claimer, kind="claimer", unit=kx)
    team = Team.objects.create(jurisdiction=county, name="科协科普志愿服务队", unit=kx, in_pool=True, founded_on=today)
    ServiceRole.objects.create(user=user("team"), kind="team_admin", team=team)
    user("city", Membership.Role.OFFICE_ADMIN, where=city)
    topic = Topic.objects.create(jurisdiction=county, name="农业技术")
    service.do_submit_order(order_data(township, topic), client_digest="test")
    to_claim = service.do_submit_order(order_data(township, topic), client_digest="test")
    service.do_dispatch_order(to_claim, officer, roles_of(officer), kx)
    to_accept = service.do_submit_order(order_data(township, topic), client_digest="test")
    service.do_dispatch_order(to_accept, officer, roles_of(officer), kx)
    service.do_claim_order(to_accept, claimer, roles_of(claimer))
    service.do_assign_order(to_accept, claimer, roles_of(claimer), team)
    return plan


def walk_to_board(page, base: str, who: str, item: str) -> None:
    """Sign in at phone width, follow the home page's item to the dispatch board: one order there waits for them."""
    log_in(page, base, who, PASSWORD)
    screenshot(page, f"home-{who}-phone.png")
    page.click(f"text={item}")
    page.wait_for_selector("text=派单看板")
    assert page.locator(".ticket.mine").count() == 1, who


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
        walk_to_board(page, base, "officer", "待审核派单")
        walk_to_board(new_page(browser, 390, 844), base, "claimer", "待领单")
        walk_to_board(new_page(browser, 390, 844), base, "team", "指派给本队、待接单")

        page = new_page(browser)
        log_in(page, base, "city", PASSWORD)
        screenshot(page, "home-city.png")
        page.click(".todo >> text=下辖地区进展汇总")
        page.wait_for_selector("text=襄汾县")

"""In a real browser: a resident orders on the public page (phone width), the township dispatches, the
department claims and assigns, the team accepts and records the service, the resident rates it by code.

Needs Debian's chromium; skipped with that message otherwise. KESU_SCREENSHOTS=DIR keeps screenshots.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from kesu.browser_testing import chromium, log_in, new_page, requires_chromium, screenshot
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.volunteering.models import (
    ServiceArea,
    ServiceHours,
    ServiceOrder,
    ServiceRole,
    Team,
    TeamMembership,
    Topic,
    Volunteer,
)

PASSWORD = "browser-pass-1"
pytestmark = requires_chromium


@pytest.fixture
def service(transactional_db, django_user_model):
    county = Jurisdiction.objects.create(name="襄汾县", level="county")
    unit = MemberUnit.objects.create(jurisdiction=county, name="县科协", key="县科协")
    township = ServiceArea.objects.create(jurisdiction=county, kind="township", name="古城镇")
    ServiceArea.objects.create(jurisdiction=county, kind="village", name="东村", parent=township)
    Topic.objects.create(jurisdiction=county, name="农业技术")
    Topic.objects.create(jurisdiction=county, name="智能手机使用")
    team = Team.objects.create(jurisdiction=county, name="科协科普志愿服务队", unit=unit, founded_on=dt.date(2023, 1, 1))

    def user(name: str, **role):
        account = django_user_model.objects.create_user(name, password=PASSWORD)
        if role:
            kind = {"area": "officer", "unit": "claimer", "team": "team_admin"}[next(iter(role))]
            ServiceRole.objects.create(user=account, kind=kind, **role)
        return account

    office = user("office")
    Membership.objects.create(user=office, jurisdiction=county, role=Membership.Role.OFFICE_ADMIN)
    user("officer", area=township)
    user("claimer", unit=unit)
    user("captain", team=team)
    for name, phone in (("王芳", "13800001111"), ("李强", "13800002222")):
        volunteer = Volunteer.objects.create(jurisdiction=county, name=name, phone=phone, registered_on=dt.date(2023, 3, 1))
        TeamMembership.objects.create(team=team, volunteer=volunteer, status="active", joined_on=dt.date(2023, 3, 1))
    return county


def _as(browser, base: str, username: str):
    page = new_page(browser)
    log_in(page, base, username, PASSWORD)
    return page


def _answer(question: str) -> str:
    match = re.search(r"(\d+) (加|减) (\d+)", question)
    a, op, b = int(match[1]), match[2], int(match[3])
    return str(a + b if op == "加" else a - b)


def test_it_carries_a_public_order_to_the_residents_rating(live_server, service):
    base = live_server.url
    today = timezone.localdate()
    with chromium() as browser:
        resident = new_page(browser, 390, 844)
        resident.goto(f"{base}/public/service/")
        resident.wait_for_selector("text=群众点单")
        resident.select_option("#id_topic", label="智能手机使用")
        resident.fill("#id_description", "教老人用手机挂号、防电信诈骗")
        resident.check("input[name=requester_kind][value=village]")
        resident.fill("#id_requester_org", "东村村委会")
        resident.select_option("#id_township", label="古城镇")
        resident.select_option("#id_village", label="东村")
        resident.fill("#id_preferred_from", (today + dt.timedelta(days=3)).isoformat())
        resident.fill("#id_preferred_until", (today + dt.timedelta(days=10)).isoformat())
        resident.select_option("#id_audience", "elderly")
        resident.fill("#id_audience_size", "35")
        resident.fill("#id_contact_name", "张建国")
        resident.fill("#id_contact_phone", "13912345678")
        resident.check("#id_consent")
        resident.fill("#id_answer", _answer(resident.inner_text("label[for=id_answer]")))
        screenshot(resident, "service-order-phone.png")
        resident.click("button[type=submit]")
        resident.wait_for_selector("text=提交成功")
        code = resident.inner_text("#tracking-code").strip()
        assert code.startswith("KS-")
        # (no ORM calls inside the Playwright block: its greenlets would get a connection of their own)

        officer = _as(browser, base, "officer")
        officer.goto(f"{base}/service/board/")
        officer.click(".ticket:has-text('智能手机使用')")
        officer.wait_for_url("**/service/orders/*/")  # content() is empty while the click still navigates
        order_url = officer.url
        assert "13912345678" in officer.content()
        officer.select_option("#id_unit", label="县科协")
        officer.click("form[action$='/dispatch/'] button")
        officer.wait_for_selector("text=已派单至部门")

        claimer = _as(browser, base, "claimer")
        claimer.goto(order_url)
        claimer.click("form[action$='/claim/'] button")
        claimer.wait_for_selector("text=已部门领单")
        claimer.select_option("#id_team", label="科协科普志愿服务队")
        claimer.click("form[action$='/assign/'] button")
        claimer.wait_for_selector("text=已指派服务队")

        captain = _as(browser, base, "captain")
        captain.goto(f"{base}/service/board/")
        screenshot(captain, "service-board.png")
        captain.click(".ticket:has-text('智能手机使用')")
        captain.click("form[action$='/accept/'] button")
        captain.wait_for_selector("text=已服务队接单")
        captain.click("text=登记服务记录")
        captain.fill("#id_served_on", today.isoformat())
        captain.fill("#id_start_time", "09:00")
        captain.fill("#id_duration_hours", "2.5")
        captain.fill("#id_attendees", "38")
        captain.fill("#id_summary", "手把手教老人用手机挂号，讲解常见电信诈骗手法")
        captain.check("text=王芳")
        captain.check("text=李强")
        captain.click("button:has-text('保存服务记录')")
        captain.wait_for_selector("text=服务记录已登记")

        rater = new_page(browser, 390, 844)
        rater.goto(f"{base}/public/service/track/")
        rater.fill("#id_code", code.lower().replace("-", ""))
        rater.click("button[type=submit]")
        rater.wait_for_selector("text=确认服务并评价")
        rater.check("input[name=rating][value='5']")
        rater.fill("#id_comment", "老人们都学会了")
        screenshot(rater, "service-rating-phone.png")
        rater.click("button:has-text('提交评价')")
        rater.wait_for_selector("text=感谢您的评价")
    order = ServiceOrder.objects.get(code=code)
    assert (order.state, order.rating, order.rating_comment) == ("closed", 5, "老人们都学会了")
    assert sorted(ServiceHours.objects.filter(order=order).values_list("volunteer__name", "hours")) == [("李强", 2.5), ("王芳", 2.5)]
    assert [e.kind for e in order.events.all()] == ["submitted", "dispatch", "claim", "assign", "accept", "record", "confirm"]

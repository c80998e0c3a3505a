"""In a real browser: a unit reporter opens its pre-filled 科普统计, the check catches 其中 > 合计 without losing
what was typed, the corrected form is submitted and the office approves it.

Needs Debian's chromium; skipped with that message otherwise. KESU_SCREENSHOTS=DIR keeps screenshots.
"""

import datetime as dt

import pytest
from django.utils import timezone

from kesu.browser_testing import browser_page, log_in, requires_chromium, screenshot
from kesu.datasets.actions import do_assign_respondents, do_open_round
from kesu.datasets.models import Submission
from kesu.datasets.tests.base import GOOD
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.plans.actions import do_import_plan
from kesu.tracking.models import Activity
from kesu.tracking.tests.base import current_plan

pytestmark = requires_chromium
PASSWORD = "browser-pass-1"


@pytest.fixture
def sheet(transactional_db, django_user_model):
    county = Jurisdiction.objects.create(name="襄汾县", level="county")
    office = django_user_model.objects.create_user("office", password=PASSWORD)
    Membership.objects.create(user=office, jurisdiction=county, role=Membership.Role.OFFICE_ADMIN)
    plan = do_import_plan(current_plan(), jurisdiction=county, source_name="p.txt", source_sha256="s", actor=None).plan
    unit = MemberUnit.objects.get(jurisdiction=county, name="县科协")
    reporter = django_user_model.objects.create_user("reporter", password=PASSWORD)
    Membership.objects.create(user=reporter, jurisdiction=county, role=Membership.Role.UNIT_REPORTER, unit=unit)
    today = timezone.localdate()
    for month, kind, people in ((4, "lecture", 90), (9, "science_day", 300)):
        Activity.objects.create(plan=plan, unit=unit, kind=kind, title="科普活动", held_on=dt.date(today.year - 1, month, 10),
                                participants=people)
    round_ = do_open_round(county, office, "kepu", "year", today.year - 1, 1, today + dt.timedelta(days=20))
    do_assign_respondents(round_, office, [("unit", unit.pk)])
    return Submission.objects.get(round=round_)


def test_a_unit_fills_a_prefilled_form_the_check_catches_a_part_over_its_total_the_office_approves(live_server, sheet):
    with browser_page() as page:
        log_in(page, live_server.url, "reporter", PASSWORD)
        page.click("text=统计报表待填报 >> xpath=.. >> a:has-text('科普统计年报')")
        assert page.input_value("#v_a_events") == "2"  # pre-filled from the activities registered last year
        assert page.input_value("#v_a_participants") == "390"
        assert page.locator("text=系统预填").count() >= 3
        for code, value in GOOD.items():
            if code not in ("a_events", "a_participants"):
                page.fill(f"#v_{code}", value)
        page.fill("#v_a_lectures", "5")  # more lectures than activities
        screenshot(page, "datasets-fill.png")
        page.click("button[value=submit]")
        page.wait_for_selector("text=不能大于合计（2）")
        assert page.input_value("#v_a_lectures") == "5" and page.input_value("#v_m_articles") == "40"
        screenshot(page, "datasets-refused.png")
        page.fill("#v_a_lectures", "1")
        page.click("button[value=submit]")
        page.wait_for_selector("text=已提交，等待科协办公室审核")
        page.click("button:has-text('退出')")

        log_in(page, live_server.url, "office", PASSWORD)
        page.goto(f"{live_server.url}/datasets/rounds/{sheet.round_id}/")
        page.click("text=县科协")
        page.click("button[value=approve]")
        page.wait_for_selector("text=已审核通过：县科协")
        screenshot(page, "datasets-approved.png")
    sheet.refresh_from_db()
    assert (sheet.state, sheet.values["a_events"], sheet.values["a_lectures"]) == ("approved", 2, 1)

"""In a real browser: a county office enters this year's budget and an allocation line, then sees per capita on
the year page and on the plan's dashboard. Needs Debian's chromium; KESU_SCREENSHOTS=DIR keeps screenshots."""

import pytest
from django.utils import timezone

from kesu.browser_testing import browser_page, log_in, requires_chromium, screenshot
from kesu.funding.models import AllocationLine, FundingYear
from kesu.org.models import Jurisdiction, Membership
from kesu.plans.actions import do_import_plan
from kesu.tracking.tests.base import current_plan

pytestmark = requires_chromium


@pytest.fixture
def plan(transactional_db, django_user_model):
    county = Jurisdiction.objects.create(name="襄汾县", level="county")
    office = django_user_model.objects.create_user("office", password="browser-pass-1")
    Membership.objects.create(user=office, jurisdiction=county, role=Membership.Role.OFFICE_ADMIN)
    return do_import_plan(current_plan(), jurisdiction=county, source_name="p.txt", source_sha256="s", actor=None).plan


def test_a_county_enters_its_budget_and_allocations_and_sees_per_capita(live_server, plan):
    county, year = plan.jurisdiction, timezone.localdate().year
    with browser_page() as page:
        log_in(page, live_server.url, "office", "browser-pass-1")
        page.goto(f"{live_server.url}/jurisdictions/{county.pk}/funding/")
        page.click("text=填写本年经费")
        page.fill("#id_population", "0")
        page.fill("#id_special_budgeted", "90")
        page.fill("#id_special_received", "84")
        page.click("#funding-year-form button[type=submit]")
        page.wait_for_selector("text=“常住人口”应大于 0")
        assert page.input_value("#id_special_received") == "84"  # what was typed stays
        page.fill("#id_population", "420000")
        screenshot(page, "funding-edit.png")
        page.click("#funding-year-form button[type=submit]")
        page.wait_for_selector(f"text={year}年科普经费已保存")
        assert page.inner_text("#per-capita") == "2 元/人"  # 84 万元 × 10000 ÷ 420000
        page.click("text=分配与支出")
        page.fill("#id_project", "全国科普日主场活动")
        page.select_option("#id_unit", label="县科协")
        page.select_option("#id_task", index=3)
        page.fill("#id_planned", "25.5")
        page.click("button:has-text('添加')")
        page.wait_for_selector("#lines >> text=全国科普日主场活动")
        screenshot(page, "funding-lines.png")
        page.goto(f"{live_server.url}/plans/{plan.pk}/dashboard/")
        page.wait_for_selector(f"text=人均科普专项经费（{year}年）")
        assert "2 元/人" in page.content()
        screenshot(page, "funding-dashboard.png")
    row = FundingYear.objects.get(jurisdiction=county, year=year)
    assert (row.population, str(row.special_received)) == (420000, "84.00")
    assert str(AllocationLine.objects.get().planned) == "25.50"

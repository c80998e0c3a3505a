"""In a real browser: an office admin uploads the demo survey through the wizard, confirms, watches the
progress page pick up the finished job and reads the results.

Needs Debian's chromium; skipped with that message otherwise. KESU_SCREENSHOTS=DIR keeps screenshots.
"""

import pytest
from django.db import connections

from kesu.browser_testing import browser_page, log_in, requires_chromium, screenshot
from kesu.org.models import Jurisdiction, Membership
from kesu.survey.jobs import do_run_queued_estimates
from kesu.survey.models import SurveyRun
from kesu.survey.tests.base import FIXTURES

pytestmark = requires_chromium


@pytest.fixture
def county(transactional_db, django_user_model):
    county = Jurisdiction.objects.create(name="晋城市", level="city")
    office = django_user_model.objects.create_user("office", password="browser-pass-1")
    Membership.objects.create(user=office, jurisdiction=county, role=Membership.Role.OFFICE_ADMIN)
    return county


def test_it_uploads_the_demo_survey_through_the_wizard_and_shows_the_results(live_server, county):
    base = live_server.url
    with browser_page() as page:
        log_in(page, base, "office", "browser-pass-1")

        page.goto(f"{base}/survey/{county.pk}/new/")
        page.set_input_files("#id_responses", str(FIXTURES / "demo_responses.csv"))
        page.set_input_files("#id_margins", str(FIXTURES / "demo_margins.csv"))
        page.set_input_files("#id_covariates", str(FIXTURES / "demo_covariates.csv"))
        page.fill("#id_year", "2024")
        page.check("input[name=by][value=region]")
        screenshot(page, "survey-wizard.png")
        page.click("button:has-text('上传并检查')")
        page.wait_for_selector("text=检查通过：每一行数据都可以使用")
        assert "/survey/uploads/" in page.url
        screenshot(page, "survey-check.png")

        page.click("button:has-text('确认并开始估计')")
        page.wait_for_selector("[data-poll]")
        assert SurveyRun.objects.get().status == "queued"
        assert do_run_queued_estimates() == 1
        page.wait_for_selector("text=全体：具备科学素质的比例", timeout=15000)  # the poll reloads the page
        run = SurveyRun.objects.get()
        rate = f"{100 * run.result['estimates'][0]['rate']:.2f}%"
        assert page.locator(".kpi.main .v").inner_text() == rate
        assert page.locator("svg.chart.wide").count() == 6  # five groups + small areas
        assert page.locator("text=小区域估计（按地区）").count() == 1
        screenshot(page, "survey-results.png")

        page.click(f"button:has-text('记录为2024年的科学素质比例（{rate}）')")
        page.wait_for_selector("text=能否实现目标？")
        assert page.locator("text=已记录为2024年的本地调查估计").count() == 1
        # The ORM calls above ran inside Playwright's event loop, in their own connection: close it, so that
        # PostgreSQL can drop the test database afterwards.
        connections.close_all()

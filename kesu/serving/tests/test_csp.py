"""The Content-Security-Policy header allows this site's own files only, and the pages keep to it: no inline
scripts or on…= handlers in any template, and no CSP complaint in Chromium's console on the main pages."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import SimpleTestCase
from django.utils import timezone

from kesu.browser_testing import browser_page, log_in, requires_chromium
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.plans.actions import do_import_plan, do_set_plan_status
from kesu.plans.models import Plan
from kesu.tracking.actions import do_open_cycle
from kesu.tracking.models import Report
from kesu.tracking.tests.base import current_plan
from kesu.volunteering.models import ServiceArea, Topic

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def templates() -> list[Path]:
    return sorted(Path(settings.BASE_DIR).glob("**/templates/**/*.html"))


class PolicyTest(SimpleTestCase):
    def test_every_page_gets_a_policy_allowing_only_this_sites_own_files(self):
        policy = self.client.get("/accounts/login/")["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        self.assertEqual(directives["default-src"], "'self'")
        self.assertEqual(directives["script-src"], "'self'")
        self.assertEqual(directives["object-src"], "'none'")
        self.assertEqual(directives["frame-ancestors"], "'none'")
        self.assertNotRegex(policy, r"https?:|\*", "no other host is allowed")

    def test_no_template_has_an_inline_script_or_event_handler(self):
        self.assertGreater(len(templates()), 50)
        for template in templates():
            text = template.read_text(encoding="utf-8")
            with self.subTest(template=str(template.relative_to(settings.BASE_DIR))):
                self.assertIsNone(INLINE_SCRIPT.search(text))
                self.assertIsNone(INLINE_HANDLER.search(text))
                self.assertNotIn("javascript:", text)


@pytest.fixture
def county_plan(transactional_db, django_user_model):
    county = Jurisdiction.objects.create(name="襄汾县", level="county")
    office = django_user_model.objects.create_user("office", password="browser-pass-1")
    Membership.objects.create(user=office, jurisdiction=county, role=Membership.Role.OFFICE_ADMIN)
    plan = do_import_plan(current_plan(), jurisdiction=county, source_name="p.txt", source_sha256="s", actor=None).plan
    do_set_plan_status(plan, None, Plan.Status.PUBLISHED)
    reporter = django_user_model.objects.create_user("reporter", password="browser-pass-1")
    Membership.objects.create(user=reporter, jurisdiction=county, role=Membership.Role.UNIT_REPORTER,
                              unit=MemberUnit.objects.get(name="县科协"))
    today = timezone.localdate()
    do_open_cycle(plan, office, "quarter", today.year, (today.month - 1) // 3 + 1, today + dt.timedelta(days=10))
    Topic.objects.create(jurisdiction=county, name="农业技术")
    for position, township in enumerate(["古城镇", "汾城镇"]):
        parent = ServiceArea.objects.create(jurisdiction=county, kind="township", name=township, position=position)
        ServiceArea.objects.create(jurisdiction=county, parent=parent, kind="village", name=f"{township[:2]}村")
    return plan


@requires_chromium
def test_the_main_pages_show_no_csp_violation_in_chromium(live_server, county_plan):
    plan, county = county_plan, county_plan.jurisdiction
    report = Report.objects.filter(cycle__plan=plan).first()
    pages = [
        "/", f"/plans/{plan.pk}/", f"/plans/{plan.pk}/matrix/", f"/plans/{plan.pk}/units/",
        f"/plans/{plan.pk}/targets/", f"/plans/{plan.pk}/print/", f"/plans/{plan.pk}/history/",
        f"/plans/{plan.pk}/tracking/", f"/plans/{plan.pk}/tracking/targets/", f"/plans/{plan.pk}/dashboard/",
        f"/plans/{plan.pk}/assessment/", f"/plans/{plan.pk}/summaries/", f"/reports/{report.pk}/", "/notices/",
        f"/survey/{county.pk}/", f"/survey/{county.pk}/new/", "/service/board/", "/service/teams/",
        "/service/volunteers/", "/service/settings/", f"/jurisdictions/{county.pk}/rollup/", "/public/",
        f"/public/plans/{plan.pk}/", "/public/service/", "/no-such-page/",
    ]
    violations: list[str] = []
    with browser_page() as page:
        page.on("console", lambda message: violations.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text else None)
        log_in(page, live_server.url, "office", "browser-pass-1")
        for path in pages:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == (404 if path == "/no-such-page/" else 200), path
        page.goto(f"{live_server.url}/plans/{plan.pk}/")
        assert page.locator("details.section").count() > 1
        page.click("text=全部收起")
        assert page.locator("details.section[open]").count() == 0, "the collapse-all button still works"
        page.click("text=全部展开")
        assert page.locator("details.section:not([open])").count() == 0, "the expand-all button still works"

        page.click("button:has-text('退出')")
        page.goto(f"{live_server.url}/public/service/{county.pk}/order/")
        page.select_option("#id_township", label="汾城镇")
        assert page.locator("#id_village optgroup[label='古城镇']").get_attribute("hidden") is not None, \
            "the village list follows the township (script loaded from a static file)"
    assert violations == []

"""One real browser run: an office user signs in and opens the division-of-labour matrix.

Needs Debian's chromium (apt-get install chromium fonts-noto-cjk); without it the test is skipped with that
message in the pytest summary. Set KESU_SCREENSHOTS=DIR to keep a screenshot of the matrix.
"""

import pytest

from kesu.browser_testing import browser_page, log_in, requires_chromium, screenshot
from kesu.org.models import Jurisdiction, Membership
from kesu.plans.actions import do_import_plan
from kesu.testing import small_plan

pytestmark = requires_chromium


@pytest.fixture
def office_user(transactional_db, django_user_model):
    county = Jurisdiction.objects.create(name="襄汾县", level="county")
    user = django_user_model.objects.create_user("office", password="browser-pass-1")
    Membership.objects.create(user=user, jurisdiction=county, role=Membership.Role.OFFICE_ADMIN)
    do_import_plan(small_plan(), jurisdiction=county, source_name="p.txt", source_sha256="s", actor=None)
    return user


def test_it_signs_in_and_opens_the_matrix(live_server, office_user):
    with browser_page() as page:
        log_in(page, live_server.url, "office", "browser-pass-1")
        page.click(".topbar >> text=实施方案")
        page.click("text=分工矩阵")
        page.wait_for_selector("table.matrix")
        assert page.locator("table.matrix td.mark.lead").count() >= 2
        assert "县教科局" in page.locator("table.matrix").inner_text()
        screenshot(page, "matrix-browser-test.png")

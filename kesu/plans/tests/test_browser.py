"""One real browser run: an office user signs in and opens the division-of-labour matrix.

Needs Debian's chromium (apt-get install chromium fonts-noto-cjk); without it the test is skipped with that
message in the pytest summary. Set KESU_SCREENSHOTS=DIR to keep a screenshot of the matrix.
"""

import os
import shutil
from pathlib import Path

import pytest

from kesu.org.models import Jurisdiction, Membership
from kesu.plans.actions import do_import_plan
from kesu.testing import small_plan

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="浏览器测试已跳过：本机没有 Debian chromium（apt-get install chromium fonts-noto-cjk 后可运行）",
)


@pytest.fixture
def office_user(transactional_db, django_user_model):
    county = Jurisdiction.objects.create(name="襄汾县", level="county")
    user = django_user_model.objects.create_user("office", password="browser-pass-1")
    Membership.objects.create(user=user, jurisdiction=county, role=Membership.Role.OFFICE_ADMIN)
    do_import_plan(small_plan(), jurisdiction=county, source_name="p.txt", source_sha256="s", actor=None)
    return user


def test_it_signs_in_and_opens_the_matrix(live_server, office_user):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "office")
        page.fill("#id_password", "browser-pass-1")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.click("text=分工矩阵")
        page.wait_for_selector("table.matrix")
        assert page.locator("table.matrix td.mark.lead").count() >= 2
        assert "县教科局" in page.locator("table.matrix").inner_text()
        if os.environ.get("KESU_SCREENSHOTS"):
            folder = Path(os.environ["KESU_SCREENSHOTS"])
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / "matrix-browser-test.png"), full_page=True)
        browser.close()

"""In a real browser: the county office opens 全国科普日 inviting two units, each unit's reporter registers an
activity (audience groups, a photo; one on a phone), and the office sees both, the unit that did nothing, and
downloads the report.

Needs Debian's chromium; skipped with that message otherwise. KESU_SCREENSHOTS=DIR keeps screenshots.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from kesu.browser_testing import chromium, log_in, new_page, requires_chromium, screenshot
from kesu.campaigns.models import Campaign
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.plans.actions import do_import_plan
from kesu.tracking.tests.base import current_plan

PASSWORD = "browser-pass-1"
pytestmark = requires_chromium


@pytest.fixture
def county(transactional_db, django_user_model, tmp_path):
    city = Jurisdiction.objects.create(name="临汾市", level="city")
    county = Jurisdiction.objects.create(name="襄汾县", level="county", parent=city)
    do_import_plan(current_plan(), jurisdiction=county, source_name="plan.txt", source_sha256="s", actor=None, confirm=True)
    office = django_user_model.objects.create_user("office", password=PASSWORD)
    Membership.objects.create(user=office, jurisdiction=county, role=Membership.Role.OFFICE_ADMIN)
    for name, unit in (("kx", "县科协"), ("edu", "县教科局"), ("youth", "团县委")):
        reporter = django_user_model.objects.create_user(name, password=PASSWORD)
        Membership.objects.create(user=reporter, jurisdiction=county, role=Membership.Role.UNIT_REPORTER,
                                  unit=MemberUnit.objects.get(jurisdiction=county, name=unit))
    photo = tmp_path / "现场照片.png"
    Image.new("RGB", (320, 240), "#2e7d32").save(photo)
    return county, photo


def _register(page, base: str, title: str, audiences: dict[str, str], photo=None) -> None:
    page.goto(f"{base}/campaigns/")
    page.click("a.button:has-text('登记活动')")
    page.fill("#id_title", title)
    page.fill("#id_held_on", (timezone.localdate() - dt.timedelta(days=1)).isoformat())
    page.fill("#id_place", "县科技馆")
    page.select_option("#id_online", "both")
    for group, number in audiences.items():
        page.fill(f"#id_audience_{group}", number)
    page.fill("#id_scientists", "3")
    page.fill("#id_volunteers", "8")
    page.fill("#id_volunteer_hours", "24")
    if photo:
        page.set_input_files("#id_photos", str(photo))
    page.click("button:has-text('登记活动')")
    page.wait_for_selector("text=活动已登记")


def test_an_office_opens_science_day_two_units_register_and_the_report_follows(live_server, county):
    jurisdiction, photo = county
    base = live_server.url
    today = timezone.localdate()
    with chromium() as browser:
        office = new_page(browser)
        log_in(office, base, "office", PASSWORD)
        office.goto(f"{base}/jurisdictions/{jurisdiction.pk}/campaigns/")
        office.click("a.button:has-text('开启主题活动')")
        office.fill("#id_name", "全国科普日")
        office.select_option("#id_kind", "science_day")
        office.fill("#id_starts_on", (today - dt.timedelta(days=7)).isoformat())
        office.fill("#id_ends_on", (today + dt.timedelta(days=7)).isoformat())
        office.fill("#id_theme", "弘扬科学家精神")
        for name in ("县科协", "县教科局", "团县委"):
            office.check(f"label:has-text('{name}') input[name=invited_units]")
        screenshot(office, "campaign-new.png")
        office.click("button:has-text('开启并通知')")
        office.wait_for_selector("text=主题活动已开启")
        campaign = Campaign.objects.get()

        kx = new_page(browser)
        log_in(kx, base, "kx", PASSWORD)
        kx.wait_for_selector("h2:has-text('主题活动：请登记活动'), h3:has-text('主题活动：请登记活动')")  # the home page asks
        _register(kx, base, "智慧助老手机课堂", {"elderly": "40", "public": "10"}, photo)
        screenshot(kx, "campaign-unit.png")

        edu = new_page(browser, 390, 844)  # the second unit registers on a phone
        log_in(edu, base, "edu", PASSWORD)
        _register(edu, base, "青少年科学实验秀", {"youth": "120"})
        screenshot(edu, "campaign-register-phone.png")
        assert edu.evaluate("document.documentElement.scrollWidth") <= 390
        kx.goto(f"{base}/campaigns/{campaign.pk}/")
        assert "智慧助老手机课堂" in kx.inner_text("main") and "青少年科学实验秀" not in kx.inner_text("main")

        office.goto(f"{base}/campaigns/{campaign.pk}/")
        text = office.inner_text("main")
        assert "已登记活动 2 场，参与 170 人次" in text
        assert "尚未登记：团县委" in text
        assert "已登记，缺窗口内照片" in text  # 县教科局 sent no photo
        screenshot(office, "campaign-office.png")
        with office.expect_download() as download:
            office.click("a:has-text('情况报告（Word）')")
        document = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
        body = document.read("word/document.xml").decode()
        assert "智慧助老手机课堂" in body and "团县委" in body and body.count("<pic:pic") == 1
        office.click("button:has-text('催报')")
        office.wait_for_selector("text=已向尚未登记的单位和乡镇发出催报提醒（1 人）")

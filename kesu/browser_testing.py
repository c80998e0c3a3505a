"""Shared set-up for the browser tests (Playwright driving Debian's chromium, never a downloaded browser).

Tests mark themselves with `requires_chromium`, so a machine without chromium reports them as skipped
with the reason in pytest's summary instead of failing or passing silently.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
requires_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="浏览器测试已跳过：本机没有 Debian chromium（apt-get install chromium fonts-noto-cjk 后可运行）",
)


@contextmanager
def chromium() -> Iterator:
    """A fresh headless chromium, closed afterwards."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, width: int = 1280, height: int = 900):
    """A page whose dialogs (confirm()) are accepted; 390 × 844 is a phone."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.on("dialog", lambda dialog: dialog.accept())
    return page


@contextmanager
def browser_page(width: int = 1280, height: int = 900) -> Iterator:
    """One page in a fresh headless chromium."""
    with chromium() as browser:
        yield new_page(browser, width, height)


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def screenshot(page, name: str) -> None:
    """Keep a full-page screenshot when KESU_SCREENSHOTS names a folder."""
    if os.environ.get("KESU_SCREENSHOTS"):
        folder = Path(os.environ["KESU_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / name), full_page=True)

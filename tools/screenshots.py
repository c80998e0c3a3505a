"""Screenshots of Kesu pages for a human to look at (headless Debian chromium via Playwright).

  .venv/bin/python tools/screenshots.py --base http://127.0.0.1:8000 --user jincheng --password kesu2026 \
      --out screenshots/tmp /plans/1/ /plans/1/matrix/ [--phone]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user")
    parser.add_argument("--password", default="kesu2026")
    parser.add_argument("--out", type=Path, default=Path("screenshots/tmp"))
    parser.add_argument("--phone", action="store_true", help="390 px wide, like a phone")
    parser.add_argument("--full", action="store_true", help="whole page, not just the first screen")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        size = {"width": 390, "height": 844} if args.phone else {"width": 1366, "height": 900}
        page = browser.new_page(viewport=size, device_scale_factor=1)
        if args.user:
            page.goto(f"{args.base}/accounts/login/")
            page.fill("#id_username", args.user)
            page.fill("#id_password", args.password)
            page.click("button[type=submit]")
            page.wait_for_load_state()
        for path in args.paths:
            page.goto(f"{args.base}{path}")
            page.wait_for_load_state("networkidle")
            name = path.strip("/").replace("/", "_") or "home"
            target = args.out / f"{name}{'-phone' if args.phone else ''}.png"
            page.screenshot(path=str(target), full_page=args.full)
            print(target)
        browser.close()


if __name__ == "__main__":
    main()

"""Every page on a 390 px phone, as every role: never wider than the screen, no console error, no CSP violation.

The pages are the named routes of the URL confs (`routes()`, as in test_url_fuzz), so a page added to any urls.py is
opened without touching this file. Each path argument gets a real id from one data set (ServiceTestCase's county
with its plan, service actors, orders and volunteers, plus an open cycle, submitted and approved reports, an account
import, a service import, a pending plan revision and a finished survey run). A route is

  * opened in the browser by every role for which it answers a page (200, or a redirect to a page that is not the
    sign-in page); the error page each role gets (403/404) is opened once per role; the public pages (/public/,
    sign-in) are the same for everyone and opened by the anonymous visitor only;
  * left out because it is not a page: JSON API, a download (.xlsx/.pdf/.json/.csv, or any answer that is not
    HTML), or POST-only (405 to GET for every role) — found from the answers, not listed by hand;
  * or left out by name in EXCLUDED, with the reason.

A named route that is none of these (no role can open it with the data set) fails the test: give it data or a
reason. One chromium, one context per role, pages at 390 × 844; KESU_SCREENSHOTS=DIR keeps a screenshot of each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kesu.accounts.models import AccountImport
from kesu.accounts.tests.base import xlsx as account_xlsx
from kesu.browser_testing import chromium, requires_chromium, screenshot
from kesu.campaigns.actions import Invited, Involved, do_open_campaign, do_register_activity
from kesu.campaigns.tests.base import activity_data, campaign_data, png
from kesu.datasets.tests.base import shared_world
from kesu.funding.tests.base import funding_world
from kesu.meetings.actions import do_add_decision, do_record_meeting
from kesu.meetings.tests.base import meeting_data
from kesu.org.models import Membership
from kesu.plans.actions import do_set_plan_status
from kesu.plans.models import PendingImport, Plan
from kesu.survey.jobs import do_run_queued_estimates
from kesu.survey.models import SurveyRun, SurveyUpload
from kesu.survey.tests.base import upload
from kesu.testing import small_plan
from kesu.tests.test_url_fuzz import _PARAM, routes
from kesu.tracking.actions import do_approve_report, do_open_cycle, do_save_report, do_submit_report
from kesu.tracking.models import Report
from kesu.volunteering import actions
from kesu.volunteering.access import roles_of
from kesu.volunteering.hours import do_record_service
from kesu.volunteering.models import ImportBatch, ScienceBase
from kesu.volunteering.tests.base import ServiceTestCase, order_data
from kesu.volunteering.tests.test_imports import BASE_HEADER, xlsx
from kesu.workpoints.tests.base import workpoints_world

pytestmark = requires_chromium

WIDTH, HEIGHT = 390, 844
DOWNLOAD_SUFFIXES = (".xlsx", ".pdf", ".json", ".csv", ".docx", ".zip")
PUBLIC_PAGES = ("/public/", "/accounts/login/")  # the same for everyone: opened by the anonymous role only

# Named routes not opened, each with the reason (the rest are found from the answers: see the module's text).
EXCLUDED: dict[str, str] = {
    "tracking-evidence": "下载文件：证明材料原件",
    "public-evidence": "下载文件：公开的证明材料原件",
    "tracking-summary-file": "下载文件：工作总结 .docx/.pdf（由后台任务生成）",
    "evaluation-file": "下载文件：实施评估 .docx/.pdf（evaluation 的测试检查内容）",
    "survey-run-file": "下载文件：监测结果文件",
    "service-photo": "下载文件：服务照片",
    "meetings-minutes": "下载文件：会议记录原件",
    "campaigns-photo": "下载文件：主题活动照片",
    "funding-file": "下载文件：经费支出佐证材料",
}

ROLES = {  # role → the data set's actor (None: not signed in)
    "office": "county_admin", "leader": "city_leader", "reporter": "reporter", "township": "gucheng_officer",
    "department": "kx_claimer", "team": "team_a_admin", "province": "province_admin", "public": None,
}


class PhoneWorld(ServiceTestCase):
    """The data set: ServiceTestCase's actors and registry, with work in every state a page shows."""

    __test__ = False

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        today = timezone.localdate()
        user_model = get_user_model()
        cls.province_admin = cls._user("province_admin", cls.province, Membership.Role.OFFICE_ADMIN)
        cls.reporter = user_model.objects.create_user("reporter")
        cls.membership = Membership.objects.create(user=cls.reporter, jurisdiction=cls.county,
                                                   role=Membership.Role.UNIT_REPORTER, unit=cls.kx)
        cls.cycle = do_open_cycle(cls.plan, cls.county_admin, "quarter", today.year, (today.month - 1) // 3 + 1,
                                  today + dt.timedelta(days=10))
        reports = list(Report.objects.filter(cycle=cls.cycle).select_related("task", "unit").order_by("pk"))
        reporters = {cls.kx.pk: cls.reporter}
        for position, report in enumerate(reports):
            if report.unit_id not in reporters:
                reporters[report.unit_id] = user_model.objects.create_user(f"reporter_{report.unit_id}")
                Membership.objects.create(user=reporters[report.unit_id], jurisdiction=cls.county,
                                          role=Membership.Role.UNIT_REPORTER, unit=report.unit)
            author = reporters[report.unit_id]
            values = {t.pk: 1500.0 for t in report.task.targets.all()}
            report = do_save_report(report, author, report.version, "in_progress",
                                    "组建科技志愿服务队12支，开展志愿服务46场，覆盖全县各乡镇", values)
            if position < 2:
                report = do_submit_report(report, author, report.version)
            if position == 0:
                do_approve_report(report, cls.county_admin)
        cls.report = reports[0]
        order = actions.do_submit_order(order_data(cls.gucheng, cls.farming), client_digest="phone")
        actions.do_pool_order(order, cls.gucheng_officer, roles_of(cls.gucheng_officer))
        actions.do_accept_order(order, cls.team_a_admin, roles_of(cls.team_a_admin), cls.team_a)
        actions.do_submit_order(order_data(cls.xincheng, cls.health, description="智能手机防诈骗讲座"),
                                client_digest="phone")
        do_record_service(order, cls.team_a_admin, roles_of(cls.team_a_admin), {
            "served_on": today - dt.timedelta(days=1), "start_time": dt.time(9, 0), "duration_hours": 2.5,
            "attendees": 45, "summary": "讲解果树冬季修剪", "volunteers": [cls.wang, cls.li]})
        cls.served_order = order
        cls.wang.user = cls.team_a_admin  # the team's leader is one of its volunteers (我的志愿者信息)
        cls.wang.save(update_fields=["user"])
        do_set_plan_status(cls.plan, None, Plan.Status.PUBLISHED)
        cls.base = ScienceBase.objects.create(jurisdiction=cls.county, name="襄汾县青少年科技活动中心", level="county",
                                              host="县科协", kind="venue", area=cls.gucheng,
                                              designated_year=today.year - 1)
        office = Client()
        office.force_login(cls.county_admin)
        office.post(f"{reverse('accounts-import')}?j={cls.county.pk}", {"file": SimpleUploadedFile(
            "填报员.xlsx", account_xlsx([["县科协", "赵一", "13800000001", "xf-kx-zhao"]]))})
        cls.account_batch = AccountImport.objects.latest("pk")
        cls.service_batch = ImportBatch.objects.create(
            jurisdiction=cls.county, kind="bases", name="基地.xlsx", uploaded_by=cls.county_admin, data=xlsx([
                BASE_HEADER, ["襄汾县农业科技示范园", "县级", "县科协", "科技场馆类", "常年开放", "古城镇", "", today.year, ""]]))
        cls.pending = PendingImport.objects.create(jurisdiction=cls.county, uploaded_by=cls.county_admin,
                                                   source_name="修订稿.txt", source_sha256="s2",
                                                   parsed=small_plan(title="襄汾县全民科学素质行动实施方案（修订稿）"))
        for confirm in (True, False):  # a finished run, and an upload waiting to be confirmed
            office.post(reverse("survey-upload", args=[cls.county.pk]), {
                "year": today.year - 1, "title": "", "instrument": "demo", "responses": upload("edge_responses.csv"),
                "margins": upload("edge_margins.csv"), "by": ["gender", "urban"], "ci_method": "logit",
                "lonely_psu": "adjust", "sae_area": "region"})
            cls.staged = SurveyUpload.objects.latest("pk")
            if confirm:
                office.post(reverse("survey-upload-preview", args=[cls.staged.pk]), {"action": "confirm"})
                do_run_queued_estimates()
        cls.run = SurveyRun.objects.get()
        cls.meeting = do_record_meeting(cls.county, cls.county_admin, meeting_data(), [cls.kx])
        cls.decision = do_add_decision(cls.meeting, cls.county_admin, "制定全国科普日活动方案并组织实施",
                                       today - dt.timedelta(days=2), [cls.kx])
        cls.campaign = do_open_campaign(cls.county, cls.county_admin, campaign_data(), Invited([cls.kx, cls.edu], [cls.gucheng], []))
        cls.entry = do_register_activity(cls.campaign, cls.reporter, cls.kx, None, activity_data(), {"elderly": 30, "farmers": 12},
                                         [png()], Involved(2, 5, 12.5))
        do_register_activity(cls.campaign, cls.gucheng_officer, None, cls.gucheng, activity_data(title="乡村振兴农技讲座"),
                             {"farmers": 60}, [], Involved())
        cls.datasets = shared_world(cls.county, cls.county_admin, cls.reporter, cls.kx, cls.gucheng)
        cls.funding = funding_world(cls.county, cls.county_admin, cls.kx)
        cls.work_points = workpoints_world(cls.plan, cls.county_admin, cls.kx)

    @classmethod
    def path_values(cls) -> dict[str, str]:
        """A real value for each path argument name of the URL confs."""
        today = timezone.localdate()
        task = cls.report.task
        values = {
            "plan_id": cls.plan.pk, "cycle_id": cls.cycle.pk, "report_id": cls.report.pk, "task_id": task.pk,
            "section_id": task.section_id, "unit_id": cls.kx.pk, "target_id": task.targets.first().pk,
            "jurisdiction_id": cls.county.pk, "year": today.year, "team_id": cls.team_a.pk,
            "volunteer_id": cls.wang.pk, "batch_id": cls.service_batch.pk, "pending_id": cls.pending.pk,
            "order_id": cls.served_order.pk, "code": cls.served_order.code, "user_id": cls.reporter.pk,
            "membership_id": cls.membership.pk, "base_id": cls.base.pk, "run_id": cls.run.pk,
            "upload_id": cls.staged.pk, "meeting_id": cls.meeting.pk, "decision_id": cls.decision.pk,
            "campaign_id": cls.campaign.pk, "entry_id": cls.entry.pk,
            **cls.datasets, **cls.funding, **cls.work_points,
            "kind": "volunteers", "move": "claim", "action": "confirm",
        }
        return {name: str(value) for name, value in values.items()}

    @classmethod
    def overrides(cls) -> dict[str, dict[str, str]]:
        """Arguments whose name means another object on one route."""
        city = {"jurisdiction_id": str(cls.city.pk)}  # the roll-ups show the areas below
        return {"accounts-import-review": {"batch_id": str(cls.account_batch.pk)}, "tracking-rollup": city, "compare": city, "funding-areas": city,
                "tracking-summary-file": {"kind": "docx"}, "survey-run-file": {"kind": "xlsx"}}


@dataclass
class Route:
    name: str
    path: str
    visits: dict[str, str] = field(default_factory=dict)  # role → path opened in the browser
    answers: dict[str, int | str] = field(default_factory=dict)  # role → status of the GET, or 登录 (signed out)
    downloads: bool = False

    def reason_left_out(self) -> str | None:
        if self.name in EXCLUDED:
            return EXCLUDED[self.name]
        if self.path.startswith("/api/"):
            return "JSON 接口"
        if self.path.endswith(DOWNLOAD_SUFFIXES) or self.downloads:
            return "下载文件"
        if set(self.answers.values()) - {"登录"} == {405}:
            return "只接受 POST"
        return None


def named_routes(world: type[PhoneWorld]) -> list[Route]:
    values, overrides = world.path_values(), world.overrides()
    found = []
    for route, pattern in routes():
        if route.startswith("admin/") or not pattern.name:
            continue
        choice = values | overrides.get(pattern.name, {})
        path = "/" + _PARAM.sub(lambda m, choice=choice: choice.get(m["name"], "1"), route)
        found.append(Route(pattern.name, path))
    return found


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def plan_visits(world: type[PhoneWorld], pages: list[Route]) -> dict[str, list[str]]:
    """Ask each route as each role with the test client (fast); the browser then opens what answered a page."""
    login = reverse("login")
    to_open: dict[str, list[str]] = {}
    for role, actor in ROLES.items():
        client = client_for(getattr(world, actor) if actor else None)
        paths: list[str] = []
        error_pages: set[int] = set()
        for page in pages:
            if page.name in EXCLUDED or page.path.startswith("/api/") or page.path.endswith(DOWNLOAD_SUFFIXES):
                continue
            if actor and page.path.startswith(PUBLIC_PAGES):
                continue
            response = client.get(page.path)
            status = response.status_code
            signed_out = status == 302 and response["Location"].startswith(login) and page.path != login
            page.answers[role] = "登录" if signed_out else status
            if status == 200 and "text/html" not in response.get("Content-Type", ""):
                page.downloads = True
                continue
            target = page.path if status == 200 else response.get("Location", "") if status in (301, 302) else ""
            if target.startswith(login) and page.path != login:
                target = ""
            if target:
                page.visits[role] = target
                if target not in paths:
                    paths.append(target)
            elif status in (400, 403, 404) and status not in error_pages:
                error_pages.add(status)
                paths.append(page.path)
        to_open[role] = paths
    return to_open


# Table cells whose short text (2–12 characters) is broken into lines of one or two characters.
STACKED = """() => [...document.querySelectorAll('main td, main th')].filter((cell) => {
  const text = cell.textContent.replace(/\\s+/g, '');
  if (text.length < 2 || text.length > 12) return false;
  const lines = new Set(), walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange(); range.selectNodeContents(node);
    for (const rect of range.getClientRects()) if (rect.width > 0) lines.add(Math.round(rect.top));
  }
  return lines.size > 1 && text.length / lines.size <= 2;
}).slice(0, 4).map((cell) => cell.textContent.trim())"""

OVERFLOW = """() => {
  const width = window.innerWidth, page = document.documentElement.scrollWidth;
  if (page <= width) return null;
  const inScroller = (e) => { for (let p = e.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
    return false; };
  const wide = [...document.querySelectorAll('main *, header *')]
    .filter((e) => e.getBoundingClientRect().right > width + 1 && !inScroller(e))
    .map((e) => `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).trim().replace(/\\s+/g, '.') : ''}`
      + ` (${Math.round(e.getBoundingClientRect().right)} px)`);
  return `${page} px wide: ` + wide.slice(0, 4).join(', ');
}"""
LAYOUT = f"() => ({{wide: ({OVERFLOW})(), stacked: ({STACKED})()}})"  # one round trip per page


def rating_problems(page) -> list[str]:
    """The requester's 1–5 rating reads 1 分 … 5 分 on one line."""
    boxes = [(label.bounding_box(), label.inner_text().strip()) for label in page.locator(".rating-choices label").all()]
    if len(boxes) != 5:
        return [f"{len(boxes)} rating choices instead of 5"]
    order = [text for box, text in sorted(boxes, key=lambda b: (round(b[0]["y"]), b[0]["x"]))]
    problems = [] if order == [f"{n} 分" for n in range(1, 6)] else [f"the rating reads {' '.join(order)}"]
    if len({round(box["y"]) for box, _ in boxes}) > 1:
        problems.append("the rating choices wrap onto two lines")
    return problems


def watch(page, report) -> None:
    """Report console errors (a CSP violation is one) and uncaught script errors. Chromium logs the 403/404 of
    the page itself as an error: the error pages are opened on purpose."""

    def on_console(message) -> None:
        own_status = "Failed to load resource" in message.text and message.location.get("url") == page.url
        if message.type == "error" and not own_status:
            report(f"console: {message.text} {message.location.get('url', '')}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: report(f"script error: {error}"))


@pytest.fixture
def world(transactional_db) -> type[PhoneWorld]:
    PhoneWorld.setUpTestData()
    return PhoneWorld


@requires_chromium
def test_every_page_fits_a_390_px_phone_for_every_role(live_server, world):
    pages = named_routes(world)
    to_open = plan_visits(world, pages)
    problems: list[str] = []
    rating_page = reverse("public-service-status", args=[world.served_order.code])
    assert rating_page in to_open["public"], "the requester's rating page is opened"
    with chromium() as browser:
        for role, actor in ROLES.items():
            context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
            if actor:
                client = client_for(getattr(world, actor))
                cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
                context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
            page = context.new_page()
            current = {"path": ""}
            watch(page, lambda text, role=role, current=current: problems.append(f"{role} {current['path']}: {text}"))
            for path in to_open[role]:
                current["path"] = path
                page.goto(f"{live_server.url}{path}", wait_until="domcontentloaded")
                layout = page.evaluate(LAYOUT)
                screenshot(page, f"{role}{path.rstrip('/').replace('/', '_')}.png")  # only with KESU_SCREENSHOTS=DIR
                if layout["wide"]:
                    problems.append(f"{role} {path}: wider than the {WIDTH} px screen, {layout['wide']}")
                if layout["stacked"]:
                    problems.append(f"{role} {path}: one or two characters per line in {layout['stacked']}")
                if role == "public" and path == rating_page:
                    problems.extend(f"public {path}: {p}" for p in rating_problems(page))
            context.close()
    unreached = [f"{p.name} {p.path} {p.answers}" for p in pages if not p.visits and not p.reason_left_out()]
    assert not unreached, ("named pages neither opened by any role nor left out with a reason (give them data in "
                           "PhoneWorld or a reason in EXCLUDED):\n" + "\n".join(unreached))
    assert not problems, f"{len(problems)} problems at {WIDTH} px:\n" + "\n".join(problems)

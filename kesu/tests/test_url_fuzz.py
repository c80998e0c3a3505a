"""Every route, as several roles, with valid-looking and malformed path arguments, malformed query parameters
and empty/garbage POST bodies: never a 500, never an English error page, and the API answers JSON with a
Chinese `detail`.

Routes come from the URL resolver, so a new page is fuzzed without touching this file (Django's own /admin/ is
left out). The query and form parameters a view reads are found in its source and its helpers'
(`request.GET.get("name")`, `id_param(request.POST, "name")`) and in the API's declared parameters. Roles: an
office admin (deep: every malformed value and POST bodies), a unit reporter, an outsider, and anonymous.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from kesu.api.actions import do_create_api_token
from kesu.api.api import api
from kesu.api.common import declared_query_names
from kesu.campaigns.actions import Invited, Involved, do_open_campaign, do_register_activity
from kesu.campaigns.tests.base import activity_data, campaign_data, png
from kesu.datasets.tests.base import shared_world
from kesu.funding.tests.base import funding_world
from kesu.meetings.actions import do_add_decision, do_record_meeting
from kesu.meetings.tests.base import meeting_data
from kesu.org.models import Membership
from kesu.plans.models import PendingImport
from kesu.testing import small_plan
from kesu.tracking.actions import do_open_cycle
from kesu.tracking.models import Report
from kesu.volunteering.models import ImportBatch, Volunteer
from kesu.volunteering.tests.base import ServiceTestCase
from kesu.volunteering.tests.test_imports import BASE_HEADER, xlsx
from kesu.workpoints.tests.base import workpoints_world

HUGE = "999999999999999999999"
MALFORMED = ["-1", "1e400", "nan", "", "0000-13-45", "x" * 300]  # and "abc", HUGE for each name alone
GENERIC_QUERY = ["year", "page", "cycle", "plan", "unit", "task", "j", "kind", "level", "team", "topic", "township",
                 "q", "limit", "offset", "next", "status", "state", "code", "all", "late", "id", "from", "until"]
STR_VALUES = {
    "kind": ["docx", "pdf", "volunteers", "teams", "bases", "activities", "responses", "x"],
    "move": ["claim", "accept", "x"],
    "action": ["confirm", "cancel", "dispute", "x"],
}
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
_READS = re.compile(r"request\.(?:GET|POST)(?:\.get|\.getlist)?\(\s*[\"'](\w+)[\"']|request\.(?:GET|POST)\[\s*[\"'](\w+)[\"']\]"
                    r"|_param\(request\.(?:GET|POST), [\"'](\w+)[\"']")
_ENGLISH = ("Not Found", "Bad Request", "Server Error", "Forbidden", "The requested resource", "Traceback")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$").replace("\\Z", "")
        if isinstance(pattern, URLResolver):
            yield from routes(pattern, route)
        else:
            yield route, pattern


def _api_query_names() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for _, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                names.setdefault(path.strip("/"), set()).update(declared_query_names(operation.view_func))
    return names


def _sources(func, depth: int = 2) -> Iterator[str]:
    """The source of a view and of the Kesu helpers it calls (two levels deep): where it reads parameters."""
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return
    yield source
    if depth:
        for name in set(re.findall(r"\b(\w+)\(", source)):
            helper = func.__globals__.get(name)
            if inspect.isfunction(helper) and helper.__module__.startswith("kesu.") and helper is not func:
                yield from _sources(inspect.unwrap(helper), depth - 1)


def query_names(route: str, pattern: URLPattern) -> set[str]:
    """The query and form parameters a view reads."""
    source = "\n".join(_sources(inspect.unwrap(pattern.callback)))
    names = {a or b or c for a, b, c in _READS.findall(source)}
    if route.startswith("api/"):
        wanted = _PARAM.sub("X", route[len("api/"):].strip("/"))
        for path, declared in _api_query_names().items():
            if re.sub(r"\{\w+\}", "X", path.strip("/")) == wanted:
                names |= declared
    return names


class UrlFuzzTest(ServiceTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        today = timezone.localdate()
        cls.cycle = do_open_cycle(cls.plan, cls.county_admin, "quarter", today.year, (today.month - 1) // 3 + 1,
                                  today)
        cls.reporter = get_user_model().objects.create_user("fuzz_reporter")
        Membership.objects.create(user=cls.reporter, jurisdiction=cls.county, role=Membership.Role.UNIT_REPORTER,
                                  unit=cls.kx)
        report = Report.objects.filter(cycle=cls.cycle).first()
        task = report.task
        cls.valid = {
            "plan_id": cls.plan.pk, "cycle_id": cls.cycle.pk, "report_id": report.pk, "task_id": task.pk,
            "section_id": task.section_id, "unit_id": cls.kx.pk, "target_id": task.targets.first().pk
            if task.targets.exists() else 1, "jurisdiction_id": cls.county.pk, "year": today.year,
            "team_id": cls.team_a.pk, "volunteer_id": Volunteer.objects.first().pk,
            "batch_id": ImportBatch.objects.create(jurisdiction=cls.county, kind="bases", name="b.xlsx",
                                                   data=xlsx([BASE_HEADER]), uploaded_by=cls.county_admin).pk,
            "pending_id": PendingImport.objects.create(jurisdiction=cls.county, uploaded_by=cls.county_admin,
                                                       source_name="p.txt", source_sha256="s",
                                                       parsed=small_plan(title="修订稿")).pk,
        }
        meeting = do_record_meeting(cls.county, cls.county_admin, meeting_data(), [cls.kx])
        cls.valid["meeting_id"] = meeting.pk
        cls.valid["decision_id"] = do_add_decision(meeting, cls.county_admin, "议定事项", today, [cls.kx]).pk
        cls.campaign = do_open_campaign(cls.county, cls.county_admin, campaign_data(), Invited([cls.kx], [cls.gucheng], []))
        cls.valid["campaign_id"] = cls.campaign.pk
        cls.valid |= shared_world(cls.county, cls.county_admin, cls.reporter, cls.kx, cls.gucheng)
        cls.valid |= funding_world(cls.county, cls.county_admin, cls.kx)
        cls.valid |= workpoints_world(cls.plan, cls.county_admin, cls.kx)

    def setUp(self) -> None:
        self.client.raise_request_exception = False
        self.place_order = self.place()
        self.valid["order_id"] = self.place_order.pk
        self.valid["code"] = self.place_order.code
        entry = do_register_activity(self.campaign, self.reporter, self.kx, None, activity_data(), {"elderly": 20}, [png()],
                                     Involved())  # its photo is stored in this test's media folder
        self.valid["evidence_id"] = entry.activity.evidence.get().pk
        self.failures: list[str] = []
        self.requests = 0

    # ------------------------------------------------------------------ helpers

    def _values(self, name: str, converter: str | None) -> list[str]:
        if converter == "int":
            return [str(self.valid.get(name, 1)), "0", HUGE]
        first = str(self.valid[name]) if name in self.valid else STR_VALUES.get(name, ["x"])[0]
        return [first, "x" * 300, HUGE]

    def urls(self, route: str) -> Iterator[str]:
        """The route with valid-looking arguments, then each argument in turn replaced by malformed ones."""
        params = list(_PARAM.finditer(route))

        def build(choice: dict[str, str]) -> str:
            return "/" + _PARAM.sub(lambda m: choice[m["name"]], route)

        base = {m["name"]: self._values(m["name"], m["converter"])[0] for m in params}
        yield build(base)
        for match in params:
            values = self._values(match["name"], match["converter"])
            for extra in STR_VALUES.get(match["name"], [])[1:]:
                yield build(base | {match["name"]: extra})
            for bad in values[1:]:
                yield build(base | {match["name"]: bad})

    def check(self, response, what: str) -> None:
        self.requests += 1
        status = response.status_code
        body = response.content.decode("utf-8", "replace") if not getattr(response, "streaming", False) else ""
        if status >= 500:
            self.failures.append(f"{status} {what}")
        elif what.split()[1].startswith("/api/") and status >= 400:
            try:
                detail = response.json()["detail"]
            except (ValueError, KeyError, TypeError):
                self.failures.append(f"{status} non-JSON API answer {what}: {body[:120]}")
                return
            messages = [d.get("msg", "") for d in detail] if isinstance(detail, list) else [detail]
            if not all(_CJK.search(str(m)) for m in messages):
                self.failures.append(f"{status} English API detail {what}: {detail}")
        elif status >= 400 and "html" in response.get("Content-Type", "") and any(e in body for e in _ENGLISH):
            self.failures.append(f"{status} English error page {what}: {body[:120]}")

    def fuzz(self, user, api_key: str | None = None, deep: bool = False) -> None:
        """Every route's URLs; then, on its valid-looking URL, one garbage query string with every known parameter
        name, and when `deep`: each malformed value for all the parameters the view reads at once, each parameter
        alone as text and as a huge number, and POSTs with an empty, a garbage form and a broken JSON body."""
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        for route, pattern in routes():
            if route.startswith("admin/"):
                continue
            if user is not None and self.client.session.get("_auth_user_id") != str(user.pk):
                self.client.force_login(user)  # the sign-out route was fuzzed too
            names = sorted(query_names(route, pattern) | ({"limit", "offset"} if route.startswith("api/") else set()))
            urls = list(self.urls(route))
            for url in urls:
                self.get(f"{url}", headers)
            url = urls[0]
            self.get(f"{url}?" + "&".join(f"{name}={quote(HUGE)}" for name in GENERIC_QUERY), headers)
            if not deep:
                continue
            for bad in MALFORMED if names else []:
                self.get(f"{url}?" + "&".join(f"{name}={quote(bad)}" for name in names), headers)
            for name in names:
                for bad in ("abc", HUGE):
                    self.get(f"{url}?{name}={bad}", headers)
            self.check(self.client.post(url, {}, headers=headers), f"POST {url} (empty)")
            garbage = {name: "abc" for name in GENERIC_QUERY + names} | {"version": HUGE, "points": "nan", "delta": "inf"}
            self.check(self.client.post(url, garbage, headers=headers), f"POST {url} (garbage)")
            self.check(self.client.post(url, b"{not json", content_type="application/json", headers=headers),
                       f"POST {url} (bad JSON)")

    def get(self, url: str, headers: dict[str, str]) -> None:
        self.check(self.client.get(url, headers=headers), f"GET {url}")

    def assertNoFailures(self) -> None:
        self.assertFalse(self.failures, f"{len(self.failures)} of {self.requests} requests failed:\n"
                         + "\n".join(self.failures))

    # ------------------------------------------------------------------ tests

    def test_admin_gets_and_posts_never_fail(self) -> None:
        key = do_create_api_token(self.county_admin, self.county_admin, name="fuzz", scope="read_write", days=30)[1]
        self.fuzz(self.county_admin, api_key=key, deep=True)
        self.assertNoFailures()

    def test_anonymous_never_fails(self) -> None:
        self.fuzz(None)
        self.assertNoFailures()

    def test_reporter_and_outsider_never_fail(self) -> None:
        key = do_create_api_token(self.reporter, self.reporter, name="fuzz", scope="read_write", days=30)[1]
        self.fuzz(self.reporter, api_key=key)
        self.fuzz(self.outsider)
        self.assertNoFailures()

    def test_every_route_is_fuzzed(self) -> None:
        """A route added to any urls.py is picked up: the resolver lists pages of every app and the API."""
        listed = [route for route, _ in routes()]
        for expected in ("plans/<int:plan_id>/assessment/<int:year>/rubric/", "service/settings/",
                         "survey/runs/<int:run_id>/", "api/plans/<plan_id>/scores"):
            self.assertTrue(any(r.startswith(expected) for r in listed), expected)

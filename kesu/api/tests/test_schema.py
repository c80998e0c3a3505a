"""The OpenAPI schema at /api/openapi.json, and schemathesis run against it through the real WSGI application:
every GET operation, as a seeded office user, a unit reporter, a supervisor and an outsider, with random and
with real ids. Checks: no server error, status codes, content types, headers and bodies as documented, and
authentication enforced (the same request without or with a wrong token is refused)."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.configuration import set_hypothesis_home_dir, storage_directory
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import kesu.wsgi
from kesu.api.tests.base import ApiTestCase
from kesu.funding.tests.base import funding_world
from kesu.plans.models import Plan
from kesu.tracking.actions import (
    do_add_evidence,
    do_adjust_score,
    do_approve_report,
    do_save_contribution,
    do_save_report,
    do_submit_report,
)
from kesu.tracking.assessment import rubric_for
from kesu.tracking.models import Activity
from kesu.volunteering import actions as service_actions
from kesu.volunteering.access import roles_of
from kesu.volunteering.hours import do_record_service
from kesu.volunteering.models import (
    ScienceBase,
    ServiceArea,
    ServiceRole,
    Team,
    TeamMembership,
    Topic,
    Volunteer,
)
from kesu.volunteering.tests.base import order_data

POSITIVE_CHECKS = [
    not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
    response_schema_conformance, ignored_auth,
]
# Not negative_data_rejection: it reports an "accepted invalid query" when the invalid part is lost on the
# way to the wire (the request sent is valid); unknown parameters are refused and tested in test_reports.
NEGATIVE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]
OPERATIONS = {
    ("GET", "/api/plans"), ("GET", "/api/plans/{plan_id}"), ("GET", "/api/plans/{plan_id}/tasks"),
    ("GET", "/api/plans/{plan_id}/cycles"), ("GET", "/api/plans/{plan_id}/reports"),
    ("GET", "/api/reports/{report_id}"), ("PUT", "/api/reports/{report_id}"),
    ("POST", "/api/reports/{report_id}/submit"), ("POST", "/api/reports/{report_id}/approve"),
    ("POST", "/api/reports/{report_id}/return"), ("GET", "/api/plans/{plan_id}/targets/progress"),
    ("GET", "/api/plans/{plan_id}/scores"), ("GET", "/api/jurisdictions/{jurisdiction_id}/rollup"),
    ("GET", "/api/service/orders"), ("GET", "/api/service/orders/{order_id}"),
    ("POST", "/api/service/orders/{order_id}/move"), ("POST", "/api/service/orders/{order_id}/record"),
    ("GET", "/api/service/teams"), ("GET", "/api/service/volunteers"), ("GET", "/api/service/volunteers/{volunteer_id}"),
    ("GET", "/api/service/volunteers/{volunteer_id}/hours"), ("GET", "/api/service/bases"),
    ("GET", "/api/service/activities"), ("GET", "/api/service/time-limits"),
    ("GET", "/api/jurisdictions/{jurisdiction_id}/funding"), ("GET", "/api/jurisdictions/{jurisdiction_id}/funding/areas"),
}
# Fewer examples for the volunteer-service operations: they add 11 operations to every role's run.
SERVICE_EXAMPLES = 5
PDF = b"%PDF-1.4\n%kesu schema test\n"


class OpenApiSchemaTests(ApiTestCase):
    def test_it_serves_the_schema_at_api_openapi_json_without_a_token(self):
        response = self.client.get("/api/openapi.json")
        self.assertEqual(response.status_code, 200)
        schema = response.json()
        self.assertTrue(schema["openapi"].startswith("3."))
        documented = {(method.upper(), path) for path, item in schema["paths"].items() for method in item}
        self.assertEqual(documented, OPERATIONS)
        self.assertEqual(schema["components"]["securitySchemes"], {"TokenAuth": {"type": "http", "scheme": "bearer"}})
        for path, item in schema["paths"].items():
            for method, operation in item.items():
                with self.subTest(operation=f"{method} {path}"):
                    self.assertEqual(operation["security"], [{"TokenAuth": []}])
                    self.assertTrue(operation["summary"])
                    self.assertTrue({"200", "401", "404", "422"} <= set(operation["responses"]))

    def test_it_serves_no_docs_page_and_nothing_from_a_cdn(self):
        self.assertEqual(self.client.get("/api/docs").status_code, 404)
        self.assertNotIn("cdn", self.client.get("/api/openapi.json").content.decode().lower())


class SchemathesisTests(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.media = tempfile.mkdtemp(prefix="kesu-api-media-")
        cls.enterClassContext(override_settings(MEDIA_ROOT=cls.media))
        cls.addClassCleanup(shutil.rmtree, cls.media, ignore_errors=True)
        # Hypothesis caches what it extracts from the code under .hypothesis/; keep that out of the project.
        cls.addClassCleanup(set_hypothesis_home_dir, storage_directory(intent_to_write=False).home_directory)
        set_hypothesis_home_dir(Path(cls.media) / "hypothesis")

    def setUp(self):
        super().setUp()
        # Real WSGI requests end with close_old_connections, which would drop the test's transaction;
        # Django's own test client switches it off the same way.
        for signal in (request_started, request_finished):
            signal.disconnect(close_old_connections)
            self.addCleanup(signal.connect, close_old_connections)
        self.seed()
        self.schema = schemathesis.openapi.from_wsgi("/api/openapi.json", kesu.wsgi.application)

    def seed(self) -> None:
        """Something in every state: an approved report with a value, evidence and a contribution, a draft,
        a score adjustment; the county's plan published so that an outsider gets answers too."""
        Plan.objects.filter(pk=self.plan.pk).update(status=Plan.Status.PUBLISHED)
        report = self.report_of(self.edu, "基础教育")
        target = report.task.targets.get()
        report = do_save_report(report, self.edu_reporter, report.version, "in_progress", "开展活动12场", {target.pk: 60})
        do_add_evidence(report, self.edu_reporter, SimpleUploadedFile("照片.pdf", PDF), False)
        do_save_contribution(report, self.kx, self.kx_reporter, "派出科技辅导员8人", None)
        report = do_submit_report(report, self.edu_reporter, report.version)
        self.approved = do_approve_report(report, self.county_admin)
        self.draft = self.report_of(self.kx)
        rubric = rubric_for(self.plan, self.cycle.year)
        do_adjust_score(rubric, self.kx, self.county_admin, 2.5, "科普日活动组织出色")
        self.seed_services()
        funding_world(self.county, self.county_admin, self.kx)

    def seed_services(self) -> None:
        """A served order with a record and hours, a dispatched one, a team with a volunteer, a base, an activity."""
        today = timezone.localdate()
        township = ServiceArea.objects.create(jurisdiction=self.county, kind="township", name="古城镇")
        topic = Topic.objects.create(jurisdiction=self.county, name="农业技术")
        team = Team.objects.create(jurisdiction=self.county, name="科协科普志愿服务队", unit=self.kx)
        ServiceRole.objects.create(user=self.kx_reporter, kind="team_admin", team=team)
        self.volunteer = Volunteer.objects.create(jurisdiction=self.county, name="王芳", id_number="110101199003074514",
                                                  phone="13800001111", registered_on=today - dt.timedelta(days=400))
        TeamMembership.objects.create(team=team, volunteer=self.volunteer, status="active",
                                      joined_on=today - dt.timedelta(days=300))
        roles = roles_of(self.county_admin)
        self.order = service_actions.do_submit_order(order_data(township, topic))
        service_actions.do_pool_order(self.order, self.county_admin, roles)
        service_actions.do_accept_order(self.order, self.kx_reporter, roles_of(self.kx_reporter), team)
        do_record_service(self.order, self.kx_reporter, roles_of(self.kx_reporter), {
            "served_on": today - dt.timedelta(days=1), "start_time": dt.time(9), "duration_hours": 2, "attendees": 30,
            "summary": "果树修剪", "volunteers": [self.volunteer]})
        dispatched = service_actions.do_submit_order(order_data(township, topic))
        service_actions.do_dispatch_order(dispatched, self.county_admin, roles, self.kx)
        ScienceBase.objects.create(jurisdiction=self.county, name="襄汾县科技馆", level="county", host="县科协",
                                   kind="venue", designated_year=today.year - 2)
        Activity.objects.create(plan=self.plan, unit=self.kx, kind=Activity.Kind.values[0], title="科普日",
                                held_on=today, participants=300)

    def run_operations(self, user, max_examples: int, methods: tuple[str, ...] = ("GET",)) -> int:
        headers = {"Authorization": f"Bearer {self.key_for(user)}"}
        real_ids = {"plan_id": self.plan.pk, "report_id": self.approved.pk, "order_id": self.order.pk,
                    "volunteer_id": self.volunteer.pk, "jurisdiction_id": self.county.pk}
        operations = [result.ok() for result in self.schema.get_all_operations()]
        operations = [op for op in operations if op.method.upper() in methods]
        self.assertEqual(len(operations), sum(1 for method, _ in OPERATIONS if method in methods))
        sent: list[int] = []

        def fuzz(strategy, checks, examples: int):
            @hypothesis_settings(
                max_examples=examples, deadline=None, database=None, derandomize=True,
                phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def check(case):
                response = case.call_and_validate(headers=headers, checks=checks)
                sent.append(response.status_code)

            return check

        for operation in operations:
            fixed = {name: value for name, value in real_ids.items() if f"{{{name}}}" in operation.path}
            runs = [(GenerationMode.POSITIVE, {}, POSITIVE_CHECKS), (GenerationMode.NEGATIVE, {}, NEGATIVE_CHECKS)]
            if fixed:
                runs.append((GenerationMode.POSITIVE, fixed, POSITIVE_CHECKS))
            for mode, path_parameters, checks in runs:
                strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters or None)
                with self.subTest(user=user.username, operation=operation.label, mode=mode.value, ids=bool(path_parameters)):
                    examples = min(max_examples, SERVICE_EXAMPLES) if "/service/" in operation.path else max_examples
                    fuzz(strategy, checks, examples)()
        self.statuses = sorted(set(sent))
        return len(sent)

    def test_it_passes_schemathesis_as_the_office(self):
        self.assertGreater(self.run_operations(self.county_admin, max_examples=20), 100)

    def test_it_passes_schemathesis_as_an_outsider(self):
        self.assertGreater(self.run_operations(self.outsider, max_examples=20), 100)

    def test_it_passes_schemathesis_as_a_unit_reporter_and_a_supervisor(self):
        for user in (self.edu_reporter, self.city_leader):
            self.assertGreater(self.run_operations(user, max_examples=8), 40)

    def test_it_passes_schemathesis_on_the_write_operations(self):
        """PUT/POST as the office (which may only review) and as an outsider (who sees nothing): every refusal
        is documented; the test's transaction takes any change back."""
        for user in (self.county_admin, self.outsider):
            self.assertGreater(self.run_operations(user, max_examples=8, methods=("PUT", "POST")), 40)

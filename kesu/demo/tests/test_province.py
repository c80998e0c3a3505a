"""The demo data generator at small scale: 1 province, 2 cities, 4 counties, one year of quarterly reports."""

from __future__ import annotations

import io
import shutil
import tempfile
import unittest

from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from kesu.demo.province import SMALL, DemoDataExists, build_province
from kesu.domain.reporting_periods import quarter_of
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.plans.models import Plan, Target
from kesu.testing import shared_dir
from kesu.tracking.models import Activity, Evidence, Report, ReportingCycle, TargetValue, TrackingEvent

SEEDS = shared_dir() / "seeds"


@unittest.skipUnless(SEEDS.is_dir(), f"seed plans not found in {SEEDS}")
class SmallDemoDataTests(TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.media = tempfile.mkdtemp(prefix="kesu-demo-media-")  # the placeholder evidence files
        super().setUpClass()

    @classmethod
    def setUpTestData(cls) -> None:
        with override_settings(MEDIA_ROOT=cls.media):
            cls.summary = build_province(SEEDS, **SMALL)
        cls.province = Jurisdiction.objects.get(name="示范省")

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(cls.media, ignore_errors=True)

    def test_it_builds_the_jurisdiction_tree_with_a_plan_each(self):
        self.assertEqual(Jurisdiction.objects.filter(path__startswith=self.province.path).count(), 7)
        self.assertEqual(Jurisdiction.objects.filter(parent=self.province, level="city").count(), 2)
        counties = Jurisdiction.objects.filter(level="county", path__startswith=self.province.path)
        self.assertEqual(counties.count(), 4)
        self.assertTrue(all(c.parent.parent_id == self.province.pk for c in counties))
        self.assertEqual(Plan.objects.filter(jurisdiction__path__startswith=self.province.path, status="published").count(), 6)
        self.assertEqual((self.summary.jurisdictions, self.summary.plans), (7, 6))

    def test_every_plan_is_rewritten_for_its_own_jurisdiction_with_forty_units(self):
        for plan in Plan.objects.filter(jurisdiction__path__startswith=self.province.path).select_related("jurisdiction"):
            self.assertIn(plan.jurisdiction.name, plan.title)
            self.assertEqual(MemberUnit.objects.filter(jurisdiction=plan.jurisdiction).count(), 40, plan.jurisdiction)
        names = " ".join(MemberUnit.objects.values_list("name", flat=True))
        for seed_name in ("襄汾", "晋城", "乌海", "正宁"):
            self.assertNotIn(seed_name, names)

    def test_the_plans_run_over_the_current_years(self):
        year = timezone.localdate().year
        plans = Plan.objects.filter(jurisdiction__path__startswith=self.province.path)
        for plan in plans:
            self.assertEqual(plan.period_end, year + 1)
            self.assertIn(f"{year + 1}年", plan.title)
        years = set(Target.objects.filter(task__section__plan__in=plans, year__isnull=False).values_list("year", flat=True))
        self.assertEqual(years, {year + 1})

    def test_this_years_quarters_so_far_with_one_report_per_lead_unit_and_measure(self):
        today = timezone.localdate()
        quarters = quarter_of(today).number
        self.assertEqual(ReportingCycle.objects.count(), 6 * quarters)
        self.assertEqual(set(ReportingCycle.objects.values_list("year", flat=True)), {today.year})
        self.assertEqual(self.summary.cycles, 6 * quarters)
        self.assertEqual(ReportingCycle.objects.filter(deadline__gte=today).count(), 6, "this quarter is open")
        reports = Report.objects.filter(cycle__plan__jurisdiction__path__startswith=self.province.path)
        self.assertEqual(reports.count(), self.summary.reports)
        self.assertGreater(self.summary.reports, 6 * 4 * 30)
        per_cycle = reports.values("cycle").annotate(n=Count("id")).values_list("cycle__plan", "n")
        sizes: dict[int, set[int]] = {}
        for plan, n in per_cycle:
            sizes.setdefault(plan, set()).add(n)
        self.assertEqual(len(sizes), 6)
        self.assertTrue(all(len(n) == 1 for n in sizes.values()), "every cycle of a plan has the same reports")

    def test_states_are_realistic_most_approved_the_latest_cycle_still_open(self):
        states = dict(Report.objects.values("state").annotate(n=Count("id")).values_list("state", "n"))
        self.assertGreater(states["approved"], 0.6 * sum(states.values()))
        latest = Report.objects.filter(cycle__deadline__gte=timezone.localdate())
        self.assertTrue(latest.filter(state="draft").exists())
        self.assertTrue(latest.filter(state="submitted").exists())
        self.assertFalse(Report.objects.filter(state="approved", reviewed_at__isnull=True).exists())
        self.assertFalse(Report.objects.filter(state="draft", first_submitted_at__isnull=False).exists())
        late = [r for r in Report.objects.filter(first_submitted_at__isnull=False).select_related("cycle")[:500] if not r.on_time]
        self.assertTrue(late, "some reports were first submitted after the deadline")

    def test_values_evidence_activities_and_history(self):
        self.assertEqual(TargetValue.objects.count(), self.summary.target_values)
        self.assertGreater(self.summary.target_values, 0)
        self.assertEqual(Evidence.objects.count(), self.summary.evidence)
        self.assertGreater(Evidence.objects.filter(report__isnull=False).count(), self.summary.reports // 2)
        self.assertGreater(Activity.objects.count(), 0)
        self.assertEqual(TrackingEvent.objects.count(), self.summary.events)
        self.assertEqual(TrackingEvent.objects.filter(kind="report_approved").count(),
                         Report.objects.filter(state="approved").count())
        self.assertEqual(TrackingEvent.objects.filter(kind="cycle_opened").count(), self.summary.cycles)
        self.assertLess(TrackingEvent.objects.order_by("-at").first().at, timezone.now(), "history keeps historical times")
        self.assertLess(TrackingEvent.objects.order_by("at").first().at.date(), quarter_of(timezone.localdate()).starts_on)

    def test_accounts_can_sign_in_and_download_evidence(self):
        admins = Membership.objects.filter(role="office_admin", jurisdiction__path__startswith=self.province.path)
        self.assertEqual(admins.count(), 7)
        self.assertTrue(Membership.objects.filter(role="viewer", jurisdiction__level="city").exists())
        self.assertTrue(Membership.objects.filter(role="unit_reporter", unit__isnull=False).exists())
        signed_in = self.client.post(reverse("login"), {"username": "shifan", "password": "kesu2026"})
        self.assertEqual(signed_in.status_code, 302)  # through the sign-in page and its lockout check
        evidence = Evidence.objects.filter(report__state="approved").first()
        with self.settings(MEDIA_ROOT=self.media):  # where the build put the placeholder files
            response = self.client.get(reverse("tracking-evidence", args=[evidence.pk]))
            self.assertEqual(response.status_code, 200)
            self.assertTrue(b"".join(response.streaming_content))
        cycle = ReportingCycle.objects.select_related("plan").first()
        self.assertEqual(self.client.get(reverse("tracking-cycle", args=[cycle.plan_id, cycle.pk])).status_code, 200)

    def test_it_refuses_to_run_twice(self):
        with self.assertRaises(DemoDataExists):
            build_province(SEEDS, **SMALL)
        with self.assertRaisesMessage(CommandError, "已存在"):
            call_command("demo_data", "--scale", "small", "--seeds", str(SEEDS), "--no-migrate", stdout=io.StringIO())

"""`kesu demo --no-serve` (what `make demo` runs before serving): the seed plans under their real jurisdictions,
the demo accounts printed, the survey, the 示范省 reports and the volunteer-service county — end to end, and on
today's clock: built on any day (here two days computed from today, "today" patched), it has a cycle open to
fill for the seed plans and for 示范省, submitted reports to review, returned ones and a service order to dispatch.
"""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from kesu.demo.management.commands.demo import default_seeds
from kesu.domain.reporting_periods import quarter_of
from kesu.org.models import Jurisdiction
from kesu.plans.current import current_plan_of
from kesu.plans.models import Plan, Target
from kesu.tracking.models import Report, ReportingCycle
from kesu.volunteering.models import ServiceOrder


def first_day_of_next_quarter() -> dt.date:
    return quarter_of(timezone.localdate()).ends_on + dt.timedelta(days=1)


class DemoCommandTest(TestCase):
    def build_demo_on(self, day: dt.date) -> str:
        if not default_seeds().is_dir():
            self.skipTest(f"找不到示例方案目录 {default_seeds()}")
        now = dt.datetime.combine(day, dt.time(10, 30), tzinfo=timezone.get_default_timezone())
        out = io.StringIO()
        with mock.patch("django.utils.timezone.now", return_value=now):
            call_command("demo", no_serve=True, stdout=out)
        return out.getvalue()

    def assert_alive_on(self, day: dt.date) -> None:
        open_cycles = ReportingCycle.objects.filter(deadline__gte=day, opened_at__date__lte=day)
        jincheng_plan = current_plan_of(Jurisdiction.objects.get(name="晋城市"))  # the 2026–2030 successor
        self.assertTrue(open_cycles.filter(plan=jincheng_plan).exists(), "晋城市 has no open cycle")
        self.assertTrue(open_cycles.filter(plan__jurisdiction__path__startswith=Jurisdiction.objects.get(name="示范省").path)
                        .exists(), "示范省 has no open cycle")
        in_open = Report.objects.filter(cycle__in=open_cycles)
        for state in ("submitted", "returned", "draft", "approved"):
            self.assertTrue(in_open.filter(state=state, cycle__plan=jincheng_plan).exists(), f"晋城市: no {state}")
        self.assertTrue(ServiceOrder.objects.filter(state="submitted").exists(), "no service order to dispatch")
        history = Report.objects.filter(cycle__plan__jurisdiction__name="晋城市", cycle__deadline__lt=day, state="approved")
        self.assertGreater(history.count(), 20)

    def assert_succession(self) -> None:
        """晋城市's 2021–2025 plan ended with its evaluation written; the made-up 2026–2030 plan carries baselines."""
        old = Plan.objects.get(jurisdiction__name="晋城市", period_start=2021)
        new = Plan.objects.get(predecessor=old)
        self.assertEqual(old.status, Plan.Status.ENDED)
        self.assertTrue(old.evaluation_texts.exists())
        self.assertEqual(new.status, Plan.Status.PUBLISHED)
        self.assertTrue(Target.objects.filter(task__section__plan=new, baseline__isnull=False).exists())
        self.assertTrue(new.cycles.exists())

    def test_it_builds_the_whole_demo_and_prints_the_accounts(self):
        day = first_day_of_next_quarter()  # the edge: the last quarter's cycle still open, the new one just opened
        printed = self.build_demo_on(day)
        self.assertIn("演示账号（密码均为 kesu2026）", printed)
        for username in ("admin", "jincheng", "xiangfen", "jincheng-leader"):
            self.assertIn(username, printed)
            self.assertTrue(get_user_model().objects.filter(username=username).exists(), username)
        self.assertEqual(Jurisdiction.objects.get(name="晋城市").parent.name, "山西省")
        self.assertGreaterEqual(Plan.objects.filter(status=Plan.Status.PUBLISHED).count(), 5)
        self.assertIn("志愿服务演示数据", printed)
        self.assert_succession()
        self.assert_alive_on(day)

    def test_it_lives_on_another_day_too_and_the_first_account_has_a_working_dashboard(self):
        day = timezone.localdate() + dt.timedelta(days=200)
        self.build_demo_on(day)
        self.assert_alive_on(day)
        plan = current_plan_of(Jurisdiction.objects.get(name="晋城市"))
        with mock.patch("django.utils.timezone.now", return_value=dt.datetime.combine(
                day, dt.time(11), tzinfo=timezone.get_default_timezone())):
            self.client.force_login(get_user_model().objects.get(username="jincheng"))
            page = self.client.get(reverse("tracking-dashboard", args=[plan.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "尚未开启填报")
        self.assertContains(page, "报送率")

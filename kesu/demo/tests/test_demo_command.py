"""`kesu demo --no-serve` (what `make demo` runs before serving): the seed plans under their real jurisdictions,
the demo accounts printed, the survey, the 示范省 reports and the volunteer-service county — end to end."""

from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from kesu.demo.management.commands.demo import default_seeds
from kesu.org.models import Jurisdiction
from kesu.plans.models import Plan


class DemoCommandTest(TestCase):
    def test_it_builds_the_whole_demo_and_prints_the_accounts(self):
        if not default_seeds().is_dir():
            self.skipTest(f"找不到示例方案目录 {default_seeds()}")
        out = io.StringIO()
        call_command("demo", no_serve=True, stdout=out)
        printed = out.getvalue()
        self.assertIn("演示账号（密码均为 kesu2026）", printed)
        for username in ("admin", "jincheng", "xiangfen", "jincheng-leader"):
            self.assertIn(username, printed)
            self.assertTrue(get_user_model().objects.filter(username=username).exists(), username)
        self.assertEqual(Jurisdiction.objects.get(name="晋城市").parent.name, "山西省")
        self.assertGreaterEqual(Plan.objects.filter(status=Plan.Status.PUBLISHED).count(), 5)
        self.assertIn("志愿服务演示数据", printed)

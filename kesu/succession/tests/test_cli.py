"""`kesu plan import FILE --jurisdiction X` for a successor: the proposals are printed; --yes confirms them (the
same action as the page) and ends the old plan; an overlapping plan needs --overlap."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kesu.demo.succession import FIXTURE
from kesu.plans.models import Plan
from kesu.succession.models import Succession
from kesu.testing import BaseTestCase, shared_dir

SEED = shared_dir() / "seeds" / "000_723ff2c0e97ff852.txt"


class ImportCommandTests(BaseTestCase):
    def run_import(self, path, *args: str) -> str:
        out = io.StringIO()
        call_command("import_plan", str(path), "--jurisdiction", "晋城市", *args, stdout=out)
        return out.getvalue()

    def test_proposals_are_printed_then_confirmed_with_yes(self):
        if not SEED.exists():
            pytest.skip(f"找不到示例方案 {SEED}")
        self.run_import(SEED)
        printed = self.run_import(FIXTURE)
        self.assertIn("衔接建议", printed)
        self.assertIn("措施：健全基层科普服务体系 ← 健全基层科普服务体系（措施名称相同）", printed)
        self.assertIn("尚未确认", printed)
        self.assertFalse(Succession.objects.exists())
        printed = self.run_import(FIXTURE, "--yes")  # the same document again: nothing changes but the confirmation
        self.assertIn("已确认", printed)
        old = Plan.objects.get(jurisdiction__name="晋城市", period_start=2021)
        self.assertEqual(old.status, Plan.Status.ENDED)
        self.assertIn("已经确认过", self.run_import(FIXTURE, "--yes"))

    def test_an_overlapping_plan_needs_overlap(self):
        if not SEED.exists():
            pytest.skip(f"找不到示例方案 {SEED}")
        self.run_import(SEED)
        folder = Path(tempfile.mkdtemp())
        path = folder / "overlap.txt"
        path.write_text(FIXTURE.read_text(encoding="utf-8").replace("2026—2030", "2025—2029"), encoding="utf-8")
        with self.assertRaisesMessage(CommandError, "确认两个方案期限重叠"):
            self.run_import(path)
        self.assertEqual(Plan.objects.count(), 1)
        self.assertIn("衔接建议", self.run_import(path, "--overlap"))
        self.assertEqual(Plan.objects.filter(jurisdiction__name="晋城市").count(), 2)

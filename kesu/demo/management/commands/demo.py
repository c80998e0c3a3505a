"""kesu demo: database, the seed plans, demo accounts (printed), then the site on 127.0.0.1:8000."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kesu.demo.accounts import DEMO_PASSWORD, do_create_demo_accounts, do_create_demo_jurisdictions
from kesu.demo.campaigns import load_demo_campaigns
from kesu.demo.funding import load_demo_funding
from kesu.demo.leading_group import load_demo_evaluation, load_demo_liaisons, load_demo_training
from kesu.demo.meetings import load_demo_meetings
from kesu.demo.province import build_history
from kesu.demo.statistics import REPORTER as STATISTICS_REPORTER
from kesu.demo.statistics import load_demo_statistics
from kesu.demo.succession import add_old_targets, confirm_successor, import_successor
from kesu.demo.survey import load_demo_survey
from kesu.demo.work_points import REPORTER, load_demo_work_points
from kesu.domain.jurisdiction_names import level_from_name
from kesu.org.models import Jurisdiction
from kesu.plans.actions import do_ensure_jurisdiction, do_import_plan, do_set_plan_status
from kesu.plans.importing import DocumentError, parse_path
from kesu.plans.models import Plan


def pad(text: str, width: int) -> str:
    """Left-align in a terminal where each Chinese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


def default_seeds() -> Path:
    shared = Path(os.environ.get("KESU_SHARED", settings.PROJECT_DIR.parent / "shared"))
    return shared / "seeds"


class Command(BaseCommand):
    help = "建立演示环境：迁移数据库、导入示例方案、创建演示账号并启动网站"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seeds", type=Path, default=None, help="示例方案所在目录（默认 ../shared/seeds）")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动网站")
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def _survey_demo(self) -> None:
        """The synthetic demo survey of 晋城市 and its counties, estimated by the real job code."""
        jincheng = Jurisdiction.objects.filter(name="晋城市").first()
        office = get_user_model().objects.filter(username="jincheng").first()
        if jincheng and office:
            run = load_demo_survey(jincheng, office)
            self.stdout.write(f"\n演示调查：{jincheng.name} {run.year}年（/survey/runs/{run.pk}/）")
            meeting = load_demo_meetings(jincheng, office)
            if meeting:
                self.stdout.write(f"演示领导小组会议：{jincheng.name}（/meetings/{meeting.pk}/）")
            people = load_demo_liaisons(jincheng, office)
            load_demo_training(jincheng, office)
            workplan = load_demo_work_points(jincheng, office)
            if workplan:
                self.stdout.write(f"演示年度工作要点：{jincheng.name} {workplan.year}年（/plans/{workplan.plan_id}/workpoints/{workplan.year}/），"
                                  f"市教育局填报员 {REPORTER}")
            if people:
                self.stdout.write(f"演示联络员名册：{jincheng.name} {people} 人次")
            ended = Plan.objects.filter(jurisdiction=jincheng, period_end__lt=timezone.localdate().year).order_by("-period_end").first()
            if ended:
                load_demo_evaluation(ended, office)
            self._confirm_successor(jincheng, office)

    def _funding_demo(self) -> None:
        """Two years of 科普经费 for 晋城市 and 襄汾县 (with 山西省's per-capita standard)."""
        for name, login in (("晋城市", "jincheng"), ("襄汾县", "xiangfen")):
            jurisdiction = Jurisdiction.objects.filter(name=name).first()
            office = get_user_model().objects.filter(username=login).first()
            if jurisdiction and office and load_demo_funding(jurisdiction, office):
                self.stdout.write(f"演示科普经费：{name}（/jurisdictions/{jurisdiction.pk}/funding/）")

    def _statistics_demo(self) -> None:
        """襄汾县's 统计报表 (kesu.demo.statistics), after the service demo that gives it townships, bases and activities."""
        county = Jurisdiction.objects.filter(name="襄汾县").first()
        office = get_user_model().objects.filter(username="xiangfen").first()
        if county and office:
            round_ = load_demo_statistics(county, office)
            if round_:
                self.stdout.write(f"\n演示统计报表：{county.name}{round_}（/datasets/rounds/{round_.pk}/），县科协填报员 {STATISTICS_REPORTER}")

    def _successor(self, plans: list[Plan]) -> None:
        """晋城市's made-up 2026–2030 plan (kesu.demo.succession): imported after the seed plans' history (whose final
        values become its baselines), reporting this year; its links are confirmed after the old plan's evaluation."""
        office = get_user_model().objects.filter(username="jincheng").first()
        jincheng = next((p.jurisdiction for p in plans if p.jurisdiction.name == "晋城市"), None)
        if jincheng is not None and office is not None:
            plan = import_successor(jincheng, office)
            if plan is not None:
                self.stdout.write(f"\n后续方案：{jincheng.name}《{plan.title}》（示例文件，内容为虚构；/plans/{plan.pk}/succession/）")

    def _confirm_successor(self, jincheng: Jurisdiction, office) -> None:
        plan = Plan.objects.filter(jurisdiction=jincheng, predecessor__isnull=False).first()
        if plan is not None and confirm_successor(plan, office) is not None:
            self.stdout.write(f"方案衔接已确认：《{plan.predecessor.title}》已结束（只读），现行方案为《{plan.title}》")

    def _seed_history(self, plans: list[Plan]) -> None:
        """The seed plans' last two years of quarterly reports, and a cycle open today (their final report)."""
        summary = build_history(plans)
        self.stdout.write(f"\n示例方案的填报记录：{summary.plans} 份方案，{summary.cycles} 个周期，{summary.reports} 份报告"
                          f"（{summary.seconds:.1f} 秒）")

    def _tracking_demo(self, seeds: Path) -> None:
        """A small 示范省 with a year of reports, reviews and scores, so dashboards have something to show."""
        self.stdout.write("\n进展填报演示数据（示范省）：")
        try:
            call_command("demo_data", scale="small", seeds=seeds, no_migrate=True, stdout=self.stdout)
        except CommandError as error:
            self.stdout.write(f"  {error}")

    def handle(self, *args, **options) -> None:
        seeds: Path = options["seeds"] or default_seeds()
        if not seeds.is_dir():
            raise CommandError(f"找不到示例方案目录 {seeds}（可用 --seeds 指定）")
        call_command("migrate", interactive=False, verbosity=0)
        demo_jurisdictions = do_create_demo_jurisdictions()
        imported: set[str] = set()
        plans: list[Plan] = []
        for path in sorted(p for p in seeds.iterdir() if p.suffix.lower() in {".txt", ".docx", ".pdf"}):
            try:
                parsed, sha = parse_path(path)
            except DocumentError as error:
                self.stderr.write(f"跳过 {path.name}：{error}")
                continue
            name = parsed["jurisdiction"]["name"]
            jurisdiction = demo_jurisdictions.get(name) or do_ensure_jurisdiction(
                name, parsed["jurisdiction"].get("level") or level_from_name(name)
            )
            outcome = do_import_plan(
                parsed, jurisdiction=jurisdiction, source_name=path.name, source_sha256=sha, actor=None, confirm=True
            )
            if outcome.created and parsed.get("issued_on"):  # issued documents are public; drafts stay unpublished
                do_set_plan_status(outcome.plan, None, Plan.Status.PUBLISHED)
            imported.add(name)
            plans.append(outcome.plan)
            self.stdout.write(f"  {name}：《{outcome.plan.title}》")
        accounts = do_create_demo_accounts(imported)
        for plan in plans:
            if plan.jurisdiction.name == "晋城市":
                add_old_targets(plan)  # the measure targets that carry into the 2026–2030 plan (kesu.demo.succession)
        self._seed_history(plans)
        self._successor(plans)
        self._survey_demo()
        self._funding_demo()
        self._tracking_demo(seeds)
        self.stdout.write("\n志愿服务演示数据：")
        call_command("service_demo", stdout=self.stdout)
        for campaign in load_demo_campaigns():
            self.stdout.write(f"演示主题活动：{campaign.jurisdiction.name}{campaign}（/campaigns/{campaign.pk}/）")
        self._statistics_demo()
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for account in accounts:
            self.stdout.write(f"  {account.username:<18} {pad(account.jurisdiction, 14)} {account.role}")
        if options["no_serve"]:
            return
        self.stdout.write(f"\n网站地址：http://{options['addr']}/  （Ctrl+C 停止）\n")
        # Served as in production (gunicorn, two workers are plenty for a demo), with the background jobs
        # (reminders, summaries…) in their own process.
        kesu = [sys.executable, "-m", "kesu.cli"]
        worker = subprocess.Popen([*kesu, "worker", "--interval", "20"])
        try:
            subprocess.run([*kesu, "serve", "--bind", options["addr"]], env={"KESU_WORKERS": "2", **os.environ})
        finally:
            worker.terminate()

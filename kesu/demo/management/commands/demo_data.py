"""kesu demo_data --scale province|small [--seeds DIR]: a province-sized (or small) demo data set.

province: 1 province, 14 cities, 100 counties (plans from the seeds, ~40 member units each), five years of
quarterly reports with evidence metadata, activities and history; small: 2 cities, 4 counties, 1 year.
Refuses to run twice on the same database. Prints the counts, the time taken and the demo accounts.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from kesu.demo.accounts import DEMO_PASSWORD
from kesu.demo.management.commands.demo import default_seeds, pad
from kesu.demo.province import SMALL, DemoDataExists, build_province
from kesu.plans.importing import DocumentError

SCALES = {"province": {}, "small": SMALL}
ANALYZE_TABLES = [
    "org_jurisdiction", "org_memberunit", "org_membership", "plans_plan", "plans_section", "plans_task",
    "plans_responsibility", "plans_target", "tracking_reportingcycle", "tracking_report", "tracking_targetvalue",
    "tracking_evidence", "tracking_activity", "tracking_trackingevent",
]


class Command(BaseCommand):
    help = "生成省级规模的演示数据（1 个省、14 个市、100 个县，5 年季度填报）；--scale small 用于测试"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="province")
        parser.add_argument("--seeds", type=Path, default=None, help="示例方案所在目录（默认 ../shared/seeds）")
        parser.add_argument("--seed", type=int, default=1, help="随机数种子（相同种子生成相同数据）")
        parser.add_argument("--no-migrate", action="store_true", help="不先执行数据库迁移")
        parser.add_argument("--all-accounts", action="store_true", help="列出全部演示账号（默认只列出一部分）")

    def handle(self, *args, **options) -> None:
        seeds: Path = options["seeds"] or default_seeds()
        if not seeds.is_dir():
            raise CommandError(f"找不到示例方案目录 {seeds}（可用 --seeds 指定）")
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        started = time.monotonic()
        self.stdout.write(f"生成演示数据（{options['scale']}，数据库 {connection.vendor}）……")
        try:
            summary = build_province(seeds, rng_seed=options["seed"], log=self.stdout.write, **SCALES[options["scale"]])
        except DemoDataExists as error:
            raise CommandError(str(error)) from error
        except DocumentError as error:
            raise CommandError(f"示例方案无法使用：{error}") from error
        if connection.vendor == "postgresql":  # fresh statistics, so the planner sees the new row counts at once
            with connection.cursor() as cursor:
                for table in ANALYZE_TABLES:
                    cursor.execute(f"ANALYZE {table}")
        self.stdout.write("")
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(f"总用时 {time.monotonic() - started:.1f} 秒")
        accounts = summary.accounts
        shown = accounts if options["all_accounts"] else self._some(accounts)
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for account in shown:
            self.stdout.write(f"  {account.username:<20} {pad(account.jurisdiction, 10)} {account.role}")
        if len(shown) < len(accounts):
            self.stdout.write(f"  ……共 {len(accounts)} 个账号（每个县都有办公室管理员账号；--all-accounts 列出全部）")

    @staticmethod
    def _some(accounts):
        """Province and city accounts, the first county admins, and every unit reporter."""
        counties_shown, shown = 0, []
        for account in accounts:
            is_county_admin = account.role.startswith("科协办公室") and account.jurisdiction.endswith(("县", "区"))
            if is_county_admin:
                counties_shown += 1
                if counties_shown > 5:
                    continue
            shown.append(account)
        return shown

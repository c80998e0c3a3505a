"""kesu run_jobs [--loop SECONDS]: the background work — reminders now, report generation as it is queued.

Run it from cron/systemd every few minutes, or once with --loop to keep polling (what `make demo` does).
Work is claimed row by row with atomic updates, so several workers can run side by side.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser

from kesu.jobs import run_due_jobs


class Command(BaseCommand):
    help = "执行到期的后台任务（填报提醒、年度总结生成）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", type=int, default=0, help="每隔多少秒轮询一次（0 表示只执行一次）")

    def handle(self, *args, **options) -> None:
        while True:
            for name, count in run_due_jobs().items():
                if count:
                    self.stdout.write(f"{name}: {count}")
            if not options["loop"]:
                return
            time.sleep(options["loop"])

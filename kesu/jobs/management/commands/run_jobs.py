"""kesu run_jobs [--loop SECONDS]: the background work (kesu/jobs/__init__.py) — reminders, summaries, survey checks and
estimates, overdue service orders, notifications.

Run it from cron/systemd every few minutes, or once with --loop to keep polling (`kesu worker`, `make demo`).
A job that raises is logged and the loop goes on; SIGTERM or SIGINT lets the current job finish, then stops.
Work is claimed row by row with atomic updates and leases, so several workers can run side by side.
"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from kesu.domain.number_bounds import LOOP_SECONDS, argument_type
from kesu.jobs import run_due_jobs

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Command(BaseCommand):
    help = "执行到期的后台任务（填报提醒、年度总结、调查数据检查与估计、服务单超时、通知发送）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", type=argument_type(LOOP_SECONDS, "轮询间隔"), default=0,
                            help="每隔多少秒轮询一次（0 表示只执行一次）")

    def handle(self, *args, **options) -> None:
        stopping = threading.Event()
        handles_signals = threading.current_thread() is threading.main_thread()  # signals reach the main thread only
        previous = {sig: signal.signal(sig, lambda *_: stopping.set()) for sig in STOP_SIGNALS} if handles_signals else {}
        try:
            while not stopping.is_set():
                close_old_connections()
                self.report(run_due_jobs(stopping.is_set))
                if not options["loop"]:
                    return
                stopping.wait(options["loop"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def report(self, results: dict[str, int | None]) -> None:
        for name, count in results.items():
            if count is None:
                self.stderr.write(f"{name}：失败（详情见日志）")
            elif count:
                self.stdout.write(f"{name}: {count}")

"""The background jobs `kesu run_jobs` polls, each a function returning how much work it did.

Each job claims its rows with an atomic UPDATE and holds a lease on what it works (kesu/infra/leases.py), so
several workers can run side by side and work whose runner died is retried; no broker. Each job runs on its
own: one that raises is logged and the others still run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import close_old_connections
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

JOBS: list[tuple[str, str]] = [
    ("填报提醒", "kesu.tracking.actions.do_send_due_reminders"),
    ("统计报表提醒", "kesu.datasets.actions.do_send_due_data_reminders"),
    ("年度总结", "kesu.tracking.summary.job.do_produce_queued_summaries"),
    ("调查数据检查", "kesu.survey.jobs.do_validate_queued_uploads"),
    ("科学素质估计", "kesu.survey.jobs.do_run_queued_estimates"),
    ("服务单超时升级", "kesu.volunteering.actions.do_escalate_overdue_orders"),
    ("清理点单限流计数", "kesu.volunteering.throttle.do_purge_rate_counters"),
    ("发送通知", "kesu.notices.outbox.do_deliver_outbox"),
]


def run_job(label: str, path: str) -> int | None:
    """Run one job; None when it raised (the traceback is logged, nothing propagates)."""
    try:
        return import_string(path)()
    except Exception:
        log.exception("background job %s (%s) failed", label, path)
        close_old_connections()  # a broken database connection is replaced before the next job
        return None


def run_due_jobs(stop: Callable[[], bool] = lambda: False) -> dict[str, int | None]:
    """Run every job once, in order; `stop()` is asked between jobs (a stop request lets the current one finish)."""
    results: dict[str, int | None] = {}
    for label, path in JOBS:
        if stop():
            break
        results[label] = run_job(label, path)
    return results

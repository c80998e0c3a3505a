"""The background jobs `kesu run_jobs` polls, each a function returning how much work it did.

Each job claims its rows with an atomic UPDATE, so several workers can run side by side; no broker.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

JOBS: list[tuple[str, str]] = [
    ("填报提醒", "kesu.tracking.actions.do_send_due_reminders"),
    ("年度总结", "kesu.tracking.summary.job.do_produce_queued_summaries"),
    ("调查数据检查", "kesu.survey.jobs.do_validate_queued_uploads"),
    ("科学素质估计", "kesu.survey.jobs.do_run_queued_estimates"),
    ("服务单超时升级", "kesu.services.actions.do_escalate_overdue_orders"),
    ("清理点单限流计数", "kesu.services.throttle.do_purge_rate_counters"),
]


def run_due_jobs() -> dict[str, int]:
    return {label: import_string(path)() for label, path in JOBS}

"""The background jobs, polled by `kesu run_jobs`: each returns how much work it did."""

from __future__ import annotations

from kesu.tracking.actions import do_send_due_reminders
from kesu.tracking.summary.job import do_produce_queued_summaries


def run_due_jobs() -> dict[str, int]:
    return {"填报提醒": do_send_due_reminders(), "年度总结": do_produce_queued_summaries()}

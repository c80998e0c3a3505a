"""`kesu run_jobs`: a raising job is logged and the others still run; the loop ends only on SIGTERM/SIGINT."""

from __future__ import annotations

import io
import os
import signal
from unittest import mock

from django.core.management import call_command
from django.test import TestCase

from kesu import jobs

CALLS: list[str] = []


def broken_job() -> int:
    CALLS.append("broken")
    raise RuntimeError("gateway down")


def working_job() -> int:
    CALLS.append("working")
    return 2


def stopping_job() -> int:
    """Asks the loop to stop (as systemd does) on its second pass; the pass it is in still finishes."""
    CALLS.append("stopping")
    if CALLS.count("stopping") == 2:
        os.kill(os.getpid(), signal.SIGTERM)
    return 0


HERE = "kesu.tracking.tests.test_jobs"


class JobIsolationTests(TestCase):
    def setUp(self) -> None:
        CALLS.clear()

    def test_a_raising_job_is_logged_and_the_other_jobs_still_run(self) -> None:
        registry = [("坏任务", f"{HERE}.broken_job"), ("好任务", f"{HERE}.working_job")]
        with mock.patch.object(jobs, "JOBS", registry), self.assertLogs("kesu.jobs", "ERROR") as logs:
            result = jobs.run_due_jobs()
        self.assertEqual(CALLS, ["broken", "working"])
        self.assertEqual(result, {"坏任务": None, "好任务": 2})
        self.assertIn("gateway down", "\n".join(logs.output))

    def test_the_loop_survives_a_raising_job_and_ends_gracefully_on_sigterm(self) -> None:
        registry = [("坏任务", f"{HERE}.broken_job"), ("停止", f"{HERE}.stopping_job"), ("好任务", f"{HERE}.working_job")]
        out, err = io.StringIO(), io.StringIO()
        previous = signal.getsignal(signal.SIGTERM)
        with mock.patch.object(jobs, "JOBS", registry), self.assertLogs("kesu.jobs", "ERROR"):
            call_command("run_jobs", loop=0.01, stdout=out, stderr=err)
        # The raising job did not end the loop; SIGTERM let the current job finish and started no other.
        self.assertEqual(CALLS, ["broken", "stopping", "working", "broken", "stopping"])
        self.assertIn("坏任务：失败", err.getvalue())
        self.assertIn("好任务: 2", out.getvalue())
        self.assertEqual(signal.getsignal(signal.SIGTERM), previous, "the handler is put back")

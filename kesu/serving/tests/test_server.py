"""`kesu serve` runs gunicorn with workers and threads from the environment and serves pages and static files
with debug off; `kesu worker` runs the jobs loop; everything is logged to stderr."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from unittest import mock

from django.test import SimpleTestCase

from kesu import cli
from kesu.serving.server import ServerSettingError, default_workers, server_options
from kesu.serving.tests.test_production_settings import clean_env, kesu


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


PRODUCTION = {"KESU_SECRET_KEY": "k" * 50, "KESU_FIELD_KEY": "test-field-key", "KESU_DEBUG": "false"}


class ServerOptionsTest(SimpleTestCase):
    def test_workers_default_to_twice_the_cores_plus_one_within_a_memory_bound(self):
        self.assertEqual([default_workers(1), default_workers(2), default_workers(16)], [3, 5, 9])
        options = server_options("127.0.0.1:8000", {})
        self.assertEqual((options["workers"], options["threads"]), (default_workers(), 1))
        self.assertEqual(options["bind"], ["127.0.0.1:8000"])

    def test_workers_threads_and_timeout_come_from_the_environment(self):
        options = server_options("0.0.0.0:9000", {"KESU_WORKERS": "3", "KESU_THREADS": "4", "KESU_TIMEOUT": "60"})
        self.assertEqual((options["workers"], options["threads"], options["timeout"]), (3, 4, 60))

    def test_a_bad_value_is_refused_naming_the_variable(self):
        for bad in ("abc", "0", "-2"):
            with self.subTest(bad=bad), self.assertRaisesMessage(ServerSettingError, "KESU_WORKERS 应为正整数"):
                server_options("127.0.0.1:8000", {"KESU_WORKERS": bad})
        with mock.patch.dict("os.environ", {"KESU_THREADS": "many"}):
            self.assertEqual(cli.main(["serve"]), 2)

    def test_kesu_demo_turns_debug_on_and_nothing_else_does(self):
        with mock.patch.dict("os.environ", {}), mock.patch.object(cli, "_django", return_value=0) as django:
            os.environ.pop("KESU_DEBUG", None)
            cli.main(["worker"])
            self.assertNotIn("KESU_DEBUG", os.environ)
            cli.main(["demo", "--no-serve"])
            self.assertEqual(os.environ["KESU_DEBUG"], "true")
        self.assertEqual(django.call_args.args[0], ["demo", "--no-serve"])

    def test_kesu_worker_runs_the_jobs_loop(self):
        with mock.patch.object(cli, "_django", return_value=0) as django:
            cli.main(["worker", "--interval", "5"])
        django.assert_called_once_with(["run_jobs", "--loop", "5.0"])


class ServeTest(SimpleTestCase):
    def test_kesu_serve_answers_with_debug_off_and_stops_gracefully(self):
        port = free_port()
        env = PRODUCTION | {"KESU_WORKERS": "1", "DATABASE_URL": "sqlite:////tmp/kesu-serve-test-unused.sqlite3"}
        server = subprocess.Popen(
            [sys.executable, "-m", "kesu.cli", "serve", "--bind", f"127.0.0.1:{port}"],
            env={**clean_env(), **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base, server)
            status, _, body = fetch(f"{base}/accounts/login/")
            self.assertEqual(status, 200)
            self.assertIn("登录科素", body)
            status, headers, body = fetch(f"{base}/static/kesu/kesu.css")
            self.assertEqual((status, headers["Content-Type"].split(";")[0]), (200, "text/css"))
            self.assertIn(".error-card", body)
            status, headers, _ = fetch(f"{base}/static/kesu/kesu.js")
            self.assertEqual((status, headers["Content-Type"].split(";")[0]), (200, "text/javascript"))
            status, _, body = fetch(f"{base}/no-such-page/")
            self.assertEqual(status, 404)
            self.assertIn("没有找到这个页面", body)
        finally:
            server.send_signal(signal.SIGTERM)
            stdout, stderr = server.communicate(timeout=40)
        self.assertEqual(server.returncode, 0, stderr)
        self.assertEqual(stdout, "", "logs go to stderr")
        self.assertIn('"GET /accounts/login/ HTTP/1.1" 200', stderr, "the access log")
        self.assertIn("Handling signal: term", stderr)
        self.assertNotIn("Control socket", stderr, "no socket shared by every server of the machine")


def wait_until_up(base: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"kesu serve stopped: {server.communicate()[1]}")
        try:
            urllib.request.urlopen(f"{base}/static/kesu/kesu.css", timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("kesu serve did not answer within a minute")


LOG_SCRIPT = textwrap.dedent("""
    import logging
    import django
    django.setup()
    from django.test import Client, override_settings
    logging.getLogger("kesu.jobs").info("job ran: reminders")
    with override_settings(ROOT_URLCONF="kesu.serving.tests.urls"):
        Client(raise_request_exception=False).get("/broken/")
""")


class LoggingTest(SimpleTestCase):
    def run_script(self, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", LOG_SCRIPT], env={**clean_env(), **PRODUCTION, **env},
                              capture_output=True, text=True, timeout=120)

    def test_with_debug_off_errors_go_to_stderr_with_their_traceback(self):
        result = self.run_script()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("ERROR django.request", result.stderr)
        self.assertIn("Traceback (most recent call last)", result.stderr)
        self.assertIn("RuntimeError: a bug in a view", result.stderr)
        self.assertIn("INFO kesu.jobs", result.stderr)
        self.assertEqual(result.stdout, "")

    def test_the_level_comes_from_kesu_log_level(self):
        result = self.run_script(KESU_LOG_LEVEL="warning")
        self.assertNotIn("job ran", result.stderr)
        self.assertIn("RuntimeError: a bug in a view", result.stderr)
        self.assertIn("KESU_LOG_LEVEL must be", kesu("check", env=PRODUCTION | {"KESU_LOG_LEVEL": "LOUD"}).stderr)

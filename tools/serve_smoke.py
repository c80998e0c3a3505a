"""Smoke test of production serving: two `kesu serve` processes sharing PostgreSQL and Redis behave as one site
behind an HTTPS proxy. Run by CI (.ci/run) after the PostgreSQL suite; by hand:

    .venv/bin/python tools/serve_smoke.py [--postgres postgres://postgres@127.0.0.1:5432/postgres]
                                          [--redis redis://127.0.0.1:6379/0] [--seed FILE]

It creates a throwaway database kesu_smoke_<pid>, migrates it, creates an office admin and an API token, starts
two servers with the production settings (debug off, secret and field keys, KESU_HTTPS_PROXY=true, Redis) and
sends what nginx would send (Host, X-Forwarded-Proto: https, X-Forwarded-For): signs in on server 1, uses the
session on server 2, uploads a plan on server 2 and confirms it on server 1, fetches static files, calls the API
with the bearer token and gets the Chinese 404 page. Servers stopped and database dropped at the end, whatever
happened. Exit status 0 when every check passed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

import psycopg
import redis
from cryptography.fernet import Fernet

PROJECT = Path(__file__).resolve().parent.parent
HOST = "kesu.smoke.test"
USERNAME, PASSWORD = "smoke-office", "Smoke-test-password-" + secrets.token_hex(4)
SETUP = """
from pathlib import Path
from django.contrib.auth import get_user_model
from kesu.org.models import Membership
from kesu.plans.actions import do_ensure_jurisdiction
from kesu.plans.importing import parse_path
parsed, _ = parse_path(Path({seed!r}))
place = do_ensure_jurisdiction(parsed["jurisdiction"]["name"], parsed["jurisdiction"].get("level") or "county")
user = get_user_model().objects.create_user({username!r}, password={password!r})
Membership.objects.create(user=user, jurisdiction=place, role=Membership.Role.OFFICE_ADMIN)
print(place.pk)
"""


class SmokeFailure(AssertionError):
    pass


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SmokeFailure(what)
    print(f"  ok  {what}")


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Browser:
    """What a browser behind nginx sends: the site's Host, X-Forwarded-Proto: https, its cookies (which are
    Secure, so a cookie jar would not send them over the plain HTTP between proxy and server)."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, port: int, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None, https: bool = True) -> Answer:
        sent = {"Host": HOST, "X-Forwarded-For": "203.0.113.7", **(headers or {})}
        if https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            sent |= {"Origin": f"https://{HOST}", "Referer": f"https://{HOST}{path}"}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return answer

    def get(self, port: int, path: str, **headers: str) -> Answer:
        return self.request(port, "GET", path, headers=headers)

    def post_form(self, port: int, path: str, fields: dict[str, str]) -> Answer:
        return self.request(port, "POST", path, urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def post_file(self, port: int, path: str, fields: dict[str, str], name: str, filename: str, data: bytes) -> Answer:
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: text/plain\r\n\r\n".encode() + data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(port, "POST", path, b"".join(parts),
                            {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def csrf_token(page: Answer) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not found:
        raise SmokeFailure(f"no CSRF token in the page (status {page.status})")
    return found.group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kesu(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "kesu.cli", *args], env=env, capture_output=True, text=True,
                            cwd=PROJECT, timeout=600)
    if result.returncode:
        raise SmokeFailure(f"kesu {args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout


@contextmanager
def throwaway_database(admin_url: str) -> Iterator[str]:
    name = f"kesu_smoke_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(urlparse(admin_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"database {name} dropped")


@contextmanager
def servers(env: dict[str, str], count: int, logs: Path) -> Iterator[list[int]]:
    ports = [free_port() for _ in range(count)]
    processes = []
    for n, port in enumerate(ports, 1):
        with (logs / f"server{n}.log").open("w") as log:
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "kesu.cli", "serve", "--bind", f"127.0.0.1:{port}"],
                env=env, cwd=PROJECT, stdout=log, stderr=subprocess.STDOUT))
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_until_up(port, process)
        yield ports
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for n, process in enumerate(processes, 1):
            try:
                code = process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                code = "killed"
            print(f"server {n} stopped ({code})")


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SmokeFailure(f"kesu serve on port {port} exited with {process.returncode}")
        try:
            if Browser().get(port, "/static/kesu/kesu.css").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SmokeFailure(f"kesu serve on port {port} did not answer within {seconds:.0f} s")


def run_checks(one: int, two: int, token: str, seed: Path, redis_url: str) -> None:
    print(f"servers on 127.0.0.1:{one} and 127.0.0.1:{two}")
    browser = Browser()
    plain = browser.request(one, "GET", "/accounts/login/", https=False)
    check(plain.status == 301 and plain.headers["Location"] == f"https://{HOST}/accounts/login/",
          "plain HTTP is redirected to HTTPS")

    login = browser.get(one, "/accounts/login/")
    check(login.status == 200 and "登录科素" in login.text, "server 1: the login page")
    check("default-src 'self'" in login.headers.get("Content-Security-Policy", ""), "the CSP header is sent")
    check("max-age=" in login.headers.get("Strict-Transport-Security", ""), "the HSTS header is sent")
    signed_in = browser.post_form(one, "/accounts/login/", {
        "username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(login), "next": "/"})
    check(signed_in.status == 302 and signed_in.headers["Location"] == "/", "server 1: signed in (CSRF checked)")
    check("Secure" in str(signed_in.headers.get_all("Set-Cookie")), "the session cookie is Secure")
    session = browser.cookies["sessionid"]
    check(any(redis.Redis.from_url(redis_url).scan_iter(f"*{session}*")), "the session is cached in Redis")

    home = browser.get(two, "/")
    check(home.status == 200 and USERNAME in home.text, "server 2: the same session is signed in")
    upload_page = browser.get(two, "/plans/import/")
    jurisdiction = re.search(r'<option value="(\d+)" selected>', upload_page.text)
    check(upload_page.status == 200 and jurisdiction is not None, "server 2: the plan import page")
    uploaded = browser.post_file(two, "/plans/import/", {
        "csrfmiddlewaretoken": csrf_token(upload_page), "jurisdiction": jurisdiction.group(1)},
        "file", seed.name, seed.read_bytes())
    check(uploaded.status == 302 and "/plans/import/" in uploaded.headers["Location"],
          f"server 2: posted the plan document (multipart form, {len(seed.read_bytes())} bytes)")
    confirm_path = urlparse(uploaded.headers["Location"]).path
    confirm_page = browser.get(one, confirm_path)
    check(confirm_page.status == 200, "server 1: the confirmation page of the upload made on server 2")
    confirmed = browser.post_form(one, confirm_path, {"csrfmiddlewaretoken": csrf_token(confirm_page)})
    check(confirmed.status == 302 and "/plans/" in confirmed.headers["Location"], "server 1: import confirmed")
    plan_page = browser.get(two, urlparse(confirmed.headers["Location"]).path)
    check(plan_page.status == 200 and "方案已导入" in plan_page.text, "server 2: the imported plan and its message")

    for path, kind in (("/static/kesu/kesu.css", "text/css"), ("/static/kesu/kesu.js", "text/javascript")):
        asset = browser.get(two, path)
        check(asset.status == 200 and asset.headers["Content-Type"].startswith(kind) and asset.body,
              f"static file {path} ({kind})")

    api = Browser().get(one, "/api/plans", Authorization=f"Bearer {token}")
    check(api.status == 200 and api.headers["Content-Type"].startswith("application/json"), "API with a bearer token")
    check(len(json.loads(api.body)["items"]) == 1, "the API lists the imported plan")
    unauthorised = Browser().get(two, "/api/plans")
    check(unauthorised.status == 401 and "令牌" in json.loads(unauthorised.body)["detail"],
          "API without a token: JSON 401 in Chinese")

    missing = browser.get(two, "/no-such-page/")
    check(missing.status == 404 and "没有找到这个页面" in missing.text, "the Chinese 404 page")
    signed_out = browser.post_form(two, "/accounts/logout/", {"csrfmiddlewaretoken": csrf_token(home)})
    check(signed_out.status == 302, "server 2: signed out")
    check(browser.get(one, "/").status == 302, "server 1: the session has ended there too")


def default_seed() -> Path:
    seeds = Path(os.environ.get("KESU_SHARED", PROJECT.parent / "shared")) / "seeds"
    return min(seeds.glob("*.txt"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=os.environ.get("KESU_SMOKE_POSTGRES",
                                                             "postgres://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--redis", default=os.environ.get("KESU_SMOKE_REDIS", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--seed", type=Path, default=None, help="a plan document (default: the first seed)")
    args = parser.parse_args(argv)
    seed = args.seed or default_seed()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kesu-smoke-") as folder, throwaway_database(args.postgres) as url:
        env = {
            "PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", folder),
            "DJANGO_SETTINGS_MODULE": "kesu.settings", "DATABASE_URL": url, "KESU_DEBUG": "false",
            "KESU_SECRET_KEY": secrets.token_urlsafe(50), "KESU_FIELD_KEY": Fernet.generate_key().decode(),
            "KESU_HTTPS_PROXY": "true", "KESU_ALLOWED_HOSTS": HOST, "KESU_SITE_URL": f"https://{HOST}",
            "KESU_TRUSTED_PROXIES": "1", "KESU_REDIS_URL": args.redis, "KESU_MEDIA_ROOT": f"{folder}/media",
            "KESU_WORKERS": "2",
        }
        try:
            kesu(env, "migrate", "--noinput")
            print(f"database migrated ({time.monotonic() - started:.1f} s)")
            kesu(env, "shell", "-c", SETUP.format(seed=str(seed), username=USERNAME, password=PASSWORD))
            token = kesu(env, "create_api_token", USERNAME, "--name", "冒烟测试").strip()
            with servers(env, 2, Path(folder)) as (one, two):
                run_checks(one, two, token, seed, args.redis)
        except SmokeFailure as failure:
            for log in sorted(Path(folder).glob("server*.log")):
                print(f"--- {log.name}\n{log.read_text()[-4000:]}", file=sys.stderr)
            print(f"SMOKE TEST FAILED: {failure}", file=sys.stderr)
            return 1
    print(f"serve smoke test passed in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

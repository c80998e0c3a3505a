"""Web benchmark against the production server (`kesu serve`, gunicorn) on the province data set.

    # 1. the province data set, once, in its own PostgreSQL database (about 40–80 s)
    createdb -h 127.0.0.1 -U postgres kesu_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench
    .venv/bin/kesu migrate && .venv/bin/kesu demo-data --scale province
    # 2. browsing: starts `kesu serve` on --base (debug off, cache in Redis), 20 users, no think time
    .venv/bin/python bench/web.py --server [--workers 5 --threads 1] [--users 20] [--duration 60]
    # 3. the deadline rush: 200 unit reporters open their report, save it, then submit it
    .venv/bin/python bench/web.py --server --rush 200 [--window 60]

    .venv/bin/python bench/web.py --base http://127.0.0.1:8000 …   # against a server you started yourself
    .venv/bin/python bench/web.py --queries     # no server: the SQL each page runs (count, time, slowest, repeats)

--server runs `kesu serve --bind <--base>` as production does: KESU_DEBUG=false, KESU_SECRET_KEY and KESU_FIELD_KEY
from the environment (fresh random ones for this run when unset), KESU_ALLOWED_HOSTS, the same DATABASE_URL,
KESU_REDIS_URL from --redis (default redis://127.0.0.1:6379/1; the cache is cleared first), KESU_WORKERS and
KESU_THREADS from --workers/--threads (default: kesu serve's own). Its log goes to --server-log; it is stopped at
the end. Against your own server (--base without --server), give the bench the server's KESU_SECRET_KEY and
KESU_REDIS_URL so that the reporters' sessions it writes are valid there.

Browsing: 20 virtual users (by default 1 province office, 9 city offices, 10 county offices, password kesu2026)
sign in through the login form, then each requests, in turn, a plan dashboard (/plans/<id>/dashboard/), a report
list (/plans/<id>/tracking/cycles/<cid>/, mostly the latest cycle) and — province and city users — a roll-up
(/jurisdictions/<id>/rollup/), each picked at random within the user's area. It stops at --duration seconds or
--requests requests, whichever comes first; a request taking longer than --timeout counts as an error, and the
run is cut off --timeout seconds after the end whatever happens. Only loopback addresses are accepted.
By default users send their next request as soon as a page arrives (a stress test: 20 requests always in
flight); --think 2 makes them pause ~2 s between pages like people do.

Deadline rush (--rush N): N unit reporters of N different member units, each with a report of an open cycle.
The first run opens a yearly cycle (the plans' last year up to this year, deadline in 7 days) on as many
plans as needed and creates the reporter accounts (rush-0001 …, one membership each); a later run has the
office return the submitted reports first (do_return_report), so each run starts from editable reports.
Reporters are signed in by writing their sessions as the login view does (N password checks are not what is
measured). Each reporter starts at a random moment within --window seconds (0: all at once) and, with no
think time, GETs the report form, POSTs a save with the form's version, follows the redirect, and POSTs the
submission with the new version. Afterwards the database is checked: every report submitted, with exactly the
text its reporter typed, and its history rows written. Any HTTP status other than the expected ones is an error.

Goal: p95 under 300 ms per page at 20 concurrent users on PostgreSQL. Exit status 1 if a page misses it
(or has errors), or if the rush lost anything, so it can gate a CI job.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import ipaddress
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ("dashboard", "report list", "roll-up (city)", "roll-up (province)")
GOAL_MS = 300.0


# ---------------------------------------------------------------------------- targets, from the database


@dataclass
class VirtualUser:
    username: str
    role: str  # province / city / county
    urls: dict[str, list[str]]  # page -> candidate paths


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()


def discover(province_name: str, users: int, rng: random.Random, mix: tuple[int, int, int] | None = None) -> list[VirtualUser]:
    """Accounts and URLs of the demo province: which plan, cycle and jurisdiction each user may look at."""
    _django()
    from django.db.models import Max

    from kesu.org.models import Jurisdiction, Membership
    from kesu.plans.models import Plan
    from kesu.tracking.models import ReportingCycle

    province = Jurisdiction.objects.filter(name=province_name, level="province").first()
    if province is None:
        raise SystemExit(f"no province named {province_name} in this database: run `kesu demo_data --scale province` "
                         "with the same DATABASE_URL first")
    plans = {p.jurisdiction_id: p.pk for p in Plan.objects.filter(jurisdiction__path__startswith=province.path)}
    cycles: dict[int, list[int]] = defaultdict(list)
    for plan_id, cycle_id in (
        ReportingCycle.objects.filter(plan_id__in=plans.values()).order_by("plan_id", "-year", "-number")
        .values_list("plan_id", "pk")
    ):
        cycles[plan_id].append(cycle_id)
    if not cycles:
        raise SystemExit("the demo plans have no reporting cycles")
    latest_ids = dict(
        ReportingCycle.objects.filter(plan_id__in=plans.values()).values("plan_id").annotate(m=Max("id"))
        .values_list("plan_id", "m")
    )
    admins = (
        Membership.objects.filter(role=Membership.Role.OFFICE_ADMIN, jurisdiction__path__startswith=province.path)
        .select_related("user", "jurisdiction").order_by("jurisdiction__path")
    )
    by_level: dict[str, list] = defaultdict(list)
    for m in admins:
        by_level[m.jurisdiction.level].append(m)
    below: dict[int, list[int]] = defaultdict(list)  # city -> its counties
    for j in Jurisdiction.objects.filter(path__startswith=province.path, level="county"):
        below[j.parent_id].append(j.pk)

    def plan_urls(jurisdiction_ids: list[int]) -> tuple[list[str], list[str]]:
        dashboards, lists = [], []
        for jid in jurisdiction_ids:
            plan_id = plans.get(jid)
            if plan_id is None:
                continue
            dashboards.append(f"/plans/{plan_id}/dashboard/")
            ids = cycles.get(plan_id) or []
            latest = latest_ids.get(plan_id)
            # the report list people open is mostly the latest cycle: weight it 3:1 against an older one
            lists += [f"/plans/{plan_id}/tracking/cycles/{latest}/"] * 3 if latest else []
            lists += [f"/plans/{plan_id}/tracking/cycles/{c}/" for c in ids[1:2]]
        return dashboards, lists

    n_province, n_city, n_county = mix or (1, round((users - 1) * 9 / 19), 0)
    if mix is None:
        n_county = users - n_province - n_city
    chosen: list[VirtualUser] = []
    for m in by_level["province"][:n_province]:
        everything = list(plans)
        dashboards, lists = plan_urls(everything)
        rollups_city = [f"/jurisdictions/{c.jurisdiction_id}/rollup/" for c in by_level["city"]]
        chosen.append(VirtualUser(m.user.username, "province", {
            "dashboard": dashboards, "report list": lists, "roll-up (city)": rollups_city,
            "roll-up (province)": [f"/jurisdictions/{province.pk}/rollup/"],
        }))
    cities = by_level["city"][:]
    rng.shuffle(cities)
    for m in cities[:n_city]:
        dashboards, lists = plan_urls([m.jurisdiction_id, *below[m.jurisdiction_id]])
        chosen.append(VirtualUser(m.user.username, "city", {
            "dashboard": dashboards, "report list": lists, "roll-up (city)": [f"/jurisdictions/{m.jurisdiction_id}/rollup/"],
        }))
    counties = by_level["county"][:]
    rng.shuffle(counties)
    for m in counties[:n_county]:
        dashboards, lists = plan_urls([m.jurisdiction_id])
        chosen.append(VirtualUser(m.user.username, "county", {"dashboard": dashboards, "report list": lists}))
    if len(chosen) < users:
        raise SystemExit(f"only {len(chosen)} office accounts found below {province_name}; wanted {users}")
    for vu in chosen:
        vu.urls = {page: urls for page, urls in vu.urls.items() if urls}
    return chosen


# ---------------------------------------------------------------------------- HTTP


class Client:
    """One keep-alive connection with its cookies; reconnects when the server closed the connection."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes, http.client.HTTPResponse]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError, http.client.CannotSendRequest):
                self.close()
                if attempt == 2:
                    raise
                continue
            except Exception:
                self.close()
                raise
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            if response.will_close:
                self.close()
            return response.status, data, response
        raise RuntimeError("unreachable")

    def login(self, username: str, password: str) -> None:
        status, page, _ = self.request("GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not match:
            raise RuntimeError(f"login page: HTTP {status}")
        form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": match.group(1).decode(),
                          "next": "/"}).encode()
        status, _, _ = self.request("POST", "/accounts/login/", form, {
            "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://{self.host}:{self.port}/accounts/login/",
        })
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username} failed (HTTP {status})")


def check_loopback(base: str) -> tuple[str, int]:
    parts = urlsplit(base)
    if parts.scheme != "http" or not parts.hostname:
        raise SystemExit("--base must look like http://127.0.0.1:8000")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)}
    except socket.gaierror as error:
        raise SystemExit(f"cannot resolve {parts.hostname}: {error}") from error
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise SystemExit(f"refusing to benchmark {parts.hostname} ({', '.join(sorted(addresses))}): loopback only")
    return parts.hostname, parts.port or 80


# ---------------------------------------------------------------------------- the run


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    issued: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def claim(self, limit: int) -> bool:
        with self.lock:
            if self.issued >= limit:
                return False
            self.issued += 1
            return True

    def add(self, page: str, ms: float, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.times[page].append(ms)
            else:
                self.errors[page][error] += 1


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def virtual_user(vu: VirtualUser, client: Client, results: Results, stop_at: float, limit: int, rng: random.Random,
                 stop: threading.Event, think: float) -> None:
    pages = list(vu.urls)
    i = rng.randrange(len(pages))
    while not stop.is_set() and time.monotonic() < stop_at:
        if not results.claim(limit):
            return
        page = pages[i % len(pages)]
        i += 1
        path = rng.choice(vu.urls[page])
        started = time.perf_counter()
        error = None
        try:
            status, body, _ = client.request("GET", path)
            if status != 200:
                error = f"HTTP {status}"
        except TimeoutError:
            error = "timeout"
        except OSError as exc:
            error = type(exc).__name__
        except http.client.HTTPException as exc:
            error = type(exc).__name__
        results.add(page, (time.perf_counter() - started) * 1000, error)
        if think > 0:  # a person reads the page before the next click
            stop.wait(min(rng.uniform(0.5 * think, 1.5 * think), max(0.0, stop_at - time.monotonic())))


def run(args: argparse.Namespace) -> int:
    host, port = check_loopback(args.base)
    rng = random.Random(args.seed)
    users = discover(args.province, args.users, rng)
    print(f"{len(users)} users: " + ", ".join(f"{n} {role}" for role, n in Counter(u.role for u in users).items()))
    clients: list[Client] = []
    started = time.monotonic()
    for vu in users:  # sign in one by one (password hashing is deliberately slow; not part of the measure)
        client = Client(host, port, args.timeout)
        try:
            client.login(vu.username, args.password)
        except (OSError, RuntimeError, http.client.HTTPException) as error:
            raise SystemExit(f"cannot sign in at {args.base}: {error}") from error
        clients.append(client)
    print(f"signed in in {time.monotonic() - started:.1f} s")
    if args.warmup:  # one request of each page per user, not measured (template and connection warm-up)
        for vu, client in zip(users, clients, strict=True):
            for urls in vu.urls.values():
                try:
                    client.request("GET", urls[0])
                except (OSError, http.client.HTTPException):
                    client.close()
    results = Results()
    stop = threading.Event()
    began = time.monotonic()
    stop_at = began + args.duration
    threads = [
        threading.Thread(target=virtual_user, args=(vu, client, results, stop_at, args.requests, random.Random(rng.random()), stop, args.think),
                         daemon=True)
        for vu, client in zip(users, clients, strict=True)
    ]
    for thread in threads:
        thread.start()
    hard_stop = stop_at + args.timeout + 5
    for thread in threads:
        thread.join(max(0.0, hard_stop - time.monotonic()))
    stop.set()
    elapsed = time.monotonic() - began
    unfinished = sum(t.is_alive() for t in threads)
    for client in clients:
        client.close()
    think = f"think time {args.think:g} s ±50%" if args.think else "no think time (each user sends its next request at once)"
    return report(results, elapsed, unfinished, args, PAGES, f"{args.users} users, {think}")


def report(results: Results, elapsed: float, unfinished: int, args: argparse.Namespace, pages: tuple[str, ...],
           load: str) -> int:
    done = sum(len(v) for v in results.times.values()) + sum(sum(c.values()) for c in results.errors.values())
    print(f"\n{done} requests in {elapsed:.1f} s ({done / elapsed:.1f}/s), {load}"
          + (f"; {unfinished} users cut off by the hard stop" if unfinished else ""))
    print(f"{'page':<20}{'n':>6}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'mean ms':>9}")
    summary, failed = {}, False
    for page in pages:
        times, errors = results.times.get(page, []), results.errors.get(page, Counter())
        if not times and not errors:
            continue
        n_errors = sum(errors.values())
        row = {"n": len(times) + n_errors, "errors": dict(errors)}
        if times:
            row |= {"p50": percentile(times, 50), "p95": percentile(times, 95), "max": max(times),
                    "mean": statistics.fmean(times)}
            print(f"{page:<20}{row['n']:>6}{n_errors:>8}{row['p50']:>9.0f}{row['p95']:>9.0f}{row['max']:>9.0f}{row['mean']:>9.0f}")
        else:
            print(f"{page:<20}{row['n']:>6}{n_errors:>8}{'—':>9}{'—':>9}{'—':>9}{'—':>9}")
        if errors:
            print(f"{'':<20}errors: " + ", ".join(f"{k} ×{v}" for k, v in errors.most_common()))
        failed |= bool(n_errors) or row.get("p95", 0) > GOAL_MS
        summary[page] = row
    print(f"\ngoal: p95 < {GOAL_MS:.0f} ms on every page — {'missed' if failed else 'met'}")
    if args.json:
        Path(args.json).write_text(json.dumps({"elapsed": elapsed, "requests": done, "load": load, "load_average": os.getloadavg(),
                                               "pages": summary}, indent=2, ensure_ascii=False), encoding="utf-8")
    return 1 if failed else 0


# ---------------------------------------------------------------------------- where the time goes (no server)


def _shape(sql: str) -> str:
    """The query with its literals blanked out, to find the same query repeated (N+1)."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    return re.sub(r"IN \((\?, )*\?\)", "IN (…)", sql)


def queries(args: argparse.Namespace) -> int:
    """Each page once in-process, warm: how many queries, their time, the slowest ones and the repeated ones."""
    rng = random.Random(args.seed)
    users = discover(args.province, 3, rng, mix=(1, 1, 1))
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    by_role = {u.role: u for u in users}
    picks = [
        ("dashboard", by_role["county"], by_role["county"].urls["dashboard"][0]),
        ("dashboard", by_role["city"], by_role["city"].urls["dashboard"][0]),
        ("report list", by_role["county"], by_role["county"].urls["report list"][0]),
        ("report list", by_role["city"], by_role["city"].urls["report list"][0]),
        ("roll-up (city)", by_role["city"], by_role["city"].urls["roll-up (city)"][0]),
        ("roll-up (province)", by_role["province"], by_role["province"].urls["roll-up (province)"][0]),
    ]
    User = get_user_model()
    for page, vu, url in picks:
        client = DjangoClient()
        client.force_login(User.objects.get(username=vu.username))
        client.get(url)  # warm
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        print(f"\n== {page} as {vu.username} ({vu.role}) {url}  HTTP {response.status_code}")
        print(f"   {statistics.median(timings):.0f} ms median of {args.repeat} (in-process), "
              f"{len(captured.captured_queries)} queries, {sql_ms:.0f} ms in SQL")
        slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[: args.top]
        for q in slowest:
            print(f"   {float(q['time']) * 1000:7.1f} ms  {q['sql'][:args.width]}")
        repeats = Counter(_shape(q["sql"]) for q in captured.captured_queries)
        for shape, n in repeats.most_common(3):
            if n > 3:
                print(f"   repeated ×{n}: {shape[:args.width]}")
        if args.explain and connection.vendor == "postgresql":
            for q in slowest[:2]:
                if q["sql"].lstrip().upper().startswith("SELECT"):
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                        plan = [row[0] for row in cursor.fetchall()]
                    print("   plan of the slowest: " + "\n      ".join(plan[: args.explain]))
    return 0


# ---------------------------------------------------------------------------- the production server


def prepare_environment(args: argparse.Namespace) -> None:
    """Settings shared by this process and the server it starts: debug off, secrets, the Redis cache."""
    os.environ["KESU_DEBUG"] = "false"
    os.environ.setdefault("KESU_SECRET_KEY", "bench-" + secrets.token_urlsafe(32))
    if not os.environ.get("KESU_FIELD_KEY"):
        from cryptography.fernet import Fernet

        os.environ["KESU_FIELD_KEY"] = Fernet.generate_key().decode()
    if args.redis:
        os.environ["KESU_REDIS_URL"] = args.redis


def _warm(host: str, port: int) -> None:
    with contextlib.suppress(OSError, http.client.HTTPException):
        Client(host, port, 60).request("GET", "/accounts/login/")


@contextlib.contextmanager
def production_server(args: argparse.Namespace) -> Iterator[None]:
    """`kesu serve --bind HOST:PORT` as a child process for the duration of the run."""
    host, port = check_loopback(args.base)
    env = dict(os.environ, KESU_ALLOWED_HOSTS=f"{host},127.0.0.1,localhost")
    if args.workers:
        env["KESU_WORKERS"] = str(args.workers)
    if args.threads:
        env["KESU_THREADS"] = str(args.threads)
    _django()
    from django.core.cache import cache

    cache.clear()  # nothing cached by an earlier run (or another data set) is measured
    with open(args.server_log, "ab") as log:
        server = subprocess.Popen([sys.executable, "-m", "kesu.cli", "serve", "--bind", f"{host}:{port}"],
                                  cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                if server.poll() is not None:
                    raise SystemExit(f"kesu serve stopped (exit {server.returncode}); see {args.server_log}")
                try:
                    status, _, _ = Client(host, port, 5).request("GET", "/accounts/login/")
                    if status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"kesu serve did not answer within 60 s; see {args.server_log}")
                time.sleep(0.5)
            # every worker loads the URLconf (and with it numpy/scipy) on its first request: not measured
            warm = [threading.Thread(target=_warm, args=(host, port)) for _ in range(24)]
            for thread in warm:
                thread.start()
            for thread in warm:
                thread.join(60)
            workers = env.get("KESU_WORKERS", "default")
            print(f"kesu serve on {args.base} (workers {workers}, threads {env.get('KESU_THREADS', 'default')}, "
                  f"cache {os.environ.get('KESU_REDIS_URL') or 'per process'}), log {args.server_log}")
            yield
        finally:
            server.terminate()
            try:
                server.wait(40)
            except subprocess.TimeoutExpired:
                server.kill()


# ---------------------------------------------------------------------------- the deadline rush

RUSH_PAGES = ("report form", "save", "submit")
RUSH_PREFIX = "rush-"


@dataclass
class RushJob:
    username: str
    report_id: int
    text: str
    session_key: str = ""


def rush_setup(n: int, password: str) -> list[RushJob]:
    """N reporters of N different units, each with one editable report of an open cycle (see the docstring)."""
    _django()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from kesu.org.models import Membership
    from kesu.plans.models import Plan
    from kesu.tracking import actions
    from kesu.tracking.models import Report, ReportingCycle

    today = timezone.localdate()
    now = timezone.now()
    chosen: list[Report] = []
    units: set[int] = set()
    for plan in Plan.objects.select_related("jurisdiction").order_by("-pk"):
        if len(chosen) >= n:
            break
        year = min(today.year, plan.period_end)
        cycle = ReportingCycle.objects.filter(plan=plan, period_type="year", year=year, number=1).first()
        office = Membership.objects.filter(jurisdiction=plan.jurisdiction, role=Membership.Role.OFFICE_ADMIN).first()
        if cycle is None and office is not None:
            cycle = actions.do_open_cycle(plan, office.user, "year", year, 1, today + dt.timedelta(days=7))
        if cycle is None or cycle.is_locked(now):
            continue
        for report in Report.objects.filter(cycle=cycle).exclude(state="approved").order_by("unit_id", "task_id"):
            if report.unit_id not in units and len(chosen) < n:
                units.add(report.unit_id)
                chosen.append(report)
    if len(chosen) < n:
        raise SystemExit(f"only {len(chosen)} units with an open report found; wanted {n}")
    User = get_user_model()
    hashed = make_password(password)
    engine = import_module(settings.SESSION_ENGINE)
    backend = ("django.contrib.auth.backends.ModelBackend" if "django.contrib.auth.backends.ModelBackend"
               in settings.AUTHENTICATION_BACKENDS else settings.AUTHENTICATION_BACKENDS[-1])
    stamp = time.strftime("%H:%M:%S")
    jobs = []
    for i, report in enumerate(chosen, 1):
        user, _ = User.objects.get_or_create(username=f"{RUSH_PREFIX}{i:04d}", defaults={"password": hashed})
        jurisdiction = report.cycle.plan.jurisdiction
        membership = Membership.objects.filter(user=user).first()
        if membership is None or (membership.jurisdiction_id, membership.unit_id) != (jurisdiction.pk, report.unit_id):
            Membership.objects.filter(user=user).delete()
            Membership.objects.create(user=user, jurisdiction=jurisdiction, role=Membership.Role.UNIT_REPORTER,
                                      unit_id=report.unit_id)
        if report.state == "submitted":  # an earlier run: the office returns it, the reporter will submit again
            office = Membership.objects.filter(jurisdiction=jurisdiction, role=Membership.Role.OFFICE_ADMIN).first()
            actions.do_return_report(report, office.user, "基准测试：请补充后重新提交")
        session = engine.SessionStore()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        jobs.append(RushJob(user.username, report.pk, f"{user.username} 于 {stamp} 填报：开展科普讲座 {i} 场，覆盖群众 {i * 37} 人。",
                            session.session_key))
    return jobs


def _form_fields(page: bytes) -> tuple[str, str, list[str]]:
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    version = re.search(rb'name="version" value="(\d+)"', page)
    if not token or not version:
        raise RuntimeError("no editable report form on the page")
    targets = [m.decode() for m in re.findall(rb'name="(target_\d+)"', page)]
    return token.group(1).decode(), version.group(1).decode(), targets


def rush_reporter(job: RushJob, client: Client, results: Results, start_at: float) -> None:
    time.sleep(max(0.0, start_at - time.monotonic()))
    path = f"/reports/{job.report_id}/"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://{client.host}:{client.port}{path}"}

    def step(page: str, method: str, expected: int, body: bytes | None = None) -> bytes | None:
        started = time.perf_counter()
        error, data = None, None
        try:
            status, data, _ = client.request(method, path, body, headers if body is not None else None)
            if status != expected:
                error = f"HTTP {status}"
        except (OSError, http.client.HTTPException) as exc:
            error = type(exc).__name__
        results.add(page, (time.perf_counter() - started) * 1000, error)
        return None if error else data

    for action in ("save", "submit"):
        page = step("report form", "GET", 200)
        if page is None:
            return
        try:
            token, version, targets = _form_fields(page)
        except RuntimeError:
            results.add("report form", 0, "no form")
            return
        form = {"csrfmiddlewaretoken": token, "version": version, "progress": "in_progress", "summary": job.text,
                "action": action} | {name: str(len(job.text)) for name in targets}
        if step(action, "POST", 302, urlencode(form).encode()) is None:
            return


def rush_verify(jobs: list[RushJob], since: dt.datetime) -> list[str]:
    """What the database holds afterwards: every report submitted with its reporter's text and its history."""
    from kesu.tracking.models import Report, TrackingEvent

    reports = Report.objects.in_bulk([j.report_id for j in jobs])
    submitted_events = set(TrackingEvent.objects.filter(report_id__in=reports, kind="report_submitted", at__gte=since)
                           .values_list("report_id", flat=True))
    problems = []
    for job in jobs:
        report = reports[job.report_id]
        if report.state != "submitted" or report.submitted_at is None or report.submitted_at < since:
            problems.append(f"{job.username}: report {report.pk} is {report.state}, not submitted in this run")
        elif report.summary != job.text:
            problems.append(f"{job.username}: report {report.pk} holds other text: {report.summary[:40]!r}")
        elif report.pk not in submitted_events:
            problems.append(f"{job.username}: report {report.pk} has no 提交报告 history row")
    return problems


def run_rush(args: argparse.Namespace) -> int:
    host, port = check_loopback(args.base)
    rng = random.Random(args.seed)
    started_setup = time.monotonic()
    jobs = rush_setup(args.rush, args.password)
    print(f"{len(jobs)} reporters of {len(jobs)} units ready in {time.monotonic() - started_setup:.1f} s")
    from django.utils import timezone

    since = timezone.now()
    results = Results()
    began = time.monotonic()
    threads = []
    for job in jobs:
        client = Client(host, port, args.timeout)
        client.cookies["sessionid"] = job.session_key
        start_at = began + rng.uniform(0, args.window)
        threads.append(threading.Thread(target=rush_reporter, args=(job, client, results, start_at), daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, began + args.window + args.timeout * 4 - time.monotonic()))
    elapsed = time.monotonic() - began
    unfinished = sum(t.is_alive() for t in threads)
    failed = report(results, elapsed, unfinished, args, RUSH_PAGES,
                    f"{len(jobs)} reporters starting within {args.window:g} s, no think time")
    problems = rush_verify(jobs, since)
    print(f"\nin the database: {len(jobs) - len(problems)} of {len(jobs)} reports submitted with their reporter's text "
          f"and history" + ("" if not problems else ":\n  " + "\n  ".join(problems[:20])))
    return 1 if failed or problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="server to measure (loopback only)")
    parser.add_argument("--users", type=int, default=20, help="concurrent virtual users (default 20)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of measuring (default 60)")
    parser.add_argument("--requests", type=int, default=20000, help="stop after this many requests (default 20000)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before a request counts as failed")
    parser.add_argument("--password", default="kesu2026")
    parser.add_argument("--province", default="示范省", help="the demo province (kesu demo_data)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-warmup", dest="warmup", action="store_false")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--queries", action="store_true", help="in-process: the SQL of each page instead of load")
    parser.add_argument("--repeat", type=int, default=5, help="--queries: requests per page (default 5)")
    parser.add_argument("--top", type=int, default=5, help="--queries: slowest queries shown per page")
    parser.add_argument("--width", type=int, default=220, help="--queries: characters of SQL shown")
    parser.add_argument("--explain", type=int, default=0, metavar="LINES",
                        help="--queries: EXPLAIN ANALYZE the two slowest queries (PostgreSQL), LINES lines each")
    parser.add_argument("--think", type=float, default=0, help="seconds a user waits between requests, ±50%% (default 0)")
    parser.add_argument("--server", action="store_true", help="start `kesu serve` on --base for the run (see above)")
    parser.add_argument("--workers", type=int, default=0, help="--server: KESU_WORKERS (default: kesu serve's)")
    parser.add_argument("--threads", type=int, default=0, help="--server: KESU_THREADS (default: kesu serve's)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/1",
                        help="KESU_REDIS_URL of this process and the server (default redis://127.0.0.1:6379/1; '' for none)")
    parser.add_argument("--server-log", default="/tmp/kesu-bench-server.log", help="--server: where its log goes")
    parser.add_argument("--rush", type=int, default=0, metavar="N", help="the deadline rush with N reporters instead")
    parser.add_argument("--window", type=float, default=60, help="--rush: reporters start within this many seconds")
    args = parser.parse_args(argv)
    if args.users < 1 or args.duration <= 0 or args.requests < 1 or args.duration > 3600 or args.rush < 0 or args.window < 0:
        parser.error("--users ≥ 1, 0 < --duration ≤ 3600, --requests ≥ 1, --rush ≥ 0, --window ≥ 0")
    prepare_environment(args)
    if args.queries:
        return queries(args)
    measure = run_rush if args.rush else run
    if not args.server:
        return measure(args)
    with production_server(args):
        return measure(args)


if __name__ == "__main__":
    sys.exit(main())

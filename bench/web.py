"""Web benchmark: p50/p95/max of the plan dashboard, the report list (cycle page) and the roll-up.

    # 1. the province data set, in its own PostgreSQL database
    createdb -h 127.0.0.1 -U postgres kesu_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench
    .venv/bin/kesu demo_data --scale province
    # 2. a server on that database (any multi-threaded WSGI server; runserver is one), debug off
    KESU_DEBUG=false KESU_SECRET_KEY=bench .venv/bin/kesu runserver 127.0.0.1:8000 --noreload &
    # 3. the benchmark (same DATABASE_URL: the targets and accounts are read from it)
    .venv/bin/python bench/web.py --base http://127.0.0.1:8000 [--users 20] [--duration 60] [--requests 2000]

    .venv/bin/python bench/web.py --queries     # no server: the SQL each page runs (count, time, slowest, repeats)
    .venv/bin/python bench/web.py --serve --workers 2 --base http://127.0.0.1:8000   # a 2-process server, if wanted

20 virtual users (by default 1 province office, 9 city offices, 10 county offices, password kesu2026) sign in
through the login form, then each requests, in turn, a plan dashboard (/plans/<id>/dashboard/), a report list
(/plans/<id>/tracking/cycles/<cid>/, mostly the latest cycle) and — province and city users — a roll-up
(/jurisdictions/<id>/rollup/), each picked at random within the user's area. It stops at --duration seconds or
--requests requests, whichever comes first; a request taking longer than --timeout counts as an error, and the
run is cut off --timeout seconds after the end whatever happens. Only loopback addresses are accepted.
By default users send their next request as soon as a page arrives (a stress test: 20 requests always in
flight); --think 2 makes them pause ~2 s between pages like people do.

Goal: p95 under 300 ms per page at 20 concurrent users on PostgreSQL. Exit status 1 if a page misses it
(or has errors), so it can gate a CI job.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import os
import random
import re
import socket
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
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
    return report(results, elapsed, unfinished, args)


def report(results: Results, elapsed: float, unfinished: int, args: argparse.Namespace) -> int:
    done = sum(len(v) for v in results.times.values()) + sum(sum(c.values()) for c in results.errors.values())
    think = f", think time {args.think:g} s ±50%" if args.think else ", no think time (each user sends its next request at once)"
    print(f"\n{done} requests in {elapsed:.1f} s ({done / elapsed:.1f}/s), {args.users} users{think}"
          + (f"; {unfinished} users cut off by the hard stop" if unfinished else ""))
    print(f"{'page':<20}{'n':>6}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'mean ms':>9}")
    summary, failed = {}, False
    for page in PAGES:
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
        Path(args.json).write_text(json.dumps({"elapsed": elapsed, "requests": done, "users": args.users,
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


# ---------------------------------------------------------------------------- a multi-process server (optional)


def serve(args: argparse.Namespace) -> int:
    """Serve the site on --base with --workers processes × threads (Django's threaded WSGI server, pre-forked).

    The project ships no production WSGI server; runserver is one process, so one core for Python. This is the
    same server class, forked after binding so that every worker accepts on the socket — what gunicorn -w N
    --threads M would do, with nothing to install. For benchmarking only; stops on Ctrl+C/SIGTERM or --serve-for.
    """
    import signal

    host, port = check_loopback(args.base)
    _django()
    from django.conf import settings
    from django.core.servers.basehttp import (
        ThreadedWSGIServer,
        WSGIRequestHandler,
        get_internal_wsgi_application,
    )
    from django.db import connections

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *params) -> None:
            pass

    if settings.DEBUG:
        print("warning: KESU_DEBUG is on (set KESU_DEBUG=false KESU_SECRET_KEY=… for figures like production)")
    server = ThreadedWSGIServer((host, port), QuietHandler, ipv6=":" in host)
    server.set_app(get_internal_wsgi_application())
    connections.close_all()  # every worker opens its own database connections
    children = []
    for _ in range(args.workers - 1):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
            try:
                server.serve_forever()
            finally:
                os._exit(0)
        children.append(pid)

    def stop(*_) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    if args.serve_for:
        signal.signal(signal.SIGALRM, stop)
        signal.alarm(int(args.serve_for))
    print(f"serving {args.base} with {args.workers} processes (pids {os.getpid()} {' '.join(map(str, children))})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        for pid in children:
            os.kill(pid, signal.SIGTERM)
        for pid in children:
            os.waitpid(pid, 0)
        server.server_close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="server to measure (loopback only)")
    parser.add_argument("--users", type=int, default=20, help="concurrent virtual users (default 20)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of measuring (default 60)")
    parser.add_argument("--requests", type=int, default=2000, help="stop after this many requests (default 2000)")
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
    parser.add_argument("--serve", action="store_true", help="instead: serve the site on --base (see serve())")
    parser.add_argument("--workers", type=int, default=2, help="--serve: processes (default 2)")
    parser.add_argument("--serve-for", type=float, default=0, help="--serve: stop after this many seconds")
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args)
    if args.users < 1 or args.duration <= 0 or args.requests < 1 or args.duration > 3600:
        parser.error("--users ≥ 1, 0 < --duration ≤ 3600, --requests ≥ 1")
    return queries(args) if args.queries else run(args)


if __name__ == "__main__":
    sys.exit(main())

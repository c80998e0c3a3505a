"""Benchmark of the service-order workflow on PostgreSQL (loopback only, bounded in time and connections).

    .venv/bin/python bench/dispatch.py [--database-url postgres://postgres@127.0.0.1:5432/kesu_dispatch_bench]
        [--racers 200] [--orders 10000] [--workers 8] [--connections 48] [--keep] [--timeout 900]

1. The race: `--racers` pool teams accept one pooled order at the same moment, through at most `--connections`
   database connections (a web server's pool; PostgreSQL allows 100 by default). Exactly one must win; every
   other attempt must be refused with the "already taken by …" message.
2. The workflow: `--orders` orders placed, then moved by `--workers` threads through the whole workflow — half
   dispatched to a department (dispatch → claim → assign → accept), half to the team pool (pool → accept) —
   then service record with volunteer hours, then the requester's rating. Prints throughput per step.
3. The checks: no order lost (all placed orders exist and are closed), none double-held (exactly one accept
   event per order, its team is the order's team, every hour row belongs to the order's team), history
   complete (7 or 5 transitions + submission per order).

The database named in --database-url is dropped and created afresh (unless --keep); it must be on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kesu_dispatch_bench"


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("KESU_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--racers", type=int, default=200)
    parser.add_argument("--orders", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=4, help="worker processes moving the orders")
    parser.add_argument("--connections", type=int, default=48, help="most connections the race uses at once")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before the workflow phase gives up")
    parser.add_argument("--keep", action="store_true", help="reuse the database as it is (no drop/create)")
    args = parser.parse_args()

    parsed = urlparse(args.database_url)
    if parsed.scheme not in ("postgres", "postgresql") or parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the benchmark runs only against PostgreSQL on the loopback interface")
    if args.workers + 2 > 90 or args.connections + 2 > 90:
        parser.error("stay well under PostgreSQL's default 100 connections")
    if not args.keep:
        recreate_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    os.environ.setdefault("KESU_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ["KESU_DEBUG"] = "false"  # as in production: no query log kept in memory
    os.environ.setdefault("KESU_SECRET_KEY", "kesu-dispatch-bench-only")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"database {parsed.path.lstrip('/')} ready in {time.perf_counter() - t0:.1f} s")
    ok = race(args) & workflow(args)
    print("RESULT:", "all checks passed" if ok else "CHECKS FAILED")
    return 0 if ok else 1


def _users(prefix: str, count: int) -> list:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    User.objects.bulk_create(User(username=f"{prefix}{i}", password="!") for i in range(count))
    return list(User.objects.filter(username__startswith=prefix).order_by("id"))


def race(args) -> bool:
    from django.db import connection

    from kesu.domain.dispatch import MoveRefused
    from kesu.org.models import Jurisdiction, Membership
    from kesu.volunteering import actions
    from kesu.volunteering.access import roles_of
    from kesu.volunteering.models import OrderEvent, ServiceArea, ServiceOrder, ServiceRole, Team, Topic

    county = Jurisdiction.objects.create(name="竞速县", level="county")
    office = _users("race-office", 1)[0]
    Membership.objects.create(user=office, jurisdiction=county, role="office_admin")
    township = ServiceArea.objects.create(jurisdiction=county, kind="township", name="竞速镇")
    topic = Topic.objects.create(jurisdiction=county, name="农业技术")
    Team.objects.bulk_create(Team(jurisdiction=county, name=f"第{i + 1:03d}服务队", in_pool=True) for i in range(args.racers))
    teams = list(Team.objects.filter(jurisdiction=county).order_by("id"))
    admins = _users("race-admin-", args.racers)
    ServiceRole.objects.bulk_create(ServiceRole(user=a, kind="team_admin", team=t) for a, t in zip(admins, teams, strict=True))
    order = actions.do_submit_order(_order_data(township, topic, 0))
    actions.do_pool_order(order, office, roles_of(office))
    roles = [roles_of(a) for a in admins]
    go = threading.Event()

    def attempt(i: int):
        go.wait()
        try:
            return i, actions.do_accept_order(order, admins[i], roles[i], teams[i])
        except MoveRefused as refused:
            return i, refused
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=min(args.connections, args.racers)) as pool:
        futures = [pool.submit(attempt, i) for i in range(args.racers)]
        time.sleep(0.2)
        start = time.perf_counter()
        go.set()
        results = [f.result(timeout=120) for f in as_completed(futures)]
    elapsed = time.perf_counter() - start
    wins = [i for i, r in results if isinstance(r, ServiceOrder)]
    refusals = [str(r) for _, r in results if isinstance(r, MoveRefused)]
    order.refresh_from_db()
    winner = teams[wins[0]].name if len(wins) == 1 else "?"
    expected = f"该服务单已由“{winner}”接单，您的接单没有成功。"
    checks = {
        "exactly one winner": len(wins) == 1,
        "every other attempt refused with the winner's name": len(refusals) == args.racers - 1 and set(refusals) == {expected},
        "order held by the winner": order.state == "accepted" and len(wins) == 1 and order.team_id == teams[wins[0]].pk,
        "one accept in the history": OrderEvent.objects.filter(order=order, kind="accept").count() == 1,
    }
    print(f"\n1. race: {args.racers} concurrent accepts on one pooled order through {min(args.connections, args.racers)} "
          f"connections: {elapsed:.2f} s ({args.racers / elapsed:.0f} attempts/s); winner {winner}")
    for label, passed in checks.items():
        print(f"   {'ok ' if passed else 'FAIL'} {label}")
    return all(checks.values())


def _order_data(township, topic, i: int) -> dict:
    from django.utils import timezone

    today = timezone.localdate()
    return {
        "township": township, "village": None, "place": "村委会", "topic": topic, "description": f"第{i}号需求",
        "preferred_from": today - dt.timedelta(days=90), "preferred_until": today - dt.timedelta(days=89),
        "audience": "villagers", "audience_size": 30 + i % 50, "requester_kind": "resident", "requester_org": "",
        "contact_name": "张三", "contact_phone": f"139{i:08d}",
    }


def workflow(args) -> bool:
    from django.db import connection
    from django.db.models import Count, F
    from django.utils import timezone

    from kesu.org.models import Jurisdiction, Membership, MemberUnit
    from kesu.volunteering import actions
    from kesu.volunteering.access import roles_of
    from kesu.volunteering.hours import do_record_service
    from kesu.volunteering.models import (
        OrderEvent,
        ServiceArea,
        ServiceHours,
        ServiceOrder,
        ServiceRole,
        Team,
        TeamMembership,
        Topic,
        Volunteer,
    )

    n_units, teams_per_unit = 5, 4
    county = Jurisdiction.objects.create(name="压测县", level="county")
    office = _users("wf-office", 1)[0]
    Membership.objects.create(user=office, jurisdiction=county, role="office_admin")
    townships = [ServiceArea.objects.create(jurisdiction=county, kind="township", name=f"第{i + 1}镇") for i in range(10)]
    topic = Topic.objects.create(jurisdiction=county, name="健康")
    officers = _users("wf-officer-", len(townships))
    ServiceRole.objects.bulk_create(ServiceRole(user=u, kind="officer", area=a) for u, a in zip(officers, townships, strict=True))
    units = [MemberUnit.objects.create(jurisdiction=county, name=f"县第{i + 1}局", key=f"县第{i + 1}局") for i in range(n_units)]
    claimers = _users("wf-claimer-", n_units)
    ServiceRole.objects.bulk_create(ServiceRole(user=u, kind="claimer", unit=unit) for u, unit in zip(claimers, units, strict=True))
    teams = [Team.objects.create(jurisdiction=county, name=f"压测第{i + 1}队", unit=units[i % n_units], in_pool=True,
                                 founded_on=dt.date(2020, 1, 1)) for i in range(n_units * teams_per_unit)]
    admins = _users("wf-admin-", len(teams))
    ServiceRole.objects.bulk_create(ServiceRole(user=u, kind="team_admin", team=t) for u, t in zip(admins, teams, strict=True))
    members: dict[int, list] = {}
    for i, team in enumerate(teams):
        pair = [Volunteer.objects.create(jurisdiction=county, name=f"志愿者{i}-{j}", phone=f"138{i:04d}{j:04d}",
                                         registered_on=dt.date(2020, 1, 1)) for j in range(2)]
        for v in pair:
            TeamMembership.objects.create(team=team, volunteer=v, status="active", joined_on=dt.date(2020, 1, 1))
        members[team.pk] = pair
    role_cache = {u.pk: roles_of(u) for u in [office, *officers, *claimers, *admins]}
    deadline = time.monotonic() + args.timeout

    def run(label: str, items: list, work) -> float:
        """Run `work(item)` for every item on `workers` processes (each its own connection, like web server
        workers; processes rather than threads so that Python's GIL does not serialise them); return seconds."""
        start = time.perf_counter()
        connection.close()  # never share the parent's connection with the children
        context = multiprocessing.get_context("fork")
        failures = context.Queue()

        def chunk(part: list) -> None:
            try:
                for item in part:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"{label}: over --timeout")
                    work(item)
            except Exception as error:  # noqa: BLE001 - reported below, fails the run
                failures.put(f"{type(error).__name__}: {error}")
            finally:
                connection.close()

        processes = [context.Process(target=chunk, args=(items[w::args.workers],)) for w in range(args.workers)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(max(deadline - time.monotonic(), 1) + 30)
            if process.is_alive():
                process.terminate()
                failures.put(f"{label}: a worker did not finish in time")
        errors = []
        while not failures.empty():
            errors.append(failures.get())
        if errors:
            raise RuntimeError(f"{label}: {errors[0]} ({len(errors)} worker(s) failed)")
        return time.perf_counter() - start

    n = args.orders

    def place(i: int) -> None:
        actions.do_submit_order(_order_data(townships[i % len(townships)], topic, i), client_digest="bench")

    print(f"\n2. workflow: {n} orders, {args.workers} worker processes, {len(teams)} teams of {n_units} departments")
    timings: list[tuple[str, int, float]] = []
    timings.append(("place (public order)", n, run("place", list(range(n)), place)))
    placed = list(ServiceOrder.objects.filter(jurisdiction=county).order_by("pk").values_list("pk", flat=True))
    team_of = {pk: teams[i % len(teams)] for i, pk in enumerate(placed)}
    via_unit = {pk for i, pk in enumerate(placed) if i % 2 == 0}
    index = {pk: i for i, pk in enumerate(placed)}

    def officer_of(order) -> object:
        return officers[townships.index(next(t for t in townships if t.pk == order.township_id))]

    def route(pk: int) -> None:
        order = ServiceOrder.objects.select_related("jurisdiction").get(pk=pk)
        officer = officer_of(order)
        if pk in via_unit:
            unit = team_of[pk].unit
            actions.do_dispatch_order(order, officer, role_cache[officer.pk], unit)
            claimer = claimers[units.index(unit)]
            actions.do_claim_order(order, claimer, role_cache[claimer.pk])
            actions.do_assign_order(order, claimer, role_cache[claimer.pk], team_of[pk])
        else:
            actions.do_pool_order(order, officer, role_cache[officer.pk])

    def accept(pk: int) -> None:
        team = team_of[pk]
        admin = admins[teams.index(team)]
        order = ServiceOrder.objects.select_related("jurisdiction").get(pk=pk)
        actions.do_accept_order(order, admin, role_cache[admin.pk], team)

    now = timezone.now()
    tz = timezone.get_default_timezone()

    def record(pk: int) -> None:
        team = team_of[pk]
        admin = admins[teams.index(team)]
        order = ServiceOrder.objects.select_related("jurisdiction").get(pk=pk)
        # each team's services three hours apart, going back in time, so no volunteer serves twice at once
        start = timezone.localtime(now - dt.timedelta(hours=3 * (index[pk] // len(teams) + 1)), tz)
        do_record_service(order, admin, role_cache[admin.pk], {
            "served_on": start.date(), "start_time": start.time().replace(microsecond=0), "duration_hours": 2,
            "attendees": 40, "summary": "压测服务记录", "volunteers": members[team.pk]})

    def confirm(pk: int) -> None:
        actions.do_confirm_order(ServiceOrder.objects.select_related("jurisdiction").get(pk=pk), 5 - index[pk] % 3, "")

    timings.append(("route (dispatch/claim/assign or pool)", n // 2 * 3 + (n - n // 2), run("route", placed, route)))
    timings.append(("accept", n, run("accept", placed, accept)))
    timings.append(("record service + hours", n, run("record", placed, record)))
    timings.append(("confirm + rate", n, run("confirm", placed, confirm)))
    total_moves = sum(m for label, m, _ in timings[1:])
    total_time = sum(t for _, _, t in timings)
    for label, moves, seconds in timings:
        print(f"   {label:<40} {moves:>6} moves in {seconds:6.1f} s  = {moves / seconds:7.0f}/s")
    print(f"   {'all transitions':<40} {total_moves:>6} moves in {sum(t for _, _, t in timings[1:]):6.1f} s  = "
          f"{total_moves / sum(t for _, _, t in timings[1:]):7.0f}/s   (whole run incl. placing: {total_time:.1f} s, "
          f"{n / total_time:.0f} orders/s end to end)")

    orders = ServiceOrder.objects.filter(jurisdiction=county)
    states = Counter(orders.values_list("state", flat=True))
    accepts = Counter(OrderEvent.objects.filter(order__jurisdiction=county, kind="accept").values_list("order_id", flat=True))
    accept_team_mismatch = _accept_mismatches(county)
    history = Counter(orders.annotate(n=Count("events")).values_list("n", flat=True))
    expected_history = {7: n - n // 2, 5: n // 2}  # submitted + 6 moves via a department, + 4 via the pool
    checks = {
        f"no order lost ({n} placed, {orders.count()} stored)": orders.count() == n and set(placed) == set(orders.values_list("pk", flat=True)),
        f"every order closed ({dict(states)})": states == Counter({"closed": n}),
        "every order held by exactly one team": not orders.filter(team__isnull=True).exists()
        and all(count == 1 for count in accepts.values()) and len(accepts) == n,
        "each accept by the order's own team": accept_team_mismatch == 0,
        "hours only for the holding team": not ServiceHours.objects.filter(order__jurisdiction=county).exclude(team=F("order__team")).exists()
        and ServiceHours.objects.filter(order__jurisdiction=county).count() == 2 * n,
        f"history complete ({dict(history)})": history == Counter(expected_history),
    }
    print("\n3. checks")
    for label, passed in checks.items():
        print(f"   {'ok ' if passed else 'FAIL'} {label}")
    return all(checks.values())


def _accept_mismatches(county) -> int:
    """Accept events whose team (named in the event) is not the team holding the order."""
    from kesu.volunteering.models import OrderEvent

    bad = 0
    for detail, team_name in OrderEvent.objects.filter(order__jurisdiction=county, kind="accept").values_list("detail", "order__team__name"):
        bad += detail != f"{team_name}接单"
    return bad


if __name__ == "__main__":
    sys.exit(main())

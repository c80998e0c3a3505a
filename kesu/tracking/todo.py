"""What is pending in tracking, for the home page (kesu.plans.home) and the pages its blocks link to.

The queries here are the ones those pages use (我的填报任务 uses `reports_to_fill` and `contributions_to_write`;
a cycle's rates come from `cycle_rates`, the dashboard's figures from `plan_dashboard`, the roll-up from
`rollup`), so a count on the home page is the count on the page behind its link.

- office (of the plan's jurisdiction): reports waiting for review, each open cycle's progress and deadline,
  overdue units, returned reports not yet resubmitted, summaries finished in the last days;
- unit reporter: this cycle's reports to fill and contributions to write, with their deadlines;
- leader (viewer of the jurisdiction): the dashboard's headline figures;
- offices and viewers of a city or province: the roll-up of the jurisdictions below.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from kesu.domain.target_progress import STATUS_LABELS, Status
from kesu.org.access import Roles
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.plans.current import current_of
from kesu.plans.home import Block, Item
from kesu.plans.models import Plan
from kesu.plans.templatetags.kesu_format import percent
from kesu.tracking.assessment import cycle_rates, targets_progress
from kesu.tracking.cycle_items import label_of
from kesu.tracking.dashboard import latest_cycle, plan_dashboard, plans_below, rollup
from kesu.tracking.models import ItemReport, Report, ReportingCycle

TO_FILL_STATES = ("draft", "returned")
FINISHED_DAYS = 7  # a finished summary stays on the office's home this long
CYCLES_SHOWN = 4


def open_now(now: dt.datetime) -> Q:
    """The report's cycle still takes the lead unit's edits: not locked, or a 补报 exception for that unit."""
    return Q(cycle__locks_at__gt=now) | Q(cycle__exceptions__until__gt=now, cycle__exceptions__unit_id=F("unit_id"))


def reports_to_fill(plan: Plan, unit_ids: set[int], now: dt.datetime) -> QuerySet[Report]:
    """The units' own reports that are still to be written or corrected (draft or returned) and may be."""
    return Report.objects.filter(cycle__plan=plan, unit_id__in=unit_ids, state__in=TO_FILL_STATES).filter(open_now(now)).distinct()


def items_to_fill(plan: Plan, unit_ids: set[int], now: dt.datetime) -> QuerySet[ItemReport]:
    """The units' item reports (年度工作要点, 议定事项…) still to be written or corrected, and that may be."""
    return ItemReport.objects.filter(cycle__plan=plan, unit_id__in=unit_ids, state__in=TO_FILL_STATES).filter(open_now(now)).distinct()


def contributions_to_write(plan: Plan, unit_ids: set[int], now: dt.datetime) -> QuerySet[Report]:
    """Open reports of measures the units support, where none of them has written its contribution yet."""
    return (
        Report.objects.filter(cycle__plan=plan, task__responsibilities__role="support",
                              task__responsibilities__unit_id__in=unit_ids)
        .exclude(unit_id__in=unit_ids).exclude(state="approved").filter(open_now(now))
        .exclude(contributions__unit_id__in=unit_ids).distinct()
    )


def _deadline(cycle: ReportingCycle, today: dt.date) -> str:
    days = (cycle.deadline - today).days
    when = f"截止 {cycle.deadline:%Y-%m-%d}"
    if days > 0:
        return f"{when}（还有 {days} 天）"
    return f"{when}（今天）" if days == 0 else f"{when}（已过 {-days} 天）"


def _plans_of(jurisdiction_ids: set[int]) -> list[Plan]:
    """The current plan of each jurisdiction (an ended plan gives way to its successor)."""
    return current_of(Plan.objects.filter(jurisdiction_id__in=jurisdiction_ids).select_related("jurisdiction")
                      .order_by("jurisdiction__path", "title"))


# ---------------------------------------------------------------------------- reporter


def reporter_block(plan: Plan, unit_names: str, unit_ids: set[int], now: dt.datetime) -> Block:
    today = timezone.localdate()
    mine = reverse("tracking-my-reports", args=[plan.pk])
    items = []
    by_cycle = Counter(reports_to_fill(plan, unit_ids, now).values_list("cycle_id", flat=True))
    returned = Counter(reports_to_fill(plan, unit_ids, now).filter(state="returned").values_list("cycle_id", flat=True))
    for cycle in ReportingCycle.objects.filter(pk__in=by_cycle).order_by("deadline"):
        note = _deadline(cycle, today) + (f"；其中 {returned[cycle.pk]} 份被退回待修改" if returned[cycle.pk] else "")
        items.append(Item(f"{cycle} 待填报告", f"{mine}?cycle={cycle.pk}", str(by_cycle[cycle.pk]), note,
                          urgent=True))
    item_counts = Counter(items_to_fill(plan, unit_ids, now).values_list("cycle_id", "source"))
    item_cycles = ReportingCycle.objects.in_bulk({cycle_id for cycle_id, _ in item_counts})
    for (cycle_id, source), count in sorted(item_counts.items(), key=lambda kv: (item_cycles[kv[0][0]].deadline, kv[0][1])):
        cycle = item_cycles[cycle_id]
        items.append(Item(f"{cycle} 待填{label_of(source)}", f"{mine}?cycle={cycle.pk}#items", str(count), _deadline(cycle, today),
                          urgent=True))
    supported = Counter(contributions_to_write(plan, unit_ids, now).values_list("cycle_id", flat=True))
    for cycle in ReportingCycle.objects.filter(pk__in=supported).order_by("deadline"):
        items.append(Item(f"{cycle} 待写配合情况", f"{mine}?cycle={cycle.pk}#supported", str(supported[cycle.pk]), _deadline(cycle, today)))
    return Block(
        f"我的填报任务 · {plan.jurisdiction.name}", f"{unit_names}填报员", items,
        [("我的填报任务", mine), ("全部历次报告", f"{mine}?status=all")],
        empty="本期报告都已提交，目前没有需要填写的报告。", order=10,
    )


# ---------------------------------------------------------------------------- office


def office_block(plan: Plan, now: dt.datetime) -> Block:
    today = timezone.localdate()
    items: list[Item] = []
    review = Counter(Report.objects.filter(cycle__plan=plan, state="submitted").values_list("cycle_id", flat=True))
    item_review = Counter(ItemReport.objects.filter(cycle__plan=plan, state="submitted").values_list("cycle_id", flat=True))
    cycles = list(plan.cycles.filter(Q(locks_at__gt=now) | Q(pk__in=review) | Q(pk__in=item_review)).order_by("-year", "-number")[:CYCLES_SHOWN])
    for cycle in cycles:
        page = reverse("tracking-cycle", args=[plan.pk, cycle.pk])
        if review[cycle.pk]:
            items.append(Item(f"{cycle} 待审核报告", f"{page}?status=submitted", str(review[cycle.pk]), urgent=True))
        if item_review[cycle.pk]:
            items.append(Item(f"{cycle} 待审核事项报告", f"{page}#items", str(item_review[cycle.pk]), "年度工作要点、议定事项等",
                              urgent=True))
        if cycle.is_locked(now):
            continue
        rates, _ = cycle_rates(cycle)
        items.append(Item(f"{cycle} 已报送", page, f"{rates.submitted}/{rates.expected}", _deadline(cycle, today)))
        pending = Report.objects.filter(cycle=cycle, state__in=TO_FILL_STATES)
        if now >= cycle.due_at and (late := pending.values("unit_id").distinct().count()):
            items.append(Item(f"{cycle} 逾期未报单位", page, str(late),
                              f"{pending.count()} 份报告未提交，可催报或开通补报", urgent=True))
        if returned := pending.filter(state="returned").count():
            items.append(Item(f"{cycle} 退回后未重新提交", f"{page}?status=returned", str(returned)))
    since = now - dt.timedelta(days=FINISHED_DAYS)
    for document in plan.summaries.filter(status="done", finished_at__gte=since).order_by("-finished_at")[:3]:
        items.append(Item(f"{document.year}年度工作总结已生成", reverse("tracking-summaries", args=[plan.pk]),
                          note=f"{timezone.localtime(document.finished_at):%Y-%m-%d %H:%M} 完成，可下载"))
    links = [("进展填报", reverse("tracking-plan", args=[plan.pk])), ("仪表盘", reverse("tracking-dashboard", args=[plan.pk])),
             ("工作总结", reverse("tracking-summaries", args=[plan.pk])),
             ("联络员名册", reverse("liaisons-roster", args=[plan.jurisdiction_id]))]
    empty = "还没有开启填报周期。" if not plan.cycles.exists() else "没有待审核或逾期的报告。"
    return Block(f"进展填报 · {plan.jurisdiction.name}", f"{plan.jurisdiction.name}科协办公室", items, links, empty, order=20)


# ---------------------------------------------------------------------------- leader


def leader_block(plan: Plan) -> Block:
    dashboard = reverse("tracking-dashboard", args=[plan.pk])
    overall = plan_dashboard(plan).overall
    items = [Item("措施推进正常", dashboard, percent(overall.on_track), f"{overall.total} 项（按牵头单位计）")]
    cycle = latest_cycle(plan)
    if cycle is not None:
        rates, _ = cycle_rates(cycle)
        items.append(Item(f"{cycle}报送率 / 按时率", dashboard,
                          f"{percent(rates.reporting_rate)} / {percent(rates.on_time_rate)}",
                          f"应报 {rates.expected}，已报 {rates.submitted}"))
    statuses = Counter(progress.status.value for _, _, progress in targets_progress(plan))
    if statuses:
        text = "，".join(f"{STATUS_LABELS[s]} {statuses[s.value]}" for s in Status if statuses[s.value])
        items.append(Item("量化目标", reverse("tracking-targets", args=[plan.pk]), str(sum(statuses.values())), text))
    return Block(f"实施概况 · {plan.jurisdiction.name}", f"{plan.jurisdiction.name}领导", items,
                 [("仪表盘", dashboard), ("年度考核", reverse("tracking-assessment-current", args=[plan.pk]))], order=30)


# ---------------------------------------------------------------------------- levels above


def rollup_block(jurisdiction: Jurisdiction, who: str) -> Block | None:
    plans = plans_below(jurisdiction)
    if not plans:
        return None
    page = reverse("tracking-rollup", args=[jurisdiction.pk])
    rows, _ = rollup(jurisdiction, plans)
    opened = [row for row in rows if row.expected]
    items = [Item("下辖地区方案", page, str(len(rows)), f"{len(opened)} 个已开启填报")]
    for row in sorted(opened, key=lambda r: (r.reporting_rate or 0, r.plan.jurisdiction.name))[:3]:
        items.append(Item(f"{row.plan.jurisdiction.name} {row.cycle_label}报送率", page, percent(row.reporting_rate),
                          f"应报 {row.expected}，已报 {row.submitted}", urgent=(row.reporting_rate or 0) < 0.5))
    return Block(f"下辖地区进展汇总 · {jurisdiction.name}", who, items, [("下辖地区进展汇总", page)], order=40)


# ---------------------------------------------------------------------------- the provider


def home_blocks(request: HttpRequest) -> list[Block]:
    """The tracking blocks of the signed-in user (registered in TrackingConfig.ready())."""
    roles: Roles = request.roles
    now = timezone.now()
    blocks: list[Block] = []
    reporter_units: dict[int, set[int]] = {}
    for membership in roles.memberships:
        if membership.role == Membership.Role.UNIT_REPORTER and membership.unit_id is not None:
            reporter_units.setdefault(membership.jurisdiction_id, set()).add(membership.unit_id)
    names = dict(MemberUnit.objects.filter(pk__in=roles.reporter_unit_ids()).values_list("pk", "name"))
    for plan in _plans_of(set(reporter_units)):
        unit_ids = reporter_units[plan.jurisdiction_id]
        blocks.append(reporter_block(plan, "、".join(sorted(names[u] for u in unit_ids)), unit_ids, now))
    for plan in _plans_of(set(roles.office_ids)):
        blocks.append(office_block(plan, now))
    viewer_of = {m.jurisdiction_id for m in roles.memberships if m.role == Membership.Role.VIEWER}
    for plan in _plans_of(viewer_of - roles.office_ids):
        blocks.append(leader_block(plan))
    for membership in roles.memberships:
        if membership.role in (Membership.Role.OFFICE_ADMIN, Membership.Role.VIEWER) \
                and membership.jurisdiction.level != Jurisdiction.Level.COUNTY:
            role = "科协办公室" if membership.role == Membership.Role.OFFICE_ADMIN else "领导"
            block = rollup_block(membership.jurisdiction, f"{membership.jurisdiction.name}{role}")
            if block is not None:
                blocks.append(block)
    return blocks

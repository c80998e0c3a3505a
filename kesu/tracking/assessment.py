"""Read models for tracking: reporting rates, targets over time, and the yearly assessment scores.

Counting rules (also shown on the pages, so anyone can reproduce a figure):
- reporting rate = reports submitted (at any time) / reports expected in the cycle;
- on-time rate = reports first submitted by 24:00 of the deadline day / reports expected;
- a target's value for a period comes only from approved reports; where a measure has several lead units,
  each reports the measure's total and the largest value is taken.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kesu.domain import scoring_rubric
from kesu.domain.reporting_periods import Period, PeriodType, Rates
from kesu.domain.target_progress import Observation, Progress, TargetSpec, assess
from kesu.org.models import MemberUnit
from kesu.plans.models import Plan, Responsibility, Target
from kesu.tracking.cycle_items import assessed_sources, label_of
from kesu.tracking.latest import counted_cycle_ids, latest_approved
from kesu.tracking.live_values import apply_live_series
from kesu.tracking.models import (
    ItemReport,
    ManualScore,
    Report,
    ReportingCycle,
    Rubric,
    RubricItem,
    ScoreAdjustment,
    TargetValue,
)
from kesu.tracking.rubric_sources import shares

RATE_RULE = "报送率＝已提交报告数÷应报告数；按时率＝截止日24:00前首次提交的报告数÷应报告数。"
TARGET_RULE = "目标值只取审核通过的报告；一项措施有多个牵头单位时，各自填报措施总数，取其中最大值。"


def item_progress_rule() -> str:
    """How reported items (年度工作要点) join the measures' progress in the assessment, in words."""
    labels = "、".join(label_of(name) for name in sorted(assessed_sources()))
    if not labels:
        return ""
    return (f"按牵头措施推进状态计分的考核项目（如“措施完成情况”）同时计入本年度的{labels}：单位牵头的每一条与一项措施"
            "同等计入，按其本年度最近一期审核通过的报告的推进状态计分（已完成 1，推进中 0.7，滞后 0.3；本年度没有审核通过的"
            "报告按未启动 0 计）。")


def item_progress(plan: Plan, year: int) -> list[tuple[int, str]]:
    """(unit id, progress) for each item of an assessed source (kesu.tracking.cycle_items) a unit reported on in
    the year's cycles: the progress of its latest approved report, or not_started (item_progress_rule)."""
    reports = ItemReport.objects.filter(cycle__plan=plan, cycle__year=year, source__in=assessed_sources())
    latest: dict[tuple[int, str, int], str] = {}
    for key in reports.order_by().values_list("unit_id", "source", "source_id").distinct():
        latest[key] = "not_started"
    approved = reports.filter(state="approved").order_by("cycle__deadline", "pk")
    for unit_id, source, source_id, progress in approved.values_list("unit_id", "source", "source_id", "progress"):
        latest[(unit_id, source, source_id)] = progress  # the later cycle's approval wins
    return [(unit_id, progress) for (unit_id, _, _), progress in sorted(latest.items())]


def plan_rates(cycles: list[ReportingCycle]) -> dict[int, tuple[Rates, dict[int, Rates]]]:
    """Overall and per-unit rates of several cycles, in one query."""
    counts: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    due = {c.pk: c.due_at for c in cycles}
    rows = Report.objects.filter(cycle_id__in=due).order_by().values_list("cycle_id", "unit_id", "first_submitted_at")
    for cycle_id, unit_id, first_submitted in rows:
        row = counts[cycle_id][unit_id]
        row[0] += 1
        row[1] += first_submitted is not None
        row[2] += first_submitted is not None and first_submitted < due[cycle_id]
    result = {}
    for cycle in cycles:
        per_unit = {u: Rates(*row) for u, row in counts[cycle.pk].items()}
        total = Rates(*(sum(r[i] for r in counts[cycle.pk].values()) for i in range(3)))
        result[cycle.pk] = (total, per_unit)
    return result


def cycle_rates(cycle: ReportingCycle) -> tuple[Rates, dict[int, Rates]]:
    """Overall and per-unit rates for one cycle."""
    return plan_rates([cycle])[cycle.pk]


def target_series(plan: Plan) -> dict[int, list[Observation]]:
    """Approved values of each target, one per cycle (largest when several lead units reported).

    A value is dated at the end of its period, or at its approval if that came earlier (a quarter's
    figure approved mid-quarter is the state of things on that day).
    """
    best: dict[tuple[int, dt.date], float] = {}
    rows = TargetValue.objects.filter(report__cycle__plan=plan, report__state="approved").order_by().values_list(
        "target_id", "value", "report__cycle__period_type", "report__cycle__year", "report__cycle__number",
        "report__reviewed_at",
    )
    tz = timezone.get_default_timezone()
    for target_id, value, period_type, year, number, reviewed_at in rows:
        as_of = Period(PeriodType(period_type), year, number).ends_on
        if reviewed_at is not None:
            as_of = min(as_of, reviewed_at.astimezone(tz).date())
        key = (target_id, as_of)
        best[key] = max(value, best.get(key, value))
    series: dict[int, list[Observation]] = defaultdict(list)
    for (target_id, as_of), value in sorted(best.items(), key=lambda item: item[0][1]):
        series[target_id].append(Observation(as_of, value))
    return series


def spec_of(target: Target) -> TargetSpec:
    return TargetSpec(target.value, target.comparator, target.year, target.annual, target.unit)


def targets_progress(plan: Plan, as_of: dt.date | None = None) -> list[tuple[Target, list[Observation], Progress]]:
    today = as_of or timezone.localdate()
    series = target_series(plan)
    bound_rules = apply_live_series(plan, today, series)  # live targets: live counts replace reported values
    targets = Target.objects.filter(task__section__plan=plan).select_related("task__section").order_by(
        "task__section__position", "task__position", "position"
    )
    result = []
    for target in targets:
        observations = [o for o in series.get(target.pk, []) if o.as_of <= today]
        progress = assess(spec_of(target), observations, plan.period_start, today)
        if target.pk in bound_rules:
            progress = dataclasses.replace(progress, basis=f"{bound_rules[target.pk]}{progress.basis}")
        result.append((target, observations, progress))
    return result


# ---------------------------------------------------------------------------- assessment


@transaction.atomic
def rubric_for(plan: Plan, year: int) -> Rubric:
    rubric, created = Rubric.objects.get_or_create(plan=plan, year=year)
    if created:
        RubricItem.objects.bulk_create(
            RubricItem(rubric=rubric, position=i, kind=kind, label=label, points=points)
            for i, (kind, label, points) in enumerate(scoring_rubric.DEFAULT_ITEMS)
        )
    return rubric


def rubric_items(rubric: Rubric) -> list[scoring_rubric.Item]:
    return [scoring_rubric.Item(str(i.pk), i.kind, i.label, i.points) for i in rubric.items.all()]


def unit_facts(plan: Plan, year: int) -> dict[int, scoring_rubric.UnitFacts]:
    facts: dict[int, scoring_rubric.UnitFacts] = defaultdict(scoring_rubric.UnitFacts)
    year_reports = Report.objects.filter(cycle__plan=plan, cycle__year=year)
    counted = counted_cycle_ids(list(plan.cycles.filter(year=year)))  # each stretch of time once
    for report in year_reports.filter(cycle_id__in=counted).select_related("cycle"):
        f = facts[report.unit_id]
        f.expected_reports += 1
        f.on_time_reports += report.on_time
    latest_progress = {(unit, task): r.progress for (task, unit), r in latest_approved(year_reports).items()}
    end = min(dt.date(year, 12, 31), timezone.localdate())
    progress_by_target = {t.pk: p.status.value for t, _, p in targets_progress(plan, end)}
    targets_by_task: dict[int, list[int]] = defaultdict(list)
    for target_id, task_id in Target.objects.filter(task__section__plan=plan).values_list("pk", "task_id"):
        targets_by_task[task_id].append(target_id)
    leads = Responsibility.objects.filter(section__plan=plan, task__isnull=False, role="lead").exclude(
        unit__stands_for_all=True
    ).values_list("unit_id", "task_id")
    for unit_id, task_id in leads:
        if unit_id not in facts:
            continue
        f = facts[unit_id]
        f.measure_progress.append(latest_progress.get((unit_id, task_id), "not_started"))
        f.target_statuses.extend(progress_by_target[t] for t in targets_by_task[task_id])
    for unit_id, progress in item_progress(plan, year):
        if unit_id in facts:
            facts[unit_id].measure_progress.append(progress)
    rubric = rubric_for(plan, year)
    used = set(rubric.items.values_list("kind", flat=True))
    for kind, by_unit in shares(plan, year, used).items():
        for unit_id, share in by_unit.items():
            if unit_id in facts:
                facts[unit_id].shares[kind] = share
    for score in ManualScore.objects.filter(item__rubric=rubric):
        if score.unit_id in facts:
            facts[score.unit_id].manual[str(score.item_id)] = score.points
    for adjustment in ScoreAdjustment.objects.filter(rubric=rubric):
        if adjustment.unit_id in facts:
            facts[adjustment.unit_id].adjustments.append((adjustment.delta, adjustment.reason))
    return dict(facts)


@dataclass
class ScoreRow:
    unit: MemberUnit
    score: scoring_rubric.UnitScore
    rank: int
    adjustments: list[tuple[float, str]]


def yearly_scores(plan: Plan, year: int) -> tuple[Rubric, list[ScoreRow]]:
    rubric = rubric_for(plan, year)
    items = rubric_items(rubric)
    facts = unit_facts(plan, year)
    scores = {unit_id: scoring_rubric.score_unit(items, f) for unit_id, f in facts.items()}
    ranks = scoring_rubric.rank({unit_id: s.total for unit_id, s in scores.items()})
    units = MemberUnit.objects.in_bulk(list(scores))
    rows = [ScoreRow(units[u], s, ranks[u], facts[u].adjustments) for u, s in scores.items()]
    rows.sort(key=lambda r: (r.rank, r.unit.name))
    return rubric, rows

"""What Kesu proposes when a plan follows another (kesu.domain.plan_succession's rules on the stored plans):
measure links, target links with the baseline each would carry, and the headline baseline. Read-only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from kesu.domain.evaluation_rules import verdict
from kesu.domain.number_text import number_text
from kesu.domain.plan_succession import MeasureItem, Proposal, TargetItem, propose_measures, propose_targets
from kesu.plans.models import Plan, Target, Task
from kesu.survey.latest import LATEST_RULE, latest_figure
from kesu.tracking.assessment import spec_of, target_series
from kesu.tracking.live_values import apply_live_series

BASELINE_RULE = ("基线值取上一方案该目标的终值：截至目标到期年（最迟为上一方案的截止年）12月31日最后一次审核通过"
                 "（或实时统计）的数值，与实施评估的判断规则相同；每年目标取最后一年的数值。"
                 "总体目标的基线取本地区最新的公民具备科学素质比例：" + LATEST_RULE)


@dataclass
class MeasureRow:
    key: str  # "old-new", the checkbox value
    old: Task
    new: Task
    reason: str


@dataclass
class TargetRow:
    key: str
    old: Target
    new: Target
    reason: str
    baseline: float | None  # the old target's final value (None: no value reported)
    baseline_year: int
    final_text: str  # the final value in words with its date, or "暂无数值"
    typed: str = ""  # what the office typed as baseline, shown again when its confirmation was refused


@dataclass
class HeadlineRow:
    value: float
    year: int
    source: str  # e.g. "本地调查估计：晋城市2026年公民科学素质监测"
    current: str  # what the successor's document says, in words


@dataclass
class Proposals:
    predecessor: Plan
    successor: Plan
    measures: list[MeasureRow] = field(default_factory=list)
    targets: list[TargetRow] = field(default_factory=list)
    headline: HeadlineRow | None = None
    new_measures: int = 0
    new_targets: int = 0

    @property
    def unmatched_measures(self) -> int:
        return self.new_measures - len(self.measures)

    @property
    def unmatched_targets(self) -> int:
        return self.new_targets - len(self.targets)


def _tasks(plan: Plan) -> list[Task]:
    return list(Task.objects.filter(section__plan=plan).select_related("section").order_by("section__position", "position"))


def _targets(plan: Plan) -> list[Target]:
    return list(Target.objects.filter(task__section__plan=plan).select_related("task__section")
                .order_by("task__section__position", "task__position", "position"))


def _finals(plan: Plan, targets: list[Target], today: dt.date) -> dict[int, tuple[float, dt.date] | None]:
    """Each old target's final value and its date, by the evaluation's rule, over the plan's whole period."""
    series = target_series(plan)
    apply_live_series(plan, min(dt.date(plan.period_end, 12, 31), today), series)
    finals = {}
    for target in targets:
        result = verdict(spec_of(target), series.get(target.pk, []), plan.period_start, plan.period_end, today)
        finals[target.pk] = None if result.final is None else (result.final.value, result.final.as_of)
    return finals


def _headline(predecessor: Plan, successor: Plan, today: dt.date) -> HeadlineRow | None:
    figure = latest_figure(predecessor.jurisdiction, today.year)
    if figure is None:
        return None
    current = "—" if successor.baseline_value is None else f"{successor.baseline_year or ''}年 {number_text(successor.baseline_value)}%"
    return HeadlineRow(round(figure.value, 1), figure.year, f"{figure.get_kind_display()}：{figure.source}", current)


def gather(successor: Plan) -> Proposals | None:
    """The proposals for `successor` against its predecessor (None when it follows no plan)."""
    predecessor = successor.predecessor
    if predecessor is None:
        return None
    today = timezone.localdate()
    old_tasks, new_tasks = _tasks(predecessor), _tasks(successor)
    measure_links = propose_measures(
        [MeasureItem(t.pk, t.title, t.section.group) for t in old_tasks],
        [MeasureItem(t.pk, t.title, t.section.group) for t in new_tasks],
    )
    old_targets, new_targets = _targets(predecessor), _targets(successor)
    target_links = propose_targets(
        [TargetItem(t.pk, t.indicator, t.unit, t.task_id) for t in old_targets],
        [TargetItem(t.pk, t.indicator, t.unit, t.task_id) for t in new_targets],
        measure_links,
    )
    tasks = {t.pk: t for t in old_tasks + new_tasks}
    targets = {t.pk: t for t in old_targets + new_targets}
    finals = _finals(predecessor, [targets[p.old_id] for p in target_links], today)
    result = Proposals(predecessor, successor, new_measures=len(new_tasks), new_targets=len(new_targets),
                       headline=_headline(predecessor, successor, today))
    result.measures = [MeasureRow(_key(p), tasks[p.old_id], tasks[p.new_id], p.reason) for p in measure_links]
    for p in target_links:
        old, final = targets[p.old_id], finals[p.old_id]
        text = "暂无数值" if final is None else f"{number_text(final[0], grouping=True)}{old.unit}（{final[1]:%Y年%m月%d日}）"
        result.targets.append(TargetRow(_key(p), old, targets[p.new_id], p.reason,
                                        None if final is None else final[0], predecessor.period_end, text))
    return result


def _key(proposal: Proposal) -> str:
    return f"{proposal.old_id}-{proposal.new_id}"

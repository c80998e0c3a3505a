"""Which measures and targets of a plan continue in its successor (the next five-year plan), with the reason in words.

Pure rules, no Django. The office confirms every proposal; nothing here writes anything.

- measures: paired one-to-one by the similarity of their titles (as a revised document's measures are paired,
  kesu.domain.plan_revision), best pairs first; a pair needs a similarity of at least MEASURE_THRESHOLD; a
  measure in the same kind of section (same 提升行动/重点工程 group) gets a small bonus;
- targets: paired one-to-one, only with the same unit of measure (a baseline in 人次 cannot start a target in %);
  the same indicator name first (“指标名称相同”), else a similar one (similarity ≥ INDICATOR_THRESHOLD); among
  equal candidates the one whose measure was paired with the new target's measure wins;
- the new target's baseline is the old target's final value (the evaluation's rule, kesu.domain.evaluation_rules),
  taken in the old plan's last year; a target without a final value is still proposed, without a baseline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kesu.domain.plan_revision import normalized, similarity

MEASURE_THRESHOLD = 0.6
INDICATOR_THRESHOLD = 0.75
GROUP_BONUS = 0.05
LINKED_MEASURE_BONUS = 0.01


@dataclass(frozen=True)
class MeasureItem:
    id: int
    title: str
    group: str = ""  # the section's group (youth, farmers…)


@dataclass(frozen=True)
class TargetItem:
    id: int
    indicator: str
    unit: str
    measure_id: int


@dataclass(frozen=True)
class Proposal:
    old_id: int
    new_id: int
    score: float
    reason: str


def _decimal(score: float) -> str:
    return f"{score:.2f}"


def _pair(candidates: list[tuple[float, int, int, str]]) -> list[Proposal]:
    """One-to-one, best scores first (ties: earlier old, then earlier new item)."""
    used_old: set[int] = set()
    used_new: set[int] = set()
    chosen = []
    for score, old_id, new_id, reason in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if old_id in used_old or new_id in used_new:
            continue
        used_old.add(old_id)
        used_new.add(new_id)
        chosen.append(Proposal(old_id, new_id, round(score, 2), reason))
    return sorted(chosen, key=lambda p: p.new_id)


def propose_measures(old: Sequence[MeasureItem], new: Sequence[MeasureItem]) -> list[Proposal]:
    """Old measure → new measure where the work continues (similar titles)."""
    candidates = []
    for o in old:
        for n in new:
            text = similarity(o.title, n.title)
            if text < MEASURE_THRESHOLD:
                continue
            if text == 1.0:
                reason = "措施名称相同"
            else:
                reason = f"措施内容相近（相似度 {_decimal(text)}）"
            bonus = GROUP_BONUS if o.group and o.group == n.group else 0.0
            candidates.append((text + bonus, o.id, n.id, reason))
    return _pair(candidates)


def propose_targets(
    old: Sequence[TargetItem], new: Sequence[TargetItem], measure_links: Sequence[Proposal] = ()
) -> list[Proposal]:
    """Old target → new target for the same (or a similar) indicator with the same unit."""
    linked = {(p.old_id, p.new_id) for p in measure_links}
    candidates = []
    for o in old:
        for n in new:
            if o.unit != n.unit:
                continue
            if normalized(o.indicator) == normalized(n.indicator):
                score, reason = 1.0, "指标名称相同"
            else:
                score = similarity(o.indicator, n.indicator)
                if score < INDICATOR_THRESHOLD:
                    continue
                reason = f"指标名称相近（相似度 {_decimal(score)}）"
            if (o.measure_id, n.measure_id) in linked:
                score += LINKED_MEASURE_BONUS
                reason += "，所属措施相衔接"
            candidates.append((score, o.id, n.id, reason))
    return _pair(candidates)

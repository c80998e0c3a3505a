"""The yearly supervision and assessment rubric (督查考核评分细则) and how a unit's score is computed.

The office configures the items and their points; most kinds of item are computed from the year's data,
any other item is scored by hand. Every computed item states its rule so that a unit can check its score.

Besides the four core kinds, "share" kinds are counted by other apps (meetings, funding, campaigns…): each
gives a unit a Share (done / due, and what is counted, in words) through kesu/tracking/rubric_sources.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

ON_TIME, PROGRESS, TARGETS, MANUAL = "on_time", "progress", "targets", "manual"
DECISIONS, ATTENDANCE, FUNDING, CAMPAIGNS = "decisions", "attendance", "funding", "campaigns"
KIND_LABELS = {
    ON_TIME: "按时报送率", PROGRESS: "措施推进情况", TARGETS: "量化目标达成", MANUAL: "人工评分",
    DECISIONS: "议定事项按期办结率", ATTENDANCE: "会议出席率", FUNDING: "经费保障", CAMPAIGNS: "参加主题活动",
}
CORE_KINDS = (ON_TIME, PROGRESS, TARGETS, MANUAL)
SHARE_KINDS = (DECISIONS, ATTENDANCE, FUNDING, CAMPAIGNS)

# Credit a measure earns by its latest approved progress status in the year.
PROGRESS_CREDIT = {"completed": 1.0, "in_progress": 0.7, "behind": 0.3, "not_started": 0.0}
# Credit a target earns by its assessment (domain.target_progress.Status values).
TARGET_CREDIT = {"reached": 1.0, "on_track": 1.0, "at_risk": 0.5, "behind": 0.0, "no_data": 0.0}

DEFAULT_ITEMS: list[tuple[str, str, float]] = [
    (ON_TIME, "按时报送", 20.0),
    (PROGRESS, "措施完成情况", 50.0),
    (TARGETS, "量化目标达成", 20.0),
    (MANUAL, "创新加分", 10.0),
]


@dataclass(frozen=True)
class Item:
    key: str
    kind: str
    label: str
    points: float


@dataclass(frozen=True)
class Share:
    """What a share item counts for one unit: `done` of `due` (e.g. 3 of 4 decisions finished on time).

    `counted` names the things counted, in words ("项议定事项按期办结"). Nothing due earns full points:
    a unit is not marked down for what it was never asked to do.
    """

    done: float
    due: float
    counted: str


@dataclass
class UnitFacts:
    """What a unit did in the year, gathered from approved reports."""

    expected_reports: int = 0
    on_time_reports: int = 0
    measure_progress: list[str] = field(default_factory=list)  # one entry per measure it leads
    target_statuses: list[str] = field(default_factory=list)  # one per target of the measures it leads
    manual: dict[str, float] = field(default_factory=dict)  # item key -> points given by hand
    shares: dict[str, Share] = field(default_factory=dict)  # share kind -> what the unit did of what was due
    adjustments: list[tuple[float, str]] = field(default_factory=list)  # (delta, reason)


@dataclass(frozen=True)
class ItemScore:
    item: Item
    earned: float
    rule: str


@dataclass(frozen=True)
class UnitScore:
    items: list[ItemScore]
    adjustment: float

    @property
    def total(self) -> float:
        return round(sum(i.earned for i in self.items) + self.adjustment, 2)


def _share(credits: Iterable[float]) -> tuple[float, int]:
    values = list(credits)
    return (sum(values) / len(values) if values else 0.0), len(values)


def score_item(item: Item, facts: UnitFacts) -> ItemScore:
    if item.kind == ON_TIME:
        share = facts.on_time_reports / facts.expected_reports if facts.expected_reports else 0.0
        rule = f"{item.points:g} 分 × 按时报送 {facts.on_time_reports}/{facts.expected_reports} 期"
    elif item.kind == PROGRESS:
        share, n = _share(PROGRESS_CREDIT.get(p, 0.0) for p in facts.measure_progress)
        rule = f"{item.points:g} 分 × {n} 项牵头措施的平均推进得分（已完成 1，推进中 0.7，滞后 0.3，未启动 0）"
    elif item.kind == TARGETS:
        share, n = _share(TARGET_CREDIT.get(s, 0.0) for s in facts.target_statuses)
        rule = f"{item.points:g} 分 × {n} 个量化目标的平均达成得分（已达成/进度正常 1，存在风险 0.5，其余 0）"
    elif item.kind in SHARE_KINDS:
        return _score_share(item, facts.shares.get(item.kind))
    else:
        given = min(max(facts.manual.get(item.key, 0.0), 0.0), item.points)
        return ItemScore(item, round(given, 2), f"人工评分（满分 {item.points:g} 分）")
    return ItemScore(item, round(item.points * share, 2), rule)


def _score_share(item: Item, share: Share | None) -> ItemScore:
    if share is None or share.due <= 0:
        what = share.counted if share else KIND_LABELS[item.kind]
        return ItemScore(item, item.points, f"{item.points:g} 分：本年度无应计事项（{what}），按满分计")
    ratio = min(max(share.done / share.due, 0.0), 1.0)
    rule = f"{item.points:g} 分 × {share.done:g}/{share.due:g} {share.counted}"
    return ItemScore(item, round(item.points * ratio, 2), rule)


def score_unit(items: list[Item], facts: UnitFacts) -> UnitScore:
    return UnitScore([score_item(i, facts) for i in items], round(sum(d for d, _ in facts.adjustments), 2))


def rank(totals: dict[int, float]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4): equal totals share a rank."""
    ordered = sorted(totals.values(), reverse=True)
    return {key: ordered.index(total) + 1 for key, total in totals.items()}

"""Yearly work points (年度工作要点): from a parsed document to points, the measure each point most likely
belongs to (with the reason in words), and what a revised document changes.

A 工作要点 document is written like a plan — numbered headings (一、青少年科学素质提升行动) and numbered items
with （牵头单位：…；配合单位：…） — so it is read by the plan parser (kesu.domain.plan_parsing); this module
turns the parsed sections and measures into points. No Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kesu.domain.plan_revision import normalized, pair_up, similarity
from kesu.domain.refusals import Refused

LINK_THRESHOLD = 0.3  # below this no measure is proposed: the point is proposed as 本年新增
SECTION_BONUS = 0.15  # the point stands under a heading like the measure's section (same 提升行动)
LINK_RULE = (f"建议关联的措施：按字词（相邻两字）重合度计算相似度，标题与措施所属行动或工程相近时加 {SECTION_BONUS:.2f}；"
             f"最高相似度不低于 {LINK_THRESHOLD:.2f} 时建议关联该措施，否则建议标为本年新增。建议仅供参考，由科协办公室确认。")


class NoPointsFound(Refused):
    status = 400


@dataclass(frozen=True)
class ParsedPoint:
    position: int
    section: str
    text: str
    lead: tuple[str, ...]
    support: tuple[str, ...]


def points_from_parsed(parsed: dict, source_name: str = "文件") -> list[ParsedPoint]:
    """Every measure the parser found, in order, as a point (units written as in the document)."""
    points = []
    for section in parsed.get("sections") or []:
        for task in section.get("tasks") or []:
            text = (task.get("title") or "").strip()
            if not text:
                continue
            points.append(ParsedPoint(len(points) + 1, (section.get("title") or "").strip(), text,
                                      tuple(task.get("lead") or ()), tuple(task.get("support") or ())))
    if not points:
        raise NoPointsFound(f"“{source_name}”中没有识别到工作要点：要点应写在带编号的标题（如“一、青少年科学素质提升行动”）"
                            "下，逐条编号，并注明（牵头单位：…；配合单位：…）。")
    return points


def _bigrams(text: str) -> set[str]:
    text = normalized(text)
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def likeness(a: str, b: str) -> float:
    """Dice coefficient of the two texts' character pairs (0–1): Chinese wording shares pairs, not whole words."""
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


@dataclass(frozen=True)
class Measure:
    id: int
    title: str
    section: str


@dataclass(frozen=True)
class Proposal:
    measure_id: int | None  # None: propose 本年新增
    score: float
    reason: str


def propose_link(text: str, section: str, measures: Sequence[Measure]) -> Proposal:
    """The measure a point most likely carries out this year, or none, with the reason in words."""
    best: tuple[float, Measure] | None = None
    for measure in measures:
        score = likeness(text, measure.title)
        if section and similarity(section, measure.section) >= 0.6:
            score += SECTION_BONUS
        if best is None or score > best[0]:
            best = (score, measure)
    if best is None:
        return Proposal(None, 0.0, "方案中没有措施可关联，建议标为本年新增。")
    score, measure = best
    if score < LINK_THRESHOLD:
        return Proposal(None, score, f"与各项措施的相似度都低于 {LINK_THRESHOLD:.2f}（最接近的是“{measure.title}”，"
                                     f"{score:.2f}），建议标为本年新增。")
    return Proposal(measure.id, score, f"与措施“{measure.title}”（{measure.section}）相似度 {score:.2f}，最高。")


@dataclass(frozen=True)
class StoredPoint:
    id: int
    text: str
    lead: tuple[str, ...]
    support: tuple[str, ...]


@dataclass(frozen=True)
class PointChange:
    kind: str  # 新增 / 删除 / 修改
    text: str
    details: tuple[str, ...] = ()
    stored_id: int | None = None  # the stored point a changed or removed row is
    new_position: int | None = None  # the new point an added or changed row is


def _names(names: Sequence[str]) -> str:
    return "、".join(names) or "无"


def _pairs(stored: Sequence[StoredPoint], new: Sequence[ParsedPoint]) -> list[tuple[int | None, int | None]]:
    return pair_up(stored, new, lambda o, n: max(similarity(o.text, n.text), likeness(o.text, n.text)))


def revise(stored: Sequence[StoredPoint], new: Sequence[ParsedPoint]) -> list[PointChange]:
    """What a revised document changes: points paired by wording (a reworded point keeps its reports);
    unchanged points are not listed."""
    changes = []
    for i, j in _pairs(stored, new):
        if i is None:
            changes.append(PointChange("新增", new[j].text, (f"牵头：{_names(new[j].lead)}",), new_position=new[j].position))
        elif j is None:
            changes.append(PointChange("删除", stored[i].text, stored_id=stored[i].id))
        else:
            old, point = stored[i], new[j]
            details = []
            if normalized(old.text) != normalized(point.text):
                details.append(f"内容：{old.text} → {point.text}")
            if sorted(old.lead) != sorted(point.lead):
                details.append(f"牵头单位：{_names(old.lead)} → {_names(point.lead)}")
            if sorted(old.support) != sorted(point.support):
                details.append(f"配合单位：{_names(old.support)} → {_names(point.support)}")
            if details:
                changes.append(PointChange("修改", point.text, tuple(details), stored_id=old.id, new_position=point.position))
    return changes


def pairing(stored: Sequence[StoredPoint], new: Sequence[ParsedPoint]) -> dict[int, int]:
    """new point position → the stored point id it revises (the same pairing as `revise`)."""
    return {new[j].position: stored[i].id for i, j in _pairs(stored, new) if i is not None and j is not None}

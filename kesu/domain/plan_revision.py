"""What a revised plan document would change in the stored plan.

Both sides are kesu-plan/1 dicts. Sections and measures are paired by kind and title similarity, so a
measure whose title was reworded keeps its identity (and, later, its progress reports); the same pairing
drives the preview shown to the office and the update applied after confirmation.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kesu.domain.number_text import number_text, target_text

_PUNCT = set("，。、；：！？（）()《》“”\"'‘’【】[]—-－·．. ,;:!?\t\r\n ")
MATCH_THRESHOLD = 0.6


def normalized(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if ch not in _PUNCT)


def similarity(a: str | None, b: str | None) -> float:
    x, y = normalized(a), normalized(b)
    if not x or not y:
        return 0.0
    if x == y:
        return 1.0
    return difflib.SequenceMatcher(None, x, y, autojunk=False).ratio()


def pair_up(old: Sequence[Any], new: Sequence[Any], score: Callable[[Any, Any], float]) -> list[tuple[int | None, int | None]]:
    """Pair old and new items one-to-one, best scores first; unpaired items come back with None."""
    candidates = sorted(
        ((score(o, n), i, j) for i, o in enumerate(old) for j, n in enumerate(new)),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs: dict[int, int] = {}
    for s, i, j in candidates:
        if s < MATCH_THRESHOLD:
            break
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs[j] = i
    result: list[tuple[int | None, int | None]] = [(pairs.get(j), j) for j in range(len(new))]
    result += [(i, None) for i in range(len(old)) if i not in used_old]
    return result


def section_score(old: dict, new: dict) -> float:
    if old.get("kind") != new.get("kind"):
        return 0.0
    same_group = old.get("group") == new.get("group")
    return max(similarity(old.get("title"), new.get("title")), MATCH_THRESHOLD if same_group else 0.0)


def task_score(old: dict, new: dict) -> float:
    return similarity(old.get("title"), new.get("title"))


@dataclass(frozen=True)
class Change:
    where: str  # e.g. 青少年科学素质提升行动 › 提升基础教育阶段科学教育水平
    field: str  # Chinese field label
    old: str
    new: str


def format_target(t: dict) -> str:
    """学生科普活动参与率 2025年不低于90%: a target in words (comparators as 不低于/超过/达到)."""
    words = target_text(t.get("value", 0), t.get("unit") or "", t.get("comparator"), t.get("year"), bool(t.get("annual")))
    return f"{t.get('indicator', '')} {words}".strip()


def format_headline(part: dict | None) -> str:
    """2025年不低于14.5% (a target) or 2020年9.8% (a baseline, no comparator)."""
    if not part:
        return ""
    if part.get("comparator"):
        return target_text(part.get("value"), "%", part["comparator"], part.get("year"))
    return f"{part.get('year')}年{number_text(part.get('value'))}%"


def _names(names: Sequence[str] | None) -> str:
    return "、".join(names or [])


def _compare(changes: list[Change], where: str, label: str, old: Any, new: Any) -> None:
    old_s = "" if old is None else str(old)
    new_s = "" if new is None else str(new)
    if old_s != new_s:
        changes.append(Change(where, label, old_s, new_s))


def diff_plans(old: dict, new: dict) -> list[Change]:
    """Every difference between the stored plan (old) and a revised parse (new), in reading order."""
    changes: list[Change] = []
    for key, label in (("title", "方案标题"), ("issuer", "发文机关"), ("doc_number", "文号"), ("issued_on", "印发日期")):
        _compare(changes, "方案", label, old.get(key), new.get(key))
    period = lambda p: f"{(p or {}).get('start')}—{(p or {}).get('end')}"  # noqa: E731
    _compare(changes, "方案", "实施期", period(old.get("period")), period(new.get("period")))
    for part, label in (("baseline", "科学素质比例基线"), ("target", "科学素质比例目标")):
        _compare(
            changes, "方案", label,
            format_headline((old.get("headline") or {}).get(part)),
            format_headline((new.get("headline") or {}).get(part)),
        )
    old_sections, new_sections = old.get("sections") or [], new.get("sections") or []
    for i, j in pair_up(old_sections, new_sections, section_score):
        if i is None:
            s = new_sections[j]
            changes.append(Change(s["title"], "新增章节", "", f"{len(s.get('tasks') or [])} 项措施"))
            continue
        if j is None:
            changes.append(Change(old_sections[i]["title"], "删除章节", old_sections[i]["title"], ""))
            continue
        _diff_section(changes, old_sections[i], new_sections[j])
    old_phases = [f"{p['name']} {p['start']}—{p['end']}" for p in old.get("phases") or []]
    new_phases = [f"{p['name']} {p['start']}—{p['end']}" for p in new.get("phases") or []]
    _compare(changes, "进度安排", "阶段", "；".join(old_phases), "；".join(new_phases))
    return changes


def _diff_section(changes: list[Change], old: dict, new: dict) -> None:
    where = new["title"]
    _compare(changes, where, "章节标题", old["title"], new["title"])
    _compare(changes, where, "分组", old.get("group"), new.get("group"))
    _compare(changes, where, "章节牵头单位", _names(old.get("lead")), _names(new.get("lead")))
    _compare(changes, where, "章节配合单位", _names(old.get("support")), _names(new.get("support")))
    old_tasks, new_tasks = old.get("tasks") or [], new.get("tasks") or []
    for i, j in pair_up(old_tasks, new_tasks, task_score):
        if i is None:
            changes.append(Change(where, "新增措施", "", new_tasks[j]["title"]))
        elif j is None:
            changes.append(Change(where, "删除措施", old_tasks[i]["title"], ""))
        else:
            o, n = old_tasks[i], new_tasks[j]
            task_where = f"{where} › {n['title']}"
            _compare(changes, task_where, "措施标题", o["title"], n["title"])
            _compare(changes, task_where, "牵头单位", _names(o.get("lead")), _names(n.get("lead")))
            _compare(changes, task_where, "配合单位", _names(o.get("support")), _names(n.get("support")))
            _compare(
                changes, task_where, "量化目标",
                "；".join(format_target(t) for t in o.get("targets") or []),
                "；".join(format_target(t) for t in n.get("targets") or []),
            )

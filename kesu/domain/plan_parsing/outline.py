"""A readable Chinese outline of a parsed plan (what `kesu plan parse FILE` prints)."""

from __future__ import annotations

from kesu.domain.number_text import comparator_text, number_text, target_text

_LEVELS = {"province": "省级", "city": "市级", "county": "县级"}
_KINDS = {"action": "提升行动", "project": "重点工程"}


def format_target(target: dict) -> str:
    words = target_text(target.get("value"), target.get("unit") or "", target.get("comparator"),
                        target.get("year"), bool(target.get("annual")))
    standing = "" if target.get("annual") or target.get("year") else "（常态要求）"
    return f"{target.get('indicator') or '指标'} {words}{standing}  原文：{target.get('text') or ''}"


def render_outline(plan: dict) -> str:
    lines: list[str] = [plan.get("title") or "（未识别到方案标题）"]
    jurisdiction = plan.get("jurisdiction") or {}
    if jurisdiction.get("name"):
        level = _LEVELS.get(jurisdiction.get("level") or "", "")
        lines.append(f"行政区域：{jurisdiction['name']}（{level}）" if level else f"行政区域：{jurisdiction['name']}")
    lines.append(f"发文单位：{plan.get('issuer') or '未注明'}")
    lines.append(f"文号：{plan.get('doc_number') or '未注明'}")
    lines.append(f"印发日期：{plan.get('issued_on') or '未注明'}")
    period = plan.get("period") or {}
    if period.get("start") or period.get("end"):
        lines.append(f"实施期：{period.get('start') or '?'}—{period.get('end') or '?'}年")
    headline = plan.get("headline") or {}
    baseline, target = headline.get("baseline"), headline.get("target")
    if baseline or target:
        parts = []
        if baseline:
            parts.append(f"{baseline.get('year') or ''}年 {number_text(baseline.get('value'))}%")
        if target:
            parts.append(f"{target.get('year') or ''}年{comparator_text(target.get('comparator'))}{number_text(target.get('value'))}%")
        lines.append("公民具备科学素质的比例：" + " → ".join(parts))
    sections = plan.get("sections") or []
    task_count = sum(len(section.get("tasks") or []) for section in sections)
    lines.append(f"共 {len(sections)} 个行动/工程、{task_count} 项措施")
    for n, section in enumerate(sections, 1):
        lines.append("")
        lines.append(f"{n}. 【{_KINDS.get(section.get('kind'), section.get('kind'))}】{section.get('title')}")
        if section.get("lead") or section.get("support"):
            lines.append(f"   分工：牵头 {'、'.join(section.get('lead') or []) or '—'}；"
                         f"配合 {'、'.join(section.get('support') or []) or '—'}")
        for m, task in enumerate(section.get("tasks") or [], 1):
            lines.append(f"   {n}.{m} {task.get('title')}")
            lines.append(f"        牵头：{'、'.join(task.get('lead') or []) or '—'}")
            if task.get("support"):
                lines.append(f"        配合：{'、'.join(task['support'])}")
            for target in task.get("targets") or []:
                lines.append(f"        目标：{format_target(target)}")
    phases = plan.get("phases") or []
    if phases:
        lines.append("")
        lines.append("进度安排：")
        for phase in phases:
            years = phase.get("start") if phase.get("start") == phase.get("end") else f"{phase.get('start')}—{phase.get('end')}"
            lines.append(f"   {phase.get('name')}（{years}年）")
    for note in plan.get("notes") or []:
        lines.append(f"注：{note}")
    for warning in plan.get("warnings") or []:
        lines.append(f"请核对：{warning}")
    return "\n".join(lines)

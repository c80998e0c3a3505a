"""What a parse could not read with certainty, as Chinese warnings for the office checking the import."""

from __future__ import annotations


def plan_warnings(title: str | None, headline: dict, sections: list[dict]) -> list[str]:
    """Warnings in document order: the plan as a whole, then each section (第N节) and its measures."""
    out: list[str] = []
    if title is None:
        out.append("没有识别到方案标题")
    if not sections:
        out.append("没有识别到提升行动或重点工程章节：文件可能不完整，或章节标题的写法不常见，请核对原文")
    elif len(sections) < 3:
        out.append(f"只识别到{len(sections)}个提升行动或重点工程（方案通常有八至十个）：文件可能不完整，请核对原文")
    if sections and headline.get("target") is None:
        out.append("没有识别到公民具备科学素质比例的目标值")
    for n, section in enumerate(sections, 1):
        name = f"第{n}节“{section['title']}”"
        tasks = section["tasks"]
        if not tasks:
            out.append(f"{name}没有识别到措施")
            continue
        without = [task for task in tasks if not task["lead"]]
        if len(without) == len(tasks):
            out.append(f"{name}没有识别到牵头单位")
        elif without:
            titles = "、".join(f"“{task['title']}”" for task in without[:3])
            more = f"等{len(without)}项" if len(without) > 3 else ""
            out.append(f"{name}的措施{titles}{more}没有识别到牵头单位")
    return out

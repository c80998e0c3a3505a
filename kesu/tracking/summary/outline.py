"""Text shared by the .docx and the PDF: chapter titles and the sentences built from the year's figures."""

from __future__ import annotations

from kesu.tracking.summary.content import SummaryContent

LEGEND = {"completed": "已完成", "in_progress": "推进中", "behind": "滞后", "not_started": "未启动"}
CHAPTERS = ["一、总体情况", "二、重点任务推进情况", "三、量化目标完成情况", "四、成员单位考核情况", "五、存在的问题", "六、下一步工作打算"]


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def intro(content: SummaryContent) -> str:
    plan = content.plan
    headline = ""
    if plan.target_value is not None:
        headline = f"，确保到{plan.target_year}年公民具备科学素质的比例达到{plan.target_value:g}%"
    return (
        f"{content.year}年，{plan.jurisdiction.name}按照《{plan.title}》的部署，组织各成员单位扎实推进"
        f"{len(content.sections)}项提升行动和重点工程{headline}。现将全年工作总结如下。"
    )


def rates_text(content: SummaryContent) -> str:
    r = content.rates
    cycles = "、".join(content.cycles) or "无"
    done = sum(s.counts.get("completed", 0) for s in content.sections)
    going = sum(s.counts.get("in_progress", 0) for s in content.sections)
    total = sum(sum(s.counts.values()) for s in content.sections)
    return (
        f"全年开展进展填报（{cycles}），应报 {r.expected} 份，已报 {r.submitted} 份，报送率 {_percent(r.reporting_rate)}，"
        f"按时率 {_percent(r.on_time_rate)}。按牵头单位计的 {total} 项措施中，已完成 {done} 项、推进中 {going} 项。"
    )

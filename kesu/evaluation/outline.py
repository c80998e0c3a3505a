"""Chapters and tables shared by the evaluation's page, .docx and PDF (rows as plain text)."""

from __future__ import annotations

from kesu.domain.number_text import number_text
from kesu.evaluation.content import EvaluationContent

NO_TARGETS = "方案未设定量化目标。"
CHAPTERS = ["一、总体情况", "二、重点任务逐年推进情况", "三、量化目标完成情况", "四、公民具备科学素质的比例",
            "五、科技志愿服务与科普阵地", "六、年度考核结果", "七、下辖地区主要指标"]
NUMBERS = "一二三四五六七八九十"
NO_TEXT = "（尚未填写。）"


def intro(content: EvaluationContent) -> str:
    plan = content.plan
    measures = sum(len(s.measures) for s in content.sections)
    return (f"根据《{plan.title}》的部署，现对{content.start}—{content.end}年实施情况进行{content.kind}。"
            f"方案共{len(content.sections)}个部分、按牵头单位计{measures}项措施、{len(content.targets)}项量化目标。"
            "各年度措施状态取当年最后一份审核通过的进展报告；量化目标按下表所列规则判断是否达成。")


def section_rows(content: EvaluationContent) -> tuple[list[str], list[list[str]]]:
    return ["部分"] + [f"{y}年" for y in content.years], [[s.title] + s.year_texts() for s in content.sections]


def measure_rows(content: EvaluationContent) -> tuple[list[str], list[list[str]]]:
    rows = [[m.title, m.unit] + m.statuses for s in content.sections for m in s.measures]
    return ["措施", "牵头单位"] + [f"{y}年" for y in content.years], rows


def target_rows(content: EvaluationContent) -> tuple[list[str], list[list[str]]]:
    return (["指标", "目标", "基线", "终值", "结论"],
            [[t.indicator, t.goal, t.baseline, t.final, t.status] for t in content.targets])


def headline_rows(content: EvaluationContent) -> tuple[list[str], list[list[str]]]:
    h = content.headline
    return ["基线", "最新数值", "来源", "目标", "结论"], [[h.baseline, h.latest, h.source, h.goal, h.status]]


def total_rows(content: EvaluationContent) -> tuple[list[str], list[list[str]]]:
    return ["指标", "数值", "统计口径"], [[t.label, f"{number_text(t.value, grouping=True)}{t.unit}", t.rule] for t in content.totals]


def score_lines(content: EvaluationContent) -> list[tuple[str, list[list[str]]]]:
    result = []
    for year in content.scores:
        title = f"{year.year}年度" + ("" if year.rows else "：暂无考核结果")
        if year.omitted:
            title += f"（前{len(year.rows) // 2}名和后{len(year.rows) // 2}名，中间{year.omitted}个单位略）"
        result.append((title, [[str(rank), unit, f"{total:g}"] for rank, unit, total in year.rows]))
    return result


def area_rows(content: EvaluationContent) -> tuple[list[str], list[list[str]]]:
    return (["地区", "科学素质比例（最新）", "当前周期报送率", "措施进展正常"],
            [[a.name, a.headline, a.reporting_rate, a.on_track] for a in content.areas])


def narrative_chapters(content: EvaluationContent) -> list[tuple[str, str]]:
    """The office's parts, numbered after the last chapter shown (七 is only there for a city's areas)."""
    first = len(CHAPTERS) if content.areas else len(CHAPTERS) - 1
    return [(f"{NUMBERS[first + i]}、{label}", text or NO_TEXT) for i, (label, text) in enumerate(content.narrative())]

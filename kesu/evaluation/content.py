"""What goes into an evaluation over years start–end of a plan: gathered once, shown on the page and
rendered to .docx and PDF alike."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from kesu.domain.evaluation_rules import verdict
from kesu.domain.number_text import number_text, target_text
from kesu.evaluation.models import EvaluationText, Part
from kesu.plans.models import Plan
from kesu.plans.serialize import plan_sections
from kesu.survey.latest import figure_text, latest_figure
from kesu.tracking.assessment import spec_of, target_series, yearly_scores
from kesu.tracking.dashboard import PROGRESS_ORDER, plans_below, rollup
from kesu.tracking.latest import latest_approved
from kesu.tracking.live_values import Total, apply_live_series, period_totals
from kesu.tracking.models import Report

PROGRESS_LABELS = dict(Report.Progress.choices)
SHOWN_RANKS = 3  # an assessment of more than twice this many units shows the top and the bottom ones


@dataclass
class MeasureRow:
    title: str
    unit: str
    statuses: list[str]  # one per year: 已完成 / 推进中 / 滞后 / 未启动 / — (no approved report)


@dataclass
class SectionRow:
    title: str
    counts: list[Counter]  # one per year: statuses of the approved reports, and "none" for measures without one
    measures: list[MeasureRow]

    def year_texts(self) -> list[str]:
        texts = []
        for c in self.counts:
            parts = [f"{PROGRESS_LABELS[k]}{c[k]}" for k in PROGRESS_ORDER if c[k]]
            texts.append("，".join(parts + ([f"无报告{c['none']}"] if parts and c["none"] else [])) or "—")
        return texts


@dataclass
class TargetRow:
    indicator: str
    goal: str
    baseline: str
    final: str
    status: str
    rule: str


@dataclass
class Headline:
    baseline: str
    latest: str  # value with its 95% CI
    source: str
    goal: str
    status: str


@dataclass
class YearScores:
    year: int
    rows: list[tuple[int, str, float]]  # rank, unit, total
    omitted: int = 0  # ranks left out between the top and the bottom


@dataclass
class AreaRow:
    name: str
    headline: str
    reporting_rate: str
    on_track: str


@dataclass
class EvaluationContent:
    plan: Plan
    start: int
    end: int
    generated_at: dt.datetime
    sections: list[SectionRow]
    targets: list[TargetRow]
    headline: Headline
    totals: list[Total]
    scores: list[YearScores]
    areas: list[AreaRow]
    texts: dict[str, EvaluationText] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return list(range(self.start, self.end + 1))

    @property
    def kind(self) -> str:
        return "终期评估" if (self.start, self.end) == (self.plan.period_start, self.plan.period_end) else "中期评估"

    @property
    def title(self) -> str:
        return f"{self.plan.jurisdiction.name}全民科学素质行动实施情况{self.kind}报告（{self.start}—{self.end}年）"

    def narrative(self) -> list[tuple[str, str]]:
        """(heading, text) of the three parts the office writes, in order."""
        return [(label, self.texts[part].text if part in self.texts else "") for part, label in Part.choices]


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _sections(plan: Plan, years: list[int]) -> list[SectionRow]:
    reports = Report.objects.filter(cycle__plan=plan, cycle__year__in=years)
    latest = {year: latest_approved(reports.filter(cycle__year=year)) for year in years}
    rows = []
    for section in plan_sections(plan):
        counts = [Counter() for _ in years]
        measures = []
        for task in section.tasks.all():
            for duty in task.responsibilities.all():
                if duty.role != "lead" or duty.unit.stands_for_all:
                    continue
                statuses = []
                for i, year in enumerate(years):
                    report = latest[year].get((task.pk, duty.unit_id))
                    counts[i][report.progress if report else "none"] += 1
                    statuses.append(PROGRESS_LABELS[report.progress] if report else "—")
                measures.append(MeasureRow(task.title, duty.written_name, statuses))
        rows.append(SectionRow(section.title, counts, measures))
    return rows


def _targets(plan: Plan, start: int, end: int) -> list[TargetRow]:
    last_day = min(dt.date(end, 12, 31), timezone.localdate())
    series = target_series(plan)
    live_rules = apply_live_series(plan, last_day, series)
    rows = []
    for section in plan_sections(plan):
        for task in section.tasks.all():
            for target in task.targets.all():
                result = verdict(spec_of(target), series.get(target.pk, []), plan.period_start, end, timezone.localdate())
                final = "—" if result.final is None else (
                    f"{number_text(result.final.value, grouping=True)}{target.unit}（{result.final.as_of:%Y年%m月%d日}）")
                goal = target_text(target.value, target.unit, target.comparator, target.year, target.annual)
                rows.append(TargetRow(target.indicator, goal, result.baseline, final, result.label,
                                      live_rules.get(target.pk, "") + result.rule))
    return rows


def _headline(plan: Plan, end: int) -> Headline:
    baseline = "—" if plan.baseline_value is None else f"{plan.baseline_year or ''}年 {number_text(plan.baseline_value)}%"
    goal = "—" if plan.target_value is None else target_text(plan.target_value, "%", plan.target_comparator, plan.target_year)
    figure = latest_figure(plan.jurisdiction, end)
    if figure is None:
        return Headline(baseline, "—", "尚无调查估计或正式公布数", goal, "暂无数据")
    source = f"{figure.get_kind_display()}：{figure.source}"
    if figure.survey_run is not None and figure.survey_run.title not in figure.source:
        source += f"（调查：{figure.survey_run.title}）"
    status = "—"
    if plan.target_value is not None:
        met = figure.value > plan.target_value if plan.target_comparator == ">" else figure.value >= plan.target_value
        status = "已达到目标" if met else "未达到目标"
        if met and figure.ci_low is not None and figure.ci_low < plan.target_value:
            status += "（置信区间下限低于目标值）"
    return Headline(baseline, figure_text(figure), source, goal, status)


def _scores(plan: Plan, years: list[int]) -> list[YearScores]:
    result = []
    for year in [y for y in years if y <= timezone.localdate().year]:  # no rubric for a year not begun
        _, rows = yearly_scores(plan, year)
        ranked = [(r.rank, r.unit.name, r.score.total) for r in rows]
        if len(ranked) > 2 * SHOWN_RANKS:
            result.append(YearScores(year, ranked[:SHOWN_RANKS] + ranked[-SHOWN_RANKS:], len(ranked) - 2 * SHOWN_RANKS))
        else:
            result.append(YearScores(year, ranked))
    return result


def _areas(plan: Plan, end: int) -> list[AreaRow]:
    plans = plans_below(plan.jurisdiction)
    if not plans:
        return []
    rows, _ = rollup(plan.jurisdiction, plans)
    areas = []
    for row in rows:
        figure = latest_figure(row.plan.jurisdiction, end)
        areas.append(AreaRow(row.plan.jurisdiction.name, figure_text(figure) if figure else "—",
                             _percent(row.reporting_rate), f"{row.on_track}/{row.measures}（{_percent(row.on_track_share)}）"))
    return areas


def gather(plan: Plan, start: int, end: int) -> EvaluationContent:
    years = list(range(start, end + 1))
    last_day = min(dt.date(end, 12, 31), timezone.localdate())
    texts = {t.part: t for t in EvaluationText.objects.filter(plan=plan, start_year=start, end_year=end).select_related("updated_by")}
    return EvaluationContent(
        plan=plan, start=start, end=end, generated_at=timezone.now(), sections=_sections(plan, years),
        targets=_targets(plan, start, end), headline=_headline(plan, end),
        totals=period_totals(plan, dt.date(start, 1, 1), last_day), scores=_scores(plan, years),
        areas=_areas(plan, end), texts=texts,
    )

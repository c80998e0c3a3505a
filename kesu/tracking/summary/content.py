"""What goes into a year's 工作总结: gathered once from the database, rendered to .docx and PDF alike."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils import timezone

from kesu.domain.current_cycle import COUNT_RULE
from kesu.domain.number_text import number_text, target_text
from kesu.domain.reporting_periods import Rates
from kesu.plans.models import Plan
from kesu.plans.serialize import plan_sections
from kesu.tracking.assessment import RATE_RULE, TARGET_RULE, targets_progress, yearly_scores
from kesu.tracking.dashboard import PROGRESS_ORDER, RULES
from kesu.tracking.latest import counted_cycle_ids, latest_approved
from kesu.tracking.models import Activity, Contribution, Report
from kesu.tracking.summary_sections import SummarySection, summary_sections

PROGRESS_LABELS = dict(Report.Progress.choices)


@dataclass
class MeasureText:
    title: str
    lead: str
    lines: list[str]  # "县教科局（推进中）：……" per lead unit, then supporting units' contributions


@dataclass
class SectionText:
    title: str
    counts: Counter
    measures: list[MeasureText]


@dataclass
class SummaryContent:
    plan: Plan
    year: int
    generated_at: dt.datetime
    rates: Rates
    cycles: list[str]
    sections: list[SectionText]
    targets: list[tuple[str, str, str, float | None, str, str]]  # indicator, target, latest, share, status, basis
    scores: list[tuple[int, str, float]]
    score_items: list[str]
    activities: list[tuple[str, int, int]]  # kind, count, participants
    problems: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    extra_sections: list[SummarySection] = field(default_factory=list)  # from other apps (年度工作要点落实情况)


def gather(plan: Plan, year: int) -> SummaryContent:
    year_reports = Report.objects.filter(cycle__plan=plan, cycle__year=year)
    all_cycles = list(plan.cycles.filter(year=year))
    counted = counted_cycle_ids(all_cycles)  # each stretch of time once: the quarters, not also the year
    reports = list(year_reports.filter(cycle_id__in=counted).select_related("cycle"))
    cycles = [str(c) for c in sorted(all_cycles, key=lambda c: c.period.starts_on) if c.pk in counted]
    cycles += [f"{c}（与已计入的周期时段重叠，不重复计入报告数）" for c in all_cycles if c.pk not in counted]
    expected = len(reports)
    rates = Rates(expected, sum(r.first_submitted_at is not None for r in reports), sum(r.on_time for r in reports))
    latest = latest_approved(year_reports)  # an approved annual report counts over its quarters
    contributions: dict[int, list[str]] = {}
    for c in Contribution.objects.filter(report__in=[r.pk for r in latest.values()]).select_related("unit"):
        contributions.setdefault(c.report.task_id, []).append(f"{c.unit.name}（配合）：{c.text}")
    sections = []
    problems = []
    for section in plan_sections(plan):
        counts: Counter = Counter()
        measures = []
        for task in section.tasks.all():
            leads = [r for r in task.responsibilities.all() if r.role == "lead" and not r.unit.stands_for_all]
            lines = []
            for duty in leads:
                report = latest.get((task.pk, duty.unit_id))
                progress = report.progress if report else "not_started"
                counts[progress] += 1
                if report:
                    lines.append(f"{duty.written_name}（{PROGRESS_LABELS[progress]}）：{report.summary or '未填写具体进展'}")
                else:
                    lines.append(f"{duty.written_name}：本年度暂无审核通过的进展报告")
                if progress in ("behind", "not_started"):
                    problems.append(f"“{task.title}”（{duty.written_name}）{PROGRESS_LABELS[progress]}")
            lines += contributions.get(task.pk, [])
            measures.append(MeasureText(task.title, "、".join(d.written_name for d in leads), lines))
        sections.append(SectionText(section.title, counts, measures))
    end = min(dt.date(year, 12, 31), timezone.localdate())
    targets = []
    for target, observations, progress in targets_progress(plan, end):
        latest_value = f"{number_text(observations[-1].value, grouping=True)}{target.unit}" if observations else "—"
        goal = target_text(target.value, target.unit, target.comparator) + ("/年" if target.annual else "")
        targets.append((target.indicator, goal, latest_value, progress.share, progress.label, progress.basis))
        if progress.status.value in ("at_risk", "behind"):
            problems.append(f"量化目标“{target.indicator}”{progress.label}（{progress.basis}）")
    rubric, rows = yearly_scores(plan, year)
    extra = summary_sections(plan, year)
    activities = [
        (Activity.Kind(kind).label, count, participants or 0)
        for kind, count, participants in Activity.objects.filter(plan=plan, held_on__year=year)
        .values_list("kind").annotate(n=Count("id"), people=Sum("participants")).values_list("kind", "n", "people")
    ]
    return SummaryContent(
        plan=plan, year=year, generated_at=timezone.now(), rates=rates, cycles=cycles, sections=sections,
        targets=targets, scores=[(r.rank, r.unit.name, r.score.total) for r in rows],
        score_items=[f"{i.label}{i.points:g}分" for i in rubric.items.all()], activities=activities,
        problems=problems[:30], rules=[RATE_RULE, COUNT_RULE, RULES["progress"], TARGET_RULE] + [s.rule for s in extra],
        extra_sections=extra,
    )


def progress_parts(section: SectionText) -> list[tuple[str, float]]:
    total = sum(section.counts.values()) or 1
    return [(key, section.counts.get(key, 0) / total) for key in PROGRESS_ORDER]

"""Which literacy figure is an area's latest — one rule for the survey pages, the dashboard card, the evaluation
and the next plan's baseline: the latest year wins; within a year an official figure (正式公布数) comes before a
local survey estimate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from kesu.domain.number_text import number_text
from kesu.org.models import Jurisdiction
from kesu.plans.dashboard_cards import Card
from kesu.plans.models import Plan
from kesu.survey.models import LiteracyFigure

LATEST_RULE = "取本地区最新年份的数据；同一年既有正式公布数又有调查估计时，取正式公布数。"


def _rank(figure: LiteracyFigure) -> tuple[int, bool]:
    return figure.year, figure.kind == LiteracyFigure.Kind.OFFICIAL


def latest_figures(jurisdictions: Iterable[Jurisdiction], up_to: int | None = None) -> dict[int, LiteracyFigure]:
    """jurisdiction id → its latest figure (up to the year `up_to`, when given)."""
    figures = LiteracyFigure.objects.filter(jurisdiction__in=list(jurisdictions)).select_related("survey_run")
    if up_to is not None:
        figures = figures.filter(year__lte=up_to)
    out: dict[int, LiteracyFigure] = {}
    for figure in figures:
        known = out.get(figure.jurisdiction_id)
        if known is None or _rank(figure) > _rank(known):
            out[figure.jurisdiction_id] = figure
    return out


def latest_figure(jurisdiction: Jurisdiction, up_to: int | None = None) -> LiteracyFigure | None:
    return latest_figures([jurisdiction], up_to).get(jurisdiction.pk)


def percent_figure(value: float) -> str:
    return f"{number_text(round(value, 1))}%"


def figure_text(figure: LiteracyFigure) -> str:
    """2025年 15.2%（95%置信区间 14.1%—16.3%）"""
    text = percent_figure(figure.value)
    if figure.ci_low is not None and figure.ci_high is not None:
        text += f"（95%置信区间 {percent_figure(figure.ci_low)}—{percent_figure(figure.ci_high)}）"
    return f"{figure.year}年 {text}"


def dashboard_card(plan: Plan, today: dt.date) -> list[Card]:
    """The dashboard's latest literacy figure of the plan's area, with its source (no card without a figure)."""
    figure = latest_figure(plan.jurisdiction, today.year)
    if figure is None:
        return []
    source = f"{figure.get_kind_display()}：{figure.source}" if figure.source else figure.get_kind_display()
    return [Card("公民具备科学素质的比例（最新）", figure_text(figure), f"{source}。{LATEST_RULE}",
                 reverse("survey-trend", args=[plan.jurisdiction_id]))]

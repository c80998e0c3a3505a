"""Parts of the yearly 工作总结 written by other apps (e.g. 年度工作要点落实情况), so tracking never imports them.

The app registers a function (plan, year) → SummarySection | None in its AppConfig.ready(); the summary lists
each section returned, in the order registered, after the measures, with its counting rule among the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kesu.plans.models import Plan


@dataclass(frozen=True)
class SummarySection:
    title: str  # 年度工作要点落实情况
    lines: list[str]  # one per item, e.g. "1. 开展……（市教育局：已完成）"
    rule: str  # how each item's status is decided, in words


SectionSource = Callable[[Plan, int], SummarySection | None]
_SOURCES: dict[str, SectionSource] = {}


def register_summary_section(name: str, source: SectionSource) -> None:
    """Register (or replace) a summary section called `name`; called from an AppConfig.ready()."""
    _SOURCES[name] = source


def summary_sections(plan: Plan, year: int) -> list[SummarySection]:
    return [section for source in _SOURCES.values() if (section := source(plan, year)) is not None]

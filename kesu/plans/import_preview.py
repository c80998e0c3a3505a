"""What the import confirmation page shows of a parsed plan: every section and measure with its units and
targets, and the parser's warnings, read from the kesu-plan/1 dict before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field

from kesu.domain.number_text import target_text
from kesu.plans.models import Section

_KINDS = dict(Section.Kind.choices)
_GROUPS = dict(Section.Group.choices)


def target_phrase(target: dict) -> str:
    """学生科普活动参与率：2025年不低于90%: a parsed target in words."""
    words = target_text(target.get("value"), target.get("unit") or "", target.get("comparator"),
                        target.get("year"), bool(target.get("annual")))
    return f"{target.get('indicator') or '目标'}：{words}"


@dataclass
class MeasurePreview:
    title: str
    lead: list[str]
    support: list[str]
    targets: list[str]


@dataclass
class SectionPreview:
    title: str
    kind: str
    group: str
    lead: list[str]
    support: list[str]
    measures: list[MeasurePreview] = field(default_factory=list)

    @property
    def target_count(self) -> int:
        return sum(len(m.targets) for m in self.measures)


def preview_sections(parsed: dict) -> list[SectionPreview]:
    sections = []
    for data in parsed.get("sections") or []:
        section = SectionPreview(
            title=data.get("title") or "", kind=_KINDS.get(data.get("kind"), ""), group=_GROUPS.get(data.get("group"), ""),
            lead=list(data.get("lead") or []), support=list(data.get("support") or []),
        )
        for task in data.get("tasks") or []:
            section.measures.append(MeasurePreview(
                title=task.get("title") or "", lead=list(task.get("lead") or []), support=list(task.get("support") or []),
                targets=[target_phrase(t) for t in task.get("targets") or []],
            ))
        sections.append(section)
    return sections


def parser_warnings(parsed: dict) -> list[str]:
    """The parser's warnings: what it could not read with certainty (absent in older parses: none)."""
    return [str(w) for w in parsed.get("warnings") or []]

"""Plan parsing: a 全民科学素质行动规划纲要实施方案 document → the structure `kesu-plan/1`.

Pure Python (no Django): `read_document` reads .txt/.docx/.pdf, `parse_plan` turns text into the plan
dict, `render_outline` prints it for people. See /spec/plan-format.md for the contract.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import DocumentError, NotAPlanError
from .metadata import read_headline, read_metadata, read_phases
from .normalize import Table, blocks, clean_text
from .outline import render_outline
from .patterns import squeeze
from .reading import read_document
from .responsibility import (
    TableRow,
    appendix_rows,
    parse_duties,
    roles_unstated,
    states_first_is_lead,
    table_rows,
    text_table_rows,
)
from .review import plan_warnings
from .structure import SectionDraft, find_sections, section_match
from .targets import extract_targets
from .text import TitleMatcher

FORMAT = "kesu-plan/1"

__all__ = ["DocumentError", "NotAPlanError", "parse_file", "parse_plan", "read_document", "render_outline"]


def parse_file(path: Path | str) -> dict:
    return parse_plan(read_document(path))


def parse_plan(text: str) -> dict:
    """The kesu-plan/1 dict of a plan's text, with `warnings` (Chinese) for what could not be read;
    NotAPlanError only for a text that is no plan at all."""
    text = clean_text(text)
    items = blocks(text)
    paragraphs = [item for item in items if isinstance(item, str)]
    meta = read_metadata(text.split("\n"), paragraphs)
    first_is_lead = states_first_is_lead(text)
    drafts = find_sections(items)
    if not drafts and not _reads_as_plan(text, meta.title):
        raise NotAPlanError("未识别到提升行动或重点工程章节，这不像一份全民科学素质行动实施方案")
    notes: list[str] = []
    if first_is_lead:
        notes.append("方案注明排在第一位的为牵头单位：未标注牵头/配合的单位列表按此规则拆分。")
    rows = [row for item in items if isinstance(item, Table) for row in table_rows(item)]
    rows += text_table_rows(paragraphs) + appendix_rows(paragraphs)
    table_duty, cut = _table_assignments(rows, drafts, first_is_lead)
    if table_duty:
        notes.append("部分分工取自文末的任务分工表。")
    if cut:
        notes.append("任务分工表过长：只读取了前面的部分，其余各行未用于确定分工。")
    sections = []
    period = meta.period
    for s, draft in enumerate(drafts):
        lead, support = parse_duties(draft.duty, first_is_lead)
        if not lead and not support and (s, None) in table_duty:
            lead, support = table_duty[(s, None)]
        tasks = []
        for t, task in enumerate(draft.tasks):
            task_lead, task_support = parse_duties(task.duty, first_is_lead)
            if draft.duty and lead and not first_is_lead and roles_unstated(task.duty):
                task_lead, task_support = _led_by_section(task_lead + task_support, lead)
            if not task_lead and not task_support and (s, t) in table_duty:
                task_lead, task_support = table_duty[(s, t)]
            if not task_lead and not task_support:
                task_lead, task_support = lead, support
            tasks.append({
                "title": task.title,
                "lead": list(task_lead),
                "support": list(task_support),
                "targets": extract_targets(task.text, period.get("start"), period.get("end")),
            })
        sections.append({
            "kind": draft.kind,
            "group": draft.group,
            "title": draft.title,
            "lead": list(lead),
            "support": list(support),
            "tasks": tasks,
        })
    headline = read_headline(paragraphs, period)
    return {
        "format": FORMAT,
        "title": meta.title,
        "jurisdiction": meta.jurisdiction,
        "issuer": meta.issuer,
        "doc_number": meta.doc_number,
        "issued_on": meta.issued_on,
        "period": period,
        "headline": headline,
        "sections": sections,
        "phases": read_phases(paragraphs),
        "notes": notes,
        "warnings": plan_warnings(meta.title, headline, sections),
    }


def _reads_as_plan(text: str, title: str | None) -> bool:
    """A text without sections is still (the opening of) a plan when it names one, or speaks of the literacy
    action, its upgrade actions or its headline figure (科学素质行动 / 提升行动 / 具备科学素质的比例)."""
    return title is not None or re.search(r"科学素质(?:行动|提升|工作|建设|的?比例)", text) is not None


def _led_by_section(units: list[str], section_lead: list[str]) -> tuple[list[str], list[str]]:
    """A measure listing its units without roles (（责任单位：A、B、C）) in a section with a stated lead: the
    section's lead units among them lead, the others support; with none of them listed, all lead."""
    leading = [unit for unit in units if unit in section_lead]
    if not leading:
        return units, []
    return leading, [unit for unit in units if unit not in leading]


# Each row of a division-of-labour table is compared with every section and measure title: a document
# could make that quadratic, so the comparisons are counted and the rows after this many are not read
# (a real plan needs some ten thousand).
MAX_TITLE_COMPARISONS = 200_000


def _table_assignments(rows: list[TableRow], drafts: list[SectionDraft], first_is_lead: bool) -> tuple[dict, bool]:
    """(section index, task index or None) → (lead, support) from division-of-labour tables, and whether
    rows were left unread because of MAX_TITLE_COMPARISONS."""
    out: dict[tuple[int, int | None], tuple[list[str], list[str]]] = {}
    if not rows:
        return out, False
    titles = _Titles(drafts)
    per_label = len(titles.sections) + sum(len(tasks) for tasks in titles.tasks)
    budget = MAX_TITLE_COMPARISONS
    for row in rows:
        budget -= per_label * len(row.labels)
        if budget < 0:
            return out, True
        where = _row_place(row.labels, drafts, titles)
        if where is not None and where not in out:
            out[where] = parse_duties(row.duties, first_is_lead)
    return out, False


class _Titles:
    """The sections' and measures' titles, prepared once for comparing every table row with them."""

    def __init__(self, drafts: list[SectionDraft]) -> None:
        self.sections = [TitleMatcher(draft.title) for draft in drafts]
        self.tasks = [[TitleMatcher(task.title) for task in draft.tasks] for draft in drafts]


_GENERIC_LABEL = re.compile(r"^.{0,3}$|^(?:[\d一二三四五六七八九十]+[项大])?(?:提升|重点|主要|专项)?(?:行动|工程|任务|工作)$")


def _row_place(labels: list[str], drafts: list[SectionDraft], titles: _Titles) -> tuple[int, int | None] | None:
    """The best-matching measure (at least 0.6 and better than any section named by the same cell) or else
    section (at least 0.5). Each cell counts on its own: a merged category cell naming the section beside
    an abbreviated measure name (科学家精神进校园) still places the row on the measure. A title that cannot
    beat the best so far is not compared in full."""
    best_task: tuple[float, tuple[int, int] | None] = (0.0, None)
    best_section: tuple[float, int | None] = (0.0, None)
    for label in labels:
        match = section_match(label)
        label_section = 0.0
        label_task: tuple[float, tuple[int, int] | None] = (0.0, None)
        generic = _GENERIC_LABEL.match(squeeze(label)) is not None  # a category cell such as 提升行动
        for s, draft in enumerate(drafts):
            score = titles.sections[s].similarity(label, best_section[0])
            if match and match == (draft.kind, draft.group) and match[1] != "other":
                score = max(score, 0.9)
            label_section = max(label_section, score)
            if score > best_section[0]:
                best_section = (score, s)
            for t, matcher in enumerate([] if generic else titles.tasks[s]):
                score = matcher.similarity(label, max(label_task[0], 0.6))
                if score > label_task[0]:
                    label_task = (score, (s, t))
        if label_task[1] is not None and label_task[0] >= 0.6 and label_task[0] > label_section:
            if label_task[0] > best_task[0]:
                best_task = label_task
    if best_task[1] is not None:
        return best_task[1]
    if best_section[1] is not None and best_section[0] >= 0.5:
        return best_section[1], None
    return None

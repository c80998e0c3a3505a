"""Plan parsing: a 全民科学素质行动规划纲要实施方案 document → the structure `kesu-plan/1`.

Pure Python (no Django): `read_document` reads .txt/.docx/.pdf, `parse_plan` turns text into the plan
dict, `render_outline` prints it for people. See /spec/plan-format.md for the contract.
"""

from __future__ import annotations

from pathlib import Path

from .errors import DocumentError, NotAPlanError
from .metadata import read_headline, read_metadata, read_phases
from .normalize import Table, blocks, clean_text
from .outline import render_outline
from .reading import read_document
from .responsibility import (
    TableRow,
    appendix_rows,
    parse_duties,
    states_first_is_lead,
    table_rows,
    text_table_rows,
)
from .structure import SectionDraft, find_sections, section_match
from .targets import extract_targets
from .text import TitleMatcher

FORMAT = "kesu-plan/1"

__all__ = ["DocumentError", "NotAPlanError", "parse_file", "parse_plan", "read_document", "render_outline"]


def parse_file(path: Path | str) -> dict:
    return parse_plan(read_document(path))


def parse_plan(text: str) -> dict:
    """The kesu-plan/1 dict of a plan's text; NotAPlanError when no action or project section is found."""
    text = clean_text(text)
    items = blocks(text)
    paragraphs = [item for item in items if isinstance(item, str)]
    meta = read_metadata(text.split("\n"), paragraphs)
    first_is_lead = states_first_is_lead(text)
    drafts = find_sections(items)
    if not drafts:
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
    return {
        "format": FORMAT,
        "title": meta.title,
        "jurisdiction": meta.jurisdiction,
        "issuer": meta.issuer,
        "doc_number": meta.doc_number,
        "issued_on": meta.issued_on,
        "period": period,
        "headline": read_headline(paragraphs, period),
        "sections": sections,
        "phases": read_phases(paragraphs),
        "notes": notes,
    }


# Each row of a division-of-labour table is compared with every section and measure title: a document
# could make that quadratic, so the comparisons are counted and the rows after this many are not read
# (a real plan needs some ten thousand).
MAX_TITLE_COMPARISONS = 200_000


def _table_assignments(rows: list[TableRow], drafts: list[SectionDraft], first_is_lead: bool) -> tuple[dict, bool]:
    """(section index, task index or None) → (lead, support) from division-of-labour tables, and whether
    rows were left unread because of MAX_TITLE_COMPARISONS."""
    out: dict[tuple[int, int | None], tuple[list[str], list[str]]] = {}
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


def _row_place(labels: list[str], drafts: list[SectionDraft], titles: _Titles) -> tuple[int, int | None] | None:
    """The first best-matching measure (at least 0.6 and better than any section) or section (at least 0.5).
    A title that cannot beat the best so far is not compared in full."""
    best_task = (0.0, None)
    best_section = (0.0, None)
    for label in labels:
        match = section_match(label)
        for s, draft in enumerate(drafts):
            score = titles.sections[s].similarity(label, best_section[0])
            if match and match == (draft.kind, draft.group) and match[1] != "other":
                score = max(score, 0.9)
            if score > best_section[0]:
                best_section = (score, s)
            for t, matcher in enumerate(titles.tasks[s]):
                score = matcher.similarity(label, max(best_task[0], 0.6))
                if score > best_task[0]:
                    best_task = (score, (s, t))
    if best_task[1] is not None and best_task[0] >= 0.6 and best_task[0] > best_section[0]:
        return best_task[1]
    if best_section[1] is not None and best_section[0] >= 0.5:
        return best_section[1], None
    return None

"""Who is responsible: unit lists (…牵头，…等单位配合), labelled lines (牵头部门：/配合部门：/责任单位：),
a plan's own rule for unmarked lists (排在第一位的为牵头单位) and division-of-labour tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..unit_names import clean_name
from .normalize import Table
from .patterns import LABEL_WORDS, LEAD_LABELS, SUPPORT_LABELS, squeeze, strip_bold


@dataclass
class Duty:
    """One responsibility statement as written (a parenthesis, a labelled line, a table cell)."""

    text: str


_UNITISH = re.compile(r"[局委办部会院府室心站所校队团联社处厅馆司]|单位|政府|科协|妇联|工会|党校")
_DUTY_MARK = re.compile(
    r"牵头|配合|参与|责任单位|责任部门|牵头单位|参与单位|配合单位|按职责(?:分工)?负责|负责(?:$|[，,；;])|(?:" + "|".join(LABEL_WORDS) + r")\s*(?:[:：]|[】\]])"
)
_PAREN = re.compile(r"[（(]((?:[^（）()]|[（(][^（）()]*[）)])*)[）)]")
_OPEN_TAIL = re.compile(r"[（(]([^（）()]*)$")
_LABEL = r"[【\[]?\s*(?:" + "|".join(LABEL_WORDS) + r")\s*(?:[:：]|[】\]])"
_LABEL_TAIL = re.compile(r"(?:^|(?<=[。；;\s]))(" + _LABEL + r".*)$")
_LABEL_SPLIT = re.compile(r"(" + _LABEL + r")")
_SUPPORT_MARK = re.compile(
    r"(?:等(?:有关|相关|其他)?(?:单位|部门|成员单位))?\s*(?:按(?:照)?(?:各自)?职责(?:分工)?(?:负责|落实)|分工负责|"
    r"配合(?:落实|实施|推进|做好)?|参与(?:实施|落实)?|协同(?:推进|落实)?|协助|协办)$"
)
_LEAD_MARK = re.compile(r"(?:分别|共同|联合)?\s*(?:牵头(?:负责|实施|落实|推进|抓总)?|负总责|主抓|负责)$")
_NAME_SPLIT = re.compile(r"[、，,；;\s/]+|(?<=[局委办部会院府室心站所校队团联社处厅馆司])[和及与](?=[\u4e00-\u9fff])")
_NAME_TAIL = re.compile(r"(?:等(?:有关|相关|其他)?(?:单位|部门))$|等$")
FIRST_IS_LEAD = re.compile(
    r"(?:第一|首)\s*(?:位|个|家)?\s*(?:的|者)?\s*(?:单位|部门)?\s*(?:为|是|系)\s*(?:主要)?牵头"
)


def states_first_is_lead(text: str) -> bool:
    """Does the plan say that the first unit of a list leads (排在第一位的为牵头单位)?"""
    return bool(FIRST_IS_LEAD.search(squeeze(text)))


_DUTY_END = re.compile(r"(?:牵头|配合|参与|负责|落实|协同|协助|协办|推进)(?:实施|落实|推进)?$")


def is_duty_text(text: str) -> bool:
    """Is a parenthesis a responsibility statement (a label inside, or units ending in 牵头/配合/负责)?"""
    core = squeeze(strip_bold(text)).rstrip("。；;")
    if not core or not _UNITISH.search(core):
        return False
    return bool(_LABEL_SPLIT.search(core) or (_DUTY_MARK.search(core) and _DUTY_END.search(core)))


def is_unit_statement(text: str) -> bool:
    """Is the text nothing but units with 牵头/配合 marks (县科协牵头，县教育局、团县委等单位配合)?"""
    lead, support = _by_markers(text, None, False)
    listed = lead + support
    return bool(listed) and _DUTY_MARK.search(text) is not None and all(
        _UNITISH.search(name) and len(name) <= 20 for name in listed
    )


def split_duty(text: str) -> tuple[str, list[Duty]]:
    """The text without its responsibility statements, and those statements."""
    duties: list[Duty] = []

    def take(found: re.Match[str]) -> str:
        if is_duty_text(found.group(1)):
            duties.append(Duty(found.group(1)))
            return ""
        return found.group(0)

    out = _PAREN.sub(take, text)
    tail = _OPEN_TAIL.search(out)
    if tail and is_duty_text(tail.group(1)):
        duties.append(Duty(tail.group(1)))
        out = out[: tail.start()]
    labelled = _LABEL_TAIL.search(out)
    if labelled:
        duties.append(Duty(labelled.group(1)))
        out = out[: labelled.start()]
    if not duties:
        out, trailing = _trailing_statement(out)
        duties += trailing
    return out.strip(), duties


_STATEMENT_START = re.compile(r"^(?:由|并由|均由|请)")


def _trailing_statement(text: str) -> tuple[str, list[Duty]]:
    """A measure closing with its responsibility in words (…。由县科协牵头，县教育局配合。 / …活动，县科协牵头):
    the longest run of closing clauses that names units and their roles, opening with who leads."""
    body = text.rstrip(" 。；;")
    if not _DUTY_END.search(body) or len(body) < 4:
        return text, []
    cut = max(body.rfind(mark) for mark in "。；;！？") + 1
    clauses = [m for m in re.finditer(r"[^，,]+", body[cut:])]
    for found in clauses:
        start = cut + found.start()
        statement = _STATEMENT_START.sub("", body[start:].strip())
        opening = re.split(r"[，,]", statement, maxsplit=1)[0]
        if start > 0 and _LEAD_MARK.search(opening) and is_unit_statement(statement):
            return body[:start].rstrip(" ，,"), [Duty(statement)]
    return text, []


_ROLE_WORDS = re.compile(r"牵头|主责|配合|参与|协同|协助|协办|协作|负责|落实")


def roles_unstated(duties: list[Duty]) -> bool:
    """Do the statements list units without saying who leads (（责任单位：A、B、C））?"""
    text = re.sub(r"(?:责任|实施)(?:单位|部门)\s*[:：]", "", " ".join(d.text for d in duties))
    return bool(duties) and not _ROLE_WORDS.search(text)


def parse_duties(duties: list[Duty], first_is_lead: bool) -> tuple[list[str], list[str]]:
    """(lead, support) unit names from the statements, each once, in order."""
    lead, support = _parse_duties(tuple(d.text for d in duties), first_is_lead)
    return list(lead), list(support)


@lru_cache(maxsize=4096)
def _parse_duties(texts: tuple[str, ...], first_is_lead: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    duties = [Duty(text) for text in texts]
    lead: list[str] = []
    support: list[str] = []
    has_lead_label = any(re.search(r"(?:" + "|".join(LEAD_LABELS) + r")\s*(?:[:：]|[】\]])", d.text) for d in duties)
    for duty in duties:
        for label, content in _segments(duty.text):
            role = None
            if label in LEAD_LABELS:
                role = "lead"
            elif label in SUPPORT_LABELS:
                role = "support"
            elif label is not None and has_lead_label:
                role = "support"  # 责任部门 beside a 牵头部门 line lists the others
            more_lead, more_support = _by_markers(content, role, first_is_lead)
            lead += more_lead
            support += more_support
    return tuple(_once(lead)), tuple(_once(support))


def _segments(text: str) -> list[tuple[str | None, str]]:
    text = strip_bold(text).strip()
    if text[:1] in "（(" and text[-1:] in "）)":
        text = text[1:-1]
    parts = _LABEL_SPLIT.split(text)
    out: list[tuple[str | None, str]] = []
    if parts[0].strip(" （(，,；;"):
        out.append((None, parts[0]))
    for k in range(1, len(parts) - 1, 2):
        out.append((re.sub(r"[\s:：（(【】\[\]]", "", parts[k]), parts[k + 1]))
    return out


def _clauses(text: str) -> list[str]:
    out, depth, current = [], 0, ""
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if ch in "，,；;。" and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    out.append(current)
    return [clause.strip() for clause in out if clause.strip()]


_MARKED_NAME = re.compile(r"([^、，,；;（()）]+?)\s*[（(]\s*(牵头|主责|配合|参与|协助)(?:单位|部门)?\s*[）)]")


def _by_markers(content: str, role: str | None, first_is_lead: bool) -> tuple[list[str], list[str]]:
    marked = list(_MARKED_NAME.finditer(content))
    if marked:  # 县教育局（牵头）、县科协、团县委: the marked units lead, the others support
        lead = [name for m in marked if m.group(2) in ("牵头", "主责") for name in names(m.group(1))]
        rest = _MARKED_NAME.sub(lambda m: "" if m.group(2) in ("牵头", "主责") else m.group(1), content)
        more_lead, support = _by_markers(rest, role or "support", first_is_lead)
        return lead + more_lead, support
    lead: list[str] = []
    support: list[str] = []
    pending: list[str] = []
    seen_lead = seen_marker = False
    duty_only = True
    for clause in _clauses(content):
        found_support = _SUPPORT_MARK.search(clause)
        found_lead = None if found_support else _LEAD_MARK.search(clause)
        if not found_support and not found_lead:
            pending += names(clause)
            continue
        seen_marker = True
        if found_lead and seen_lead and "牵头" not in found_lead.group(0):
            found_support, found_lead = found_lead, None  # （X牵头，各县人民政府负责）: the others carry it out
        if found_support:
            duty_only = duty_only and bool(re.search(r"负责|落实$", found_support.group(0)))
            support += pending + names(clause[: found_support.start()])
        else:
            lead += pending + names(clause[: found_lead.start()])
            seen_lead = True
        pending = []
    if duty_only and not lead and not pending and role is None:
        lead, support = support, []  # （X、Y按职责分工负责）: nobody leads, so they are the responsible units
    if pending:
        if role == "lead":
            lead += pending
        elif role == "support" or (seen_marker and seen_lead):
            support += pending
        elif seen_marker:
            lead += pending
        elif first_is_lead:
            lead += pending[:1]
            support += pending[1:]
        else:
            lead += pending
    return lead, support


def names(text: str) -> list[str]:
    """Unit names of a list, split at 、 and ，, without 等单位/等部门."""
    return list(_names(text))


@lru_cache(maxsize=4096)
def _names(text: str) -> tuple[str, ...]:
    """`names`, remembered: a plan repeats the same unit lists measure after measure."""
    out = []
    for part in _split_outside_brackets(_REMARK.sub("", text)):
        name = clean_name(part).strip("。.：:“”\"'【】[]")
        name = re.sub(r"^(?:由|请|以)", "", name)
        name = _NAME_TAIL.sub("", name)
        if name and len(name) <= 40:
            out.append(name)
    return tuple(out)


_REMARK = re.compile(r"[（(][^（）()]*(?:第一|首)[^（）()]*牵头[^（）()]*[）)]")  # （排在第一位的为牵头单位）
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")


def _split_outside_brackets(text: str) -> list[str]:
    """Split a unit list at its separators, except inside brackets: 各县（市、区）人民政府 is one name."""
    kept: list[str] = []

    def hide(found: re.Match[str]) -> str:
        kept.append(found.group(0))
        return f"\x00{len(kept) - 1}\x00"

    hidden = _BRACKETED.sub(hide, text)
    return [re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], part) for part in _NAME_SPLIT.split(hidden)]


def _once(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


# --------------------------------------------------------------------------------------------------
# division-of-labour tables


@dataclass
class TableRow:
    labels: list[str]  # what the row is about (section or measure), as written
    duties: list[Duty]


_SKIP_COLUMN = re.compile(r"序号|备注|时限|时间|进度|完成|编号")


def table_rows(table: Table) -> list[TableRow]:
    """Rows of a division-of-labour table, or [] when the table assigns no responsibility."""
    rows = [[cell.strip() for cell in row] for row in table.rows]
    header_at = next((i for i, row in enumerate(rows[:3]) if _is_header(row)), None)
    if header_at is None:
        return _rows_without_header(rows)
    header = [squeeze(cell) for cell in rows[header_at]]
    lead_cols = [i for i, cell in enumerate(header) if "牵头" in cell or "主责" in cell]
    support_cols = [
        i for i, cell in enumerate(header)
        if i not in lead_cols and (re.search(r"配合|参与|协同|协办|协助", cell) or (lead_cols and "责任" in cell))
    ]
    free_cols = [i for i, cell in enumerate(header) if not lead_cols and "责任" in cell and i not in support_cols]
    duty_cols = set(lead_cols + support_cols + free_cols)
    label_cols = [i for i, cell in enumerate(header) if i not in duty_cols and not _SKIP_COLUMN.search(cell)]
    out = []
    for row in rows[header_at + 1:]:
        if len(row) < len(header):
            row = [""] * (len(header) - len(row)) + row
        cell = row.__getitem__
        duties = [Duty(f"牵头单位：{cell(i)}") for i in lead_cols if cell(i)]
        duties += [Duty(f"配合单位：{cell(i)}") for i in support_cols if cell(i)]
        duties += [Duty(cell(i)) for i in free_cols if cell(i)]
        labels = [cell(i) for i in label_cols if i < len(row) and cell(i)]
        if duties and labels:
            out.append(TableRow(labels, duties))
    return out


def _is_header(row: list[str]) -> bool:
    cells = [squeeze(cell) for cell in row if cell.strip()]
    if not cells or any(len(cell) > 14 for cell in cells):
        return False
    return any("牵头" in cell or "责任" in cell or "配合" in cell for cell in cells)


def _rows_without_header(rows: list[list[str]]) -> list[TableRow]:
    out = []
    for row in rows:
        if len(row) < 3:
            continue
        *labels, lead, support = row
        if _looks_like_units(lead) and _looks_like_units(support):
            out.append(TableRow([c for c in labels if c], [Duty(f"牵头单位：{lead}"), Duty(f"配合单位：{support}")]))
    return out


def _looks_like_units(cell: str) -> bool:
    parts = [part for part in names(cell) if part]
    return bool(parts) and sum(bool(_UNITISH.search(part)) for part in parts) >= max(1, len(parts) // 2)


def appendix_rows(paragraphs: list[str]) -> list[TableRow]:
    """A division of labour written as a list after a 分工 heading (附件：重点任务分工 / 1. 措施。（…牵头，…配合）):
    each item names a measure or section and carries its responsibility."""
    rows: list[TableRow] = []
    active = False
    for text in paragraphs:
        core = squeeze(strip_bold(text))
        if not active:
            active = "分工" in core and len(core) <= 60 and not re.search(r"[。；]", core.rstrip("。"))
            continue
        label, duties = split_duty(text)
        if duties and label.strip(" 。"):
            rows.append(TableRow([label], duties))
    return rows


def text_table_rows(paragraphs: list[str]) -> list[TableRow]:
    """A division-of-labour table that came out of a PDF as text: after a 牵头部门 header cell, each
    row is a paragraph naming a section or measure followed by its unit lists (lead, then support)."""
    rows: list[TableRow] = []
    active = False
    k = 0
    while k < len(paragraphs):
        text = squeeze(paragraphs[k])
        if not active:
            active = len(text) <= 8 and ("牵头" in text or "主责" in text) and "：" not in text
            k += 1
            continue
        lists = []
        j = k + 1
        while j < len(paragraphs) and len(lists) < 2 and _is_unit_list(paragraphs[j]):
            lists.append(paragraphs[j])
            j += 1
        if lists and not _is_unit_list(paragraphs[k]) and len(text) <= 80:
            duties = [Duty(f"牵头单位：{lists[0]}")] + [Duty(f"配合单位：{more}") for more in lists[1:]]
            rows.append(TableRow([paragraphs[k]], duties))
            k = j
        else:
            k += 1
    return rows


def _is_unit_list(text: str) -> bool:
    core = squeeze(text)
    if not core or re.search(r"[。；：:]", core.rstrip("。")):
        return False
    parts = names(core)
    return bool(parts) and all(_UNITISH.search(part) and len(part) <= 20 for part in parts)

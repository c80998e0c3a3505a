"""Text clean-up and paragraph reconstruction.

Real plans arrive as text converted from Word or PDF: full-width digits, stray Traditional characters,
page numbers, sentences broken across lines and pages (often with blank lines in between), and tables
flattened to tab-separated cells. `clean_text` fixes characters; `blocks` rebuilds the paragraphs and
tables in document order.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .patterns import LABEL_START, numbering, strip_bold

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0xFEFF: None,
                   0x200B: None, 0xFF05: 0x25})  # ideographic/nb spaces, BOM, zero width, ％

SENTENCE_END = "。！？；：!?;:"
CLOSERS = "）)]】"
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－─_·•~]+\s*\d{1,4}\s*[-—–－─_·•~]+"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"
    r"|[-—–－]?\s*\d{1,3}\s*[-—–－]?)$"
)
_PUNCT = set("，。、；：！？,.;:!?（）()《》“”\"'‘’【】[]—-－·．…")
_UNIT_SUFFIX = tuple("局委办部会院府室心站所校队团联社处厅位馆司协")
_DUTY_PAREN_START = re.compile(
    r"^[（(]\s*(?:责任单位|牵头单位|责任部门|牵头部门|主责单位|配合单位|配合部门)"
    r"|^[（(][^（）()]{1,60}?(?:牵头|负责)[，,、；;]"
)
_CLOSING = ("抄送", "附件", "主题词", "印发")


@lru_cache(maxsize=1)
def _t2s():
    """The converter and the set of characters it may change (to skip lines that have none)."""
    import opencc

    converter = opencc.OpenCC("t2s")
    table = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    traditional: set[str] = set()
    if table.is_file():
        for line in table.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("\t")
            if key and value and value.split()[0] != key:
                traditional.add(key)
    return converter, frozenset(traditional)


def clean_text(text: str) -> str:
    """Unify line ends, fold full-width digits/letters and odd spaces, Traditional → Simplified."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = text.translate(_FULLWIDTH)
    converter, traditional = _t2s()
    if not traditional:
        return converter.convert(text)
    return "\n".join(
        line if traditional.isdisjoint(line) else converter.convert(line) for line in text.split("\n")
    )


@dataclass
class Table:
    """A table flattened into rows of cell texts."""

    rows: list[list[str]] = field(default_factory=list)


Block = str | Table


def blocks(text: str) -> list[Block]:
    """Paragraphs (str) and tables (Table) of a cleaned text, in document order."""
    lines = _one_row_per_line([line.rstrip(" \u3000") for line in text.split("\n")])
    out: list[Block] = []
    body: list[str] = []
    i = 0
    no_table_before = 0  # lines read by a search that found no table: no table starts among them either
    while i < len(lines):
        if i >= no_table_before and "\t" in lines[i] and lines[i].strip():
            table, end = _read_table(lines, i)
            if table is not None:
                out.extend(_paragraphs(body))
                body = []
                out.append(table)
                i = end
                continue
            no_table_before = end
        body.append(lines[i].replace("\t", " "))
        i += 1
    out.extend(_paragraphs(body))
    return out


_PIPES = re.compile(r"[|｜]")
_RULE = re.compile(r"^[\s|｜:：\-—─=+]+$")


def _one_row_per_line(lines: list[str]) -> list[str]:
    """Tables typed into a text file, one row per line: cells between | (Markdown, 标题|内容) or tabs. Their
    rows are set apart by blank lines and their cells by tabs, the way Word tables are read."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        end = i
        pipes = len(_PIPES.findall(lines[i]))
        tabs = _row_tabs(lines[i])
        while end < len(lines) and lines[end].strip() and (
            (pipes >= 2 and len(_PIPES.findall(lines[end])) >= 2)
            or (tabs >= 1 and _row_tabs(lines[end]) == tabs and not pipes)
        ):
            end += 1
        if end - i < 2:
            out.append(lines[i])
            i += 1
            continue
        for line in lines[i:end]:
            if pipes and _RULE.match(line):
                continue  # |---|---|
            cells = _PIPES.split(line.strip().strip("|｜")) if pipes else line.strip(" \u3000").split("\t")
            out += ["", "\t".join(cell.strip() for cell in cells)]
        out.append("")
        i = end
    return out


def _row_tabs(line: str) -> int:
    """Tabs of a line holding a whole row (a tab between two cells); 0 for a line holding one cell (\\tcell)."""
    core = line.strip(" \u3000")
    return core.count("\t") if "\t" in core.lstrip("\t") else 0


def _read_table(lines: list[str], start: int) -> tuple[Table | None, int]:
    """Rows between blank lines; a line starting with a tab opens cells, other lines continue the last.
    Returns the table (None when the lines do not make one) and where the lines read end. Started at a later
    line of the same stretch, the search reads a subset of the same rows with no more cells: no table either.
    """
    rows: list[list[str]] = []
    cells: list[list[str]] = []  # each cell's pieces, joined when the row ends
    i = start
    previous_blank = False
    while i < len(lines):
        line = lines[i]
        if not line.strip() and "\t" not in line:
            if cells:
                rows.append(["".join(cell) for cell in cells])
                cells = []
            previous_blank = True
            i += 1
            continue
        if "\t" not in line and (previous_blank or not cells):
            break  # text after the table
        parts = line.split("\t")
        if "\t" in line and (line.startswith("\t") or not cells):
            if line.startswith("\t"):
                parts = parts[1:]
            cells.extend([part.strip()] for part in parts)
        else:
            cells[-1].append(parts[0].strip())
            cells.extend([part.strip()] for part in parts[1:])
        previous_blank = False
        i += 1
    if cells:
        rows.append(["".join(cell) for cell in cells])
    rows = [row for row in rows if any(cell for cell in row)]
    if len(rows) < 2 or max(len(row) for row in rows) < 2:
        return None, i
    return Table(rows), i


def _paragraphs(lines: list[str]) -> list[str]:
    """Join lines broken inside sentences (line wraps, page breaks) back into paragraphs."""
    items = [strip_line(line) for line in lines]
    items = [line for line in items if line and not _PAGE_NUMBER.match(line)]
    width = _wrap_width(items)
    paragraphs: list[_Growing] = []
    last_line = ""
    for line in items:
        if not paragraphs:
            paragraphs.append(_Growing(line))
            last_line = line
            continue
        previous = paragraphs[-1]
        if _is_lone_char(line):
            if _complete(previous) or previous.endswith(line):
                continue  # a stray character left by a page break (…各成员单位 / 位)
            previous.add(line)
            last_line = line
            continue
        if _should_join(previous, line, last_line, width):
            previous.add(line)
        else:
            paragraphs.append(_Growing(line))
        last_line = line
    return [paragraph.text() for paragraph in paragraphs]


_WINDOW = 200  # characters at either end of a paragraph that the joining rules look at
_DUTY_WORD = re.compile(r"牵头|配合|责任单位|责任部门|负责")  # the longest has 4 characters


class _Growing:
    """A paragraph being joined from lines.

    The joining rules read a paragraph's start (labels), its last characters, its bracket balance and
    whether a responsibility word follows its last opening bracket. Keeping these as lines are added makes
    each line cost its own length: re-reading the whole paragraph for every line made parsing quadratic in
    the length of a paragraph. A start is read within its first `_WINDOW` characters, and a paragraph that
    long is not a heading line.
    """

    def __init__(self, line: str) -> None:
        self.parts: list[str] = []
        self.head = ""
        self.tail = ""
        self.end = ""  # the last characters before trailing bold marks and blanks
        self.end_blank = ""  # the last characters before trailing blanks
        self.open_brackets = 0
        self.after_bracket: str | None = None  # the last characters after the last opening bracket
        self.bracket_duty = False
        self.add(line)

    def add(self, line: str) -> None:
        joined = self.tail + line
        self.parts.append(line)
        if len(self.head) < _WINDOW:
            self.head = (self.head + line)[:_WINDOW]
        self.tail = joined[-_WINDOW:]
        if line.rstrip("* "):
            self.end = joined.rstrip("* ")[-_WINDOW:]
        if line.rstrip():
            self.end_blank = joined.rstrip()[-_WINDOW:]
        self.open_brackets += line.count("（") + line.count("(") - line.count("）") - line.count(")")
        opening = max(line.rfind("（"), line.rfind("("))
        if opening >= 0:
            self.after_bracket = line[opening:]
            self.bracket_duty = bool(_DUTY_WORD.search(self.after_bracket))
        elif self.after_bracket is not None:
            self.after_bracket += line  # a word may run over from the previous line
            self.bracket_duty = self.bracket_duty or bool(_DUTY_WORD.search(self.after_bracket))
        if self.after_bracket is not None:
            self.after_bracket = self.after_bracket[-3:]

    def text(self) -> str:
        return "".join(self.parts)

    def long(self) -> bool:
        return len(self.head) >= _WINDOW

    def endswith(self, line: str) -> bool:
        if len(line) <= len(self.tail):
            return self.tail.endswith(line)
        return self.text().endswith(line)  # a line longer than the window: the paragraph is shorter than it

    def unclosed(self) -> bool:
        return self.open_brackets > 0


def strip_line(line: str) -> str:
    return line.strip(" \t\u3000")


def _display_len(text: str) -> float:
    """Width in full-width characters (ASCII counts half)."""
    return len(text) - len(text.encode("ascii", "ignore")) / 2


def _wrap_width(lines: list[str]) -> float | None:
    """The common full-line length of a hard-wrapped text (PDF conversion), or None."""
    lengths = [round(_display_len(line)) for line in lines if _display_len(line) > 10]
    if len(lengths) < 12:
        return None
    counts = Counter(lengths)
    width, _ = counts.most_common(1)[0]
    near = [line for line in lines if abs(_display_len(line) - width) <= 1]
    if len(near) < 8 or len(near) / len(lengths) < 0.3 or not 16 <= width <= 80:
        return None
    # wrapped lines stop mid-sentence; lines that are whole paragraphs end with a full stop
    mid_sentence = sum(1 for line in near if line.rstrip("* ")[-1:] not in SENTENCE_END + "）)”")
    return float(width) if mid_sentence / len(near) >= 0.5 else None


def _is_lone_char(line: str) -> bool:
    core = strip_bold(line)
    return len(core) == 1 and "\u4e00" <= core <= "\u9fff"


def heading_line(text: str) -> bool:
    """A short line that reads as a heading: numbered and without sentence breaks, or short without punctuation."""
    text = strip_bold(text).strip()
    found = numbering(text)
    core = (found[2] if found else text).rstrip("。：:")
    if found and core and len(core) <= 40 and not re.search(r"[。；;！？]", core):
        return True
    return 2 <= len(core) <= 25 and not any(ch in _PUNCT for ch in core)


def _complete(paragraph: _Growing) -> bool:
    """Does the paragraph so far end where a paragraph may end?"""
    if not paragraph.end:
        return True  # nothing but bold marks and blanks
    if paragraph.unclosed():
        return False
    core = paragraph.end
    last = core[-1]
    if last in SENTENCE_END:
        return True
    if last in CLOSERS:
        return True
    if last in "”’」』" and len(core) > 1 and core[-2] in SENTENCE_END:
        return True
    return not paragraph.long() and heading_line(paragraph.text().rstrip("* "))


def starts_block(line: str) -> bool:
    """Lines that always begin a new paragraph: numbered items, labels, bold openings, closing matter."""
    core = strip_bold(line)
    return bool(
        line.startswith("**")
        or numbering(core)
        or LABEL_START.match(core)
        or _DUTY_PAREN_START.match(core)
        or core.startswith(_CLOSING)
    )


def _continues_units(line: str) -> bool:
    """Does a line read as the rest of a unit list (县\\n财政局、县卫健委等单位配合)?"""
    core = line.rstrip("。；;）)")
    parts = [part for part in re.split(r"[、，,；;]", core) if part]
    if not parts or heading_line(line) and not core.endswith(_UNIT_SUFFIX):
        return False
    unit_like = [
        part.endswith(_UNIT_SUFFIX) or bool(re.search(r"(牵头|配合|参与|负责|等单位|等部门)$", part)) or len(part) <= 6
        for part in parts
    ]
    return all(unit_like[:-1]) and (unit_like[-1] or len(parts) > 1)


def _unit_list(line: str) -> bool:
    parts = [part for part in re.split(r"[、，,]", line.strip()) if part]
    return bool(parts) and all(part.endswith(_UNIT_SUFFIX) and len(part) <= 16 for part in parts)


def _is_full(line: str, width: float) -> bool:
    """Does the line fill the text width of a hard-wrapped document?"""
    return _display_len(line) >= width - 1 or width - 1 <= len(line) <= width + 1


def _should_join(previous: _Growing, line: str, last_line: str, width: float | None) -> bool:
    if previous.unclosed() and (previous.end_blank[-1:] in "（(" or LABEL_START.match(strip_bold(line))):
        return True  # （ + 责任单位：… split over two lines
    if starts_block(line):
        return False
    full = width is not None and _is_full(last_line, width)
    head = strip_bold(previous.head)
    if LABEL_START.match(head) or _DUTY_PAREN_START.match(head):
        if previous.unclosed() or previous.end_blank[-1:] in "、，,":
            return True
        return not _complete(previous) and (full or _continues_units(line))
    if full:
        # a full line: the paragraph goes on, unless it ended exactly at the line's end with a sentence
        # (or a responsibility parenthesis) and the next line opens with a heading sentence of its own
        ends_sentence = previous.end[-1:] in "。！？）)" and not previous.unclosed()
        return not (ends_sentence and (_closes_duty(previous) or _opens_heading_sentence(line)))
    if _unit_list(last_line) and (_unit_list(line) or width is not None and len(last_line) < width - 1):
        # cells of a table that came out as text: 县教委、县科协 / 县委宣传部、县委网信办…
        return previous.end[-1:] in "、，,（(" or previous.unclosed()
    return not _complete(previous)


def _closes_duty(paragraph: _Growing) -> bool:
    return paragraph.end[-1:] in "）)" and paragraph.bracket_duty


def _opens_heading_sentence(line: str) -> bool:
    found = re.match(r"^[^。！？；，,]{4,32}[。！？]", strip_bold(line))
    return bool(found) and found.group(0).count("、") <= 1



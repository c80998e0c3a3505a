"""The text of a PDF as governments publish plans: lines in reading order, running page headers and footers
left out, and tables read row by row (cells separated by tabs, like a Word table) rather than column by
column.

pdfminer's layout gives text lines with their positions. A line is cut where a gap wider than a character
separates its characters (table cells side by side); lines at the same height form a row. Rows with several
cells, and the wrapped lines inside their cells, make a table.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

_DIGITS = re.compile(r"\d+")


@dataclass
class _Piece:
    top: float
    bottom: float
    x0: float
    x1: float
    text: str


@dataclass
class _Row:
    top: float
    bottom: float
    pieces: list[_Piece] = field(default_factory=list)

    @property
    def height(self) -> float:
        return max(self.top - self.bottom, 1.0)

    def text(self, between: str = "") -> str:
        return between.join(piece.text for piece in self.pieces)

    @property
    def cells(self) -> bool:
        """Several pieces that read as cells, not a heading set with spaced-out letters (通   知)."""
        return len(self.pieces) >= 2 and sum(len(piece.text) <= 1 for piece in self.pieces) * 2 <= len(self.pieces)


def pdf_layout_text(data: bytes) -> str:
    """The PDF's text, one line per row of text; raises what pdfminer raises for damaged or locked files."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams

    pages, rules = [], []
    for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
        pages.append(_rows(list(_pieces(page))))
        rules.append(sorted(_rules(page)))
    _drop_running_lines(pages)
    out: list[str] = []
    for rows, page_rules in zip(pages, rules, strict=True):
        out += _render(rows, page_rules)
        out.append("")
    return "\n".join(out)


def _rules(container) -> set[float]:
    """Heights of the page's horizontal lines (table borders): a line, or the top and bottom of a box."""
    from pdfminer.layout import LTLine, LTRect

    out: set[float] = set()
    for element in container:
        if isinstance(element, LTLine) and abs(element.y1 - element.y0) < 1 and element.width > 20:
            out.add(round(element.y0, 1))
        elif isinstance(element, LTRect) and element.width > 20:
            out.update((round(element.y0, 1), round(element.y1, 1)))
        elif hasattr(element, "__iter__") and not isinstance(element, (LTLine, LTRect)):
            out.update(_rules(element))
    return out


def _pieces(container):
    from pdfminer.layout import LTChar, LTTextLine

    for element in container:
        if isinstance(element, LTTextLine):
            yield from _split_at_gaps(element, LTChar)
        elif hasattr(element, "__iter__") and not isinstance(element, LTChar):
            yield from _pieces(element)


def _split_at_gaps(line, char_type) -> list[_Piece]:
    """The line cut where characters stand apart by more than a character's width (cells of a table row)."""
    pieces: list[_Piece] = []
    text, x0, x1, previous = "", None, None, None
    for item in line:
        if not isinstance(item, char_type):
            if item.get_text() not in "\n" and text:
                text += item.get_text()
            continue
        width = max(item.width, item.size * 0.5, 1.0)
        if previous is not None and item.x0 - previous.x1 > max(width, previous.width) * 1.2:
            pieces.append(_Piece(line.y1, line.y0, x0, x1, text.strip()))
            text, x0 = "", None
        if x0 is None:
            x0 = item.x0
        text += item.get_text()
        x1, previous = item.x1, item
    if text.strip():
        pieces.append(_Piece(line.y1, line.y0, x0 if x0 is not None else line.x0, x1 or line.x1, text.strip()))
    return [piece for piece in pieces if piece.text]


def _rows(pieces: list[_Piece]) -> list[_Row]:
    """Pieces at the same height joined into rows, top to bottom, each row's pieces left to right."""
    rows: list[_Row] = []
    for piece in sorted(pieces, key=lambda p: (-round(p.top, 0), p.x0)):
        middle = (piece.top + piece.bottom) / 2
        row = rows[-1] if rows else None
        if row is not None and row.bottom <= middle <= row.top:
            row.pieces.append(piece)
            row.top, row.bottom = max(row.top, piece.top), min(row.bottom, piece.bottom)
        else:
            rows.append(_Row(piece.top, piece.bottom, [piece]))
    for row in rows:
        row.pieces.sort(key=lambda p: p.x0)
    return rows


def _key(row: _Row) -> str:
    return _DIGITS.sub("#", re.sub(r"\s+", "", row.text()))


def _drop_running_lines(pages: list[list[_Row]]) -> None:
    """Leave out a line repeated at the top or the bottom of most pages (running header or footer)."""
    if len(pages) < 2:
        return
    for ends in (lambda rows: rows[:2], lambda rows: rows[-2:]):
        counts: dict[str, int] = {}
        for rows in pages:
            for key in {_key(row) for row in ends(rows) if len(_key(row)) <= 50}:
                counts[key] = counts.get(key, 0) + 1
        running = {key for key, count in counts.items() if key and count >= max(2, (len(pages) + 1) // 2)}
        for n, rows in enumerate(pages):
            edge = ends(rows)
            pages[n] = [row for row in rows if not (any(row is e for e in edge) and _key(row) in running)]


def _render(rows: list[_Row], rules: list[float]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(rows):
        end = _table_end(rows, i)
        if end - i >= 2 and sum(row.cells for row in rows[i:end]) >= 2:
            out += _table_lines(rows[i:end], rules)
            i = end
            continue
        out.append(rows[i].text("  " if rows[i].cells else ""))
        i += 1
    return out


def _table_end(rows: list[_Row], start: int) -> int:
    """Where a table starting at `start` (a row of several cells) ends: rows of several cells, and lines
    inside their columns that follow closely (a cell's text wrapped)."""
    if not rows[start].cells:
        return start + 1
    columns = [piece.x0 for piece in rows[start].pieces]
    right = max(piece.x1 for piece in rows[start].pieces)
    end = start + 1
    while end < len(rows):
        row, previous = rows[end], rows[end - 1]
        if row.cells:
            columns += [piece.x0 for piece in row.pieces]
            right = max(right, max(piece.x1 for piece in row.pieces))
        elif not (_inside_a_column(row.pieces[0], columns, previous, right) or _merged_cell(row, rows[end + 1:end + 2], columns)):
            break
        end += 1
    return end


def _inside_a_column(piece: _Piece, columns: list[float], previous: _Row, right: float) -> bool:
    close = previous.bottom - piece.top < previous.height * 0.8
    starts = sorted(set(round(x) for x in columns))
    at = [x for x in starts if x <= piece.x0 + 3]
    if not close or not at or piece.x1 > right + 3:
        return False
    following = [x for x in starts if x > at[-1] + 3]
    return not following or piece.x1 <= following[0] + 3


def _merged_cell(row: _Row, following: list[_Row], columns: list[float]) -> bool:
    """A lone cell at a column's start between rows of the table: a vertically merged cell, its text centred."""
    piece = row.pieces[0]
    return bool(following) and len(following[0].pieces) >= 2 and any(abs(piece.x0 - x) <= 3 for x in columns)


def _table_lines(rows: list[_Row], rules: list[float]) -> list[str]:
    """The table's rows as tab-separated lines between blank lines. Where the table is ruled, a row starts
    below a horizontal rule; else where a line starts the first column or stands apart from the one above."""
    starts: list[float] = []
    for x in sorted(piece.x0 for row in rows if len(row.pieces) >= 2 for piece in row.pieces):
        if not starts or x - starts[-1] > 6:
            starts.append(x)
    ruled = [y for y in rules if rows[-1].bottom - 2 <= y <= rows[0].top + 20]
    table: list[list[str]] = []
    previous: _Row | None = None
    for row in rows:
        if previous is None:
            continued = False
        elif ruled:
            continued = not any(row.top - 1 <= y <= previous.bottom + 1 for y in ruled)
        else:
            continued = (previous.bottom - row.top) < previous.height * 0.8 and (
                len(row.pieces) < 2 or not _fills_first_column(row, starts)
            )
        if not continued or not table:
            table.append([""] * len(starts))
        for piece in row.pieces:
            column = max((k for k, x in enumerate(starts) if x <= piece.x0 + 3), default=0)
            table[-1][column] += piece.text
        previous = row
    out = [""]
    for cells in table:
        out += ["\t".join(cell.replace("\t", " ") for cell in cells), ""]
    return out


def _fills_first_column(row: _Row, starts: list[float]) -> bool:
    return row.pieces[0].x0 <= starts[0] + 3

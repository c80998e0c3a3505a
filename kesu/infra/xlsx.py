"""The one .xlsx writer of every export: a title row, tables with a styled frozen header, and a workbook
that holds text as text. Spreadsheet programs run text that starts with = + - @ (or a tab / line break
before them) as a formula (OWASP "CSV injection"); `save_workbook` stores every such text as a string
cell marked with a quote prefix, so a unit named "=HYPERLINK(…)" stays a name. Numbers stay numbers.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["Workbook", "append_row", "save_workbook", "write_table", "write_title"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDE7F0")
_WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _value(value: object) -> object:
    """Text without the control characters an .xlsx cannot hold; other values unchanged."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def append_row(ws: Worksheet, values: Iterable[object]) -> None:
    ws.append([_value(v) for v in values])


def write_title(ws: Worksheet, text: str, width: int) -> None:
    append_row(ws, [text])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).font = Font(size=14, bold=True)
    ws.cell(1, 1).alignment = CENTER
    ws.row_dimensions[1].height = 28


def write_table(ws: Worksheet, header: list[str], rows: list[list], widths: list[int]) -> None:
    append_row(ws, header)
    head_row = ws.max_row
    for col in range(1, len(header) + 1):
        cell = ws.cell(head_row, col)
        cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), _HEAD_FILL, _BORDER, CENTER
    for row in rows:
        append_row(ws, row)
        for col in range(1, len(header) + 1):
            cell = ws.cell(ws.max_row, col)
            cell.border, cell.alignment = _BORDER, _WRAP
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(head_row + 1, 1)
    ws.print_title_rows = f"{head_row}:{head_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0


def save_workbook(wb: Workbook) -> bytes:
    """The workbook's bytes; no cell in it is a formula (exports never write one)."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

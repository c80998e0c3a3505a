"""What every export test checks: text a user typed that spreadsheet programs would run as a formula comes
out of the .xlsx as text."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from kesu.infra.xlsx import FORMULA_START

FORMULAS = ('=HYPERLINK("http://example.com/x","点此查看")', "=1+1", "+1+1", "-1+1", "@SUM(A1:A2)")


def text_cells(content: bytes) -> dict[str, tuple[str, bool]]:
    """Every string shown in the workbook → (cell type, quote prefix); raises if any cell holds a formula."""
    book = load_workbook(io.BytesIO(content))
    cells = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    cells[cell.value] = (cell.data_type, bool(cell.quotePrefix))
    return cells


def assert_text(content: bytes, *expected: str) -> None:
    """Each expected text is in a cell, as text marked with a quote prefix, and no cell is a formula."""
    cells = text_cells(content)
    for text in expected:
        found = [value for value in cells if text in value]
        assert found, f"{text!r} not in the workbook"
        for value in found:
            assert cells[value] == ("s", value.startswith(FORMULA_START)), (value, cells[value])

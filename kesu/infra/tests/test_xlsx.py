"""The shared .xlsx writer: formulas in text are neutralised, numbers stay numbers, bad characters dropped."""

import io

from openpyxl import load_workbook

from kesu.infra.tests.xlsx_checks import FORMULAS, assert_text
from kesu.infra.xlsx import Workbook, append_row, save_workbook, write_table, write_title


def workbook(rows: list[list]) -> bytes:
    wb = Workbook()
    write_title(wb.active, "标题", 3)
    write_table(wb.active, ["名称", "数量", "说明"], rows, [10, 10, 10])
    append_row(wb.active, ["=注：" + FORMULAS[0]])
    return save_workbook(wb)


def test_text_that_starts_like_a_formula_stays_text():
    content = workbook([[text, 1, "说明"] for text in FORMULAS] + [["\t=1+1", 2, "\r=1+1"]])
    assert_text(content, *FORMULAS, "=注：")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A3"].value == FORMULAS[0]
    assert sheet["A8"].value == "\t=1+1" and sheet["A8"].quotePrefix


def test_numbers_stay_numbers_and_ordinary_text_is_untouched():
    content = workbook([["县科协", -3, "覆盖率 = 90%"], ["县教科局", 2.5, "—"]])
    sheet = load_workbook(io.BytesIO(content)).active
    assert [(c.value, c.data_type) for c in sheet[3]] == [("县科协", "s"), (-3, "n"), ("覆盖率 = 90%", "s")]
    assert sheet["B4"].value == 2.5 and sheet["B4"].data_type == "n"
    assert not sheet["A3"].quotePrefix


def test_control_characters_a_workbook_cannot_hold_are_dropped_instead_of_failing():
    sheet = load_workbook(io.BytesIO(workbook([["县\x01科协\x0b", 1, "a\tb\nc"]]))).active
    assert [c.value for c in sheet[3]] == ["县科协", 1, "a\tb\nc"]

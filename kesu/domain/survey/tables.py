"""Reading tabular files: .csv (UTF-8, UTF-8 with BOM, GBK/GB18030 — detected) and .xlsx (first sheet).

Rows keep the number the user sees in the file (header = row 1); blank rows are dropped.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .errors import SurveyError


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells)
    encoding: str  # "UTF-8", "UTF-8-BOM", "GB18030", "UTF-16" or "xlsx"
    name: str


def decode(raw: bytes, name: str = "文件") -> tuple[str, str]:
    """Text and the detected encoding: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (⊃ GBK)."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "UTF-8-BOM"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as error:
        raise SurveyError(f"{name} 的编码无法识别：请另存为 UTF-8 或 GBK 编码的 CSV") from error


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: integral floats without '.0', None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(path: str | Path) -> Table:
    path = Path(path)
    if not path.exists():
        raise SurveyError(f"找不到文件 {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".xls":
        raise SurveyError(f"{path.name} 是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 或 CSV")
    raw = path.read_bytes()
    if raw.startswith(b"PK\x03\x04"):
        return _read_xlsx(path)
    text, encoding = decode(raw, path.name)
    sample = text[:4096]
    delimiter = ","
    first = sample.splitlines()[0] if sample else ""
    if "\t" in first and first.count("\t") > first.count(","):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, cells in enumerate(reader, start=1):
        if header is None:
            header = [c.strip() for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue
        rows.append((number, [c.strip() for c in cells]))
    if header is None or not any(header):
        raise SurveyError(f"{path.name} 是空文件或缺少表头")
    return Table(header, rows, encoding, path.name)


def _read_xlsx(path: Path) -> Table:
    try:
        import openpyxl
    except ImportError as error:  # pragma: no cover - openpyxl is a project dependency
        raise SurveyError("读取 .xlsx 需要 openpyxl") from error
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # zipfile.BadZipFile, KeyError, InvalidFileException …
        raise SurveyError(f"{path.name} 不是有效的 .xlsx 文件：{error}") from error
    try:
        sheet = book.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values]
            if header is None:
                if not any(cells):
                    raise SurveyError(f"{path.name} 第 1 行应为表头")
                while cells and not cells[-1]:
                    cells.pop()
                header = cells
                continue
            if not any(cells):
                continue
            rows.append((number, cells))
    finally:
        book.close()
    if header is None:
        raise SurveyError(f"{path.name} 是空表")
    width = len(header)

    def fit(cells: list[str]) -> list[str]:
        if len(cells) < width:
            return cells + [""] * (width - len(cells))
        if len(cells) > width and not any(cells[width:]):
            return cells[:width]
        return cells

    return Table(header, [(n, fit(c)) for n, c in rows], "xlsx", path.name)

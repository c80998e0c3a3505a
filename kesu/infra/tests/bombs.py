"""Zip bombs for tests: real .docx/.xlsx files whose XML is padded with blanks, small packed and huge unpacked."""

from __future__ import annotations

import io
import zipfile

import docx
from openpyxl import Workbook


def padded(archive: bytes, member: str, extra: int) -> bytes:
    """The archive with `extra` blanks inside one member's XML, before its last closing tag."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename != member:
                target.writestr(entry.filename, data)
                continue
            cut = data.rindex(b"</")
            with target.open(entry.filename, "w", force_zip64=True) as stream:
                stream.write(data[:cut])
                chunk = b" " * (1024 * 1024)
                for start in range(0, extra, len(chunk)):
                    stream.write(chunk[: extra - start])
                stream.write(data[cut:])
    return out.getvalue()


def docx_bomb(text: str, extra: int) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return padded(buffer.getvalue(), "word/document.xml", extra)


def xlsx_bomb(rows: list[list], extra: int) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return padded(buffer.getvalue(), "xl/worksheets/sheet1.xml", extra)

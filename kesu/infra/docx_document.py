"""Word documents in the style of a government office (党政机关公文格式, GB/T 9704), shared by the annual summary,
the evaluation and the 会议纪要: page margins, 仿宋 body and 黑体 headings, a centred title, grid tables, and user
text made safe for .docx XML."""

from __future__ import annotations

import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

_WORD_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_NOT_XML = re.compile(r"[\x00-\x08\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text as .docx XML allows it: Word's manual line/page breaks become line breaks, other control characters go."""
    return _NOT_XML.sub("", text.translate(_WORD_BREAKS))


def _font(style, east_asian: str, size: float, bold: bool = False) -> None:
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.name = "Times New Roman"
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def official_document(title: str, title_size: float = 20) -> Document:
    """A new document with GB/T 9704 margins, 仿宋 body, 黑体 headings and `title` centred in 方正小标宋简体."""
    doc = Document()
    for section in doc.sections:
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _font(doc.styles["Normal"], "仿宋", 14)
    for level, size in ((1, 16), (2, 14)):
        _font(doc.styles[f"Heading {level}"], "黑体", size, bold=True)
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(xml_text(title))
    run.bold, run.font.size = True, Pt(title_size)
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "方正小标宋简体")
    return doc


def add_table(doc: Document, header: list[str], rows: list[list[str]]) -> None:
    """A grid table with a bold header row; every cell written as plain text."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = xml_text(text)
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = xml_text(text)

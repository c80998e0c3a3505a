"""The evaluation as a .docx, with the annual summary's page layout, fonts and tables (kesu.tracking.summary.word)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from kesu.evaluation import outline
from kesu.evaluation.content import EvaluationContent
from kesu.tracking.summary.word import _font, _table, _xml


def render_docx(content: EvaluationContent) -> bytes:
    doc = Document()
    for section in doc.sections:
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _font(doc.styles["Normal"], "仿宋", 14)
    for level, size in ((1, 16), (2, 14)):
        _font(doc.styles[f"Heading {level}"], "黑体", size, bold=True)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_xml(content.title))
    run.bold, run.font.size = True, Pt(18)
    doc.add_paragraph(_xml(outline.intro(content)))
    chapters = outline.CHAPTERS
    doc.add_heading(chapters[0], level=1)
    _table(doc, *outline.section_rows(content))
    doc.add_heading(chapters[1], level=1)
    _table(doc, *outline.measure_rows(content))
    doc.add_heading(chapters[2], level=1)
    if content.targets:
        _table(doc, *outline.target_rows(content))
        doc.add_heading("判断规则", level=2)
        for row in content.targets:
            doc.add_paragraph(_xml(f"{row.indicator}：{row.rule}"))
    else:
        doc.add_paragraph(outline.NO_TARGETS)
    doc.add_heading(chapters[3], level=1)
    _table(doc, *outline.headline_rows(content))
    doc.add_heading(chapters[4], level=1)
    _table(doc, *outline.total_rows(content))
    doc.add_heading(chapters[5], level=1)
    for title_text, rows in outline.score_lines(content):
        doc.add_heading(_xml(title_text), level=2)
        if rows:
            _table(doc, ["名次", "单位", "得分"], rows)
    if content.areas:
        doc.add_heading(chapters[6], level=1)
        _table(doc, *outline.area_rows(content))
    for heading, text in outline.narrative_chapters(content):
        doc.add_heading(_xml(heading), level=1)
        for line in text.splitlines() or [""]:
            doc.add_paragraph(_xml(line))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

"""The evaluation as a .docx, with the annual summary's page layout, fonts and tables (kesu.tracking.summary.word)."""

from __future__ import annotations

import io

from kesu.evaluation import outline
from kesu.evaluation.content import EvaluationContent
from kesu.infra.docx_document import add_table, official_document, xml_text


def render_docx(content: EvaluationContent) -> bytes:
    doc = official_document(content.title, title_size=18)
    doc.add_paragraph(xml_text(outline.intro(content)))
    chapters = outline.CHAPTERS
    doc.add_heading(chapters[0], level=1)
    add_table(doc, *outline.section_rows(content))
    doc.add_heading(chapters[1], level=1)
    add_table(doc, *outline.measure_rows(content))
    doc.add_heading(chapters[2], level=1)
    if content.targets:
        add_table(doc, *outline.target_rows(content))
        doc.add_heading("判断规则", level=2)
        for row in content.targets:
            doc.add_paragraph(xml_text(f"{row.indicator}：{row.rule}"))
    else:
        doc.add_paragraph(outline.NO_TARGETS)
    doc.add_heading(chapters[3], level=1)
    add_table(doc, *outline.headline_rows(content))
    doc.add_heading(chapters[4], level=1)
    add_table(doc, *outline.total_rows(content))
    doc.add_heading(chapters[5], level=1)
    for title_text, rows in outline.score_lines(content):
        doc.add_heading(xml_text(title_text), level=2)
        if rows:
            add_table(doc, ["名次", "单位", "得分"], rows)
    if content.areas:
        doc.add_heading(chapters[6], level=1)
        add_table(doc, *outline.area_rows(content))
    for heading, text in outline.narrative_chapters(content):
        doc.add_heading(xml_text(heading), level=1)
        for line in text.splitlines() or [""]:
            doc.add_paragraph(xml_text(line))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

"""The evaluation as PDF, with the annual summary's styles and tables (kesu.tracking.summary.pdf): every text
goes through `para`, so the office's and the reporters' text is printed as written, never read as markup."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import SimpleDocTemplate

from kesu.evaluation import outline
from kesu.evaluation.content import EvaluationContent
from kesu.infra.pdf_text import para
from kesu.tracking.summary.pdf import BODY, H1, H2, PLAIN, TITLE, _table

WIDTH = 16  # cm of text


def _spread(first: float, count: int) -> list[float]:
    return [first] + [(WIDTH - first) / count] * count


def render_pdf(content: EvaluationContent) -> bytes:
    years = len(content.years)
    chapters = outline.CHAPTERS
    story: list = [para(content.title, TITLE), para(outline.intro(content), BODY), para(chapters[0], H1)]
    story.append(_table(*outline.section_rows(content), _spread(4, years)))
    story.append(para(chapters[1], H1))
    header, rows = outline.measure_rows(content)
    story.append(_table(header, rows, [4, 2.5] + [(WIDTH - 6.5) / years] * years))
    story.append(para(chapters[2], H1))
    if content.targets:
        story.append(_table(*outline.target_rows(content), [4, 3, 3, 3.5, 2.5]))
        story.append(para("判断规则", H2))
        story += [para(f"{row.indicator}：{row.rule}", PLAIN) for row in content.targets]
    else:
        story.append(para(outline.NO_TARGETS, BODY))
    story += [para(chapters[3], H1), _table(*outline.headline_rows(content), [2.5, 4, 4, 3, 2.5])]
    story += [para(chapters[4], H1), _table(*outline.total_rows(content), [4, 3, 9])]
    story.append(para(chapters[5], H1))
    for title, rows in outline.score_lines(content):
        story += [para(title, H2)] + ([_table(["名次", "单位", "得分"], rows, [2, 10, 4])] if rows else [])
    if content.areas:
        story += [para(chapters[6], H1), _table(*outline.area_rows(content), [4, 5, 3, 4])]
    for heading, text in outline.narrative_chapters(content):
        story.append(para(heading, H1))
        story += [para(line, BODY) for line in text.splitlines() or [""]]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=2.6 * cm, rightMargin=2.4 * cm, topMargin=2.5 * cm,
                      bottomMargin=2.5 * cm, title=content.title).build(story)
    return buffer.getvalue()

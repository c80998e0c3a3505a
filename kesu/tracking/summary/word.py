"""The 工作总结 as a .docx an office edits lightly and sends upward (python-docx)."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from kesu.tracking.summary import charts
from kesu.tracking.summary.content import SummaryContent, progress_parts
from kesu.tracking.summary.outline import CHAPTERS, LEGEND, intro, rates_text

_WORD_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_NOT_XML = re.compile(r"[\x00-\x08\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    """Text as .docx XML allows it: Word's manual line/page breaks become line breaks, other control characters go."""
    return _NOT_XML.sub("", text.translate(_WORD_BREAKS))


def _font(style, east_asian: str, size: float, bold: bool = False) -> None:
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.name = "Times New Roman"
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def _table(doc: Document, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = _xml(text)
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = _xml(text)


def render_docx(content: SummaryContent) -> bytes:
    doc = Document()
    for section in doc.sections:
        # GB/T 9704 (党政机关公文格式) page margins.
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _font(doc.styles["Normal"], "仿宋", 14)
    for level, size in ((1, 16), (2, 14)):
        _font(doc.styles[f"Heading {level}"], "黑体", size, bold=True)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_xml(f"{content.plan.jurisdiction.name}{content.year}年全民科学素质工作总结（初稿）"))
    run.bold, run.font.size = True, Pt(20)
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "方正小标宋简体")
    doc.add_paragraph(_xml(intro(content)))

    doc.add_heading(CHAPTERS[0], level=1)
    doc.add_paragraph(_xml(rates_text(content)))
    if content.activities:
        _table(doc, ["活动类型", "场次", "参与人数"], [[k, str(n), str(p)] for k, n, p in content.activities])

    doc.add_heading(CHAPTERS[1], level=1)
    labels = [s.title for s in content.sections]
    doc.add_picture(io.BytesIO(charts.stacked_bars(labels, [progress_parts(s) for s in content.sections], LEGEND)), width=Cm(15.5))
    if not charts.has_cjk_font():
        doc.add_paragraph(_xml("图中序号：" + "；".join(f"{i}. {label}" for i, label in enumerate(labels, start=1))))
    for number, section in enumerate(content.sections, start=1):
        doc.add_heading(_xml(f"（{number}）{section.title}"), level=2)
        for index, measure in enumerate(section.measures, start=1):
            p = doc.add_paragraph()
            p.add_run(_xml(f"{index}. {measure.title}")).bold = True
            p.add_run(_xml(f"（牵头：{measure.lead or '未明确'}）"))
            for line in measure.lines:
                doc.add_paragraph(_xml(line))

    doc.add_heading(CHAPTERS[2], level=1)
    if content.targets:
        _table(doc, ["指标", "目标", "最新值", "完成比例", "状态"],
               [[t[0], t[1], t[2], "—" if t[3] is None else f"{t[3] * 100:.1f}%", t[4]] for t in content.targets])
        shares = [(t[0], t[3]) for t in content.targets if t[3] is not None]
        if shares:
            doc.add_picture(io.BytesIO(charts.percent_bars([s[0] for s in shares], [s[1] for s in shares])), width=Cm(15.5))
    else:
        doc.add_paragraph("方案未设定量化目标。")

    doc.add_heading(CHAPTERS[3], level=1)
    doc.add_paragraph(_xml("考核细则：" + "，".join(content.score_items) + "。"))
    _table(doc, ["名次", "单位", "得分"], [[str(r), u, f"{s:g}"] for r, u, s in content.scores])

    doc.add_heading(CHAPTERS[4], level=1)
    for problem in content.problems or ["（暂未发现滞后事项，请结合实际补充。）"]:
        doc.add_paragraph(_xml(problem), style="List Bullet")
    doc.add_heading(CHAPTERS[5], level=1)
    doc.add_paragraph("（请根据本地实际补充下一年度工作打算。）")
    doc.add_heading("附：统计口径", level=2)
    for rule in content.rules:
        doc.add_paragraph(_xml(rule))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

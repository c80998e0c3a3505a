"""The 工作总结 as PDF (reportlab, built-in Chinese CID font: no font file needed to write it). Every text goes
through `para`, which escapes it: report text is shown as written, never read as markup."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Image, SimpleDocTemplate, Spacer, Table, TableStyle

from kesu.infra.pdf_text import bold, para
from kesu.tracking.summary import charts
from kesu.tracking.summary.content import SummaryContent, progress_parts
from kesu.tracking.summary.outline import CHAPTERS, LEGEND, intro, rates_text

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=18, wordWrap="CJK", firstLineIndent=22)
PLAIN = ParagraphStyle("plain", parent=BODY, firstLineIndent=0)
H1 = ParagraphStyle("h1", fontName=FONT, fontSize=14, leading=22, spaceBefore=10, spaceAfter=4)
H2 = ParagraphStyle("h2", fontName=FONT, fontSize=12, leading=20, spaceBefore=6)
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=28, alignment=1, spaceAfter=12)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=13, wordWrap="CJK")


def _image(png: bytes, width: float = 16 * cm) -> Image:
    image = Image(io.BytesIO(png))
    image.drawHeight = width * image.imageHeight / image.imageWidth
    image.drawWidth = width
    return image


def _table(header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    data = [[para(h, CELL) for h in header]] + [[para(c, CELL) for c in row] for row in rows]
    table = Table(data, colWidths=[w * cm for w in widths], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde7f0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def render_pdf(content: SummaryContent) -> bytes:
    story: list = [para(f"{content.plan.jurisdiction.name}{content.year}年全民科学素质工作总结（初稿）", TITLE),
                   para(intro(content), BODY), para(CHAPTERS[0], H1), para(rates_text(content), BODY)]
    if content.activities:
        story.append(_table(["活动类型", "场次", "参与人数"], [[k, n, p] for k, n, p in content.activities], [6, 3, 3]))
    story.append(para(CHAPTERS[1], H1))
    story.append(_image(charts.stacked_bars([s.title for s in content.sections], [progress_parts(s) for s in content.sections], LEGEND)))
    for number, section in enumerate(content.sections, start=1):
        story.append(para(f"（{number}）{section.title}", H2))
        for index, measure in enumerate(section.measures, start=1):
            story.append(para([bold(f"{index}. {measure.title}"), f"（牵头：{measure.lead or '未明确'}）"], PLAIN))
            story += [para(line, BODY) for line in measure.lines]
    for number, extra in enumerate(content.extra_sections, start=len(content.sections) + 1):
        story.append(para(f"（{number}）{extra.title}", H2))
        story += [para(line, BODY) for line in extra.lines]
    story.append(para(CHAPTERS[2], H1))
    if content.targets:
        rows = [[t[0], t[1], t[2], "—" if t[3] is None else f"{t[3] * 100:.1f}%", t[4]] for t in content.targets]
        story.append(_table(["指标", "目标", "最新值", "完成比例", "状态"], rows, [5.5, 3.5, 3, 2, 2]))
        shares = [(t[0], t[3]) for t in content.targets if t[3] is not None]
        if shares:
            story.append(Spacer(1, 6))
            story.append(_image(charts.percent_bars([s[0] for s in shares], [s[1] for s in shares])))
    story.append(para(CHAPTERS[3], H1))
    story.append(para("考核细则：" + "，".join(content.score_items) + "。", BODY))
    story.append(_table(["名次", "单位", "得分"], [[r, u, f"{s:g}"] for r, u, s in content.scores], [2, 8, 3]))
    story.append(para(CHAPTERS[4], H1))
    story += [para(f"· {p}", PLAIN) for p in content.problems or ["（暂未发现滞后事项，请结合实际补充。）"]]
    story += [para(CHAPTERS[5], H1), para("（请根据本地实际补充下一年度工作打算。）", BODY),
              para("附：统计口径", H2)] + [para(rule, PLAIN) for rule in content.rules]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=2.6 * cm, rightMargin=2.4 * cm, topMargin=2.5 * cm,
                      bottomMargin=2.5 * cm, title=f"{content.year}年全民科学素质工作总结").build(story)
    return buffer.getvalue()

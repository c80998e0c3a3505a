"""The 工作总结 as a .docx an office edits lightly and sends upward (python-docx)."""

from __future__ import annotations

import io

from docx.shared import Cm

from kesu.infra.docx_document import add_table, official_document, xml_text
from kesu.tracking.summary import charts
from kesu.tracking.summary.content import SummaryContent, progress_parts
from kesu.tracking.summary.outline import CHAPTERS, LEGEND, intro, rates_text


def render_docx(content: SummaryContent) -> bytes:
    doc = official_document(f"{content.plan.jurisdiction.name}{content.year}年全民科学素质工作总结（初稿）")
    doc.add_paragraph(xml_text(intro(content)))

    doc.add_heading(CHAPTERS[0], level=1)
    doc.add_paragraph(xml_text(rates_text(content)))
    if content.activities:
        add_table(doc, ["活动类型", "场次", "参与人数"], [[k, str(n), str(p)] for k, n, p in content.activities])

    doc.add_heading(CHAPTERS[1], level=1)
    labels = [s.title for s in content.sections]
    doc.add_picture(io.BytesIO(charts.stacked_bars(labels, [progress_parts(s) for s in content.sections], LEGEND)), width=Cm(15.5))
    if not charts.has_cjk_font():
        doc.add_paragraph(xml_text("图中序号：" + "；".join(f"{i}. {label}" for i, label in enumerate(labels, start=1))))
    for number, section in enumerate(content.sections, start=1):
        doc.add_heading(xml_text(f"（{number}）{section.title}"), level=2)
        for index, measure in enumerate(section.measures, start=1):
            p = doc.add_paragraph()
            p.add_run(xml_text(f"{index}. {measure.title}")).bold = True
            p.add_run(xml_text(f"（牵头：{measure.lead or '未明确'}）"))
            for line in measure.lines:
                doc.add_paragraph(xml_text(line))
    for number, extra in enumerate(content.extra_sections, start=len(content.sections) + 1):
        doc.add_heading(xml_text(f"（{number}）{extra.title}"), level=2)
        for line in extra.lines:
            doc.add_paragraph(xml_text(line))

    doc.add_heading(CHAPTERS[2], level=1)
    if content.targets:
        add_table(doc, ["指标", "目标", "最新值", "完成比例", "状态"],
               [[t[0], t[1], t[2], "—" if t[3] is None else f"{t[3] * 100:.1f}%", t[4]] for t in content.targets])
        shares = [(t[0], t[3]) for t in content.targets if t[3] is not None]
        if shares:
            doc.add_picture(io.BytesIO(charts.percent_bars([s[0] for s in shares], [s[1] for s in shares])), width=Cm(15.5))
    else:
        doc.add_paragraph("方案未设定量化目标。")

    doc.add_heading(CHAPTERS[3], level=1)
    doc.add_paragraph(xml_text("考核细则：" + "，".join(content.score_items) + "。"))
    add_table(doc, ["名次", "单位", "得分"], [[str(r), u, f"{s:g}"] for r, u, s in content.scores])

    doc.add_heading(CHAPTERS[4], level=1)
    for problem in content.problems or ["（暂未发现滞后事项，请结合实际补充。）"]:
        doc.add_paragraph(xml_text(problem), style="List Bullet")
    doc.add_heading(CHAPTERS[5], level=1)
    doc.add_paragraph("（请根据本地实际补充下一年度工作打算。）")
    doc.add_heading("附：统计口径", level=2)
    for rule in content.rules:
        doc.add_paragraph(xml_text(rule))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

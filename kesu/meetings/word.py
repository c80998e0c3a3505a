"""The 会议纪要 as a .docx (python-docx), in the style of the annual summary (kesu.tracking.summary.word):
仿宋 body, 黑体 headings, GB/T 9704 margins. Every user text is written as plain text, control characters removed."""

from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH

from kesu.infra.docx_document import add_table, official_document, xml_text
from kesu.meetings.models import Meeting


def render_minutes(meeting: Meeting) -> bytes:
    kind = meeting.get_kind_display().removeprefix("领导小组")  # 领导小组全体会议 → …领导小组全体会议纪要
    doc = official_document(f"{meeting.jurisdiction.name}全民科学素质工作领导小组{kind}纪要")
    doc.add_paragraph(xml_text(
        f"{meeting.held_on.year}年{meeting.held_on.month}月{meeting.held_on.day}日，"
        f"{meeting.chair}主持召开{meeting.title}" + (f"（地点：{meeting.place}）" if meeting.place else "") + "。"
    ))
    doc.add_heading("一、出席单位和人员", level=1)
    units = "、".join(u.name for u in meeting.attending_units.order_by("name"))
    doc.add_paragraph(xml_text(f"出席单位：{units or '（未登记）'}"))
    for line in meeting.attendee_lines:
        doc.add_paragraph(xml_text(line), style="List Bullet")
    doc.add_heading("二、会议议程", level=1)
    for line in [x for x in meeting.agenda.splitlines() if x.strip()] or ["（未登记）"]:
        doc.add_paragraph(xml_text(line.strip()))
    doc.add_heading("三、议定事项", level=1)
    decisions = list(meeting.decisions.prefetch_related("lead_units", "support_units"))
    if decisions:
        add_table(doc, ["序号", "议定事项", "牵头单位", "配合单位", "办结时限", "状态"], [
            [str(i), d.text, "、".join(u.name for u in d.lead_units.all()),
             "、".join(u.name for u in d.support_units.all()) or "—", f"{d.due_on:%Y-%m-%d}",
             d.get_status_display() + (f"（{d.completed_on:%Y-%m-%d}）" if d.completed_on else "")]
            for i, d in enumerate(decisions, start=1)
        ])
    else:
        doc.add_paragraph("本次会议未形成议定事项。")
    doc.add_paragraph(xml_text(f"{meeting.jurisdiction.name}全民科学素质工作领导小组办公室")).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

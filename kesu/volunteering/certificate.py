"""A volunteer's service record certificate (志愿服务记录证明) as PDF, with reportlab's built-in Chinese CID font.

The ID number is always printed masked: the certificate is handed out and copied, and the record it proves
is identified by the volunteer's name, the certificate number and the issuing office.
"""

from __future__ import annotations

import io

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from kesu.domain.service_hours import star_level, summarise
from kesu.infra.pdf_text import bold, para
from kesu.volunteering.models import Volunteer

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

STARS = ["", "一星级", "二星级", "三星级", "四星级", "五星级"]


def _style(size: float, leading: float | None = None, align: int = 0) -> ParagraphStyle:
    return ParagraphStyle(f"s{size}{align}", fontName=FONT, fontSize=size, leading=leading or size * 1.5, alignment=align)


def certificate_pdf(volunteer: Volunteer) -> bytes:
    entries = list(volunteer.hours.select_related("order__topic", "activity", "team").order_by("served_on", "pk"))
    summary = summarise((e.served_on, e.hours) for e in entries)
    teams = "、".join(m.team.name for m in volunteer.memberships.filter(status="active").select_related("team")) or "—"
    issued = timezone.localdate()
    number = f"KSZY-{volunteer.jurisdiction_id:03d}-{volunteer.pk:06d}-{issued:%Y%m%d}"
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=f"志愿服务记录证明 {volunteer.name}", author=volunteer.jurisdiction.name)
    body = _style(11)
    story = [
        para("志愿服务记录证明", _style(20, 30, 1)),
        para(f"证明编号：{number}", _style(9, 14, 1)),
        Spacer(1, 6 * mm),
        para([
            "兹证明 ", bold(volunteer.name),
            f"（身份证号 {volunteer.masked_id or '未登记'}）自 {volunteer.registered_on:%Y年%m月%d日} "
            f"起注册为{volunteer.jurisdiction.name}科技志愿者，所在服务队：{teams}。截至 {issued:%Y年%m月%d日}，"
            "累计参加志愿服务 ", bold(summary.services), " 次，志愿服务时长 ", bold(f"{summary.total:g}"), " 小时"
            f"{'，达到' + STARS[star_level(summary.total)] + '志愿者标准' if star_level(summary.total) else ''}。",
        ], _style(12, 20)),
        Spacer(1, 4 * mm),
    ]
    if summary.by_year:
        story.append(para("各年度时长：" + "；".join(f"{y}年 {h:g} 小时" for y, h in sorted(summary.by_year.items())), body))
        story.append(Spacer(1, 4 * mm))
    rows = [["日期", "服务内容", "组织服务队", "记录方式", "时长（小时）"]]
    for e in entries:
        content = f"{e.order.topic.name}（服务单 {e.order.code}）" if e.order_id else e.activity.title
        rows.append([f"{e.served_on:%Y-%m-%d}", para(content, _style(9, 12)), para(e.team.name, _style(9, 12)),
                     e.get_method_display(), f"{e.hours:g}"])
    if len(rows) == 1:
        rows.append(["—", "暂无服务记录", "", "", "0"])
    table = Table(rows, colWidths=[23 * mm, 60 * mm, 40 * mm, 22 * mm, 25 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE7F0")), ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (4, 0), (4, -1), "RIGHT"),
    ]))
    story += [table, Spacer(1, 8 * mm)]
    story.append(para(
        "说明：服务时长由组织服务的志愿服务队如实记录（《志愿服务条例》第十九条），按实际服务时间计算，不含往返交通时间。",
        _style(9, 14)))
    story += [Spacer(1, 14 * mm), para(f"{volunteer.jurisdiction.name}科学技术协会（盖章）", _style(12, 18, 2)),
              para(f"{issued:%Y年%m月%d日}", _style(12, 18, 2))]
    doc.build(story)
    return buffer.getvalue()

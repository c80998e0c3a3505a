"""The campaign report as .docx (kesu.infra.docx_document, photos embedded and scaled) and .xlsx (kesu.infra.xlsx)."""

from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from PIL import Image, UnidentifiedImageError

from kesu.campaigns.report import MAX_PHOTOS, CampaignReport, Row
from kesu.domain.number_text import number_text
from kesu.infra.docx_document import add_table, official_document, xml_text
from kesu.infra.xlsx import Workbook, append_row, save_workbook, write_table, write_title

ROW_HEADER = ["活动场次", "参与人数", "科技工作者（人）", "志愿者（人）", "志愿服务时长（小时）", "照片（张）", "是否参加"]
PHOTO_WIDTH_CM = 12
PHOTO_MAX_PIXELS = 1200


def _row(row: Row) -> list:
    return [row.activities, row.participants, row.scientists, row.volunteers, round(row.volunteer_hours, 1), row.photos,
            "是" if row.took_part else "否"]


def _text(values: list) -> list[str]:
    return [number_text(v) if isinstance(v, (int, float)) else str(v) for v in values]


def _title(report: CampaignReport) -> str:
    return f"{report.campaign.jurisdiction.name}{report.campaign}情况报告"


def _activity_rows(report: CampaignReport) -> list[list]:
    return [[f"{x.entry.activity.held_on:%Y-%m-%d}", x.held_by, x.entry.activity.title, x.entry.activity.place,
             x.entry.activity.get_online_display(), x.audiences or "—", x.entry.activity.participants,
             "是" if x.in_window else "否（窗口外）", len(x.photos)] for x in report.lines]


ACTIVITY_HEADER = ["日期", "举办单位/乡镇", "活动名称", "地点", "形式", "受众群体及人数", "参与人数", "在活动时间内", "照片"]


def render_docx(report: CampaignReport, open_file) -> bytes:
    """`open_file(evidence)` gives the photo's bytes (from storage)."""
    campaign = report.campaign
    doc = official_document(_title(report), title_size=18)
    totals = report.totals
    doc.add_paragraph(xml_text(
        f"{campaign.year}年{campaign.name}于{campaign.starts_on:%Y年%m月%d日}至{campaign.ends_on:%Y年%m月%d日}举办"
        + (f"，主题为“{campaign.theme}”" if campaign.theme else "") + "。"
        f"共登记活动 {totals.activities} 场，参与 {totals.participants} 人次，科技工作者 {totals.scientists} 人、"
        f"志愿者 {totals.volunteers} 人参与，志愿服务 {number_text(round(totals.volunteer_hours, 1))} 小时。"))
    doc.add_paragraph(xml_text(f"说明：{report.took_part_rule}。"))
    sections = [("一、各单位开展情况", "单位", report.by_unit), ("二、各乡镇/街道开展情况", "乡镇/街道", report.by_township)]
    for heading, first, rows in sections:
        doc.add_heading(heading, level=1)
        if rows:
            add_table(doc, [first, *ROW_HEADER], [[r.name, *_text(_row(r))] for r in rows])
        else:
            doc.add_paragraph("（未邀请）")
    doc.add_heading("三、按受众群体", level=1)
    doc.add_paragraph(xml_text(report.by_audience_rule + "。"))
    if report.by_audience:
        add_table(doc, ["受众群体", "活动场次", "参与人数"], [[label, str(n), str(p)] for label, n, p in report.by_audience])
    else:
        doc.add_paragraph("（没有登记受众群体）")
    doc.add_heading("四、尚未登记活动的单位和乡镇", level=1)
    doc.add_paragraph(xml_text("单位：" + ("、".join(report.idle_units) or "无")))
    doc.add_paragraph(xml_text("乡镇/街道：" + ("、".join(report.idle_townships) or "无")))
    doc.add_heading("五、活动清单", level=1)
    if report.lines:
        add_table(doc, ACTIVITY_HEADER, [_text(r) for r in _activity_rows(report)])
    else:
        doc.add_paragraph("尚未登记活动。")
    doc.add_heading("附：活动照片", level=1)
    _add_photos(doc, report, open_file)
    doc.add_paragraph(xml_text(f"{campaign.jurisdiction.name}科协")).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _add_photos(doc, report: CampaignReport, open_file) -> None:
    shown = 0
    for line, photo in report.photos[:MAX_PHOTOS]:
        scaled = _scaled(open_file(photo))
        if scaled is None:
            continue
        doc.add_picture(scaled, width=Cm(PHOTO_WIDTH_CM))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption = doc.add_paragraph(xml_text(f"{line.entry.activity.held_on:%Y-%m-%d} {line.held_by}：{line.entry.activity.title}"))
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        shown += 1
    if not report.photos:
        doc.add_paragraph("尚未上传照片。")
    elif shown < len(report.photos):
        doc.add_paragraph(xml_text(f"共 {len(report.photos)} 张照片，附录收录 {shown} 张（最多 {MAX_PHOTOS} 张，无法读取的图片略去）。"))


def _scaled(data: bytes) -> io.BytesIO | None:
    """The photo at most PHOTO_MAX_PIXELS wide/high as a JPEG (keeps the document small), or None if unreadable."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((PHOTO_MAX_PIXELS, PHOTO_MAX_PIXELS))
            out = io.BytesIO()
            image.convert("RGB").save(out, format="JPEG", quality=80)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    out.seek(0)
    return out


def render_xlsx(report: CampaignReport) -> bytes:
    wb = Workbook()
    sheets = [("按单位", "单位", report.by_unit), ("按乡镇", "乡镇/街道", report.by_township)]
    ws = wb.active
    for position, (title, first, rows) in enumerate(sheets):
        ws = ws if position == 0 else wb.create_sheet()
        ws.title = title
        write_title(ws, f"{_title(report)}：{title}", len(ROW_HEADER) + 1)
        write_table(ws, [first, *ROW_HEADER], [[r.name, *_row(r)] for r in rows], [24] + [14] * len(ROW_HEADER))
    ws = wb.create_sheet("按受众群体")
    write_title(ws, f"{_title(report)}：按受众群体", 3)
    write_table(ws, ["受众群体", "活动场次", "参与人数"], [list(r) for r in report.by_audience], [18, 12, 12])
    append_row(ws, [report.by_audience_rule])
    ws = wb.create_sheet("未登记")
    write_title(ws, f"{_title(report)}：尚未登记活动", 2)
    write_table(ws, ["类别", "名称"], [["单位", n] for n in report.idle_units] + [["乡镇/街道", n] for n in report.idle_townships],
                [14, 30])
    ws = wb.create_sheet("活动清单")
    write_title(ws, f"{_title(report)}：活动清单", len(ACTIVITY_HEADER))
    write_table(ws, ACTIVITY_HEADER, _activity_rows(report), [12, 20, 30, 20, 12, 30, 10, 12, 8])
    return save_workbook(wb)

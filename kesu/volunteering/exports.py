"""Excel exports of the service: the volunteer list (masked; full numbers only in the office's recorded export,
do_export_volunteer_contacts), the service statistics, and the blank import templates."""

from __future__ import annotations

from kesu.infra.xlsx import Workbook, append_row, save_workbook, write_table, write_title
from kesu.volunteering.models import Volunteer


def volunteers_workbook(rows: list[tuple[Volunteer, bool]], full: bool = False) -> bytes:
    """rows: (volunteer, shown unmasked). ID and phone are masked unless the flag is set; `full`: the office's
    recorded export with every number (do_export_volunteer_contacts)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "科技志愿者"
    header = ["姓名", "性别", "身份证号", "手机号", "专业特长", "服务主题", "所在区域", "工作单位", "所在服务队", "注册日期",
              "累计时长（小时）"]
    write_title(ws, "科技志愿者名册", len(header))
    body = []
    for v, private in rows:
        body.append([
            v.name, v.get_gender_display(), v.id_number if private else v.masked_id, v.phone if private else v.masked_phone,
            v.skills, "、".join(t.name for t in v.topics.all()), str(v.area) if v.area else "", v.affiliation,
            "、".join(m.team.name for m in v.memberships.all() if m.status == "active"), v.registered_on.isoformat(),
            round(getattr(v, "total_hours", None) or 0, 1),
        ])
    write_table(ws, header, body, [10, 6, 22, 14, 18, 20, 16, 20, 24, 12, 10])
    append_row(ws, [])
    append_row(ws, ["本表含完整的身份证号、手机号，本次导出已记入操作记录，请妥善保管、用后删除。" if full else
                    "身份证号、手机号已脱敏。科协办公室可在名册页“导出（含完整号码）”，该操作记入操作记录。"])
    return save_workbook(wb)


def table_workbook(title: str, sheets: list[tuple[str, list[str], list[list], list[int]]], notes: list[str] = ()) -> bytes:
    wb = Workbook()
    first = True
    for name, header, rows, widths in sheets:
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = name[:31]
        write_title(ws, f"{title} · {name}", len(header))
        write_table(ws, header, rows, widths)
        for note in notes:
            append_row(ws, [])
            append_row(ws, [note])
    return save_workbook(wb)


def template_workbook(title: str, header: list[str], example: list, notes: list[str]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    append_row(ws, header)
    append_row(ws, example)
    for i in range(1, len(header) + 1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = 18
    notes_ws = wb.create_sheet("填写说明")
    for note in notes:
        append_row(notes_ws, [note])
    notes_ws.column_dimensions["A"].width = 100
    return save_workbook(wb)

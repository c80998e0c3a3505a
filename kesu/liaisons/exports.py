"""The roster's .xlsx 通讯录: mobiles masked, full only in the office's recorded export (do_export_liaison_contacts)."""

from __future__ import annotations

from kesu.infra.xlsx import Workbook, append_row, save_workbook, write_table, write_title
from kesu.liaisons.models import LiaisonEntry
from kesu.liaisons.roster import RosterRow
from kesu.org.models import Jurisdiction


def _person(entry: LiaisonEntry | None, full: bool) -> list[str]:
    if entry is None:
        return ["", "", "", ""]
    return [entry.name, entry.title, entry.office_phone, entry.mobile if full else entry.masked_mobile]


def contacts_workbook(jurisdiction: Jurisdiction, rows: list[RosterRow], full: bool = False) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "联络员通讯录"
    header = ["成员单位", "分管领导", "职务", "办公电话", "手机", "联络员", "职务", "办公电话", "手机"]
    write_title(ws, f"{jurisdiction.name}全民科学素质工作成员单位联络员通讯录", len(header))
    body = [[r.unit.name, *_person(r.leader, full), *_person(r.liaison, full)] for r in rows]
    write_table(ws, header, body, [22, 10, 14, 14, 14, 10, 14, 14, 14])
    append_row(ws, [])
    append_row(ws, ["本表含完整手机号，本次导出已记入变更记录，请妥善保管、用后删除。" if full else
                    "手机号已脱敏。科协办公室可在联络员名册页“导出（含完整号码）”，该操作记入变更记录。"])
    return save_workbook(wb)

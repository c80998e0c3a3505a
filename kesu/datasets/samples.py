"""The sample school list: the importer's columns, three schools with names this area does not have yet and the
townships it really has, so that importing it unchanged succeeds."""

from __future__ import annotations

from kesu.datasets.importing import COLUMNS, NOTES
from kesu.datasets.models import School
from kesu.infra.xlsx import Workbook, append_row, save_workbook
from kesu.org.models import Jurisdiction
from kesu.volunteering.models import ServiceArea


def sample_rows(jurisdiction: Jurisdiction) -> list[list[str]]:
    townships = list(ServiceArea.objects.filter(jurisdiction=jurisdiction, kind="township", active=True)
                     .order_by("position", "name").values_list("name", flat=True)) or [""]
    listed = set(School.objects.filter(jurisdiction=jurisdiction).values_list("name", flat=True))
    wanted = [("第一小学", "小学"), ("第二初级中学", "初中"), ("第一高级中学", "高中")]
    rows = []
    for i, (suffix, kind) in enumerate(wanted):
        name = next(n for n in (f"{jurisdiction.name}{'' if k == 0 else f'（示例{k}）'}{suffix}" for k in range(1000))
                    if n not in listed)
        rows.append([name, kind, townships[i % len(townships)]])
    return rows


def sample_workbook(jurisdiction: Jurisdiction) -> bytes:
    header = [f"{column}*" if required else column for column, required in COLUMNS]
    wb = Workbook()
    ws = wb.active
    ws.title = "学校名单"
    for row in [header, *sample_rows(jurisdiction)]:
        append_row(ws, row)
    for column in "ABC":
        ws.column_dimensions[column].width = 28
    notes = wb.create_sheet("填写说明")
    for note in NOTES:
        append_row(notes, [note])
    notes.column_dimensions["A"].width = 100
    return save_workbook(wb)

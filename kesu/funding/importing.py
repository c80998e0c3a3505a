"""The allocation table from .xlsx (项目 / 内容 / 实施单位 / 关联措施 / 计划经费（万元））: every row checked with the
same rules as a line typed on the page (kesu.funding.actions.clean_line); all or nothing, each problem named by its
row and column; the office confirms once (kesu.funding.actions.do_confirm_allocations)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from openpyxl import Workbook

from kesu.domain.funding_rules import FundingRefused, amount
from kesu.domain.refusals import Refused
from kesu.domain.unit_names import clean_name, unit_key
from kesu.funding.actions import clean_line
from kesu.funding.models import FundingYear
from kesu.funding.queries import plan_for, tasks_of, units_of
from kesu.infra.xlsx import append_row, save_workbook
from kesu.infra.zipcheck import ZipRefused, check_zip, upload_limits
from kesu.org.models import MemberUnit, UnitAlias
from kesu.plans.models import Task

HEADER = ["项目", "内容", "实施单位", "关联措施", "计划经费（万元）"]
REQUIRED = {"项目", "实施单位", "计划经费（万元）"}
FIELDS = {"项目": "project", "内容": "content", "实施单位": "unit", "关联措施": "task", "计划经费（万元）": "planned"}
NOTES = [
    "带 * 的列必填：项目、实施单位、计划经费（万元）。金额以万元为单位，可带两位小数，不能为负数。",
    "实施单位填本地区成员单位的名称（可用简称或别名）。关联措施填本地区实施方案中措施的标题，可只写其中几个字，须能唯一确定一项措施；可不填。",
    "导入的项目追加到本年度的分配表中；有任何问题时整表不导入，并指出行和列。",
]
MAX_ROWS = 2000
MAX_BYTES = 10 * 1024 * 1024


class ImportRefused(Refused):
    pass


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行「{self.column}」：{self.message}" if self.column else f"第 {self.row} 行：{self.message}"


@dataclass
class Checked:
    rows: list[dict] = field(default_factory=list)  # cleaned lines, ready for clean_line
    problems: list[Problem] = field(default_factory=list)
    total: int = 0


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(data: bytes, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (row number as Excel shows it, cells) of the first sheet; blank rows dropped."""
    import openpyxl

    if not name.lower().endswith(".xlsx"):
        raise ImportRefused(f"“{name}”不是 .xlsx 文件：请在 Excel 中另存为 .xlsx 后再导入。")
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"“{name}”超过 {MAX_BYTES // 1024 // 1024} MB。")
    try:
        check_zip(data, name, upload_limits("import"))
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ZipRefused as error:
        raise ImportRefused(str(error)) from error
    except Exception as error:  # zipfile.BadZipFile, KeyError, InvalidFileException…
        raise ImportRefused(f"“{name}”不是有效的 .xlsx 文件（{type(error).__name__}）。") from error
    try:
        header: list[str] | None = None
        rows = []
        for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            cells = [_cell(v) for v in values]
            if header is None:
                header = [c.replace("*", "").replace("(", "（").replace(")", "）").replace(" ", "").strip() for c in cells]
            elif any(cells):
                rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                raise ImportRefused(f"一次最多导入 {MAX_ROWS} 行。")
    finally:
        book.close()
    if not header or not any(header):
        raise ImportRefused(f"“{name}”是空表：第 1 行应为表头。")
    while header and not header[-1]:
        header.pop()
    return header, rows


class _Lookup:
    def __init__(self, funding_year: FundingYear) -> None:
        jurisdiction = funding_year.jurisdiction
        self.jurisdiction = jurisdiction
        self.units = {u.key: u for u in units_of(jurisdiction)}
        for alias in UnitAlias.objects.filter(jurisdiction=jurisdiction).select_related("unit"):
            if not alias.unit.stands_for_all:
                self.units.setdefault(alias.key, alias.unit)
        self.tasks = list(tasks_of(plan_for(jurisdiction, funding_year.year)).select_related("section__plan"))

    def unit(self, text: str) -> MemberUnit:
        found = self.units.get(unit_key(clean_name(text), self.jurisdiction.name))
        if found is None:
            raise ValueError(f"“{text}”不是本地区的成员单位")
        return found

    def task(self, text: str) -> Task:
        matches = ([t for t in self.tasks if t.title == text] or [t for t in self.tasks if t.title.startswith(text)]
                   or [t for t in self.tasks if text in t.title])
        if len(matches) != 1:
            raise ValueError(f"“{text}”{'对应多项措施，请写得更完整' if matches else '不是本地区实施方案中的措施'}")
        return matches[0]


def check(funding_year: FundingYear, data: bytes, name: str) -> Checked:
    header, rows = read_rows(data, name)
    result = Checked(total=len(rows))
    missing = [h for h in HEADER if h in REQUIRED and h not in header]
    unknown = [h for h in header if h and h not in FIELDS]
    if missing or unknown:
        words = ([f"缺少必填列：{'、'.join(missing)}"] if missing else []) + ([f"无法识别的列：{'、'.join(unknown)}"] if unknown else [])
        result.problems.append(Problem(1, "表头", "；".join(words) + "（可下载示例文件对照）"))
        return result
    if not rows:
        result.problems.append(Problem(2, "", "表中没有数据行"))
        return result
    index = {h: i for i, h in enumerate(header)}
    lookup = _Lookup(funding_year)
    for number, cells in rows:
        text = {h: cells[i] if i < len(cells) else "" for h, i in index.items()}
        raw: dict[str, object] = {"project": text.get("项目", ""), "content": text.get("内容", ""),
                                  "planned": text.get("计划经费（万元）", ""), "unit": None, "task": None}
        problems = [Problem(number, column, "必填") for column in ("项目",) if not text.get(column)]
        for column, convert in (("实施单位", lookup.unit), ("关联措施", lookup.task)):
            if text.get(column):
                try:
                    raw[FIELDS[column]] = convert(text[column])
                except ValueError as error:
                    problems.append(Problem(number, column, str(error)))
            elif column in REQUIRED:
                problems.append(Problem(number, column, "必填"))
        try:
            amount("计划经费（万元）", raw["planned"], required=True)
        except FundingRefused as refusal:
            problems.append(Problem(number, "计划经费（万元）", refusal.message))
        if not problems:
            try:
                result.rows.append(clean_line(funding_year, raw))
            except FundingRefused as refusal:
                problems.append(Problem(number, refusal.field if refusal.field in FIELDS else "", refusal.message))
        result.problems.extend(problems)
    return result


def sample_workbook(funding_year: FundingYear) -> bytes:
    """The sample file: the columns, two example rows with this jurisdiction's units and measures, and the notes."""
    units = list(units_of(funding_year.jurisdiction)[:2])
    tasks = list(tasks_of(plan_for(funding_year.jurisdiction, funding_year.year))[:2])
    wb = Workbook()
    ws = wb.active
    ws.title = f"{funding_year.year}年经费分配表"
    append_row(ws, [f"{h}*" if h in REQUIRED else h for h in HEADER])
    examples = [("全国科普日主场活动", f"{funding_year.year}年9月主场活动及系列科普活动", 20),
                ("青少年科技创新大赛", "组织参赛、培训辅导和展评", 12.5)]
    for i, (project, content, planned) in enumerate(examples):
        unit = units[i % len(units)].name if units else ""
        task = tasks[i % len(tasks)].title if tasks else ""
        append_row(ws, [project, content, unit, task, planned])
    for i, width in enumerate((26, 36, 18, 40, 16), start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = width
    notes = wb.create_sheet("填写说明")
    for note in NOTES:
        append_row(notes, [note])
    notes.column_dimensions["A"].width = 100
    return save_workbook(wb)

"""Funding .xlsx exports (kesu/infra/xlsx.py): the allocation table, and the 科普统计 funding layout
(经费筹集: 政府拨款（其中专项）、捐赠、自筹、其他; 经费使用: 活动、场馆基建、展品设施、其他) for the jurisdiction and every
area below it."""

from __future__ import annotations

from decimal import Decimal

from kesu.domain import funding_rules as rules
from kesu.funding.figures import Summary, areas_below, summary
from kesu.funding.models import FundingYear
from kesu.infra.xlsx import Workbook, append_row, save_workbook, write_table, write_title
from kesu.org.models import Jurisdiction


def _number(value: Decimal | None) -> float | str:
    return "" if value is None else float(value)


def lines_workbook(jurisdiction: Jurisdiction, year: int, row: FundingYear | None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年经费分配表"
    header = ["序号", "项目", "内容", "实施单位", "关联措施", "计划经费（万元）", "已支出（万元）"]
    write_title(ws, f"{jurisdiction.name}{year}年科普经费分配表", len(header))
    lines = list(row.lines.select_related("unit", "task").prefetch_related("spending")) if row else []
    rows = [[i, line.project, line.content, line.unit.name, line.task.title if line.task else "", float(line.planned),
             float(rules.total(s.amount for s in line.spending.all()))] for i, line in enumerate(lines, start=1)]
    rows.append(["合计", "", "", "", "", float(rules.total(line.planned for line in lines)),
                 float(rules.total(s.amount for line in lines for s in line.spending.all()))])
    write_table(ws, header, rows, [6, 26, 36, 18, 40, 16, 16])
    return save_workbook(wb)


STAT_HEADER = ["地区", "常住人口（人）", "年度科普经费筹集额", "政府拨款", "其中：科普专项经费", "捐赠", "自筹资金", "其他收入",
               "年度科普经费使用额", "科普活动支出", "科普场馆基建支出", "展品、设施支出", "其他支出", "人均科普专项经费（元/人）"]


def _stat_row(found: Summary, indent: int) -> list:
    row = found.row
    name = "　" * indent + found.jurisdiction.name
    if row is None:
        return [name, *[""] * (len(STAT_HEADER) - 2), found.per_capita.missing]
    raised = [row.government_total, row.donation, row.self_raised, row.other_income]
    used = [row.use_activities, row.use_venues, row.use_exhibits, row.use_other]
    return [name, row.population or "", _number(rules.total(raised)), _number(row.government_total),
            _number(row.special_received), _number(row.donation), _number(row.self_raised), _number(row.other_income),
            _number(rules.total(used)), *[_number(v) for v in used],
            float(found.per_capita.value) if found.per_capita.known else found.per_capita.missing]


def statistics_workbook(jurisdiction: Jurisdiction, year: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年科普经费"
    write_title(ws, f"{jurisdiction.name}{year}年度科普经费筹集和使用情况（单位：万元）", len(STAT_HEADER))
    rows = [_stat_row(summary(jurisdiction, year), 0)] + [_stat_row(a.summary, a.depth) for a in areas_below(jurisdiction, year)]
    write_table(ws, STAT_HEADER, rows, [18, 14, 14, 12, 14, 10, 10, 10, 14, 12, 14, 12, 10, 16])
    append_row(ws, [])
    for note in ("筹集额 = 政府拨款 + 捐赠 + 自筹资金 + 其他收入；使用额 = 四项支出之和；其中科普专项经费填到位数。",
                 rules.PER_CAPITA_RULE, "空白表示该项尚未填写。"):
        append_row(ws, [note])
    return save_workbook(wb)

"""Statistics as .xlsx (kesu.infra.xlsx): a round (aggregate and one row per respondent) and a roll-up (one row
per area). Numbers stay numbers; rates and shares in percent with their rule on the sheet."""

from __future__ import annotations

from kesu.datasets.figures import COUNTING_RULE, Rollup, round_aggregate
from kesu.datasets.models import Round
from kesu.domain.data_sets import Aggregate, FormDefinition, fraction_rule
from kesu.domain.report_workflow import STATE_LABELS, State
from kesu.infra.xlsx import Workbook, append_row, save_workbook, write_table, write_title


def _columns(definition: FormDefinition) -> list[tuple[str, str]]:
    """(code, header) of every indicator, then every rate and share."""
    columns = [(i.code, ("其中：" * definition.depth(i.code)) + f"{i.name}（{i.unit}）") for i in definition.indicators]
    return columns + [(f.code, f"{f.name}（%）") for f in (*definition.ratios, *definition.shares)]


def _figures(definition: FormDefinition, figures: Aggregate) -> list:
    values = [figures.value(code) for code, _ in _columns(definition)]
    return [None if v is None else round(v, 4) for v in values]


def _rules(ws, definition: FormDefinition) -> None:
    append_row(ws, [])
    append_row(ws, [f"计算方法：{COUNTING_RULE}"])
    for fraction in (*definition.ratios, *definition.shares):
        append_row(ws, [fraction_rule(definition, fraction.code)])


def round_workbook(round_: Round) -> bytes:
    definition = round_.definition
    columns = _columns(definition)
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    write_title(ws, f"{round_.jurisdiction.name}{round_}汇总", 3)
    figures = round_aggregate(round_)
    write_table(ws, ["指标", "合计", "填报对象数"],
                [[header, value, figures.reported.get(code, "")] for (code, header), value in zip(columns, _figures(definition, figures), strict=True)],
                [48, 16, 12])
    _rules(ws, definition)
    ws2 = wb.create_sheet("分对象")
    write_title(ws2, f"{round_.jurisdiction.name}{round_}（各填报对象）", len(columns) + 3)
    own = columns[:len(definition.indicators)]
    rows = [[s.get_kind_display(), s.name, STATE_LABELS[State(s.state)]] + [s.values.get(code) for code, _ in own]
            for s in round_.submissions.all()]
    write_table(ws2, ["类别", "填报对象", "状态"] + [h for _, h in own], rows, [12, 28, 12] + [14] * len(own))
    return save_workbook(wb)


def rollup_workbook(title: str, rollup: Rollup) -> bytes:
    definition = rollup.definition
    columns = _columns(definition)
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    write_title(ws, title, len(columns) + 2)
    rows = [[row.jurisdiction.name, row.figures.respondents] + _figures(definition, row.figures) for row in rollup.rows]
    rows.append(["合计", rollup.total.respondents] + _figures(definition, rollup.total))
    write_table(ws, ["地区", "已审核报表数"] + [h for _, h in columns], rows, [16, 12] + [14] * len(columns))
    _rules(ws, definition)
    return save_workbook(wb)

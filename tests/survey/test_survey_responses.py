import csv

import numpy as np
import pytest

from kesu.domain.survey import ResponsesError, read_responses

HEADER = ["id", "stratum", "psu", "weight", "region", "gender", "age", "urban", "education", "occupation"]


def _write(path, instrument, rows, *, encoding="utf-8", header=None, answers=None):
    header = header or HEADER + list(instrument.item_ids)
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            items = answers or ["A"] * len(instrument.item_ids)
            writer.writerow(row + items)
    return path


def _row(i, **over):
    base = {
        "id": f"R{i}",
        "stratum": "1",
        "psu": str(i % 2),
        "weight": "10.5",
        "region": "城区",
        "gender": "女",
        "age": "35",
        "urban": "城镇",
        "education": "初中",
        "occupation": "其他",
    }
    base.update(over)
    return [base[h] for h in HEADER]


def test_it_reads_the_demo_survey(demo_responses, demo_instrument):
    r = demo_responses
    assert r.n == 2636
    assert r.encoding == "UTF-8"
    assert set(r.groups) == {"region", "gender", "age_group", "urban", "education", "occupation"}
    assert r.groups["age_group"].labels[0] == "18-29岁"
    assert r.answer_codes.shape == (len(demo_instrument.items), r.n)
    assert r.warnings == []
    assert (r.weight > 0).all()
    # PSU labels are nested within strata ("S01" is reused across strata)
    assert len(r.psu.labels) > len({label.split("/")[1] for label in r.psu.labels})


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
def test_it_detects_the_encoding(tmp_path, demo_instrument, encoding):
    path = _write(tmp_path / "gbk.csv", demo_instrument, [_row(i) for i in range(4)], encoding=encoding)
    r = read_responses(path, demo_instrument)
    assert r.n == 4
    assert r.groups["region"].labels == ("城区",)
    assert r.encoding == {"gbk": "GB18030", "gb18030": "GB18030", "utf-8-sig": "UTF-8-BOM"}[encoding]


def test_it_accepts_chinese_headers(tmp_path, demo_instrument):
    header = ["编号", "层", "初级抽样单元", "权重", "地区", "性别", "年龄", "城乡", "文化程度", "职业"]
    path = _write(
        tmp_path / "cn.csv",
        demo_instrument,
        [_row(i) for i in range(3)],
        header=header + list(demo_instrument.item_ids),
    )
    assert read_responses(path, demo_instrument).n == 3


def test_it_reads_xlsx_with_the_row_numbers_of_the_sheet(tmp_path, demo_instrument):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER + list(demo_instrument.item_ids))
    for i in range(5):
        row = _row(i)
        row[3] = float(row[3]) if i != 3 else -2  # weight as a number; row 5 of the sheet is bad
        row[6] = int(row[6])
        sheet.append(row + ["A"] * len(demo_instrument.item_ids))
    book.save(tmp_path / "r.xlsx")
    with pytest.raises(ResponsesError) as caught:
        read_responses(tmp_path / "r.xlsx", demo_instrument)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (5, "weight")
    assert "权重必须为正数" in str(problem)
    r = read_responses(tmp_path / "r.xlsx", demo_instrument, skip_rows=[5])
    assert r.n == 4 and r.encoding == "xlsx"
    np.testing.assert_allclose(r.weight, 10.5)


def test_it_names_every_bad_row_and_column(tmp_path, demo_instrument):
    rows = [
        _row(0),
        _row(1, stratum=""),
        _row(2, weight="0"),
        _row(3, weight="abc"),
        _row(4, psu=""),
        _row(5, id="R0"),
        _row(6, age="二十"),
        _row(7, gender=""),
    ]
    path = _write(tmp_path / "bad.csv", demo_instrument, rows)
    with pytest.raises(ResponsesError) as caught:
        read_responses(path, demo_instrument)
    found = {(p.row, p.column): p.message for p in caught.value.problems}
    assert "缺少设计变量值（分层）" in found[(3, "stratum")]
    assert "权重必须为正数" in found[(4, "weight")]
    assert "权重不是数值" in found[(5, "weight")]
    assert "缺少设计变量值（初级抽样单元）" in found[(6, "psu")]
    assert "与第 2 行重复" in found[(7, "id")]
    assert "年龄应为" in found[(8, "age")]
    assert "缺少性别" in found[(9, "gender")]
    assert "未导入任何数据" in str(caught.value)
    assert "第 4 行，列“weight”：权重必须为正数" in str(caught.value)


def test_it_flags_answers_outside_the_options(tmp_path, demo_instrument):
    answers = ["A"] * len(demo_instrument.item_ids)
    answers[demo_instrument.item_ids.index("K07")] = "AE"
    path = _write(tmp_path / "opt.csv", demo_instrument, [_row(0)], answers=answers)
    with pytest.raises(ResponsesError) as caught:
        read_responses(path, demo_instrument)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, "K07")
    assert "“E”不在选项 A、B、C、D 之中" in problem.message


def test_it_refuses_unknown_item_columns_and_missing_design_columns(tmp_path, demo_instrument):
    header = [h for h in HEADER if h != "weight"] + list(demo_instrument.item_ids) + ["K99"]
    rows = [[c for h, c in zip(HEADER, _row(0), strict=True) if h != "weight"]]
    path = _write(
        tmp_path / "cols.csv",
        demo_instrument,
        rows,
        header=header,
        answers=["A"] * (len(demo_instrument.item_ids) + 1),
    )
    with pytest.raises(ResponsesError) as caught:
        read_responses(path, demo_instrument, skip_bad_rows=True)  # header problems cannot be skipped
    found = {(p.row, p.column): p.message for p in caught.value.problems}
    assert "未知的题目列" in found[(1, "K99")]
    assert "缺少必需的设计变量列" in found[(1, "weight")]


def test_it_refuses_missing_item_columns(tmp_path, demo_instrument):
    ids = list(demo_instrument.item_ids)
    path = _write(
        tmp_path / "miss.csv",
        demo_instrument,
        [_row(0)],
        header=HEADER + ids[:-1],
        answers=["A"] * (len(ids) - 1),
    )
    with pytest.raises(ResponsesError) as caught:
        read_responses(path, demo_instrument)
    assert (caught.value.problems[0].row, caught.value.problems[0].column) == (1, ids[-1])


def test_it_stores_nothing_unless_the_named_rows_are_skipped(tmp_path, demo_instrument):
    rows = [_row(i) for i in range(6)]
    rows[2] = _row(2, weight="-1")
    rows[4] = _row(4, stratum="")
    path = _write(tmp_path / "skip.csv", demo_instrument, rows)
    with pytest.raises(ResponsesError):
        read_responses(path, demo_instrument)
    with pytest.raises(ResponsesError) as caught:
        read_responses(path, demo_instrument, skip_rows=[4])  # row 6 is still bad
    assert [p.row for p in caught.value.problems] == [6]
    r = read_responses(path, demo_instrument, skip_rows="4,6")
    assert r.n == 4 and sorted(r.rows.tolist()) == [2, 3, 5, 7]
    assert {p.row for p in r.skipped} == {4, 6}
    r = read_responses(path, demo_instrument, skip_bad_rows=True)
    assert r.n == 4


def test_it_refuses_an_unreadable_file(tmp_path, demo_instrument):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(ResponsesError, match="不是有效的 .xlsx"):
        read_responses(path, demo_instrument)
    with pytest.raises(ResponsesError, match="找不到文件"):
        read_responses(tmp_path / "none.csv", demo_instrument)

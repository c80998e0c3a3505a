import json

import pytest

from kesu.domain.survey import InstrumentError, load_instrument, parse_instrument, preset_names
from kesu.domain.survey.instrument import split_answer


def _items(**extra):
    base = [
        {"id": "Q1", "dimension": "k", "options": ["A", "B", "C", "D"], "answer": "B", "points": 6},
        {
            "id": "Q2",
            "dimension": "k",
            "options": {"A": "甲", "B": "乙", "C": "丙"},
            "answer": ["A", "C"],
            "points": 4,
        },
    ]
    base[0].update(extra)
    return base


def _doc(**over):
    doc = {
        "format": "kesu-instrument/1",
        "name": "测试",
        "dimensions": [{"id": "k", "name": "知识", "points": 10}],
        "items": _items(),
        "levels": [{"id": "ok", "name": "合格", "min": 6}, {"id": "good", "name": "良好", "min": 9}],
        "headline": "ok",
    }
    doc.update(over)
    return doc


def test_it_loads_the_demo_questionnaire_on_the_national_scheme():
    ins = load_instrument("demo")
    assert ins.total_points == 100
    assert [(d.id, d.points) for d in ins.dimensions] == [
        ("knowledge", 40),
        ("methods", 20),
        ("spirit", 20),
        ("application", 20),
    ]
    assert [(lv.name, lv.min) for lv in ins.levels] == [
        ("具备高阶科学素质", 85),
        ("具备科学素质", 70),
        ("基本具备科学素质", 55),
    ]
    assert ins.headline == "literate" and ins.headline_level.min == 70
    assert {"national-2022", "demo"} <= set(preset_names())


def test_it_explains_that_the_national_preset_needs_items():
    with pytest.raises(InstrumentError, match="scheme: national-2022"):
        load_instrument("national-2022")


def test_it_compares_answers_as_sets():
    ins = parse_instrument(_doc())
    q2 = ins.item("Q2")
    for written in ("AC", "CA", "A,C", "c、a", "[A, C]", "A C", "a；c"):
        assert q2.is_correct(written), written
    assert not q2.is_correct("A")
    assert not q2.is_correct("ABC")
    assert not q2.is_correct("")
    assert split_answer("正确", "letters") == frozenset({"正确"})
    assert split_answer("AB", "letters") == frozenset({"A", "B"})


def test_it_reads_json_and_yaml(tmp_path):
    (tmp_path / "q.json").write_text(json.dumps(_doc(), ensure_ascii=False), encoding="utf-8")
    assert load_instrument(tmp_path / "q.json").item_ids == ("Q1", "Q2")
    (tmp_path / "q.yaml").write_text(
        "name: 引用方案\nscheme: national-2022\nitems:\n"
        + "".join(
            f"  - {{id: {d}{i}, dimension: {dim}, options: [A, B], answer: A, points: {p}}}\n"
            for d, dim, count, p in (
                ("K", "knowledge", 4, 10),
                ("M", "methods", 2, 10),
                ("S", "spirit", 2, 10),
                ("P", "application", 2, 10),
            )
            for i in range(count)
        ),
        encoding="utf-8",
    )
    ins = load_instrument(tmp_path / "q.yaml")
    assert ins.total_points == 100 and ins.headline == "literate"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"items": _items(id="Q2")}, "题目 id“Q2”重复"),
        ({"items": _items(dimension="x")}, "维度“x”未在 dimensions 中定义"),
        ({"items": _items(answer="E")}, "不在选项"),
        ({"items": _items(points=5)}, "定义为 10 分，但其题目分值合计 9 分"),
        ({"items": _items(points=0)}, "必须大于 0"),
        ({"headline": "best"}, "headline“best”不是已定义的水平"),
        ({"levels": [{"id": "ok", "min": 11}]}, "超过满分"),
        ({"levels": []}, "levels（水平）应为非空列表"),
        ({"items": []}, "items（题目）应为非空列表"),
        ({"items": _items(answer=True)}, "布尔值"),
        ({"items": _items(id="weight")}, "保留列名"),
        ({"format": "other/1"}, "format 应为"),
    ],
)
def test_it_refuses_bad_instruments(change, message):
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(_doc(**change))
    assert message in str(caught.value)


def test_it_lists_every_problem_at_once():
    doc = _doc(items=_items(dimension="x", answer="Z"), headline="nope")
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(doc)
    assert len(caught.value.problems) >= 3


def test_it_reports_unreadable_files(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(InstrumentError, match="不是有效的 YAML/JSON"):
        load_instrument(bad)
    with pytest.raises(InstrumentError, match="找不到问卷文件"):
        load_instrument(tmp_path / "missing.yaml")

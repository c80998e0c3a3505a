"""Parsing takes time linear in the size of the document, also for the shapes that once made it quadratic:
a paragraph of many wrapped lines, a measure of many paragraphs, tab-separated lines that make no table,
many sections, a sentence dense with figures. Each shape is parsed at n and 4n copies; linear time grows 4×,
quadratic 16×. CPU time of this process, best of three tries, against a generous bound of 8×."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from kesu.domain.plan_parsing import DocumentError, parse_plan, read_document
from kesu.domain.plan_parsing.reading import MAX_TEXT_CHARS

SKELETON = (
    "平安县全民科学素质行动规划纲要实施方案\n\n一、提升行动\n\n（一）青少年科学素质提升行动\n\n{body}\n\n"
    "（二）农民科学素质提升行动\n\n1. 实施高素质农民培育计划。围绕乡村振兴开展培训。（县农业农村局牵头，县科协配合）\n"
)
DIGITS = "零一二三四五六七八九"


def _numeral(k: int) -> str:
    return ("" if k < 10 else ("十" if k < 20 else DIGITS[k // 10] + "十")) + (DIGITS[k % 10] if k % 10 else "")


def _section(k: int) -> str:
    name = "".join(DIGITS[int(d)] for d in str(k))
    return f"（{DIGITS[k % 9 + 1]}）第{name}号人群科学素质提升行动\n\n1. 开展第{name}号科普活动。围绕重点人群开展活动。（县科协牵头）\n"


SHAPES: dict[str, Callable[[int], str]] = {
    "wrapped paragraph": lambda n: SKELETON.format(
        body="1. 提升科学教育水平。\n" + "\n".join(["推进科学家精神进校园利用科普大讲堂流动科技馆进校园等活动将科学家精"] * n)),
    "measure of many paragraphs": lambda n: SKELETON.format(
        body="提升基础教育阶段科学教育水平。将科学素质目标贯穿教育全过程。\n\n" + "广泛组织学生参加科普活动，激发好奇心。\n\n" * n),
    "tab lines without a table": lambda n: SKELETON.format(
        body="1. 推进科普工作。开展活动。\n" + "\n".join(["科普工作\t内容说明"] * n)),
    "many sections": lambda n: SKELETON.format(body="1. 推进科普工作。开展活动。\n\n" + "\n".join(_section(k) for k in range(n // 8))),
    "inline enumeration": lambda n: SKELETON.format(
        body="1. 推进科普工作。" + "".join(f"{_numeral(k % 99 + 1)}是开展第{k}项活动（县科协牵头，县教育局配合）；" for k in range(n // 4))),
    "table typed with pipes": lambda n: SKELETON.format(
        body="1. 推进科普工作。开展活动。\n重点任务分工表\n| 任务 | 牵头单位 | 配合单位 |\n"
             + "\n".join(f"| 推进第{k}项科普工作 | 县科协 | 县教育局 |" for k in range(n // 4))),
    "sentence dense with figures": lambda n: SKELETON.format(
        body="1. 建设科普场馆。" + "到2025年，科普场馆达到15个，" * (n // 2) + "培训3000人次。"),
}


def _cpu_seconds(text: str) -> float:
    started = time.process_time()
    parse_plan(text)
    return time.process_time() - started


@pytest.mark.parametrize("shape", SHAPES)
def test_parse_time_grows_linearly_with_the_document(shape: str):
    make = SHAPES[shape]
    small, large = make(2_000), make(8_000)
    parse_plan(small)  # warm-up: imports, the Traditional→Simplified dictionary
    ratios = []
    for _ in range(3):
        ratios.append(_cpu_seconds(large) / max(_cpu_seconds(small), 1e-3))
        if ratios[-1] < 8:
            break
    assert min(ratios) < 8, f"{shape}: 4× the text took {min(ratios):.1f}× the time"


def test_the_parts_a_shape_is_made_of_are_read_as_a_plan():
    plan = parse_plan(SHAPES["many sections"](800))
    assert len(plan["sections"]) == 102  # the youth and farmers sections around 100 numbered ones
    targets = parse_plan(SHAPES["sentence dense with figures"](40))["sections"][0]["tasks"][0]["targets"]
    assert len(targets) == 21 and targets[0]["value"] == 15


def test_a_document_with_more_text_than_any_plan_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "合订本.txt"
    path.write_text("科" * (MAX_TEXT_CHARS + 1), encoding="utf-8")
    with pytest.raises(DocumentError, match="文件“合订本.txt”约有 300 万字，超过 300 万字的上限"):
        read_document(path)

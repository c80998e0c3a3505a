"""The parser on a corpus of plans written for these tests (tests/fixtures/plans/corpus), built into the
documents offices receive — Word files with automatic numbering and merged table cells, PDFs with running
headers, page numbers and tables, GBK/GB18030 text, partial texts — and scored against their gold
annotations by the official scorer (../shared/tools/plan_score.py compare()), responsibilities included."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from plan_corpus import build, gold_of, sources
from plan_parsing_helpers import load_scorer

from kesu.domain.plan_parsing import parse_file, read_document

SOURCES = sources()
FLOORS = {"summary": 0.9, "tasks_f1": 0.9, "lead_f1": 0.9, "support_f1": 0.9, "sections_f1": 0.9, "metadata": 0.85}


def _gold(source: Path) -> dict:
    return json.loads(gold_of(source).read_text(encoding="utf-8"))


def _scores(source: Path, folder: Path) -> dict:
    scorer = load_scorer()
    metrics = scorer.compare(_gold(source), parse_file(build(source, folder)))
    return {**metrics, "summary": scorer.summary(metrics)}


def test_the_corpus_is_varied():
    kinds = {source.name.split(".", 1)[1] for source in SOURCES}
    assert len(SOURCES) >= 8
    assert {"docx.txt", "pdf.txt", "gbk.txt", "gb18030.txt", "txt"} <= kinds
    assert all(gold_of(source).is_file() for source in SOURCES)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name.split(".")[0])
def test_each_corpus_plan_scores_at_least_the_floor(source, tmp_path):
    metrics = _scores(source, tmp_path)
    for key, floor in FLOORS.items():
        assert metrics[key] >= floor, (key, metrics[key], metrics["_missed_tasks"], metrics["_extra_tasks"])


def test_the_corpus_as_a_whole(tmp_path):
    results = [_scores(source, tmp_path) for source in SOURCES]
    mean = {key: sum(m[key] for m in results) / len(results) for key in ("summary", "lead_f1", "support_f1", "targets_f1")}
    assert mean["summary"] >= 0.95, mean
    assert mean["lead_f1"] >= 0.95 and mean["support_f1"] >= 0.95, mean


def _source(prefix: str) -> Path:
    return next(source for source in SOURCES if source.name.startswith(prefix))


def test_word_numbering_is_read_from_numbering_xml_and_heading_styles(tmp_path):
    text = read_document(build(_source("a_"), tmp_path)).splitlines()
    assert "一、 发展目标" in text and "二、 提升行动" in text and "三、 重点工程" in text
    assert "（一） 青少年科学素质提升行动" in text and "（二） 老年人科学素质提升行动" in text
    assert "1. **推动科学教育进课堂。**开齐开足中小学科学课程，到2025年，建成县级科技创新教育示范校8所以上。" in text
    assert "1. **推进老年人数字素养培训。**在社区老年学校开设智能手机应用课程。" in text  # restarts under （二）
    styled = read_document(build(_source("i_"), tmp_path)).splitlines()
    assert "三、 重点工程" in styled and "（二） 科普人才建设工程" in styled


def test_a_merged_category_cell_is_read_on_every_row_it_spans(tmp_path):
    text = read_document(build(_source("a_"), tmp_path)).splitlines()
    assert "青少年科学素质提升行动\t青少年科技节\t县科协\t县教育和体育局、团县委" in text


def test_a_pdf_loses_its_running_header_and_reads_its_table_by_rows(tmp_path):
    text = read_document(build(_source("h_"), tmp_path))
    assert "平川县人民政府公报" not in text
    assert "老年健康知识普及\t县卫健局\t县民政局、县老干部局、县科协、各乡（镇）人民政府" in text.splitlines()
    header = read_document(build(_source("b_"), tmp_path))
    assert "公报" not in header and "— 2 —" not in header  # the page numbers at the foot of each page go too


def test_the_command_prints_a_partial_plan_with_its_warnings(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "kesu.domain.plan_parsing", str(build(_source("j_"), tmp_path)), "--json"],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2], timeout=60,
    )
    assert run.returncode == 0, run.stderr
    plan = json.loads(run.stdout)
    assert plan["warnings"] == [
        "只识别到2个提升行动或重点工程（方案通常有八至十个）：文件可能不完整，请核对原文",
        "第1节“农民科学素质提升行动”没有识别到牵头单位",
        "第2节“科普基础设施工程”没有识别到牵头单位",
    ]


def test_word_numbering_defined_through_a_list_style(tmp_path):
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    defined = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="71"><w:styleLink w:val="PlanList"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '</w:abstractNum>')
    linked = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="72"><w:numStyleLink w:val="PlanList"/></w:abstractNum>')
    numbering.insert(0, linked)
    numbering.insert(0, defined)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="71"><w:abstractNumId w:val="71"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="72"><w:abstractNumId w:val="72"/></w:num>'))
    document.styles.element.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="numbering" w:styleId="PlanList"><w:name w:val="Plan List"/>'
        '<w:pPr><w:numPr><w:numId w:val="71"/></w:numPr></w:pPr></w:style>'))
    for text in ("总体目标", "提升行动"):
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="72"/></w:numPr>'))
    document.save(tmp_path / "list_style.docx")
    assert read_document(tmp_path / "list_style.docx").splitlines() == ["一、 总体目标", "二、 提升行动"]

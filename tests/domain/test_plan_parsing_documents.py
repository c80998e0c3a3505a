"""Reading documents: encodings, Word, PDF, and the errors a user sees for files that cannot be read."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from plan_parsing_helpers import FIXTURES, all_tasks, fixture_text, task

from kesu.domain.plan_parsing import DocumentError, NotAPlanError, parse_file, parse_plan, read_document

PLAN = fixture_text("county_parentheses.txt")


def test_it_reads_a_gbk_encoded_text_file(tmp_path):
    path = tmp_path / "方案.txt"
    path.write_bytes(PLAN.encode("gbk"))
    plan = parse_file(path)
    assert plan["title"] == "平安县全民科学素质行动规划纲要实施方案（2021—2025年）"
    assert task(plan, "提升基础教育阶段")["lead"] == ["县教育局"]


def test_it_reads_utf8_with_a_byte_order_mark_and_windows_line_ends(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(b"\xef\xbb\xbf" + PLAN.replace("\n", "\r\n").encode("utf-8"))
    text = read_document(path)
    assert not text.startswith("\ufeff")
    assert parse_plan(text)["doc_number"] == "平政办发〔2023〕5号"


def test_it_reads_traditional_characters_as_simplified(tmp_path):
    from opencc import OpenCC

    path = tmp_path / "traditional.txt"
    path.write_text(OpenCC("s2t").convert(PLAN), encoding="utf-8")
    plan = parse_file(path)
    assert plan["jurisdiction"] == {"name": "平安县", "level": "county"}
    assert task(plan, "实施科技创新后备人才培育计划")["lead"] == ["县教育局", "县科协"]
    assert [s["group"] for s in plan["sections"]] == ["youth", "farmers", "infrastructure"]


def _build_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("和顺县全民科学素质行动规划纲要实施方案（2021—2025年）")
    document.add_paragraph("三、提升行动")
    document.add_paragraph("（一）青少年科学素质提升行动")
    paragraph = document.add_paragraph()
    paragraph.add_run("实施科学家精神进校园行动。").bold = True
    paragraph.add_run("每年举办科学家精神报告会不少于10场。")
    paragraph = document.add_paragraph()
    paragraph.add_run("提升基础教育阶段科学教育水平。").bold = True
    paragraph.add_run("引导变革教学方式。")
    document.add_paragraph("（二）老年人科学素质提升行动")
    document.add_paragraph("实施智慧助老行动。普及智能技术知识和技能。")
    document.add_paragraph("四、组织实施")
    document.add_paragraph("附件：重点任务分工")
    table = document.add_table(rows=3, cols=4)
    rows = [
        ("序号", "任务", "牵头单位", "配合单位"),
        ("1", "青少年科学素质提升行动", "县教体局、县科协", "团县委、县妇联"),
        ("2", "老年人科学素质提升行动", "县民政局", "县卫健局、县老干部局"),
    ]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    document.save(path)


def test_it_reads_a_word_document_with_its_division_of_labour_table(tmp_path):
    path = tmp_path / "方案.docx"
    _build_docx(path)
    text = read_document(path)
    assert "1\t青少年科学素质提升行动\t县教体局、县科协\t团县委、县妇联" in text.splitlines()
    assert "**实施科学家精神进校园行动。**每年举办科学家精神报告会不少于10场。" in text.splitlines()
    plan = parse_file(path)
    assert [t["title"] for t in all_tasks(plan)] == ["实施科学家精神进校园行动", "提升基础教育阶段科学教育水平", "实施智慧助老行动"]
    assert task(plan, "提升基础教育").get("lead") == ["县教体局", "县科协"]
    assert task(plan, "实施智慧助老行动")["support"] == ["县卫健局", "县老干部局"]
    assert task(plan, "实施科学家精神")["targets"][0]["value"] == 10


def _build_pdf(path: Path, text: str, width: int = 28) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    pdf.setFont("STSong-Light", 12)
    y, page = 780, 1
    for paragraph in text.split("\n"):
        for start in range(0, max(len(paragraph), 1), width):
            if y < 80:
                pdf.drawString(280, 40, f"— {page} —")
                pdf.showPage()
                pdf.setFont("STSong-Light", 12)
                y, page = 780, page + 1
            pdf.drawString(60, y, paragraph[start:start + width])
            y -= 18
    pdf.drawString(280, 40, f"— {page} —")
    pdf.save()


def test_it_reads_the_text_layer_of_a_pdf_with_wrapped_lines_and_page_numbers(tmp_path):
    path = tmp_path / "方案.pdf"
    _build_pdf(path, PLAN)
    text = read_document(path)
    assert "— 1 —" not in text and "平安县人民政府办公室" in text  # the page number at each page's foot is left out
    plan = parse_file(path)
    assert plan["title"] == "平安县全民科学素质行动规划纲要实施方案（2021—2025年）"
    assert [t["title"] for t in all_tasks(plan)] == [t["title"] for t in all_tasks(parse_plan(PLAN))]
    assert task(plan, "实施高素质农民培育计划")["support"] == ["县科协", "县人社局", "县妇联"]


def test_it_rejects_a_scanned_pdf_without_a_text_layer(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "扫描件.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(100, 100, 300, 500, fill=1)
    pdf.save()
    with pytest.raises(DocumentError, match="扫描件.pdf.*没有文字层"):
        read_document(path)


def test_it_rejects_a_corrupt_word_document_naming_the_file(tmp_path):
    path = tmp_path / "损坏的方案.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    with pytest.raises(DocumentError, match="损坏的方案.docx.*损坏"):
        read_document(path)
    with zipfile.ZipFile(tmp_path / "空包.docx", "w") as archive:
        archive.writestr("hello.txt", "no word document inside")
    with pytest.raises(DocumentError, match="空包.docx"):
        read_document(tmp_path / "空包.docx")


def test_it_rejects_an_empty_file(tmp_path):
    path = tmp_path / "空白.txt"
    path.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="空白.txt.*空"):
        read_document(path)


def test_it_rejects_an_unsupported_file_type(tmp_path):
    path = tmp_path / "方案.xlsx"
    path.write_bytes(b"data")
    with pytest.raises(DocumentError, match="方案.xlsx.*只能读取 .txt、.docx 和 .pdf"):
        read_document(path)
    with pytest.raises(DocumentError, match="另存为 .docx"):
        read_document(tmp_path / "old.doc")


def test_it_rejects_text_in_an_unknown_encoding(tmp_path):
    path = tmp_path / "乱码.txt"
    path.write_bytes(b"\x81\x30\xff\xff" * 20)
    with pytest.raises(DocumentError, match="乱码.txt.*编码"):
        read_document(path)


def test_it_reports_a_missing_file(tmp_path):
    with pytest.raises(DocumentError, match="找不到文件"):
        read_document(tmp_path / "nowhere.txt")


def test_it_refuses_a_text_that_is_not_a_plan():
    with pytest.raises(NotAPlanError, match="不像一份全民科学素质行动实施方案"):
        parse_plan(fixture_text("not_a_plan.txt"))
    assert issubclass(NotAPlanError, DocumentError)


def _run_module(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kesu.domain.plan_parsing", *args],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2], timeout=60,
    )


def test_it_runs_as_a_module_printing_json_or_an_outline():
    run = _run_module(str(FIXTURES / "county_parentheses.txt"), "--json")
    assert run.returncode == 0, run.stderr
    plan = json.loads(run.stdout)
    assert plan["format"] == "kesu-plan/1"
    assert "平安县" in run.stdout  # printed as Chinese, not \\u escapes
    outline = _run_module(str(FIXTURES / "county_parentheses.txt"))
    assert outline.returncode == 0
    assert "青少年科学素质提升行动" in outline.stdout and "牵头：县教育局" in outline.stdout


def test_it_exits_with_status_2_and_a_chinese_message_when_the_file_cannot_be_read(tmp_path):
    run = _run_module(str(tmp_path / "missing.pdf"))
    assert run.returncode == 2
    assert "找不到文件" in run.stderr
    run = _run_module(str(FIXTURES / "not_a_plan.txt"))
    assert run.returncode == 2
    assert "不像一份全民科学素质行动实施方案" in run.stderr

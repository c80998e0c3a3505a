"""Builds the plan corpus of tests/fixtures/plans/corpus into the documents offices receive.

Each source is plain UTF-8 text; its name says what to build:

- `NAME.txt`: the text as it is (UTF-8); `NAME.gbk.txt` / `NAME.gb18030.txt`: the text in that encoding.
- `NAME.docx.txt`: a Word document. `@1 `, `@2 `, `@3 ` open paragraphs numbered by Word's automatic numbering
  (一、 / （一） / 1. defined in numbering.xml, not typed); `#1 `, `#2 ` paragraphs in the styles Heading 1/2
  whose numbering comes from the style; `**…**` a bold run; lines `|a|b|c|` rows of a table, a cell `^`
  merged with the cell above (vertically merged).
- `NAME.pdf.txt`: a PDF. A first line `header: TEXT` is printed at the top of every page;
  every page ends with its number as `— n —`; paragraphs are wrapped at a fixed width and run over pages;
  lines `|a|b|c|` are drawn as a ruled table whose long cells wrap inside their column.
"""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "corpus"


def sources() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.name.endswith(".txt"))


def gold_of(source: Path) -> Path:
    return CORPUS / (source.name.split(".")[0] + ".json")


def build(source: Path, folder: Path) -> Path:
    """The document made from `source`, written into `folder`."""
    stem, *kinds = source.name.split(".")
    kind = kinds[0] if len(kinds) > 1 else "txt"
    text = source.read_text(encoding="utf-8")
    if kind in ("txt", "gbk", "gb18030"):
        path = folder / f"{stem}.txt"
        path.write_bytes(text.encode("utf-8" if kind == "txt" else kind))
    elif kind == "docx":
        path = folder / f"{stem}.docx"
        _docx(text, path)
    elif kind == "pdf":
        path = folder / f"{stem}.pdf"
        _pdf(text, path)
    else:
        raise ValueError(f"unknown corpus source kind: {source.name}")
    return path


# --------------------------------------------------------------------------------------------------
# Word


_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]


def _numbering_xml(abstract_id: int, num_id: int) -> tuple[object, object]:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    levels = "".join(
        f'<w:lvl w:ilvl="{n}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/></w:lvl>'
        for n, (fmt, text) in enumerate(_LEVELS)
    )
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                         f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>')
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    return abstract, num


def _docx(text: str, path: Path) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract, num = _numbering_xml(90, 90)
    numbering.insert(0, abstract)  # abstract definitions come before the w:num elements
    numbering.append(num)
    for level, name in ((0, "Heading 1"), (1, "Heading 2")):
        style = document.styles[name].element
        p_pr = style.get_or_add_pPr()
        p_pr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    rows: list[list[str]] = []
    for line in text.split("\n") + [""]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
            continue
        if rows:
            _docx_table(document, rows)
            rows = []
        if not line.strip():
            continue
        if line[:2] in ("@1", "@2", "@3"):
            paragraph = document.add_paragraph()
            level = int(line[1]) - 1
            p_pr = paragraph._p.get_or_add_pPr()
            p_pr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
            line = line[3:]
        elif line[:2] in ("#1", "#2"):
            paragraph = document.add_paragraph(style=f"Heading {line[1]}")
            line = line[3:]
        else:
            paragraph = document.add_paragraph()
        _runs(paragraph, line)
    document.save(path)


def _runs(paragraph, line: str) -> None:
    parts = line.split("**")
    for n, part in enumerate(parts):
        if part:
            paragraph.add_run(part).bold = n % 2 == 1


def _docx_table(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value == "^":
                top = i - 1
                while rows[top][j] == "^":
                    top -= 1
                merged = table.cell(top, j).merge(table.cell(i, j))
                merged.text = rows[top][j]  # merging joins the cells' paragraphs: keep the one text
            else:
                table.cell(i, j).text = value


# --------------------------------------------------------------------------------------------------
# PDF

_TOP, _BOTTOM, _LEFT, _LINE, _SIZE, _WIDTH = 790, 70, 60, 18, 12, 36


class _Pages:
    def __init__(self, path: Path, header: str | None) -> None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas

        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        self.pdf = canvas.Canvas(str(path))
        self.header = header
        self.page = 1
        self.y = _TOP
        self.pdf.setFont("STSong-Light", _SIZE)
        self.start_page()

    def start_page(self) -> None:
        if self.header:
            self.pdf.setFont("STSong-Light", 9)
            self.pdf.drawString(220, 815, self.header)
            self.pdf.line(_LEFT, 810, 540, 810)
        self.pdf.setFont("STSong-Light", _SIZE)

    def need(self, height: float) -> None:
        if self.y - height < _BOTTOM:
            self.finish_page()
            self.pdf.showPage()
            self.page += 1
            self.pdf.setFont("STSong-Light", _SIZE)
            self.y = _TOP
            self.start_page()

    def finish_page(self) -> None:
        self.pdf.setFont("STSong-Light", 10)
        self.pdf.drawString(285, 40, f"— {self.page} —")
        self.pdf.setFont("STSong-Light", _SIZE)

    def text(self, x: float, line: str) -> None:
        self.need(_LINE)
        self.pdf.drawString(x, self.y, line)
        self.y -= _LINE

    def save(self) -> None:
        self.finish_page()
        self.pdf.save()


def _pdf(text: str, path: Path) -> None:
    lines = text.split("\n")
    header = None
    if lines and lines[0].startswith("header:"):
        header = lines.pop(0)[len("header:"):].strip()
    pages = _Pages(path, header)
    rows: list[list[str]] = []
    for line in lines + [""]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
            continue
        if rows:
            _pdf_table(pages, rows)
            rows = []
        if not line.strip():
            continue
        line = line.replace("**", "")
        indent = 2 if not line.startswith(("（", "一", "二", "三", "四", "五", "六")) else 0
        line = "\u3000" * indent + line
        for start in range(0, len(line), _WIDTH):
            pages.text(_LEFT, line[start:start + _WIDTH])
    pages.save()


def _pdf_table(pages: _Pages, rows: list[list[str]]) -> None:
    widths = _column_widths(rows)
    for row in rows:
        wrapped = [[cell[k:k + width] for k in range(0, max(len(cell), 1), width)] for cell, width in zip(row, widths, strict=False)]
        height = max(len(cell) for cell in wrapped) * (_SIZE + 2) + 16
        pages.need(height)
        top = pages.y + _SIZE + 2
        pages.pdf.line(_LEFT - 4, top, 540, top)
        x = _LEFT
        for cell, width in zip(wrapped, widths, strict=False):
            for k, piece in enumerate(cell):
                pages.pdf.drawString(x, pages.y - k * (_SIZE + 2), piece)
            x += width * _SIZE + 3 * _SIZE
        pages.y -= height
    pages.pdf.line(_LEFT - 4, pages.y + _SIZE + 2, 540, pages.y + _SIZE + 2)


def _column_widths(rows: list[list[str]]) -> list[int]:
    """Characters per line in each column: short columns as wide as their text, the rest share what is left."""
    count = max(len(row) for row in rows)
    longest = [max(len(row[k]) if k < len(row) else 0 for row in rows) for k in range(count)]
    budget = 36 - 3 * (count - 1)
    widths = [min(n, 5) for n in longest]
    spare = budget - sum(widths)
    wide = [k for k, n in enumerate(longest) if n > 5]
    for k in wide:
        widths[k] = max(5, min(longest[k], 5 + spare // len(wide)))
    return widths

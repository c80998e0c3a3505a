"""Reading a plan document (.txt, .docx, .pdf) into plain text.

Errors are raised as `DocumentError` with a Simplified Chinese message that names the file.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from .errors import DocumentError
from .pdf_layout import pdf_layout_text
from .word_numbering import Numbering

SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf")
# A plan has some ten thousand characters; parsing takes time linear in the text, and this bounds it.
MAX_TEXT_CHARS = 3_000_000
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\x0c"}


def read_document(path: Path | str) -> str:
    """The text of a plan document; raises DocumentError for anything a user must fix first."""
    path = Path(path)
    suffix = path.suffix.lower()
    name = path.name
    if suffix not in SUPPORTED_SUFFIXES:
        hint = "；旧版 Word（.doc）请先另存为 .docx" if suffix in (".doc", ".wps") else ""
        shown = suffix or "无扩展名"
        raise DocumentError(f"不支持文件“{name}”的类型（{shown}），只能读取 .txt、.docx 和 .pdf 文件{hint}")
    if not path.exists():
        raise DocumentError(f"找不到文件“{path}”")
    if not path.is_file():
        raise DocumentError(f"“{path}”不是一个文件")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"无法读取文件“{name}”：{error.strerror or error}") from error
    if not data.strip():
        raise DocumentError(f"文件“{name}”是空的，没有任何内容")
    if suffix == ".txt":
        text = decode_text(data, name)
    elif suffix == ".docx":
        text = docx_text(data, name)
    else:
        text = pdf_text(data, name)
    if not text.strip():
        raise DocumentError(f"文件“{name}”中没有文字内容")
    if len(text) > MAX_TEXT_CHARS:
        raise DocumentError(f"文件“{name}”约有 {len(text) / 10000:,.0f} 万字，超过 {MAX_TEXT_CHARS // 10000} 万字的上限："
                            "一份实施方案通常只有几万字，请确认上传的是方案本身")
    return text


def decode_text(data: bytes, name: str) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else GBK/GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if sum(ch in _CONTROL for ch in text) > max(3, len(text) // 200):
            raise DocumentError(f"文件“{name}”不是纯文本文件（含有大量控制字符），请确认文件类型")
        return text
    raise DocumentError(f"无法识别文件“{name}”的文字编码（已尝试 UTF-8、GBK/GB18030），请另存为 UTF-8 编码后重试")


def docx_text(data: bytes, name: str) -> str:
    """Body paragraphs and tables in document order; a table row is one line of tab-separated cells."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise DocumentError(f"无法打开 Word 文档“{name}”：文件已损坏或不是 .docx 格式") from error
    except Exception as error:  # lxml and zip errors of damaged packages
        raise DocumentError(f"无法打开 Word 文档“{name}”：文件已损坏（{type(error).__name__}）") from error

    numbering = Numbering(document)
    out: list[str] = []
    for child in _body_elements(document.element.body):
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            label, text = numbering.label(child), _paragraph_text(Paragraph(child, document))
            out.append(label + text if text.strip() else text)
        elif tag == "tbl":
            out.append("")
            for row in Table(child, document).rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell is reported once per grid column
                        continue
                    seen.add(id(cell._tc))
                    cells.append(_cell_text(cell))
                out.append("\t".join(cells))
                out.append("")
    return "\n".join(out)


def _body_elements(parent):
    """Paragraphs and tables of the body in order, looking inside content controls (w:sdt)."""
    for child in parent.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag in ("p", "tbl"):
            yield child
        elif tag in ("sdt", "sdtContent", "customXml"):
            yield from _body_elements(child)


def _paragraph_text(paragraph) -> str:
    """Paragraph text; a bold opening run (a measure's heading) is kept as **…** like in Markdown."""
    text = paragraph.text
    bold = ""
    for run in paragraph.runs:
        if not run.text:
            continue
        if not run.bold:
            break
        bold += run.text
    if bold.strip() and text.startswith(bold) and len(bold.strip()) < len(text.strip()):
        return f"**{bold.strip()}**{text[len(bold):]}"
    return text


def _cell_text(cell) -> str:
    parts = [p.text.strip() for p in cell.paragraphs if p.text.strip()]
    text = ""
    for part in parts:
        if text and text[-1] not in "、，,；;。：:":
            text += "、"
        text += part
    return text.replace("\t", " ")


def pdf_text(data: bytes, name: str) -> str:
    """The PDF's text layer (pdfminer.six); a PDF without one is a scan and cannot be read."""
    if not data.lstrip().startswith(b"%PDF"):
        raise DocumentError(f"文件“{name}”不是有效的 PDF 文件")
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        text = pdf_layout_text(data)
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise DocumentError(f"PDF 文件“{name}”已加密，请先解除密码保护") from error
    except Exception as error:
        raise DocumentError(f"无法解析 PDF 文件“{name}”：文件已损坏（{type(error).__name__}）") from error
    if not text.strip():
        raise DocumentError(f"PDF 文件“{name}”没有文字层（可能是扫描件），请先进行文字识别（OCR）或提供 Word/文本版本")
    if text.count("(cid:") > max(10, len(text) // 50):
        raise DocumentError(f"PDF 文件“{name}”的文字层无法解码（字体缺少编码信息），请提供 Word/文本版本")
    return text

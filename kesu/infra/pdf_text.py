"""Text for ReportLab PDFs. A `Paragraph` reads its text as markup (<img>, <a>, <font>, entities), so every
text from data goes through `para`, which escapes it; only markup the code writes itself (`bold`) stays markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph


class Markup(str):
    """Markup the code wrote around escaped text; `para` passes it through as it is."""


def text_markup(text: object) -> str:
    """The text shown as written: <, > and & escaped, its line breaks kept."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br/>".join(escape(line) for line in lines)


def bold(text: object) -> Markup:
    return Markup(f"<b>{text_markup(text)}</b>")


def para(content: object | Sequence[object], style: ParagraphStyle) -> Paragraph:
    """A paragraph of text, or of pieces of text and `Markup` (e.g. ["兹证明 ", bold(name), "……"])."""
    pieces = content if isinstance(content, (list, tuple)) else [content]
    return Paragraph("".join(p if isinstance(p, Markup) else text_markup(p) for p in pieces), style)

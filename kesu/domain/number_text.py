"""Numbers and targets as people write them: 6 (never 6.0), 14.5, 不低于14.5%.

The one place that turns a stored number or comparator into text; templates, exports, the summary and the
import preview all go through it (thin template filters in kesu.plans.templatetags.kesu_format).
"""

from __future__ import annotations

import math
from decimal import Decimal

COMPARATOR_WORDS = {">=": "不低于", ">": "超过", "=": "达到", "<=": "不超过", "<": "低于"}


def number_text(value: float | int | str | None, grouping: bool = False, exact: bool = False) -> str:
    """6.0 → "6", 14.50 → "14.5", 0.12345 → "0.1235" (at most four decimals, no exponent); None → "".

    `exact`: every digit kept (for a form field, so that saving it unchanged changes nothing): 0.12345 → "0.12345".
    """
    if value is None or value == "":
        return ""
    number = float(value)
    if not math.isfinite(number):
        return ""
    if exact:  # the shortest text that reads back as the same float, never in exponent form
        text = format(Decimal(repr(number)), "f")
        text = text.rstrip("0").rstrip(".") if "." in text else text
        return "0" if text == "-0" else text
    text = f"{number:,.4f}" if grouping else f"{number:.4f}"
    text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def comparator_text(comparator: str | None) -> str:
    """">=" → 不低于, ">" → 超过, "=" → 达到 (also 不超过, 低于); unknown or empty → 达到."""
    return COMPARATOR_WORDS.get((comparator or "=").strip(), "达到")


def target_text(value: float | int | None, unit: str = "", comparator: str | None = ">=",
                year: int | None = None, annual: bool = False) -> str:
    """A target in words: "2025年不低于14.5%", "每年不低于50场", "达到3000人"."""
    when = "每年" if annual else (f"{year}年" if year else "")
    return f"{when}{comparator_text(comparator)}{number_text(value)}{unit or ''}"

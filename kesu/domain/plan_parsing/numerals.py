"""Chinese and Arabic numerals: 三千 → 3000, 两 → 2, 1.5万 → 15000, 二〇二二 → 2022."""

from __future__ import annotations

import re

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "零〇○一二两三四五六七八九十百千万亿"

_ARABIC = re.compile(r"^\d+(?:\.\d+)?$")


def parse_cn_integer(text: str) -> int | None:
    """Value of a Chinese numeral such as 十, 二十五, 三千, 一万二千, 二〇二二 (digit by digit)."""
    if not text or any(ch not in CN_DIGITS and ch not in CN_UNITS and ch not in CN_BIG for ch in text):
        return None
    if all(ch in CN_DIGITS for ch in text) and len(text) > 1:
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total = section = 0
    digit: int | None = None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            section += (1 if digit is None else digit) * CN_UNITS[ch]
            digit = None
        else:  # 万 / 亿
            section += digit or 0
            total += (section or 1) * CN_BIG[ch]
            section = 0
            digit = None
    return total + section + (digit or 0)


def parse_number(text: str) -> float | None:
    """An Arabic (12, 1.5, 1,000) or Chinese (三千, 两) number, possibly with a trailing 万/亿/千."""
    text = re.sub(r"[\s,，]", "", text or "")
    if not text:
        return None
    factor = 1
    if len(text) > 1 and text[-1] in "万亿千" and _ARABIC.match(text[:-1]):
        factor = {"万": 10_000, "亿": 100_000_000, "千": 1000}[text[-1]]
        text = text[:-1]
    if _ARABIC.match(text):
        return float(text) * factor
    value = parse_cn_integer(text)
    return None if value is None else float(value) * factor


def as_number(value: float) -> int | float:
    """12.0 → 12, 9.8 → 9.8 (JSON prints integers without a decimal point)."""
    return int(value) if float(value).is_integer() else round(value, 6)


_CN_YEAR = re.compile(r"[一二三四五六七八九〇○零]{4}(?=\s*年)")


def digitize_years(text: str) -> str:
    """二〇二五年 → 2025年, keeping every other character and the text's length (positions stay valid)."""
    return _CN_YEAR.sub(lambda m: "".join(str(CN_DIGITS.get(ch, 0)) for ch in m.group(0)), text)

"""Word's automatic numbering: the 一、/（一）/1. that a .docx keeps in numbering.xml, not in the text.

`Numbering(document)` reads the list definitions once; `label(paragraph_element)` gives the number text
Word would show before that paragraph (counting as Word does, per list and level), or "" when it has none.
"""

from __future__ import annotations

import re

from .numerals import CN_DIGITS

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN = {value: char for char, value in CN_DIGITS.items() if char not in "零两"} | {0: "〇"}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_LEGAL = dict(zip("一二三四五六七八九十", "壹贰叁肆伍陆柒捌玖拾", strict=True))


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (Word's chineseCounting up to 999)."""
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if not rest else ("零" + chinese_number(rest) if rest < 10 else chinese_number(rest).lstrip())
    if 10 <= rest < 20:
        tail = "一" + tail
    return _CN[n // 100 % 10] + "百" + tail


def _letters(n: int, upper: bool) -> str:
    letter = chr(ord("A" if upper else "a") + (n - 1) % 26)
    return letter * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
               "ideographDigital"):
        return chinese_number(n)
    if fmt == "chineseLegalSimplified":
        return "".join(_LEGAL.get(ch, ch) for ch in chinese_number(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt in ("ideographTraditional",) and 1 <= n <= 10:
        return _TIANGAN[n - 1]
    if fmt in ("upperLetter", "lowerLetter"):
        return _letters(n, fmt == "upperLetter")
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "none":
        return ""
    return str(n)  # decimal, decimalZero, decimalFullWidth and anything unknown


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


class _Level:
    def __init__(self, element) -> None:
        def value(tag: str, default: str) -> str:
            found = element.find(_W + tag)
            return found.get(_W + "val", default) if found is not None else default

        self.start = _int(value("start", "1"), 1)
        self.fmt = value("numFmt", "decimal")
        self.text = value("lvlText", "")
        self.suffix = value("suff", "tab")


def _int(text: str | None, default: int) -> int:
    try:
        return int(text or "")
    except ValueError:
        return default


class Numbering:
    """The list definitions of one document and the running counters of its lists."""

    def __init__(self, document) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstractNumId, {level: startOverride})
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        self.styles: dict[str, tuple[str, int]] = {}
        self.links: dict[str, str] = {}  # abstractNumId → list style holding its definition (numStyleLink)
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        if root is not None:
            for abstract in root.iter(_W + "abstractNum"):
                levels = {_int(lvl.get(_W + "ilvl"), 0): _Level(lvl) for lvl in abstract.iter(_W + "lvl")}
                self.abstract[abstract.get(_W + "abstractNumId", "")] = levels
                link = abstract.find(_W + "numStyleLink")
                if link is not None and not levels:  # the levels live with the list style it names
                    self.links[abstract.get(_W + "abstractNumId", "")] = link.get(_W + "val", "")
            for num in root.iter(_W + "num"):
                abstract_id = num.find(_W + "abstractNumId")
                overrides = {}
                for override in num.iter(_W + "lvlOverride"):
                    start = override.find(_W + "startOverride")
                    if start is not None:
                        overrides[_int(override.get(_W + "ilvl"), 0)] = _int(start.get(_W + "val"), 1)
                if abstract_id is not None:
                    self.nums[num.get(_W + "numId", "")] = (abstract_id.get(_W + "val", ""), overrides)
        for style in document.styles.element.iter(_W + "style"):
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                self.styles[style.get(_W + "styleId", "")] = _num_pr(num_pr, 0)

    def label(self, paragraph) -> str:
        """The number Word shows before the paragraph (一、 （一） 1. ● …) with a blank after it, or ""."""
        found = self._num_pr(paragraph)
        if found is None:
            return ""
        num_id, level = found
        if num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        if abstract_id in self.links:
            linked = self.styles.get(self.links[abstract_id])
            if linked is not None and linked[0] in self.nums:
                abstract_id = self.nums[linked[0]][0]
        levels = self.abstract.get(abstract_id, {})
        if level not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for at, start in overrides.items():
                counters[at] = start - 1
                for deeper in [k for k in counters if k > at]:
                    del counters[deeper]
        counters[level] = counters.get(level, levels[level].start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        definition = levels[level]
        if definition.fmt == "bullet":
            return "● "
        text = re.sub(
            r"%(\d)",
            lambda m: self._shown(levels, counters, int(m.group(1)) - 1),
            definition.text,
        )
        return text + ("" if definition.suffix == "nothing" else " ") if text.strip() else ""

    @staticmethod
    def _shown(levels: dict[int, _Level], counters: dict[int, int], level: int) -> str:
        definition = levels.get(level)
        if definition is None:
            return ""
        return format_number(counters.get(level, definition.start), definition.fmt)

    def _num_pr(self, paragraph) -> tuple[str, int] | None:
        p_pr = paragraph.find(_W + "pPr")
        if p_pr is not None:
            num_pr = p_pr.find(_W + "numPr")
            if num_pr is not None:
                num_id, level = _num_pr(num_pr, 0)
                return None if num_id in ("", "0") else (num_id, level)
            style = p_pr.find(_W + "pStyle")
            if style is not None and style.get(_W + "val", "") in self.styles:
                return self.styles[style.get(_W + "val", "")]
        return None


def _num_pr(num_pr, default_level: int) -> tuple[str, int]:
    num_id = num_pr.find(_W + "numId")
    level = num_pr.find(_W + "ilvl")
    return (
        num_id.get(_W + "val", "") if num_id is not None else "",
        _int(level.get(_W + "val") if level is not None else None, default_level),
    )

"""Patterns shared by the parser's modules: numbering styles, labels, sentences."""

from __future__ import annotations

import re

# (style, rank, pattern): rank orders heading levels, 0 = 第一章 … 6 = —— dash items.
_NUMBERINGS: list[tuple[str, int, re.Pattern[str]]] = [
    ("chapter", 0, re.compile(r"^第[一二三四五六七八九十百零〇\d]{1,3}\s*[章部篇](?:分)?[、.．:：\s]*")),
    ("jie", 1, re.compile(r"^第[一二三四五六七八九十\d]{1,3}\s*节[、.．:：\s]*")),
    ("cn", 1, re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.．]\s*")),
    ("pcn", 2, re.compile(r"^[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]\s*[、.．]?\s*")),
    ("d", 3, re.compile(r"^\d{1,2}\s*[、.．](?!\d)\s*")),
    ("pd", 4, re.compile(r"^[（(]\s*\d{1,2}\s*[）)]\s*")),
    ("dp", 4, re.compile(r"^\d{1,2}\s*[）)]\s*")),
    ("circ", 5, re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]\s*")),
    ("dash", 6, re.compile(r"^(?:——|—|－－|--|[●■▲◆★•▪➢◇○□])\s*")),
]

LABEL_WORDS = (
    "主要责任单位", "主要责任部门", "牵头单位", "牵头部门", "主责单位", "主责部门", "责任单位", "责任部门", "配合单位", "配合部门",
    "参与单位", "参与部门", "协同单位", "协同部门", "协办单位", "协助单位", "协作单位", "实施单位",
)
LABEL_START = re.compile(r"^[（(【\[]?\s*(?:" + "|".join(LABEL_WORDS) + r")\s*(?:[:：]|[】\]])")
LEAD_LABELS = ("牵头单位", "牵头部门", "主责单位", "主责部门", "主要责任单位", "主要责任部门")
SUPPORT_LABELS = ("配合单位", "配合部门", "参与单位", "参与部门", "协同单位", "协同部门", "协办单位", "协助单位",
                  "协作单位")

_SENTENCE_STOPS = "。！？；：!?;:"


def strip_bold(text: str) -> str:
    return text.replace("**", "")


def numbering(text: str) -> tuple[str, int, str] | None:
    """(style, rank, rest) when the text opens with a numbering mark such as 一、（一）1. （1）① ——."""
    for style, rank, pattern in _NUMBERINGS:
        found = pattern.match(text)
        if found and found.end() < len(text):
            return style, rank, text[found.end():]
    return None


def split_first_sentence(text: str, stops: str = _SENTENCE_STOPS) -> tuple[str, str]:
    """(first sentence without its stop, the rest); stops inside quotes or brackets do not count."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "“‘《（(【「":
            depth += 1
        elif ch in "”’》）)】」":
            depth = max(0, depth - 1)
        elif ch in stops and depth == 0:
            return text[:i], text[i + 1:]
    return text, ""


def first_clause(text: str) -> str:
    """The text up to its first comma outside quotes and brackets."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "“‘《（(【「":
            depth += 1
        elif ch in "”’》）)】」":
            depth = max(0, depth - 1)
        elif ch in "，," and depth == 0:
            return text[:i]
    return text


def commas(text: str) -> int:
    return text.count("，") + text.count(",")


def squeeze(text: str) -> str:
    """Without any whitespace (blank left by line wraps inside a title)."""
    return re.sub(r"\s+", "", text)


def clean_title(text: str) -> str:
    """A heading as written, without bold marks, surrounding blanks and the closing 。/：."""
    text = strip_bold(text).strip()
    return text.rstrip("。：:；; ").strip()

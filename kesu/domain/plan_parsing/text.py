"""Comparing titles the way people read them: punctuation, blanks and width do not count."""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

from .patterns import numbering, split_first_sentence

_PUNCT = set("，。、；：！？（）()《》“”\"'‘’【】[]—-－·．. ,;:!?\t\r\n ")


@lru_cache(maxsize=4096)
def normalized(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if ch not in _PUNCT)


@lru_cache(maxsize=4096)
def _core(text: str, is_label: bool) -> str:
    if is_label:
        found = numbering(text.strip())
        text = split_first_sentence(found[2] if found else text, "。；")[0]
    return re.sub(r"^实施", "", normalized(text))


def title_similarity(label: str, title: str) -> float:
    """0..1; a label naming the title inside a longer cell (1.实施…行动。正文…) still matches well."""
    a, b = _core(label, True), _core(title, False)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if a in b or b in a:
        return 0.5 + 0.5 * min(len(a), len(b)) / max(len(a), len(b))
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
        return 0.0  # far from the 0.5 floor anyone uses; skip the full comparison
    return matcher.ratio()

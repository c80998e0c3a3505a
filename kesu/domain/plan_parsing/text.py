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
    return TitleMatcher(title).similarity(label)


class TitleMatcher:
    """`title_similarity` of many labels against one title: the title's side is prepared once."""

    def __init__(self, title: str) -> None:
        self.core = _core(title, False)
        self._matcher = difflib.SequenceMatcher(None, "", self.core, autojunk=False)

    def similarity(self, label: str, at_least: float = 0.0) -> float:
        """The similarity when it is at least `at_least`; below that, possibly 0.0 without the full comparison."""
        a, b = _core(label, True), self.core
        if not a or not b:
            return 0.0
        if a == b:
            return 1.0
        if a in b or b in a:
            return 0.5 + 0.5 * min(len(a), len(b)) / max(len(a), len(b))
        matcher = self._matcher
        matcher.set_seq1(a)
        floor = max(at_least, 0.5)  # far from the 0.5 floor anyone uses: skip the full comparison
        if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
            return 0.0  # both are upper bounds of the ratio
        return matcher.ratio()

"""How a plan names its member units (成员单位), and when two spellings name the same unit.

Plans write one department several ways: 市教育局, 教育局, 晋城市教育局, 市教育局（科技局）.
`unit_key` folds those to one key within a jurisdiction, while keeping distinct units distinct
(团市委 is the Youth League, not a 市委 organ; 市生态环境局襄汾分局 is a branch, not 生态环境局).
"""

from __future__ import annotations

import re
import unicodedata

_LEVEL_CHARS = "省市县区旗州盟"
_PAREN_TAIL = re.compile(r"[（(][^（）()]*[）)]$")
# Department names whose first character is a level character but not a level prefix (市场监管局).
_WORDS_STARTING_WITH_LEVEL = ("市场",)
_ALL_MEMBERS = re.compile(r"(各|全体)成员单位$")


def clean_name(name: str) -> str:
    """The name as a user should see it: trimmed, inner blanks removed, full-width letters/digits folded."""
    text = "".join(ch for ch in name if not ch.isspace())
    return "".join(unicodedata.normalize("NFKC", ch) if ch.isascii() or ch.isalnum() else ch for ch in text)


def is_all_members(name: str) -> bool:
    """True for a phrase standing for every member unit (各成员单位, 领导小组各成员单位 …)."""
    return bool(_ALL_MEMBERS.search(clean_name(name)))


def jurisdiction_stems(jurisdiction_name: str) -> list[str]:
    """Prefixes a unit name may carry for its own jurisdiction: 晋城市 → [晋城市, 晋城]."""
    name = clean_name(jurisdiction_name)
    stems = [name]
    for suffix in ("自治区", "自治州", "自治县", "省", "市", "县", "区", "旗", "州", "盟"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stems.append(name[: -len(suffix)])
            break
    return stems


def unit_key(name: str, jurisdiction_name: str = "") -> str:
    """The identity of a unit name within one jurisdiction.

    >>> unit_key("市教育局（科技局）", "晋城市") == unit_key("教育局", "晋城市") == unit_key("晋城市教育局", "晋城市")
    True
    >>> unit_key("团市委", "晋城市") != unit_key("市委", "晋城市")
    True
    >>> unit_key("市市场监管局", "晋城市") == unit_key("市场监管局", "晋城市")
    True
    """
    key = _PAREN_TAIL.sub("", clean_name(name)) or clean_name(name)
    for stem in jurisdiction_stems(jurisdiction_name) if jurisdiction_name else []:
        if key.startswith(stem) and len(key) - len(stem) >= 2:
            key = key[len(stem):]
            break
    if len(key) >= 3 and key[0] in _LEVEL_CHARS and not key.startswith(_WORDS_STARTING_WITH_LEVEL):
        key = key[1:]
    if len(key) >= 3 and key[0] == "委":
        key = key[1:]
    return key

"""Rules for accounts, without Django: what an account name and a person's name may look like, temporary
passwords, and who manages what.

Who manages what ("its area"): an office admin (科协办公室管理员) of a jurisdiction manages the accounts and
roles of that jurisdiction and of every jurisdiction below it (a city office its counties too). Jurisdictions are
created one level down only: a province office creates cities under it, a city office counties under it; a
county office creates none. A superuser does all of this anywhere, and may create a province.
"""

from __future__ import annotations

import re
import secrets
import string

USERNAME_RULE = "账号由 3–30 位英文字母、数字或 . _ - @ 组成，以字母或数字开头"
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{2,29}")
# A cell beginning with one of these is read as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

CHILD_LEVEL = {"province": "city", "city": "county"}

# No look-alikes (0/O, 1/l/I) so that a password read off paper is typed right.
_PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")


def username_problem(text: str) -> str:
    """'' when `text` is an acceptable account name, else the reason in Chinese."""
    if not _USERNAME.fullmatch(text):
        return f"“{text}”不是有效的账号：{USERNAME_RULE}。"
    return ""


def person_name_problem(text: str) -> str:
    """'' when `text` is an acceptable person's name (姓名), else the reason in Chinese."""
    if not text:
        return "请填写姓名。"
    if len(text) > 30:
        return "姓名不能超过 30 个字。"
    if _CONTROL.search(text) or text.startswith(_FORMULA_START):
        return "姓名不能包含控制字符，也不能以 = + - @ 开头。"
    return ""


def temporary_password() -> str:
    """12 random letters and digits in three groups (e.g. 'Kx7p-4mQa-Zt9w'), with at least one letter and digit."""
    while True:
        chars = [secrets.choice(_PASSWORD_ALPHABET) for _ in range(12)]
        if any(c.isdigit() for c in chars) and any(c.isalpha() for c in chars):
            return "-".join("".join(chars[i:i + 4]) for i in range(0, 12, 4))


def within(path: str, area: list[str]) -> bool:
    """Is the jurisdiction with materialised path `path` ('/1/7/') in the area of these paths (itself or below)?"""
    return any(path.startswith(top) for top in area)


def child_level(level: str) -> str | None:
    """The level of the jurisdictions directly below one of `level`; None for a county."""
    return CHILD_LEVEL.get(level)

"""Rubric items counted by other apps (议定事项按期办结率, 会议出席率, 经费保障, 参加主题活动).

tracking defines this registry and asks it; the counting app registers a source for its share kind
(kesu.domain.scoring_rubric.SHARE_KINDS) in its AppConfig.ready(). So tracking never imports that app.
A kind with no registered source cannot be chosen in the rubric editor.
"""

from __future__ import annotations

from collections.abc import Callable

from kesu.domain.scoring_rubric import CORE_KINDS, KIND_LABELS, Share
from kesu.plans.models import Plan

ShareSource = Callable[[Plan, int], dict[int, Share]]  # (plan, year) → member unit id → its share
_SOURCES: dict[str, ShareSource] = {}


def register_share_source(kind: str, source: ShareSource) -> None:
    """Register (or replace) the source of one share kind; called from an AppConfig.ready()."""
    if kind not in KIND_LABELS or kind in CORE_KINDS:
        raise ValueError(f"unknown share kind {kind!r}")
    _SOURCES[kind] = source


def available_kinds() -> dict[str, str]:
    """The kinds an office may choose: the core ones and every share kind with a source."""
    return {kind: label for kind, label in KIND_LABELS.items() if kind in CORE_KINDS or kind in _SOURCES}


def shares(plan: Plan, year: int, kinds: set[str]) -> dict[str, dict[int, Share]]:
    """kind → unit id → share, for the share kinds the rubric uses."""
    return {kind: _SOURCES[kind](plan, year) for kind in kinds if kind in _SOURCES}

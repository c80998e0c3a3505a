"""Figure cards that other apps put on a plan's dashboard (议定事项按期办结率, 人均科普专项经费…).

The dashboard (tracking) asks this registry; the counting app registers a source in its AppConfig.ready(), so
tracking never imports it. It lives in plans, like home.py, so that survey (beside tracking) may register too.
Cards are computed on every request, outside the dashboard's cached body: their data change without touching
the plan's reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from kesu.plans.models import Plan


class Card(NamedTuple):
    label: str  # 议定事项按期办结率
    value: str  # 75%（3/4）
    rule: str  # how it is counted, in words
    url: str = ""  # where the figure comes from


CardSource = Callable[[Plan, dt.date], list[Card]]
_SOURCES: dict[str, CardSource] = {}


def register_card_source(name: str, source: CardSource) -> None:
    """Register (or replace) the source called `name`; called from an AppConfig.ready()."""
    _SOURCES[name] = source


def dashboard_cards(plan: Plan, today: dt.date) -> list[Card]:
    return [card for source in _SOURCES.values() for card in source(plan, today)]

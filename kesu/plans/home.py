"""The home page's to-do blocks: what the signed-in person must do now, one block per role and area.

plans owns the page but sits below the apps that know the work (tracking, survey, volunteering), so it defines
this registry and asks it; each app registers a provider in its AppConfig.ready() (as tracking.live_values does
for live counts). A provider looks at `request.roles` and returns the blocks of the roles it knows, each item
counted with the same query as the page it links to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest


@dataclass(frozen=True)
class Item:
    """One line of a block: what is waiting, how many, until when, and where it is done."""

    label: str
    url: str
    figure: str = ""  # the count or figure shown large: "12", "3/40", "87.5%"
    note: str = ""  # a deadline, a state or a short explanation
    urgent: bool = False


@dataclass(frozen=True)
class Block:
    title: str  # e.g. "待审核与催报 · 襄汾县"
    who: str  # the role and area, listed under 我的身份
    items: list[Item] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url) of the pages where the work is done
    empty: str = "目前没有待办事项。"
    order: int = 50  # smaller first: a person's own reports before the areas they supervise


Provider = Callable[[HttpRequest], list[Block]]
_PROVIDERS: dict[str, Provider] = {}


def register_home_blocks(name: str, provider: Provider) -> None:
    """Register (or replace) the provider called `name`; called from an AppConfig.ready()."""
    _PROVIDERS[name] = provider


def home_blocks(request: HttpRequest) -> list[Block]:
    blocks = [block for provider in _PROVIDERS.values() for block in provider(request)]
    return sorted(blocks, key=lambda b: b.order)

"""Items other than measures that lead units report on in a cycle (年度工作要点, 议定事项…).

tracking defines this registry and asks it; the app owning the items registers an ItemSource in its
AppConfig.ready() (like live_values and rubric_sources), so tracking never imports that app. When a cycle
opens, each due item gets one ItemReport per lead unit (kesu.tracking.actions.do_add_due_items).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from kesu.tracking.models import ItemReport, ReportingCycle


@dataclass(frozen=True)
class DueItem:
    source_id: int
    title: str
    lead_unit_ids: tuple[int, ...]
    url: str  # the item's own page (a work point, a decision)


class ItemSource(Protocol):
    label: str  # 年度工作要点, 议定事项
    in_assessment: bool  # its reports' progress joins the yearly assessment's measure progress

    def due_items(self, cycle: ReportingCycle) -> list[DueItem]:
        """The items lead units report on in this cycle."""

    def for_task(self, task_id: int, year: int) -> list[DueItem]:
        """The items of `year` linked to a measure (shown on that measure's report page)."""

    def item_url(self, source_id: int) -> str | None:
        """The page of one item, None when it no longer exists."""


_SOURCES: dict[str, ItemSource] = {}


def register_item_source(name: str, source: ItemSource) -> None:
    """Register (or replace) the source called `name` (stored in ItemReport.source); from an AppConfig.ready()."""
    if len(name) > 20:
        raise ValueError(f"item source name too long: {name!r}")
    _SOURCES[name] = source


def sources() -> dict[str, ItemSource]:
    return dict(_SOURCES)


def label_of(name: str) -> str:
    source = _SOURCES.get(name)
    return source.label if source else name


def due_items(cycle: ReportingCycle) -> dict[str, list[DueItem]]:
    """source name → the items due in the cycle."""
    return {name: source.due_items(cycle) for name, source in _SOURCES.items()}


def items_for_task(task_id: int, year: int) -> list[tuple[str, DueItem]]:
    """(label, item) for every registered item linked to the measure in that year."""
    return [(source.label, item) for source in _SOURCES.values() for item in source.for_task(task_id, year)]


def item_url(name: str, source_id: int) -> str | None:
    source = _SOURCES.get(name)
    return source.item_url(source_id) if source else None


def assessed_sources() -> set[str]:
    return {name for name, source in _SOURCES.items() if source.in_assessment}


def latest_reports(source: str, source_ids: Iterable[int], states: Iterable[str]) -> dict[tuple[int, int], ItemReport]:
    """(item id, unit id) → the unit's report on the item in the latest cycle (by deadline) among those in
    `states` (e.g. only approved ones, or the ones shared with readers)."""
    latest: dict[tuple[int, int], ItemReport] = {}
    rows = (ItemReport.objects.filter(source=source, source_id__in=list(source_ids), state__in=list(states))
            .select_related("cycle", "unit").order_by("-cycle__deadline", "-pk"))
    for report in rows:
        latest.setdefault((report.source_id, report.unit_id), report)
    return latest

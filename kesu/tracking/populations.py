"""Resident populations of areas, for the roll-up's population-weighted rates (kesu.domain.rollup_rules: given only
when every reporting area's population is known).

tracking asks this registry; the app that records populations (funding: 常住人口 per jurisdiction and year) registers
a source in its AppConfig.ready(), so tracking never imports it. A source that changes a population must bump the
versions of that jurisdiction's plans (kesu.plans.data_version) so the cached roll-up changes with it.
"""

from __future__ import annotations

from collections.abc import Callable

PopulationSource = Callable[[list[int], int], dict[int, int]]  # (jurisdiction ids, year) → id → persons
_SOURCES: dict[str, PopulationSource] = {}


def register_population_source(name: str, source: PopulationSource) -> None:
    """Register (or replace) the source called `name`; called from an AppConfig.ready()."""
    _SOURCES[name] = source


def populations(jurisdiction_ids: list[int], year: int) -> dict[int, int]:
    """Each area's resident population in the year (or the latest year before it), where a source knows it."""
    found: dict[int, int] = {}
    for source in _SOURCES.values():
        for jurisdiction_id, people in source(jurisdiction_ids, year).items():
            found.setdefault(jurisdiction_id, people)
    return found

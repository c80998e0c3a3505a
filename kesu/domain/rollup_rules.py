"""How a target shared by several areas is rolled up (下辖地区汇总), by the kind of target.

- counts (人, 场, 个, 万人次 …) are summed, target and current value alike;
- rates, shares and ratios (unit % or ‰, a per-something unit such as 名/校 or 次/学期, or an indicator named
  …率/比例/占比/比重) are never summed: each area's
  value is shown with the minimum, median and maximum across areas; where every area's population is
  known, the population-weighted rate is given as well.
An area without an approved value is left out of the current figures and counted as “未报”.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from enum import StrEnum

RATE_UNITS = frozenset({"%", "％", "‰"})
RATE_WORDS = ("率", "比例", "占比", "比重")

COUNT_RULE = "数量类目标（人、场、个等）跨地区相加：目标值相加，当前值取各地最新审核通过的填报值相加。"
RATE_RULE = ("比率类目标（单位为%、‰或“名/校”这类每单位数，或指标名含“率”“比例”“占比”“比重”）不相加："
             "列出各地当前值及最低、中位、最高值；各地人口均已知时另给按人口加权的比率。")


class Kind(StrEnum):
    COUNT = "count"
    RATE = "rate"


def kind_of(indicator: str, unit: str) -> Kind:
    """A rate/share/ratio when its unit is % or ‰ or per something (名/校, 每校) or its name says so (参与率, 比例,
    占比); otherwise a count."""
    unit = (unit or "").strip()
    per_something = "/" in unit or "／" in unit or unit.startswith("每")
    if unit in RATE_UNITS or per_something or any(word in (indicator or "") for word in RATE_WORDS):
        return Kind.RATE
    return Kind.COUNT


@dataclass(frozen=True)
class AreaValue:
    area: str
    target: float
    current: float | None  # None: no approved value yet
    population: float | None = None
    note: str = ""  # e.g. “沿用2026年第三季度已审核数据”


@dataclass(frozen=True)
class Spread:
    low: float
    median: float
    high: float


@dataclass(frozen=True)
class Rolled:
    indicator: str
    unit: str
    kind: Kind
    areas: list[AreaValue]
    target_total: float | None = None  # counts only
    current_total: float | None = None  # counts only
    target_spread: Spread | None = None  # rates only
    current_spread: Spread | None = None  # rates only
    weighted_current: float | None = None  # rates, when every reporting area's population is known

    @property
    def reported(self) -> int:
        return sum(a.current is not None for a in self.areas)

    @property
    def share(self) -> float | None:
        """Counts: current total ÷ target total. Rates have no summed share."""
        if self.kind is Kind.COUNT and self.target_total:
            return (self.current_total or 0.0) / self.target_total
        return None

    @property
    def rule(self) -> str:
        return COUNT_RULE if self.kind is Kind.COUNT else RATE_RULE


def spread(values: list[float]) -> Spread | None:
    if not values:
        return None
    return Spread(min(values), statistics.median(values), max(values))


def roll_up(indicator: str, unit: str, areas: list[AreaValue]) -> Rolled:
    kind = kind_of(indicator, unit)
    reported = [a for a in areas if a.current is not None]
    if kind is Kind.COUNT:
        return Rolled(indicator, unit, kind, areas, target_total=sum(a.target for a in areas),
                      current_total=sum(a.current or 0.0 for a in reported) if reported else None)
    weighted = None
    if reported and all(a.population for a in reported):
        people = sum(a.population or 0.0 for a in reported)
        weighted = sum((a.current or 0.0) * (a.population or 0.0) for a in reported) / people
    return Rolled(indicator, unit, kind, areas, target_spread=spread([a.target for a in areas]),
                  current_spread=spread([a.current for a in reported if a.current is not None]),
                  weighted_current=weighted)

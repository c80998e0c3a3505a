"""How far a numeric target is, and whether its trend will meet the deadline — with the basis stated.

Three kinds of target (kesu-plan/1): a cumulative one with a deadline year (累计培育1万人次 by 2025),
a yearly one (每年培训2000人, annual=True) and a standing requirement (每周2节科学课: no year, not annual).
Cumulative targets are assumed to start from 0 at the beginning of the plan period; the projection is a
straight line through the reported values (least squares when there are two or more, otherwise the
average pace since the start). On track: the projection meets the target; at risk: it reaches at least
AT_RISK_SHARE of it; behind: less, or the deadline passed unmet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from kesu.domain.number_text import comparator_text

AT_RISK_SHARE = 0.85


class Status(StrEnum):
    REACHED = "reached"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BEHIND = "behind"
    NO_DATA = "no_data"


STATUS_LABELS = {
    Status.REACHED: "已达成", Status.ON_TRACK: "进度正常", Status.AT_RISK: "存在风险",
    Status.BEHIND: "进度滞后", Status.NO_DATA: "暂无数据",
}


@dataclass(frozen=True)
class TargetSpec:
    value: float
    comparator: str  # ">=", ">" or "="
    year: int | None
    annual: bool
    unit: str = ""


@dataclass(frozen=True)
class Observation:
    as_of: dt.date  # end of the reported period
    value: float


@dataclass(frozen=True)
class Progress:
    status: Status
    latest: Observation | None
    share: float | None  # latest value / target value
    projected: float | None
    basis: str

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def _meets(value: float, spec: TargetSpec) -> bool:
    return value > spec.value if spec.comparator == ">" else value >= spec.value


def _fmt(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def _grade(projected: float, spec: TargetSpec) -> Status:
    if _meets(projected, spec):
        return Status.ON_TRACK
    return Status.AT_RISK if spec.value and projected >= AT_RISK_SHARE * spec.value else Status.BEHIND


def least_squares_slope(points: list[tuple[float, float]]) -> float:
    """Slope of the least-squares line through (x, y) points; 0 when all x are equal."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx


def assess(spec: TargetSpec, observations: list[Observation], plan_start_year: int, today: dt.date) -> Progress:
    obs = sorted(observations, key=lambda o: o.as_of)
    if not obs:
        return Progress(Status.NO_DATA, None, None, None, "尚无已审核的填报数据。")
    latest = obs[-1]
    share = latest.value / spec.value if spec.value else None
    target_text = f"目标{comparator_text(spec.comparator)}{_fmt(spec.value)}{spec.unit}"
    if spec.annual:
        return _assess_annual(spec, obs, latest, share, target_text)
    if spec.year is None:
        status = Status.REACHED if _meets(latest.value, spec) else Status.BEHIND
        basis = f"常态化要求：最新填报值 {_fmt(latest.value)}{spec.unit}（截至{latest.as_of:%Y年%m月%d日}），{target_text}。"
        return Progress(status, latest, share, None, basis)
    if _meets(latest.value, spec):
        return Progress(Status.REACHED, latest, share, latest.value, f"最新累计值 {_fmt(latest.value)}{spec.unit} 已达到{target_text}。")
    deadline = dt.date(spec.year, 12, 31)
    start = dt.date(plan_start_year, 1, 1)
    if today > deadline:
        basis = f"截止{spec.year}年底未达到{target_text}（最新累计值 {_fmt(latest.value)}{spec.unit}）。"
        return Progress(Status.BEHIND, latest, share, latest.value, basis)
    if len(obs) >= 2:
        slope = least_squares_slope([((o.as_of - start).days, o.value) for o in obs])
        method = f"按{len(obs)}期填报值的线性趋势"
    else:
        slope = latest.value / max((latest.as_of - start).days, 1)
        method = f"按{start:%Y年%m月}至{latest.as_of:%Y年%m月}的平均进度"
    projected = latest.value + max(slope, 0.0) * (deadline - latest.as_of).days
    basis = (
        f"{method}（每年约 {_fmt(slope * 365)}{spec.unit}）推算，到{spec.year}年底约为 {_fmt(projected)}{spec.unit}，"
        f"{target_text}；计划期初按 0 计。"
    )
    return Progress(_grade(projected, spec), latest, share, projected, basis)


def _assess_annual(
    spec: TargetSpec, obs: list[Observation], latest: Observation, share: float | None, target_text: str
) -> Progress:
    year = latest.as_of.year
    elapsed = (latest.as_of - dt.date(year, 1, 1)).days + 1
    length = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
    projected = latest.value * length / elapsed
    if _meets(latest.value, spec):
        return Progress(Status.REACHED, latest, share, projected, f"{year}年已完成 {_fmt(latest.value)}{spec.unit}，达到每年{target_text}。")
    basis = (
        f"{year}年截至{latest.as_of:%m月%d日}完成 {_fmt(latest.value)}{spec.unit}，按全年进度推算约 {_fmt(projected)}{spec.unit}，"
        f"每年{target_text}。"
    )
    status = _grade(projected, spec) if elapsed < length else Status.BEHIND
    return Progress(status, latest, share, projected, basis)

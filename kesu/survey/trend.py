"""Is the headline target (公民具备科学素质的比例) within reach? A linear projection, with its basis stated.

Pure Python, no Django. Rules (said in `Outlook.basis` on the page):

* one value per year: the official published figure where there is one, otherwise this platform's survey
  estimate; the plan's baseline (e.g. 2020: 9.8%) counts as the starting point for its year when no figure
  of that year was entered;
* the trend is the least-squares straight line through those values (percentage points per year),
  extended from the latest value to the target year — as `kesu.domain.target_progress` projects targets;
* within reach when the projection meets the target (">" must exceed it, ">=" and "=" reach it); reached when
  the latest value already meets it; with a single year there is no trend, only the pace still needed;
* sampling error is not projected: the latest estimate's 95% interval is quoted beside the statement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kesu.domain.number_text import comparator_text
from kesu.domain.target_progress import STATUS_LABELS, Status, least_squares_slope

KIND_PRIORITY = {"official": 0, "estimate": 1, "baseline": 2}
KIND_LABELS = {"official": "正式公布数", "estimate": "本地调查估计", "baseline": "方案基线"}


@dataclass(frozen=True)
class YearValue:
    year: int
    value: float  # percent
    kind: str  # "official", "estimate" or "baseline"
    ci_low: float | None = None
    ci_high: float | None = None


@dataclass(frozen=True)
class Headline:
    """The plan's headline target; any part may be missing."""

    target_year: int | None
    target_value: float | None
    comparator: str = ">="
    baseline_year: int | None = None
    baseline_value: float | None = None

    @property
    def has_target(self) -> bool:
        return self.target_year is not None and self.target_value is not None

    def target_text(self) -> str:
        return f"{self.target_year}年{comparator_text(self.comparator)}{_pct(self.target_value)}"

    def meets(self, value: float) -> bool:
        assert self.target_value is not None
        return value > self.target_value if self.comparator == ">" else value >= self.target_value - 1e-9


@dataclass
class Outlook:
    status: Status
    sentence: str  # the plain answer
    basis: str  # how it was worked out
    series: list[YearValue] = field(default_factory=list)
    slope: float | None = None  # percentage points per year
    projected: float | None = None  # at the target year
    needed: float | None = None  # percentage points per year still needed from the latest value
    projection: list[tuple[int, float]] = field(default_factory=list)  # the dashed line on the chart

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def within_reach(self) -> bool | None:
        if self.status in (Status.REACHED, Status.ON_TRACK):
            return True
        if self.status in (Status.BEHIND, Status.AT_RISK):
            return False
        return None


def _pct(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"


def _pp(value: float) -> str:
    return f"{abs(value):.2f}".rstrip("0").rstrip(".") + " 个百分点"


def yearly_series(figures: Iterable[YearValue], headline: Headline | None = None) -> list[YearValue]:
    """One value per year: official before estimate; the plan's baseline where its year has no figure."""
    best: dict[int, YearValue] = {}
    points = list(figures)
    if headline is not None and headline.baseline_year is not None and headline.baseline_value is not None:
        points.append(YearValue(headline.baseline_year, headline.baseline_value, "baseline"))
    for point in points:
        current = best.get(point.year)
        if current is None or KIND_PRIORITY[point.kind] < KIND_PRIORITY[current.kind]:
            best[point.year] = point
    return [best[y] for y in sorted(best)]


def _basis(series: list[YearValue], headline: Headline) -> str:
    used = "，".join(f"{p.year}年 {_pct(p.value)}（{KIND_LABELS[p.kind]}）" for p in series)
    text = (
        "依据：每个年份取正式公布数，没有公布数的年份取本平台抽样调查估计"
        + ("，方案基线作为起点" if any(p.kind == "baseline" for p in series) else "")
        + f"。所用数据：{used}。"
    )
    if len(series) >= 2:
        text += "趋势为各年份数据的最小二乘直线，从最新数据按该斜率外推到目标年份；"
    text += "推算未计入抽样误差。"
    return text


def _interval_note(latest: YearValue, headline: Headline) -> str:
    if latest.ci_low is None or latest.ci_high is None:
        return ""
    note = f"{latest.year}年{KIND_LABELS[latest.kind]}的95%置信区间为 {_pct(latest.ci_low)}–{_pct(latest.ci_high)}"
    if headline.target_value is not None:
        if latest.ci_low > headline.target_value:
            note += "，区间下限已高于目标值"
        elif latest.ci_high < headline.target_value:
            note += "，区间上限仍低于目标值"
        else:
            note += "，区间包含目标值"
    return note + "。"


def outlook(figures: Iterable[YearValue], headline: Headline | None, this_year: int) -> Outlook:
    """Whether the headline target is within reach, in one plain sentence, with the basis."""
    headline = headline or Headline(None, None)
    series = yearly_series(figures, headline)
    if not headline.has_target:
        return Outlook(
            Status.NO_DATA,
            "本地区的实施方案没有设定“公民具备科学素质的比例”目标值，无法判断能否实现目标。",
            "请在实施方案信息中填写科学素质比例的基线和目标。",
            series,
        )
    target = headline.target_value
    assert target is not None and headline.target_year is not None
    target_text = headline.target_text()
    if not series:
        return Outlook(
            Status.NO_DATA,
            f"还没有任何年份的科学素质比例数据，无法判断能否实现目标（{target_text}）。",
            "请录入正式公布数（如基线年份的调查结果），或完成一次抽样调查估计并记录。",
            series,
        )
    basis = _basis(series, headline)
    latest = series[-1]
    note = _interval_note(latest, headline)
    target_year = headline.target_year

    at_target = [p for p in series if p.year == target_year]
    if latest.year >= target_year:
        final = at_target[0] if at_target else latest
        reached = headline.meets(final.value)
        sentence = (
            f"{final.year}年为 {_pct(final.value)}（{KIND_LABELS[final.kind]}），"
            + ("已实现目标" if reached else "未实现目标")
            + f"（{target_text}）。"
        )
        return Outlook(Status.REACHED if reached else Status.BEHIND, sentence + note, basis, series)

    years_left = target_year - latest.year
    needed = (target - latest.value) / years_left
    slope = projected = None
    projection: list[tuple[int, float]] = []
    if len(series) >= 2:
        slope = least_squares_slope([(p.year, p.value) for p in series])
        projected = latest.value + slope * years_left
        projection = [(latest.year, latest.value), (target_year, projected)]
    passed = this_year > target_year
    lead = f"目标年份 {target_year} 年已过，但尚无该年数据。" if passed else ""

    if headline.meets(latest.value):
        sentence = f"最新数据 {latest.year}年 {_pct(latest.value)}（{KIND_LABELS[latest.kind]}）已达到目标（{target_text}）"
        if slope is not None and slope < 0:
            sentence += f"，但趋势在下降（每年约 {_pp(slope)}），需保持"
        return Outlook(Status.REACHED, lead + sentence + "。" + note, basis, series, slope, projected, needed, projection)

    if slope is None:
        sentence = (
            f"只有 {latest.year} 年 1 个年份的数据（{_pct(latest.value)}），还不能推算趋势；"
            f"要实现目标（{target_text}），{latest.year + 1}—{target_year}年每年需提高约 {_pp(needed)}。"
        )
        return Outlook(Status.NO_DATA, lead + sentence + note, basis, series, None, None, needed, [])

    assert projected is not None
    first = series[0].year
    trend = f"每年{'提高' if slope >= 0 else '下降'}约 {_pp(slope)}"
    within = headline.meets(projected)
    sentence = (
        f"按{first}—{latest.year}年 {len(series)} 个年份数据的线性趋势（{trend}）推算，"
        f"到{target_year}年约为 {_pct(projected)}，{'达到' if within else '低于'}目标（{target_text}）："
        + ("按目前趋势，目标可以实现。" if within else "按目前趋势，目标难以实现。")
    )
    if not within:
        sentence += f"要实现目标，{latest.year + 1}—{target_year}年每年需提高约 {_pp(needed)}。"
    return Outlook(
        Status.ON_TRACK if within else Status.BEHIND, lead + sentence + note, basis, series, slope, projected,
        needed, projection,
    )

"""Charts as inline SVG, drawn on the server: nothing to download, no script, readable on a phone.

* `interval_chart` — one row per group: a dot at the rate and a whisker for its 95% interval (several
  series per row for direct vs. model estimates), with a dashed reference line (the overall rate);
* `trend_chart` — the yearly figures against the plan's baseline → target path and the projection.

Text uses the page's font (Noto Sans CJK etc. from kesu.css), so Chinese renders as in the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kesu.survey.trend import Headline, Outlook, YearValue

BRAND = "#1d4f91"
LEAD = "#b42318"
SUPPORT = "#1d6f42"
MUTED = "#616e7c"
GRID = "#d9e2ec"
SERIES_COLORS = (BRAND, "#e07b00", SUPPORT)


@dataclass(frozen=True)
class Interval:
    value: float  # a share 0–1
    low: float | None
    high: float | None


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / max(ticks, 1)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power


def _fmt_pct(share: float, digits: int = 1) -> str:
    return f"{100 * share:.{digits}f}%"


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 13, color: str = "#1f2933",
          weight: str = "normal") -> str:
    bold = f' font-weight="{weight}"' if weight != "normal" else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{color}"{bold}>'
        f"{escape(text)}</text>"
    )


def _short(label: str, room: float, size: float) -> str:
    """The label, cut with … to fit `room` pixels at font `size` (the full label is in the <title>)."""
    if _text_width(label, size) <= room:
        return label
    while label and _text_width(label + "…", size) > room:
        label = label[:-1]
    return label + "…"


def _text_width(text: str, size: float) -> float:
    return sum(size if ord(ch) > 0x2E7F else 0.6 * size for ch in text)


def _legend(items: Sequence[tuple[str, str]], x0: float, width: float, size: int) -> tuple[list[str], float]:
    """Legend entries (marker SVG drawn at (0, 0)–(16, 12), label), wrapped into rows; returns parts, height."""
    parts, lx, ly = [], x0, 4.0
    for marker, label in items:
        item_w = 20 + _text_width(label, size) + 14
        if lx > x0 and lx + item_w > width:
            lx, ly = x0, ly + size + 8
        parts.append(f'<g transform="translate({lx:.1f},{ly:.1f})">{marker}</g>')
        parts.append(_text(lx + 20, ly + size - 1, label, size=size))
        lx += item_w
    return parts, ly + size + 8


def interval_chart(
    rows: Sequence[tuple[str, Sequence[Interval]]],
    *,
    series: Sequence[str] = ("估计值",),
    reference: float | None = None,
    reference_label: str = "",
    title: str = "",
) -> SafeString:
    """Dot-and-whisker rows (values are shares 0–1): a wide chart, and a narrow one shown on phones."""
    kwargs = {"series": series, "reference": reference, "reference_label": reference_label, "title": title}
    return mark_safe(_interval_svg(rows, narrow=False, **kwargs) + _interval_svg(rows, narrow=True, **kwargs))


def _interval_svg(
    rows: Sequence[tuple[str, Sequence[Interval]]],
    *,
    series: Sequence[str],
    reference: float | None,
    reference_label: str,
    title: str,
    narrow: bool,
) -> str:
    width, left, right, size = (360, 80, 48, 13) if narrow else (640, 150, 70, 13)
    small = size - 2
    legend: list[str] = []
    legend_h = 0.0
    if len(series) > 1:
        items = [
            (f'<circle cx="6" cy="6" r="5" fill="{SERIES_COLORS[i % len(SERIES_COLORS)]}"/>', name)
            for i, name in enumerate(series)
        ]
        legend, legend_h = _legend(items, 8 if narrow else left, width, small)
    top = legend_h + 26
    per_series = 16
    row_h = max(28, per_series * len(series) + 12)
    height = top + row_h * len(rows) + (16 if reference is not None and reference_label else 10)
    highs = [iv.high if iv.high is not None else iv.value for _, ivs in rows for iv in ivs]
    top_value = max([*highs, reference or 0, 0.01])
    step = _nice_step(top_value)
    axis_max = step * math.ceil(top_value / step + 0.15)
    plot_w = width - left - right

    def x(v: float) -> float:
        return left + plot_w * max(0.0, min(v, axis_max)) / axis_max

    parts = [
        f'<svg class="chart {"narrow" if narrow else "wide"}" viewBox="0 0 {width} {height:.0f}" role="img"'
        f' aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" font-family="inherit">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    parts.extend(legend)
    for k in range(round(axis_max / step) + 1):
        tick = k * step
        parts.append(f'<line x1="{x(tick):.1f}" y1="{top - 6}" x2="{x(tick):.1f}" y2="{top + row_h * len(rows)}" stroke="{GRID}"/>')
        parts.append(_text(x(tick), top - 10, _fmt_pct(tick, 0 if step >= 0.01 else 1), anchor="middle", size=small, color=MUTED))
    if reference is not None:
        parts.append(
            f'<line x1="{x(reference):.1f}" y1="{top - 4}" x2="{x(reference):.1f}" y2="{top + row_h * len(rows)}" '
            f'stroke="{LEAD}" stroke-dasharray="4 3"/>'
        )
    for r, (label, intervals) in enumerate(rows):
        y0 = top + r * row_h
        if r % 2 == 1:
            parts.append(f'<rect x="0" y="{y0}" width="{width}" height="{row_h}" fill="#f5f7fa"/>')
        mid = y0 + row_h / 2
        parts.append(
            f"<g><title>{escape(label)}</title>{_text(left - 6, mid + 4.5, _short(label, left - 10, size), anchor='end', size=size)}</g>"
        )
        count = len(intervals)
        for i, iv in enumerate(intervals):
            color = SERIES_COLORS[i % len(SERIES_COLORS)]
            y = mid + (i - (count - 1) / 2) * per_series
            if iv.low is not None and iv.high is not None:
                parts.append(
                    f'<line x1="{x(iv.low):.1f}" y1="{y:.1f}" x2="{x(iv.high):.1f}" y2="{y:.1f}" stroke="{color}" stroke-width="2"/>'
                    f'<line x1="{x(iv.low):.1f}" y1="{y - 5:.1f}" x2="{x(iv.low):.1f}" y2="{y + 5:.1f}" stroke="{color}" stroke-width="2"/>'
                    f'<line x1="{x(iv.high):.1f}" y1="{y - 5:.1f}" x2="{x(iv.high):.1f}" y2="{y + 5:.1f}" stroke="{color}" stroke-width="2"/>'
                )
            parts.append(f'<circle cx="{x(iv.value):.1f}" cy="{y:.1f}" r="4.5" fill="{color}"/>')
            end = x(iv.high if iv.high is not None else iv.value)
            parts.append(_text(end + 5, y + 4, _fmt_pct(iv.value), size=small, color=color))
    if reference is not None and reference_label:
        parts.append(_text(x(reference) + 4, height - 3, f"{reference_label} {_fmt_pct(reference)}", size=small, color=LEAD))
    parts.append("</svg>")
    return "".join(parts)


def trend_chart(
    figures: Sequence[YearValue], headline: Headline | None, outlook: Outlook, *, this_year: int
) -> SafeString:
    """Years across, percent up: estimates with their 95% band, official figures as diamonds, the plan's
    baseline → target path (dashed), the projection (dotted) and the target marked at its year. A wide chart
    and a narrow one for phones."""
    return mark_safe(
        _trend_svg(figures, headline, outlook, this_year=this_year, narrow=False)
        + _trend_svg(figures, headline, outlook, this_year=this_year, narrow=True)
    )


def _trend_svg(
    figures: Sequence[YearValue], headline: Headline | None, outlook: Outlook, *, this_year: int, narrow: bool
) -> str:
    width, height, left, right, bottom, size = (360, 290, 38, 56, 28, 11) if narrow else (640, 330, 48, 84, 34, 11)
    legend_items = [
        (f'<rect x="0" y="0" width="14" height="12" fill="{BRAND}" fill-opacity=".18"/>'
         f'<circle cx="7" cy="6" r="3.5" fill="{BRAND}"/>', "本地调查估计（95%置信区间）"),
        (f'<path d="M7 -1 L14 6 L7 13 L0 6 Z" fill="{SUPPORT}"/>', "正式公布数"),
        (f'<line x1="0" y1="6" x2="16" y2="6" stroke="{LEAD}" stroke-width="2" stroke-dasharray="5 3"/>', "方案基线→目标"),
        (f'<line x1="0" y1="6" x2="16" y2="6" stroke="{MUTED}" stroke-width="2" stroke-dasharray="2 3"/>', "趋势推算"),
    ]
    legend, legend_h = _legend(legend_items, 8 if narrow else left, width, size)
    top = legend_h + 22
    years = [f.year for f in figures]
    if headline is not None:
        years += [y for y in (headline.baseline_year, headline.target_year) if y is not None]
    if not years:
        years = [this_year]
    first, last = min(years), max(years)
    if last - first < 4:
        first = min(first, last - 4)
    values = [f.value for f in figures] + [f.ci_high for f in figures if f.ci_high is not None]
    if headline is not None:
        values += [v for v in (headline.baseline_value, headline.target_value) if v is not None]
    values += [v for _, v in outlook.projection]
    top_value = max([*values, 1.0])
    step = _nice_step(top_value, 5)
    axis_max = step * math.ceil(top_value * 1.08 / step)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(year: float) -> float:
        return left + plot_w * (year - first + 0.5) / (last - first + 1)

    def y(v: float) -> float:
        return top + plot_h * (1 - max(0.0, min(v, axis_max)) / axis_max)

    parts = [
        f'<svg class="chart {"narrow" if narrow else "wide"}" viewBox="0 0 {width} {height:.0f}" role="img"'
        ' xmlns="http://www.w3.org/2000/svg" aria-label="公民具备科学素质的比例：历年数据与目标" font-family="inherit">'
        "<title>公民具备科学素质的比例：历年数据与目标</title>"
    ]
    parts.extend(legend)
    for k in range(round(axis_max / step) + 1):
        tick = k * step
        parts.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 5, y(tick) + 4, f"{tick:g}%", anchor="end", size=size, color=MUTED))
    label_every = 1 if (last - first) * (2 if narrow else 1) <= 10 else 2
    for year in range(first, last + 1):
        if (year - first) % label_every == 0 or year == last:
            parts.append(_text(x(year), height - bottom + 18, str(year), anchor="middle", size=size, color=MUTED))

    # the plan's path and target
    if headline is not None and headline.has_target:
        tx, ty = x(headline.target_year), y(headline.target_value)
        if headline.baseline_year is not None and headline.baseline_value is not None:
            parts.append(
                f'<line x1="{x(headline.baseline_year):.1f}" y1="{y(headline.baseline_value):.1f}" x2="{tx:.1f}" y2="{ty:.1f}"'
                f' stroke="{LEAD}" stroke-width="2" stroke-dasharray="6 4"/>'
            )
            parts.append(f'<circle cx="{x(headline.baseline_year):.1f}" cy="{y(headline.baseline_value):.1f}" r="4" fill="#fff" stroke="{LEAD}" stroke-width="2"/>')
        parts.append(f'<line x1="{tx - 14:.1f}" y1="{ty:.1f}" x2="{tx + 14:.1f}" y2="{ty:.1f}" stroke="{LEAD}" stroke-width="3"/>')
        parts.append(_text(tx, ty - 8, f"目标 {headline.target_value:g}%", anchor="middle", size=size + 1, color=LEAD, weight="bold"))

    estimates = sorted((f for f in figures if f.kind == "estimate"), key=lambda f: f.year)
    banded = [f for f in estimates if f.ci_low is not None and f.ci_high is not None]
    if len(banded) >= 2:
        upper = " ".join(f"{x(f.year):.1f},{y(f.ci_high):.1f}" for f in banded)
        lower = " ".join(f"{x(f.year):.1f},{y(f.ci_low):.1f}" for f in reversed(banded))
        parts.append(f'<polygon points="{upper} {lower}" fill="{BRAND}" fill-opacity=".15"/>')
    for f in banded:
        parts.append(
            f'<line x1="{x(f.year):.1f}" y1="{y(f.ci_low):.1f}" x2="{x(f.year):.1f}" y2="{y(f.ci_high):.1f}" stroke="{BRAND}" stroke-width="2" stroke-opacity=".55"/>'
            f'<line x1="{x(f.year) - 5:.1f}" y1="{y(f.ci_low):.1f}" x2="{x(f.year) + 5:.1f}" y2="{y(f.ci_low):.1f}" stroke="{BRAND}" stroke-opacity=".55"/>'
            f'<line x1="{x(f.year) - 5:.1f}" y1="{y(f.ci_high):.1f}" x2="{x(f.year) + 5:.1f}" y2="{y(f.ci_high):.1f}" stroke="{BRAND}" stroke-opacity=".55"/>'
        )
    if len(estimates) >= 2:
        path = " ".join(f"{x(f.year):.1f},{y(f.value):.1f}" for f in estimates)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{BRAND}" stroke-width="2"/>')
    if outlook.projection:
        (y0, v0), (y1, v1) = outlook.projection
        parts.append(
            f'<line x1="{x(y0):.1f}" y1="{y(v0):.1f}" x2="{x(y1):.1f}" y2="{y(v1):.1f}" stroke="{MUTED}" stroke-width="2" stroke-dasharray="2 4"/>'
            f'<circle cx="{x(y1):.1f}" cy="{y(v1):.1f}" r="4" fill="#fff" stroke="{MUTED}" stroke-width="2"/>'
        )
        parts.append(_text(x(y1) + 7, y(v1) + 4, f"推算 {v1:.1f}%", size=size, color=MUTED))
    for f in estimates:
        parts.append(f'<g><title>{f.year}年本地调查估计 {f.value:.2f}%</title><circle cx="{x(f.year):.1f}" cy="{y(f.value):.1f}" r="5" fill="{BRAND}"/></g>')
        parts.append(_text(x(f.year) - 8, y(f.value) - 6, f"{f.value:.1f}%", anchor="end", size=size, color=BRAND))
    for f in figures:
        if f.kind == "official":
            cx, cy = x(f.year), y(f.value)
            parts.append(
                f'<g><title>{f.year}年正式公布数 {f.value:g}%</title>'
                f'<path d="M{cx:.1f} {cy - 7:.1f} L{cx + 7:.1f} {cy:.1f} L{cx:.1f} {cy + 7:.1f} L{cx - 7:.1f} {cy:.1f} Z" fill="{SUPPORT}"/></g>'
            )
            parts.append(_text(cx, cy + 9 + size, f"{f.value:g}%", anchor="middle", size=size, color=SUPPORT))
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{MUTED}"/>')
    parts.append("</svg>")
    return "".join(parts)

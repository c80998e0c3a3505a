"""Numbers of the survey pages: shares as percentages, standard errors in percentage points, intervals."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pct(value: float | None, digits: int = 2) -> str:
    """A share as a percentage: 0.17851 → 17.85%."""
    if value is None or value == "":
        return "—"
    return f"{100 * float(value):.{int(digits)}f}%"


@register.filter
def pp(value: float | None) -> str:
    """A share's standard error in percentage points: 0.01507 → 1.51."""
    if value is None or value == "":
        return "—"
    return f"{100 * float(value):.2f}"


@register.filter
def ci(bounds, kind: str = "share") -> str:
    """[low, high] as 15.04%–21.05% (shares) or 18.21–19.76 (means, kind="mean")."""
    if not bounds or bounds[0] is None:
        return "—"
    low, high = bounds
    if kind == "mean":
        return f"{low:.2f}–{high:.2f}"
    return f"{100 * low:.2f}%–{100 * high:.2f}%"


@register.filter
def dec(value: float | None, digits: int = 2) -> str:
    if value is None or value == "":
        return "—"
    return f"{float(value):.{int(digits)}f}"


@register.filter
def thousands(value: float | None) -> str:
    if value is None or value == "":
        return "—"
    return f"{float(value):,.0f}"


@register.filter
def group_value(estimate: dict) -> str:
    return next(iter(estimate["group"].values()), "全体")


@register.filter
def level(estimate: dict, level_id: str) -> dict:
    return next((s for s in estimate["levels"] if s["id"] == level_id), {})


@register.filter
def dimension(estimate: dict, dimension_id: str) -> dict:
    return next((d for d in estimate["dimensions"] if d["id"] == dimension_id), {})


@register.filter
def share_width(value: float | None, points: float | None = None) -> str:
    """CSS width for a bar: a share (0–1) or a mean out of `points`."""
    if value is None:
        return "0"
    share = float(value) / float(points) if points else float(value)
    return f"{max(0.0, min(share, 1.0)) * 100:.1f}"


@register.filter
def percent_number(value: float | None) -> str:
    """A stored percentage (figures are kept in %): 14.5 → 14.5%."""
    if value is None or value == "":
        return "—"
    return f"{float(value):.2f}".rstrip("0").rstrip(".") + "%"


@register.filter
def group_label(variable: str) -> str:
    """gender → 性别 (the Chinese name of a grouping variable)."""
    from kesu.domain.survey.responses import GROUP_NAMES

    return GROUP_NAMES.get(variable, variable)

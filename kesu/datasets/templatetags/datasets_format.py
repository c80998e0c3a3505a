"""Template filters of the statistics pages."""

from __future__ import annotations

from django import template

from kesu.domain.data_sets import Aggregate
from kesu.plans.templatetags.kesu_format import num, percent

register = template.Library()


@register.filter
def figure(figures: Aggregate, code: str) -> str:
    """An indicator's sum as written (6, 12.5), a rate or share as a percentage with one decimal; — when unknown."""
    if code in figures.fractions:
        return percent(figures.fractions[code].rate)
    value = figures.totals.get(code)
    return "—" if value is None else num(value)

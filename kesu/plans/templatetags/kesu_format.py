from django import template

from kesu.domain.number_text import comparator_text, number_text

register = template.Library()


@register.filter
def num(value: float | int | None) -> str:
    """A number as people write it: 6 (not 6.0), 9.8, 14.5, 10000 (kesu.domain.number_text)."""
    return number_text(value)


@register.filter
def comparator(value: str | None) -> str:
    """">=" → 不低于, ">" → 超过, "=" → 达到 (kesu.domain.number_text)."""
    return comparator_text(value)


@register.filter
def unit_names(task, role: str) -> str:
    """The units of one role (lead/support) of a measure as the plan writes them: 市教育局、市科协."""
    return "、".join(r.written_name for r in task.responsibilities.all() if r.role == role)


@register.filter
def percent(value: float | None) -> str:
    """A share as a percentage with one decimal (0.875 → 87.5%); — when there is nothing to divide."""
    return "—" if value is None else f"{value * 100:.1f}%"



@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key, "")


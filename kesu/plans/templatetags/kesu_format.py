from django import template

register = template.Library()


@register.filter
def num(value: float | int | None) -> str:
    """A number as people write it: 9.8, 14.5, 10000 (no trailing zeros, no exponent)."""
    if value is None or value == "":
        return ""
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return text or "0"


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


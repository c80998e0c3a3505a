from django import template

from kesu.volunteering.views.context import request_roles

register = template.Library()


@register.filter
def get_move(mapping: dict, key: str):
    return mapping.get(key, "")


@register.filter
def hours(value: float | None) -> str:
    """1.5 → 1.5, 2.0 → 2 (hours as people write them)."""
    if value is None:
        return "—"
    return f"{value:.1f}".rstrip("0").rstrip(".")


@register.simple_tag(takes_context=True)
def service_roles(context):
    """The signed-in user's service roles (loaded once per request), for showing only the tabs they may use."""
    request = context.get("request")
    return None if request is None else request_roles(request)

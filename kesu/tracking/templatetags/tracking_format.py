from django import template

from kesu.tracking.events import LABELS

register = template.Library()


@register.filter
def event_label(kind: str) -> str:
    """The Chinese name of a tracking event kind (report_submitted → 提交报告)."""
    return LABELS.get(kind, kind)

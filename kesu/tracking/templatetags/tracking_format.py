from django import template

from kesu.tracking.events import label_of
from kesu.tracking.models import Report

register = template.Library()


@register.filter
def event_label(kind: str) -> str:
    """The Chinese name of a tracking event kind (report_submitted → 提交报告)."""
    return label_of(kind)


@register.filter
def progress_label(key: str) -> str:
    """The Chinese name of a progress status (in_progress → 推进中)."""
    return dict(Report.Progress.choices).get(key, key)

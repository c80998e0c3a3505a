from django import template

from kesu.tracking import cycle_items
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


@register.filter
def item_label(source: str) -> str:
    """The Chinese name of an item report's source (workpoint → 年度工作要点; kesu.tracking.cycle_items)."""
    return cycle_items.label_of(source)

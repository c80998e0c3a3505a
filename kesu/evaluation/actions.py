"""Every write of evaluations: the office saves a narrative part (optimistic locking on its version)."""

from __future__ import annotations

from django.db import transaction

from kesu.domain.refusals import Refused
from kesu.evaluation import events
from kesu.evaluation.events import Actor
from kesu.evaluation.models import EvaluationText, Part
from kesu.plans.access import ensure_plan_open
from kesu.plans.models import Plan

MAX_TEXT = 20000


class StaleEvaluationText(Refused):
    """Someone saved the part since it was opened; `current` is their text, shown to the user beside their own."""

    def __init__(self, current: EvaluationText) -> None:
        who = current.updated_by.username if current.updated_by else "其他人"
        super().__init__(f"{who} 已在 {current.updated_at:%Y-%m-%d %H:%M} 修改了“{current.get_part_display()}”，"
                         "您的内容未保存：请对照对方的内容修改后再保存", field="text")
        self.current = current


@transaction.atomic
def do_save_evaluation_text(plan: Plan, years: tuple[int, int], part: Part, text: str, version: int,
                            actor: Actor) -> EvaluationText:
    """Save one narrative part if nobody saved it since `version`; a history row keeps the old text. An ended plan
    is read-only, its evaluation included (write it before confirming the successor's links)."""
    ensure_plan_open(plan)
    if len(text) > MAX_TEXT:
        raise Refused(f"内容不能超过 {MAX_TEXT} 字", field="text")
    start, end = years
    record, _ = EvaluationText.objects.select_for_update().get_or_create(
        plan=plan, start_year=start, end_year=end, part=part)
    if record.version != version:
        raise StaleEvaluationText(record)
    old = record.text
    if old == text:
        return record
    record.text, record.version, record.updated_by = text, record.version + 1, actor
    record.save()
    events.text_saved(record, actor, old)
    return record

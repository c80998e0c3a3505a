"""History rows of evaluations (EvaluationEvent)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from kesu.evaluation.models import EvaluationEvent, EvaluationText

Actor = AbstractBaseUser | None


def text_saved(text: EvaluationText, actor: Actor, old: str) -> None:
    EvaluationEvent.objects.create(
        plan=text.plan, kind=EvaluationEvent.Kind.TEXT_SAVED, old=old, new=text.text,
        subject=f"{text.start_year}—{text.end_year}年评估 · {text.get_part_display()}",
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
    )

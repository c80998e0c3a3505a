"""One function per plan event; each writes a PlanEvent row, the plan's readable history, and gives the plan a new
data version (kesu.plans.data_version) so that pages cached from its data show the change."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser

from kesu.domain.plan_revision import Change
from kesu.plans import data_version
from kesu.plans.models import Plan, PlanEvent

Actor = AbstractBaseUser | None


def _actor_id(actor: Actor) -> int | None:
    return actor.pk if actor is not None and actor.is_authenticated else None


def plan_imported(plan: Plan, actor: Actor, source_name: str) -> None:
    data_version.bump(plan.pk)
    PlanEvent.objects.create(
        plan=plan, actor_id=_actor_id(actor), kind=PlanEvent.Kind.IMPORTED, subject=plan.title, new=source_name
    )


def plan_revised(plan: Plan, actor: Actor, source_name: str, changes: Iterable[Change]) -> None:
    data_version.bump(plan.pk)
    actor_id = _actor_id(actor)
    rows = [PlanEvent(plan=plan, actor_id=actor_id, kind=PlanEvent.Kind.REVISED, subject=plan.title, new=source_name)]
    rows += [
        PlanEvent(
            plan=plan, actor_id=actor_id, kind=PlanEvent.Kind.REVISED,
            subject=c.where, field=c.field, old=c.old, new=c.new,
        )
        for c in changes
    ]
    PlanEvent.objects.bulk_create(rows)


def field_edited(plan: Plan, actor: Actor, subject: str, field: str, old: object, new: object) -> None:
    data_version.bump(plan.pk)
    PlanEvent.objects.create(
        plan=plan, actor_id=_actor_id(actor), kind=PlanEvent.Kind.EDITED,
        subject=subject, field=field, old="" if old is None else str(old), new="" if new is None else str(new),
    )


def plan_published(plan: Plan, actor: Actor) -> None:
    data_version.bump(plan.pk)
    PlanEvent.objects.create(plan=plan, actor_id=_actor_id(actor), kind=PlanEvent.Kind.PUBLISHED, subject=plan.title)


def plan_unpublished(plan: Plan, actor: Actor) -> None:
    data_version.bump(plan.pk)
    PlanEvent.objects.create(plan=plan, actor_id=_actor_id(actor), kind=PlanEvent.Kind.UNPUBLISHED, subject=plan.title)


def plan_ended(plan: Plan, actor: Actor, successor: Plan) -> None:
    data_version.bump(plan.pk)
    PlanEvent.objects.create(plan=plan, actor_id=_actor_id(actor), kind=PlanEvent.Kind.ENDED, subject=plan.title,
                             field="现行方案", new=successor.title)


def plan_succeeded(plan: Plan, actor: Actor, subject: str, field: str, old: object, new: object) -> None:
    """One confirmed link of the successor `plan` to its predecessor (a measure, a target, a carried baseline)."""
    data_version.bump(plan.pk)
    PlanEvent.objects.create(
        plan=plan, actor_id=_actor_id(actor), kind=PlanEvent.Kind.SUCCEEDED, subject=subject, field=field,
        old="" if old is None else str(old), new="" if new is None else str(new),
    )

"""Who sees and fills statistics (kesu.org.access rules):

- the office of the round's jurisdiction opens rounds, assigns respondents, reviews (approve/return) and enters the
  values of bases and schools (they have no accounts of their own) — and of a township that has no officer;
- a unit reporter fills its own unit's value set; a township officer (志愿服务 ServiceRole officer) its township's;
- supervisors (office or viewer of the jurisdiction or above) read everything of the area; aggregates above a
  county are read by the city and province.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kesu.datasets.models import Round, Submission
from kesu.domain.report_workflow import Actor, Move
from kesu.org.access import User, roles_of
from kesu.org.models import Jurisdiction
from kesu.volunteering.access import roles_of as service_roles_of
from kesu.volunteering.models import ServiceRole

OFFICE_ENTERED = (Submission.Kind.BASE, Submission.Kind.SCHOOL)


def can_read(user: User, jurisdiction: Jurisdiction) -> bool:
    return roles_of(user).supervises(jurisdiction)


def can_manage(user: User, jurisdiction: Jurisdiction) -> bool:
    return roles_of(user).is_office_for(jurisdiction)


def _fills_own(user: User, submission: Submission) -> bool:
    if submission.kind == Submission.Kind.UNIT:
        return submission.unit_id in roles_of(user).reporter_unit_ids(submission.round.jurisdiction)
    if submission.kind == Submission.Kind.TOWNSHIP:
        return submission.area_id in service_roles_of(user).area_ids
    return False


def _office_fills(submission: Submission) -> bool:
    if submission.kind in OFFICE_ENTERED:
        return True
    return submission.kind == Submission.Kind.TOWNSHIP and not ServiceRole.objects.filter(
        kind=ServiceRole.Kind.OFFICER, area_id=submission.area_id).exists()


def can_fill(user: User, submission: Submission) -> bool:
    return _fills_own(user, submission) or (can_manage(user, submission.round.jurisdiction) and _office_fills(submission))


def workflow_actor(user: User, submission: Submission, move: Move) -> Actor | None:
    """The role the user plays for this move (None: may not make it)."""
    if move in (Move.SAVE, Move.SUBMIT):
        return Actor.REPORTER if can_fill(user, submission) else None
    return Actor.OFFICE if can_manage(user, submission.round.jurisdiction) else None


def can_see(user: User, submission: Submission) -> bool:
    return can_read(user, submission.round.jurisdiction) or _fills_own(user, submission)


def own_submissions(user: User) -> QuerySet[Submission]:
    """The value sets the user fills for its unit or township (not what it supervises)."""
    units = roles_of(user).reporter_unit_ids()
    areas = service_roles_of(user).area_ids
    if not units and not areas:
        return Submission.objects.none()
    return Submission.objects.filter(Q(kind=Submission.Kind.UNIT, unit_id__in=units)
                                     | Q(kind=Submission.Kind.TOWNSHIP, area_id__in=areas))


def visible_rounds(user: User, jurisdiction: Jurisdiction) -> QuerySet[Round]:
    return Round.objects.filter(jurisdiction=jurisdiction) if can_read(user, jurisdiction) else Round.objects.none()

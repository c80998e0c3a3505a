"""Who can be assigned to a round (the jurisdiction's member units, townships, science bases and schools, as the
form allows) and who is told about a value set (the unit's reporters, the township's officers, else the office)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q

from kesu.datasets.models import Round, School, Submission
from kesu.org.models import Membership, MemberUnit
from kesu.org.unit_recipients import with_extra_recipients
from kesu.volunteering.models import ScienceBase, ServiceArea, ServiceRole


@dataclass(frozen=True)
class Respondent:
    kind: str
    id: int
    name: str
    links: dict = field(default_factory=dict, compare=False, hash=False)  # Submission's foreign key to it


def candidates(round_: Round) -> dict[tuple[str, int], Respondent]:
    """(kind, id) → respondent, for every respondent the round may be assigned to, in display order."""
    jurisdiction, kinds, found = round_.jurisdiction, round_.definition.respondent_kinds, {}
    rows: list[Respondent] = []
    if Submission.Kind.UNIT in kinds:
        rows += [Respondent("unit", u.pk, u.name, {"unit": u}) for u in
                 MemberUnit.objects.filter(jurisdiction=jurisdiction, stands_for_all=False).order_by("name")]
    if Submission.Kind.TOWNSHIP in kinds:
        rows += [Respondent("township", a.pk, a.name, {"area": a}) for a in
                 ServiceArea.objects.filter(jurisdiction=jurisdiction, kind="township", active=True).order_by("position", "name")]
    if Submission.Kind.BASE in kinds:
        year = round_.year
        bases = ScienceBase.objects.filter(jurisdiction=jurisdiction, designated_year__lte=year) \
            .filter(Q(revoked_year__isnull=True) | Q(revoked_year__gt=year)).order_by("name")
        rows += [Respondent("base", b.pk, b.name, {"base": b}) for b in bases]
    if Submission.Kind.SCHOOL in kinds:
        rows += [Respondent("school", s.pk, s.name, {"school": s}) for s in
                 School.objects.filter(jurisdiction=jurisdiction, active=True).order_by("township", "name")]
    for row in rows:
        found[(row.kind, row.id)] = row
    return found


def recipients(submission: Submission) -> list[AbstractBaseUser]:
    if submission.kind == Submission.Kind.UNIT and submission.unit is not None:
        reporters = [m.user for m in Membership.objects.filter(unit=submission.unit, role=Membership.Role.UNIT_REPORTER)
                     .select_related("user")]
        return with_extra_recipients(submission.unit, reporters)
    if submission.kind == Submission.Kind.TOWNSHIP:
        officers = [r.user for r in ServiceRole.objects.filter(kind=ServiceRole.Kind.OFFICER, area_id=submission.area_id)
                    .select_related("user")]
        if officers:
            return officers
    return [m.user for m in Membership.objects.filter(jurisdiction_id=submission.round.jurisdiction_id,
                                                      role=Membership.Role.OFFICE_ADMIN).select_related("user")]

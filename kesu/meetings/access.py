"""Who sees and changes meetings (kesu.org.access rules): the jurisdiction's office edits; its leaders/viewers and
the levels above read; a unit reporter sees only the decisions its unit leads or supports and completes those
it leads."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kesu.meetings.models import Decision
from kesu.org.access import User, roles_of
from kesu.org.models import Jurisdiction


def can_read(user: User, jurisdiction: Jurisdiction) -> bool:
    return roles_of(user).supervises(jurisdiction)


def can_edit(user: User, jurisdiction: Jurisdiction) -> bool:
    return roles_of(user).is_office_for(jurisdiction)


def reporter_units(user: User, jurisdiction: Jurisdiction) -> set[int]:
    return roles_of(user).reporter_unit_ids(jurisdiction)


def visible_decisions(user: User, jurisdiction: Jurisdiction) -> QuerySet[Decision]:
    """The decisions of the jurisdiction's meetings this user may see (none when it may see none)."""
    decisions = Decision.objects.filter(meeting__jurisdiction=jurisdiction)
    if can_read(user, jurisdiction):
        return decisions
    units = reporter_units(user, jurisdiction)
    return decisions.filter(Q(lead_units__in=units) | Q(support_units__in=units)).distinct() if units else decisions.none()


def can_see_decision(user: User, decision: Decision) -> bool:
    return visible_decisions(user, decision.meeting.jurisdiction).filter(pk=decision.pk).exists()


def can_complete(user: User, decision: Decision) -> bool:
    """The office, or a reporter of one of the decision's lead units."""
    jurisdiction = decision.meeting.jurisdiction
    if can_edit(user, jurisdiction):
        return True
    units = reporter_units(user, jurisdiction)
    return bool(units) and decision.lead_units.filter(pk__in=units).exists()

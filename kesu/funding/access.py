"""Who sees and changes funding (kesu.org.access rules): the jurisdiction's office edits its funding and sets its
per-capita standard; its leaders/viewers and the levels above read; a unit reporter sees and fills only its own
unit's funding for the measures the unit leads."""

from __future__ import annotations

from kesu.org.access import User, roles_of
from kesu.org.models import Jurisdiction


def can_read(user: User, jurisdiction: Jurisdiction) -> bool:
    return roles_of(user).supervises(jurisdiction)


def can_edit(user: User, jurisdiction: Jurisdiction) -> bool:
    return roles_of(user).is_office_for(jurisdiction)


def reporter_units(user: User, jurisdiction: Jurisdiction) -> set[int]:
    return roles_of(user).reporter_unit_ids(jurisdiction)

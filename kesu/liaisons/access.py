"""Who reads and changes a jurisdiction's liaison roster, on top of kesu.org.access (request.roles):
- the office admins of the jurisdiction edit it, reveal a mobile and export full numbers (recorded);
- offices and viewers of the jurisdiction and of the levels above read it (mobiles masked);
- a unit reporter reads only its own unit's entries."""

from __future__ import annotations

from kesu.org.access import Roles
from kesu.org.models import Jurisdiction, MemberUnit


def may_edit(roles: Roles, jurisdiction: Jurisdiction) -> bool:
    return roles.is_office_for(jurisdiction)


def reads_all(roles: Roles, jurisdiction: Jurisdiction) -> bool:
    return roles.supervises(jurisdiction)


def readable_unit_ids(roles: Roles, jurisdiction: Jurisdiction) -> set[int] | None:
    """None: every unit of the jurisdiction; otherwise the units the user reports for (maybe none)."""
    return None if reads_all(roles, jurisdiction) else roles.reporter_unit_ids(jurisdiction)


def may_read_unit(roles: Roles, unit: MemberUnit) -> bool:
    readable = readable_unit_ids(roles, unit.jurisdiction)
    return readable is None or unit.pk in readable

"""Who may see and do what in the grassroots service. Every view, download and export asks these functions.

- the office (科协办公室管理员 of a jurisdiction, org.Membership office_admin): runs the service of its own
  jurisdiction — topics, areas, time limits, roles, teams, volunteers (unmasked), bases, imports, bindings; and
  may do everything an area officer does for any order of its jurisdiction;
- supervisors (office or viewer accounts of a jurisdiction above, and viewers of the same one): read-only,
  personal data masked;
- area officers (社区/乡镇, ServiceRole officer): review and dispatch the orders of their township (or village);
- department claimers (ServiceRole claimer of a MemberUnit): claim orders dispatched to their department and
  assign them to one of its teams;
- team admins (ServiceRole team_admin): accept or decline orders assigned to their team or waiting in the pool,
  record the service and the volunteers' hours, approve volunteers joining the team;
- the requester: whoever holds the tracking code (public pages, no account).

Contact details of an order are shown only to those handling it: the office, the area's officers, the
department it is dispatched to, and the team it is assigned to or held by.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from kesu.domain import dispatch
from kesu.org.access import User, memberships_of
from kesu.org.models import Jurisdiction, Membership
from kesu.services.models import ServiceArea, ServiceOrder, ServiceRole, Team, Volunteer

SUPERVISING_ROLES = (Membership.Role.OFFICE_ADMIN, Membership.Role.VIEWER)


@dataclass
class Roles:
    """A signed-in user's service roles, loaded once per request."""

    user_id: int | None
    superuser: bool = False
    office_paths: list[str] = field(default_factory=list)  # jurisdictions where the user is the office
    supervised_paths: list[str] = field(default_factory=list)  # office or viewer: this and everything below
    area_ids: set[int] = field(default_factory=set)  # areas the user is officer of (a township covers its villages)
    unit_ids: set[int] = field(default_factory=set)
    team_ids: set[int] = field(default_factory=set)

    @property
    def any(self) -> bool:
        return bool(self.superuser or self.office_paths or self.supervised_paths or self.area_ids or self.unit_ids
                    or self.team_ids)


def roles_of(user: User) -> Roles:
    if not user.is_authenticated:
        return Roles(None)
    roles = Roles(user.pk, superuser=user.is_superuser)
    for role, path in ((m.role, m.jurisdiction.path) for m in memberships_of(user)):
        if role == Membership.Role.OFFICE_ADMIN:
            roles.office_paths.append(path)
        if role in SUPERVISING_ROLES:
            roles.supervised_paths.append(path)
    for kind, area, unit, team in ServiceRole.objects.filter(user_id=user.pk).values_list("kind", "area_id", "unit_id", "team_id"):
        if kind == ServiceRole.Kind.OFFICER:
            roles.area_ids.add(area)
        elif kind == ServiceRole.Kind.CLAIMER:
            roles.unit_ids.add(unit)
        else:
            roles.team_ids.add(team)
    return roles


def is_office(roles: Roles, jurisdiction: Jurisdiction) -> bool:
    return roles.superuser or jurisdiction.path in roles.office_paths


def supervises(roles: Roles, jurisdiction: Jurisdiction) -> bool:
    return roles.superuser or any(jurisdiction.path.startswith(p) for p in roles.supervised_paths)


def office_jurisdictions(user: User) -> QuerySet[Jurisdiction]:
    if user.is_superuser:
        return Jurisdiction.objects.all()
    return Jurisdiction.objects.filter(memberships__user_id=user.pk, memberships__role=Membership.Role.OFFICE_ADMIN)


def supervised_jurisdictions(roles: Roles) -> QuerySet[Jurisdiction]:
    if roles.superuser:
        return Jurisdiction.objects.all()
    if not roles.supervised_paths:
        return Jurisdiction.objects.none()
    condition = Q()
    for path in roles.supervised_paths:
        condition |= Q(path__startswith=path)
    return Jurisdiction.objects.filter(condition)


def _officer_covers(roles: Roles, order: ServiceOrder) -> bool:
    return order.township_id in roles.area_ids or (order.village_id is not None and order.village_id in roles.area_ids)


def pool_team_ids(roles: Roles, order: ServiceOrder) -> set[int]:
    """The user's teams that may take this order from the pool: active, in the pool, of its jurisdiction or above."""
    if not roles.team_ids:
        return set()
    above = [int(part) for part in order.jurisdiction.path.strip("/").split("/") if part]
    return set(Team.objects.filter(pk__in=roles.team_ids, in_pool=True, jurisdiction_id__in=above)
               .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=timezone.localdate())).values_list("pk", flat=True))


def order_actors(roles: Roles, order: ServiceOrder) -> set[dispatch.Actor]:
    """The workflow roles the user has towards this order (the pure rules decide what each may do)."""
    actors: set[dispatch.Actor] = set()
    if is_office(roles, order.jurisdiction):
        actors.add(dispatch.Actor.OFFICE)
        actors.add(dispatch.Actor.OFFICER)
    if _officer_covers(roles, order):
        actors.add(dispatch.Actor.OFFICER)
    if order.unit_id is not None and order.unit_id in roles.unit_ids:
        actors.add(dispatch.Actor.UNIT)
    if order.team_id is not None and order.team_id in roles.team_ids:
        actors.add(dispatch.Actor.TEAM)
    if order.state == dispatch.State.POOLED and pool_team_ids(roles, order):
        actors.add(dispatch.Actor.TEAM)
    return actors


def handles(roles: Roles, order: ServiceOrder) -> bool:
    """Handling the order now: may see the contact details."""
    if is_office(roles, order.jurisdiction) or _officer_covers(roles, order):
        return True
    if order.unit_id is not None and order.unit_id in roles.unit_ids:
        return True
    return order.team_id is not None and order.team_id in roles.team_ids


def can_view_order(roles: Roles, order: ServiceOrder) -> bool:
    if handles(roles, order) or supervises(roles, order.jurisdiction):
        return True
    if order.state == dispatch.State.POOLED and pool_team_ids(roles, order):
        return True
    # A team that served the order keeps seeing it (its record, its hours).
    return order.hours.filter(team_id__in=roles.team_ids).exists() if roles.team_ids else False


def visible_orders(roles: Roles) -> QuerySet[ServiceOrder]:
    """Every order the user may see on the board (pool orders for pool teams included)."""
    if roles.superuser:
        return ServiceOrder.objects.all()
    condition = Q(pk__in=[])
    for path in set(roles.supervised_paths) | set(roles.office_paths):
        condition |= Q(jurisdiction__path__startswith=path)
    if roles.area_ids:
        condition |= Q(township_id__in=roles.area_ids) | Q(village_id__in=roles.area_ids)
    if roles.unit_ids:
        condition |= Q(unit_id__in=roles.unit_ids)
    if roles.team_ids:
        condition |= Q(team_id__in=roles.team_ids)
        paths = set(Team.objects.filter(pk__in=roles.team_ids, in_pool=True, dissolved_on__isnull=True)
                    .values_list("jurisdiction__path", flat=True))
        pool = Q(pk__in=[])
        for path in paths:
            pool |= Q(jurisdiction__path__startswith=path)
        condition |= Q(state=dispatch.State.POOLED) & pool
    return ServiceOrder.objects.filter(condition)


def officer_areas(roles: Roles) -> QuerySet[ServiceArea]:
    return ServiceArea.objects.filter(pk__in=roles.area_ids)


# ---------------------------------------------------------------------------- volunteers and teams


def sees_personal_data(roles: Roles, volunteer: Volunteer, user: User | None = None) -> bool:
    """Unmasked ID and phone: only the office of the volunteer's jurisdiction, and the volunteer themself."""
    if user is not None and user.is_authenticated and volunteer.user_id == user.pk:
        return True
    return is_office(roles, volunteer.jurisdiction)


def visible_volunteers(roles: Roles) -> QuerySet[Volunteer]:
    if roles.superuser:
        return Volunteer.objects.all()
    condition = Q(pk__in=[])
    for path in roles.supervised_paths:
        condition |= Q(jurisdiction__path__startswith=path)
    if roles.team_ids:
        condition |= Q(memberships__team_id__in=roles.team_ids)
    return Volunteer.objects.filter(condition).distinct()


def can_view_volunteer(roles: Roles, volunteer: Volunteer, user: User) -> bool:
    if volunteer.user_id is not None and volunteer.user_id == user.pk:
        return True
    return visible_volunteers(roles).filter(pk=volunteer.pk).exists()


def visible_teams(roles: Roles) -> QuerySet[Team]:
    if roles.superuser:
        return Team.objects.all()
    condition = Q(pk__in=roles.team_ids)
    for path in roles.supervised_paths:
        condition |= Q(jurisdiction__path__startswith=path)
    if roles.unit_ids:
        condition |= Q(unit_id__in=roles.unit_ids)
    return Team.objects.filter(condition)


def is_team_admin(roles: Roles, team: Team) -> bool:
    return team.pk in roles.team_ids


def manages_team(roles: Roles, team: Team) -> bool:
    """Approve members and record hours: the team's admins, and the office of its jurisdiction."""
    return is_team_admin(roles, team) or is_office(roles, team.jurisdiction)


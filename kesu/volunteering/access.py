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

from django.db.models import Q, QuerySet
from django.utils import timezone

from kesu.domain import dispatch
from kesu.org import access
from kesu.org.access import User
from kesu.volunteering.models import ServiceArea, ServiceOrder, ServiceRole, Team, Volunteer


class Roles(access.Roles):
    """A user's roles in the jurisdictions (kesu.org.access) and in the service, loaded once per request."""

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self.area_ids: set[int] = set()  # areas the user is officer of (a township covers its villages)
        self.unit_ids: set[int] = set()
        self.team_ids: set[int] = set()

    @property
    def any(self) -> bool:
        return bool(self.supervises_any or self.area_ids or self.unit_ids or self.team_ids)

    @property
    def can_see_service_statistics(self) -> bool:
        """服务统计, 科普基地 and 科普活动 are for the offices and supervisors of an area."""
        return self.supervises_any

    @property
    def can_configure_service(self) -> bool:
        """设置 and 人员角色 are for offices."""
        return self.is_any_office


def roles_of(user: User) -> Roles:
    roles = Roles(user)
    if roles.user_id is None:
        return roles
    for kind, area, unit, team in ServiceRole.objects.filter(user_id=user.pk).values_list("kind", "area_id", "unit_id", "team_id"):
        if kind == ServiceRole.Kind.OFFICER:
            roles.area_ids.add(area)
        elif kind == ServiceRole.Kind.CLAIMER:
            roles.unit_ids.add(unit)
        else:
            roles.team_ids.add(team)
    return roles


def _officer_covers(roles: Roles, order: ServiceOrder) -> bool:
    return order.township_id in roles.area_ids or (order.village_id is not None and order.village_id in roles.area_ids)


def pool_team_ids(roles: Roles, order: ServiceOrder) -> set[int]:
    """The user's teams that may take this order from the pool: active, in the pool, of its jurisdiction or above."""
    if not roles.team_ids:
        return set()
    above = [int(part) for part in order.jurisdiction.path.strip("/").split("/") if part]
    return set(Team.objects.filter(pk__in=roles.team_ids, in_pool=True, jurisdiction_id__in=above)
               .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=timezone.localdate())).values_list("pk", flat=True))


def lost_pool_race(roles: Roles, order: ServiceOrder) -> bool:
    """A pool team that tried to accept an order another team took from the pool first may be told which team
    took it; an order a department assigned to a team is none of its business (it is simply not found)."""
    return (
        order.team_id is not None and order.state in dispatch.HELD and bool(pool_team_ids(roles, order))
        and order.events.filter(kind=dispatch.Move.ACCEPT, from_state=dispatch.State.POOLED).exists()
    )


def order_actors(roles: Roles, order: ServiceOrder) -> set[dispatch.Actor]:
    """The workflow roles the user has towards this order (the pure rules decide what each may do)."""
    actors: set[dispatch.Actor] = set()
    if roles.is_office_for(order.jurisdiction):
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
    if roles.is_office_for(order.jurisdiction) or _officer_covers(roles, order):
        return True
    if order.unit_id is not None and order.unit_id in roles.unit_ids:
        return True
    return order.team_id is not None and order.team_id in roles.team_ids


def can_view_order(roles: Roles, order: ServiceOrder) -> bool:
    if handles(roles, order) or roles.supervises(order.jurisdiction):
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
    for path in roles.supervised_paths:  # every office supervises its own jurisdiction
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


def shown_unmasked(volunteer: Volunteer, user: User | None) -> bool:
    """Pages show ID and phone numbers masked by default, even to the office: unmasked only to the volunteer
    themself. The office reveals one record at a time ("显示完整号码", recorded in the history)."""
    return user is not None and user.is_authenticated and volunteer.user_id == user.pk


def may_reveal_contact(roles: Roles, volunteer: Volunteer) -> bool:
    return roles.is_office_for(volunteer.jurisdiction)


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
    return is_team_admin(roles, team) or roles.is_office_for(team.jurisdiction)


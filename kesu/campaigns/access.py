"""Who sees and does what with campaigns (kesu.org.access rules, plus township officers from the service):

- the office of the campaign's jurisdiction opens and changes it, registers activities for any invited unit or
  township, urges, and downloads the report;
- supervisors (its leaders/viewers and the levels above) read everything, the report included;
- a reporter of an invited unit, and an officer of an invited township, see the campaign and register activities
  for their own unit/township, and see only those activities;
- registered activities are corrected or withdrawn by whoever may register for their unit/township and by the office;
- everyone else: nothing (the public calendar shows activities' dates and places only, no people).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from kesu.campaigns.models import Campaign, CampaignActivity
from kesu.org.access import User
from kesu.org.models import Membership
from kesu.volunteering.access import Roles, roles_of


@dataclass(frozen=True)
class Registrant:
    """As whom a user may register activities under one campaign: invited units and townships."""

    unit_ids: frozenset[int]
    township_ids: frozenset[int]

    def __bool__(self) -> bool:
        return bool(self.unit_ids or self.township_ids)


def roles(user: User) -> Roles:
    return roles_of(user)


def can_manage(roles: Roles, campaign: Campaign) -> bool:
    return roles.is_office_for(campaign.jurisdiction)


def can_read_all(roles: Roles, campaign: Campaign) -> bool:
    return roles.supervises(campaign.jurisdiction)


def registrant(roles: Roles, campaign: Campaign) -> Registrant:
    """The invited units and townships the user registers for (all of them for the campaign's office)."""
    units = set(campaign.invited_units.values_list("pk", flat=True))
    townships = set(campaign.townships.values_list("pk", flat=True))
    if can_manage(roles, campaign):
        return Registrant(frozenset(units), frozenset(townships))
    own_units = roles.reporter_unit_ids(campaign.jurisdiction)
    return Registrant(frozenset(units & own_units), frozenset(townships & roles.area_ids))


def can_see(roles: Roles, campaign: Campaign) -> bool:
    return can_read_all(roles, campaign) or bool(registrant(roles, campaign))


def _own_entries(campaign: Campaign, mine: Registrant) -> QuerySet[CampaignActivity]:
    return campaign.entries.filter(Q(activity__unit_id__in=mine.unit_ids, township__isnull=True) | Q(township_id__in=mine.township_ids))


def visible_entries(roles: Roles, campaign: Campaign) -> QuerySet[CampaignActivity]:
    entries = campaign.entries.all()
    if can_read_all(roles, campaign):
        return entries
    return _own_entries(campaign, registrant(roles, campaign))


def changeable_entries(roles: Roles, campaign: Campaign) -> QuerySet[CampaignActivity]:
    """The activities the user may correct or withdraw: all for the campaign's office, else those of the units and
    townships the user registers for (a unit only its own)."""
    if can_manage(roles, campaign):
        return campaign.entries.all()
    return _own_entries(campaign, registrant(roles, campaign))


def can_change_entry(roles: Roles, entry: CampaignActivity) -> bool:
    return changeable_entries(roles, entry.campaign).filter(pk=entry.pk).exists()


def visible_campaigns(roles: Roles) -> QuerySet[Campaign]:
    """Campaigns of the areas the user supervises, and those its units or townships are invited to."""
    if roles.superuser:
        return Campaign.objects.all()
    condition = Q(pk__in=[])
    for path in roles.supervised_paths:
        condition |= Q(jurisdiction__path__startswith=path)
    for membership in roles.memberships:
        if membership.unit_id is not None and membership.role == Membership.Role.UNIT_REPORTER:
            condition |= Q(invited_units=membership.unit_id, jurisdiction_id=membership.jurisdiction_id)
    if roles.area_ids:
        condition |= Q(townships__in=roles.area_ids)
    return Campaign.objects.filter(condition).distinct()

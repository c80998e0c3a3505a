"""The rubric item 参加主题活动 (kesu.domain.scoring_rubric.CAMPAIGNS), registered with tracking's rubric sources:
per unit, due = the year's campaigns of the plan's jurisdiction it was invited to, done = those where it
registered at least one activity with at least one photo inside the window."""

from __future__ import annotations

from django.db.models import Count, Q

from kesu.campaigns.models import Campaign, CampaignActivity
from kesu.domain.campaign_rules import COUNTED_WORDS, Registered, Window, shares
from kesu.domain.scoring_rubric import Share
from kesu.plans.models import Plan


def registered(campaigns: list[Campaign]) -> list[Registered]:
    """The units' activities under these campaigns with their photo counts (townships' activities have no unit)."""
    rows = (CampaignActivity.objects.filter(campaign__in=campaigns, township__isnull=True)
            .annotate(photos=Count("activity__evidence", filter=Q(activity__evidence__content_type__startswith="image/")))
            .values_list("campaign_id", "activity__unit_id", "activity__held_on", "photos"))
    return [Registered(campaign, unit, held_on, photos) for campaign, unit, held_on, photos in rows]


def campaign_shares(plan: Plan, year: int) -> dict[int, Share]:
    campaigns = list(Campaign.objects.filter(jurisdiction=plan.jurisdiction, year=year))
    windows = [Window(c.pk, c.starts_on, c.ends_on) for c in campaigns]
    invited = Campaign.invited_units.through.objects.filter(campaign__in=campaigns).values_list("campaign_id", "memberunit_id")
    return {unit: Share(done, due, COUNTED_WORDS) for unit, (done, due) in shares(windows, invited, registered(campaigns)).items()}

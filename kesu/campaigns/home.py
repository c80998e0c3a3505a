"""Home blocks (kesu.plans.home): for invited units' reporters and townships' officers, the campaigns under way or
just ended where they have registered nothing yet; for the office, its campaigns of the last weeks with the
number of invited units and townships that registered nothing."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from kesu.campaigns import access
from kesu.campaigns.models import Campaign
from kesu.campaigns.report import build
from kesu.org.models import Membership
from kesu.plans.home import Block, Item
from kesu.volunteering.views.context import request_roles

SHOWN = 5
RECENT = dt.timedelta(days=30)  # a campaign ended this long ago still shows (late registrations)


def _current(campaigns, today: dt.date):
    return campaigns.filter(starts_on__lte=today + RECENT, ends_on__gte=today - RECENT).order_by("ends_on", "pk")


def home_blocks(request: HttpRequest) -> list[Block]:
    roles = request_roles(request)
    today = timezone.localdate()
    blocks = []
    offices = sorted({m.jurisdiction for m in roles.memberships if m.role == Membership.Role.OFFICE_ADMIN}, key=lambda j: j.path)
    for jurisdiction in offices:
        items = []
        for campaign in _current(Campaign.objects.filter(jurisdiction=jurisdiction), today)[:SHOWN]:
            figures = build(campaign)
            waiting = len(figures.idle_units) + len(figures.idle_townships)
            items.append(Item(label=str(campaign), url=reverse("campaigns-campaign", args=[campaign.pk]),
                              figure=str(figures.totals.activities), urgent=bool(waiting) and campaign.ends_on < today,
                              note=f"已登记 {figures.totals.activities} 场；{waiting} 个单位/乡镇尚未登记；{campaign.ends_on:%Y-%m-%d} 结束"))
        if items:
            blocks.append(Block(title=f"主题活动 · {jurisdiction.name}", who=f"科协办公室 · {jurisdiction.name}", items=items,
                                links=[("主题活动", reverse("campaigns-list", args=[jurisdiction.pk]))], order=45))
    items = []
    for campaign in _current(access.visible_campaigns(roles), today).select_related("jurisdiction"):
        if access.can_manage(roles, campaign):
            continue
        mine = access.registrant(roles, campaign)
        if mine and not access.visible_entries(roles, campaign).exists():
            items.append(Item(label=f"{campaign.jurisdiction.name}{campaign}", url=reverse("campaigns-register", args=[campaign.pk]),
                              note=f"活动时间 {campaign.starts_on:%Y-%m-%d} 至 {campaign.ends_on:%Y-%m-%d}，尚未登记活动",
                              urgent=campaign.ends_on < today))
    if items:
        blocks.append(Block(title="主题活动：请登记活动", who="受邀参加主题活动", items=items[:SHOWN],
                            links=[("我的主题活动", reverse("campaigns-mine"))], order=22))
    return blocks

"""Home blocks (kesu.plans.home): for the office, this year's per capita (or that the year is not entered yet);
for a unit reporter, how many of the measures its unit leads have this year's funding filled in."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from kesu.funding.figures import per_capita_text, summary
from kesu.funding.models import UnitFunding
from kesu.funding.queries import led_tasks, plan_for
from kesu.org.models import Membership
from kesu.plans.home import Block, Item


def home_blocks(request: HttpRequest) -> list[Block]:
    year = timezone.localdate().year
    blocks = []
    for membership in sorted(request.roles.memberships, key=lambda m: m.jurisdiction.path):
        jurisdiction = membership.jurisdiction
        if membership.role == Membership.Role.OFFICE_ADMIN:
            found = summary(jurisdiction, year)
            url = reverse("funding-year", args=[jurisdiction.pk]) + f"?year={year}"
            item = (Item(label=f"人均科普专项经费（{year}年）", url=url, figure=per_capita_text(found),
                         note=f"人均标准：{found.standard_verdict.text}") if found.row else
                    Item(label=f"{year}年科普经费尚未填写", url=url, note="常住人口、专项经费预算和到位数", urgent=True))
            blocks.append(Block(title=f"科普经费 · {jurisdiction.name}", who=f"科协办公室 · {jurisdiction.name}",
                                items=[item], links=[("科普经费", url)], order=45))
        elif membership.role == Membership.Role.UNIT_REPORTER and membership.unit_id:
            tasks = led_tasks(plan_for(jurisdiction, year), [membership.unit_id])
            if not tasks.exists():
                continue
            filled = UnitFunding.objects.filter(unit_id=membership.unit_id, year=year, task__in=tasks).count()
            url = reverse("funding-units", args=[jurisdiction.pk]) + f"?year={year}"
            blocks.append(Block(title=f"本单位投入经费 · {jurisdiction.name}", who=f"成员单位填报员 · {jurisdiction.name}",
                                items=[Item(label=f"牵头措施的{year}年投入经费", url=url, figure=f"{filled}/{tasks.count()}",
                                            note="已填写的措施数/牵头措施数")], links=[("单位经费", url)], order=35))
    return blocks

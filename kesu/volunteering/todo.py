"""What is pending in the grassroots service, for the home page (kesu.plans.home): one block per service role.

Orders are those of the dispatch board (`visible_orders`), counted by the board's steps, so a count here is the
count in the board's column (or with its 只看超时 filter) behind the link:
- office: the open orders of its jurisdiction, those waiting for review and dispatch, those escalated;
- township (area) officer: orders of its township waiting for review and dispatch;
- department (claimer): orders dispatched to it to claim, claimed orders to assign to a team;
- team admin: orders assigned to the team or waiting in the pool, orders in service to record, volunteers
  waiting to join.
"""

from __future__ import annotations

from django.db.models import Min, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from kesu.domain import dispatch
from kesu.domain.dispatch import State
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.plans.home import Block, Item
from kesu.volunteering.access import Roles, visible_orders
from kesu.volunteering.models import ServiceArea, ServiceOrder, Team, TeamMembership
from kesu.volunteering.views.context import request_roles

TERMINAL = [s.value for s in dispatch.TERMINAL]


def _open(orders: QuerySet[ServiceOrder]) -> QuerySet[ServiceOrder]:
    return orders.exclude(state__in=TERMINAL)


def _item(label: str, url: str, orders: QuerySet[ServiceOrder], urgent: bool = True) -> Item | None:
    """A line for these orders with the nearest time limit, or None when there are none."""
    summary = orders.aggregate(first=Min("due_at"))
    count = orders.count()
    if not count:
        return None
    note = dispatch.describe_due(summary["first"], timezone.now()) if summary["first"] else ""
    return Item(label, url, str(count), f"最近时限：{note}" if note else "", urgent=urgent)


def _block(title: str, who: str, items: list[Item | None], order: int) -> Block:
    board = reverse("service-board")
    return Block(title, who, [i for i in items if i is not None], [("派单看板", board)],
                 empty="目前没有等待您处理的服务单。", order=order)


def office_block(roles: Roles, jurisdiction: Jurisdiction) -> Block | None:
    """None for an office whose area runs no service yet (no township or village set up, no open order)."""
    board = reverse("service-board")
    orders = _open(visible_orders(roles).filter(jurisdiction__path__startswith=jurisdiction.path))
    if not (orders.exists() or ServiceArea.objects.filter(jurisdiction__path__startswith=jurisdiction.path).exists()):
        return None
    items = [
        # the township reviews new orders; the office follows them and steps in when one escalates
        _item("等待乡镇审核的点单", board, orders.filter(state=State.SUBMITTED), urgent=False),
        _item("超时升级", f"{board}?late=1", orders.filter(escalated_at__isnull=False)),
        _item("进行中的服务单", board, orders, urgent=False),
    ]
    return _block(f"志愿服务 · {jurisdiction.name}", f"{jurisdiction.name}科协办公室", items, order=25)


def officer_block(roles: Roles, area: ServiceArea) -> Block:
    board = reverse("service-board")
    here = Q(township=area) | Q(village=area)
    orders = _open(visible_orders(roles).filter(here))
    link = f"{board}?township={area.pk}" if area.kind == ServiceArea.Kind.TOWNSHIP else board
    items = [
        _item("待审核派单", link, orders.filter(state=State.SUBMITTED)),
        _item("超时升级", f"{board}?late=1", orders.filter(escalated_at__isnull=False)),
        _item("辖区内进行中的服务单", link, orders, urgent=False),
    ]
    place = f"{area.name}（{area.jurisdiction.name}）"
    return _block(f"派单工作 · {place}", f"{place}派单员", items, order=15)


def claimer_block(roles: Roles, unit: MemberUnit) -> Block:
    board = reverse("service-board")
    orders = _open(visible_orders(roles).filter(unit=unit))
    items = [
        _item("待领单", board, orders.filter(state=State.DISPATCHED)),
        _item("已领单、待指派服务队", board, orders.filter(state=State.CLAIMED)),
    ]
    return _block(f"部门领单 · {unit.name}", f"{unit.name}领单员（{unit.jurisdiction.name}）", items, order=16)


def team_block(roles: Roles, team: Team) -> Block:
    board = reverse("service-board")
    orders = _open(visible_orders(roles))
    today = timezone.localdate()
    in_pool = team.in_pool and (team.dissolved_on is None or team.dissolved_on > today)  # as access.pool_team_ids
    pooled = orders.filter(state=State.POOLED, jurisdiction__path__startswith=team.jurisdiction.path) if in_pool else orders.none()
    items = [
        _item("指派给本队、待接单", board, orders.filter(state=State.ASSIGNED, team=team)),
        _item("服务队池中可接的单", board, pooled),
        _item("服务中、待记录服务情况", board, orders.filter(state=State.ACCEPTED, team=team)),
    ]
    joining = TeamMembership.objects.filter(team=team, status=TeamMembership.Status.PENDING).count()
    if joining:
        items.append(Item("申请加入、待审核的志愿者", reverse("service-team", args=[team.pk]), str(joining), urgent=True))
    return _block(f"服务队接单 · {team.name}", f"{team.name}管理员（{team.jurisdiction.name}）", items, order=17)


def home_blocks(request: HttpRequest) -> list[Block]:
    """The service blocks of the signed-in user (registered in VolunteeringConfig.ready())."""
    roles = request_roles(request)
    offices = Jurisdiction.objects.filter(pk__in=roles.office_ids).order_by("path")
    blocks = [block for j in offices if (block := office_block(roles, j)) is not None]
    for area in ServiceArea.objects.filter(pk__in=roles.area_ids).select_related("jurisdiction").order_by("name"):
        blocks.append(officer_block(roles, area))
    for unit in MemberUnit.objects.filter(pk__in=roles.unit_ids).select_related("jurisdiction").order_by("name"):
        blocks.append(claimer_block(roles, unit))
    for team in Team.objects.filter(pk__in=roles.team_ids).select_related("jurisdiction").order_by("name"):
        blocks.append(team_block(roles, team))
    return blocks

"""Home blocks (kesu.plans.home): a respondent's value sets still to fill (with deadlines, returned ones first);
for the office, value sets waiting for review and the rounds' progress."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from kesu.datasets.access import own_submissions
from kesu.datasets.models import Round, Submission
from kesu.org.models import Jurisdiction
from kesu.plans.home import Block, Item

SHOWN = 5


def home_blocks(request: HttpRequest) -> list[Block]:
    blocks = _office_blocks(request)
    now = timezone.now()
    todo = list(own_submissions(request.user).filter(state__in=["draft", "returned"], round__locks_at__gt=now)
                .select_related("round__jurisdiction").order_by("-state", "round__deadline")[:SHOWN])
    if todo:
        today = timezone.localdate()
        items = [Item(label=f"{s.round}：{s.name}", url=reverse("datasets-submission", args=[s.pk]),
                      note=("已退回，请修改后重新提交" if s.state == "returned" else "") + f"截止 {s.round.deadline:%Y-%m-%d}",
                      urgent=s.state == "returned" or s.round.deadline < today) for s in todo]
        first = todo[0]
        who = (f"成员单位填报员 · {first.round.jurisdiction.name}" if first.kind == Submission.Kind.UNIT
               else f"乡镇（街道）管理员 · {first.name}")
        blocks.append(Block(title=f"统计报表待填报 · {first.round.jurisdiction.name}", who=who, items=items,
                            links=[("我的统计报表", reverse("datasets-mine"))], order=22))
    return blocks


def _office_blocks(request: HttpRequest) -> list[Block]:
    blocks = []
    for jurisdiction in Jurisdiction.objects.filter(pk__in=request.roles.office_ids).order_by("path"):
        rounds = Round.objects.filter(jurisdiction=jurisdiction, locks_at__gt=timezone.now())
        if not rounds.exists():
            continue
        items = []
        for round_ in rounds:
            states = list(Submission.objects.filter(round=round_).values_list("state", flat=True))
            waiting = states.count("submitted")
            done = sum(s in ("submitted", "approved") for s in states)
            items.append(Item(label=f"{round_}（截止 {round_.deadline:%Y-%m-%d}）", url=reverse("datasets-round", args=[round_.pk]),
                              figure=f"{done}/{len(states)}", note=f"已提交 {done} 份，待审核 {waiting} 份", urgent=bool(waiting)))
        blocks.append(Block(title=f"统计报表 · {jurisdiction.name}", who=f"科协办公室 · {jurisdiction.name}", items=items,
                            links=[("统计报表", reverse("datasets-list", args=[jurisdiction.pk]))], order=42))
    return blocks

"""The one write of a succession: the office confirms the proposals it accepts (with baselines as it corrected
them), and the old plan ends — all in one transaction, each link and baseline in the plans' history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kesu.domain.number_bounds import PERCENT, TARGET_VALUE
from kesu.domain.number_text import number_text
from kesu.domain.refusals import Refused
from kesu.org.access import is_office_admin
from kesu.plans import events
from kesu.plans.access import ensure_plan_open
from kesu.plans.models import Plan, Target
from kesu.succession.models import MeasureLink, Succession, TargetLink
from kesu.succession.proposals import Proposals, gather
from kesu.tracking.actions import do_stop_reminders

Actor = AbstractBaseUser | None


class SuccessionRefused(Refused):
    pass


@dataclass(frozen=True)
class Choices:
    """What the office ticked: measure keys, target keys with the baseline to carry (None: none), the headline
    baseline (None: keep the document's), and whether the old plan ends now."""

    measures: frozenset[str]
    targets: Mapping[str, float | None]
    headline: float | None
    end_predecessor: bool = True


def _text(value: float | None, unit: str = "") -> str:
    return "" if value is None else f"{number_text(value, grouping=True)}{unit}"


@transaction.atomic
def do_confirm_succession(successor: Plan, actor: Actor, choices: Choices, *, trusted: bool = False) -> Succession:
    """Apply the accepted proposals to `successor` and end its predecessor; refused if already confirmed, if a
    chosen proposal is no longer proposed (the plans changed meanwhile), or if a baseline is out of range."""
    plan = Plan.objects.select_for_update(of=("self",)).select_related("jurisdiction", "predecessor").get(pk=successor.pk)
    if actor is not None and not trusted and not is_office_admin(actor, plan.jurisdiction):
        raise SuccessionRefused(f"只有{plan.jurisdiction.name}科协办公室管理员可以确认方案衔接")
    ensure_plan_open(plan)
    if plan.predecessor is None:
        raise SuccessionRefused("本方案没有上一方案，无需衔接。")
    if Succession.objects.filter(successor=plan).exists():
        raise SuccessionRefused("本方案的衔接已经确认过，不能重复确认。")
    proposals = gather(plan)
    assert proposals is not None
    _check(choices, proposals)
    succession = Succession.objects.create(successor=plan, predecessor=plan.predecessor, confirmed_by=_user(actor),
                                           ended_predecessor=choices.end_predecessor and not plan.predecessor.is_ended)
    for row in proposals.measures:
        if row.key in choices.measures:
            MeasureLink.objects.create(succession=succession, old=row.old, new=row.new, reason=row.reason)
            events.plan_succeeded(plan, actor, f"措施：{row.new.title}", "接续上一方案措施", "", f"{row.old.title}（{row.reason}）")
    for row in proposals.targets:
        if row.key not in choices.targets:
            continue
        TargetLink.objects.create(succession=succession, old=row.old, new=row.new, reason=row.reason)
        baseline = choices.targets[row.key]
        events.plan_succeeded(plan, actor, f"量化目标：{row.new}", "接续上一方案目标", "", f"{row.old}（{row.reason}）")
        if baseline is not None and (baseline, row.baseline_year) != (row.new.baseline, row.new.baseline_year):
            events.plan_succeeded(plan, actor, f"量化目标：{row.new}", "基线值", _text(row.new.baseline, row.new.unit),
                                  f"{row.baseline_year}年 {_text(baseline, row.new.unit)}")
            Target.objects.filter(pk=row.new.pk).update(baseline=baseline, baseline_year=row.baseline_year,
                                                        version=F("version") + 1)
    if choices.headline is not None and proposals.headline is not None:
        events.plan_succeeded(plan, actor, "总体目标", "基线", proposals.headline.current,
                              f"{proposals.headline.year}年 {_text(choices.headline, '%')}")
        Plan.objects.filter(pk=plan.pk).update(baseline_value=choices.headline, baseline_year=proposals.headline.year,
                                               version=F("version") + 1)
    if succession.ended_predecessor:
        _end(plan.predecessor, plan, actor)
    return succession


def _check(choices: Choices, proposals: Proposals) -> None:
    measures = {row.key for row in proposals.measures}
    targets = {row.key: row for row in proposals.targets}
    if not choices.measures <= measures or not set(choices.targets) <= set(targets):
        raise SuccessionRefused("衔接建议在您打开页面后已发生变化（方案被修改），没有保存。请查看最新建议后重新确认。")
    for key, value in choices.targets.items():
        if value is not None and (message := TARGET_VALUE.refusal(f"{targets[key].new.indicator}的基线值", value)):
            raise SuccessionRefused(message, field=f"baseline-{key}")
    if choices.headline is not None and (message := PERCENT.refusal("总体目标基线", choices.headline)):
        raise SuccessionRefused(message, field="headline_value")


def _end(old: Plan, successor: Plan, actor: Actor) -> None:
    """The old plan becomes 已结束: read-only from now on; its open reports stop sending reminders."""
    Plan.objects.filter(pk=old.pk).update(status=Plan.Status.ENDED, ended_on=timezone.localdate(), version=F("version") + 1)
    do_stop_reminders(old)
    events.plan_ended(old, actor, successor)
    events.plan_succeeded(successor, actor, "方案信息", "上一方案", "", f"《{old.title}》已结束，本方案为现行方案")


def _user(actor: Actor) -> AbstractBaseUser | None:
    return actor if actor is not None and actor.is_authenticated else None

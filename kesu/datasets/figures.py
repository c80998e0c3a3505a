"""Aggregates of approved value sets (kesu.domain.data_sets.aggregate applied to stored rows): one round, and
the roll-up of a form and period up the jurisdiction tree (each area below, and the whole area)."""

from __future__ import annotations

from dataclasses import dataclass

from kesu.datasets.models import Round, Submission
from kesu.domain.data_sets import Aggregate, FormDefinition, aggregate
from kesu.domain.report_workflow import State
from kesu.org.models import Jurisdiction

COUNTING_RULE = ("只计已审核通过的报表；数量为各填报对象之和（未填的项不计），比率和占比由合计的分子、分母重新计算，"
                 "不取各对象比率的平均。")


def approved(rounds) -> list[Submission]:
    return list(Submission.objects.filter(round__in=rounds, state=State.APPROVED).select_related("round__jurisdiction"))


def round_aggregate(round_: Round) -> Aggregate:
    return aggregate(round_.definition, [s.values for s in approved([round_])])


@dataclass(frozen=True)
class AreaRow:
    jurisdiction: Jurisdiction
    rounds: int
    figures: Aggregate


@dataclass(frozen=True)
class Rollup:
    definition: FormDefinition
    rows: list[AreaRow]  # the area's own rounds first, then each area directly below (its whole subtree)
    total: Aggregate


def rollup(jurisdiction: Jurisdiction, template: str, period_type: str, year: int, number: int) -> Rollup:
    rounds = list(Round.objects.filter(jurisdiction__path__startswith=jurisdiction.path, template=template,
                                       period_type=period_type, year=year, number=number).select_related("jurisdiction"))
    definition = Round(template=template).definition
    submissions = approved(rounds)
    areas = [jurisdiction, *jurisdiction.children.order_by("name")]
    rows = []
    for area in areas:
        own = area == jurisdiction
        mine = [s for s in submissions if (s.round.jurisdiction_id == area.pk if own else s.round.jurisdiction.path.startswith(area.path))]
        count = sum(1 for r in rounds if (r.jurisdiction_id == area.pk if own else r.jurisdiction.path.startswith(area.path)))
        if count or not own:
            rows.append(AreaRow(area, count, aggregate(definition, [s.values for s in mine])))
    return Rollup(definition, rows, aggregate(definition, [s.values for s in submissions]))

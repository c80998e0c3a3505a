"""Plan targets counted from approved statistics (DataBinding), as tracking's live source (kesu.tracking.live_values).

A bound target takes, for each year up to its deadline, the aggregate of the approved value sets of its form in
the plan's jurisdiction and below (e.g. 襄汾县's "每所学校至少配备1名专（兼）职科技教师" → 配备科技教师的学校占比 in
学校科学教育情况表): the latest round of a year (its last semester) is that year's value; the current value is
the latest year's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from kesu.datasets.figures import approved
from kesu.datasets.models import DataBinding, Round
from kesu.domain.data_sets import aggregate, fraction_rule
from kesu.domain.target_progress import Observation
from kesu.plans.models import Plan


def _bindings(plan: Plan) -> list[DataBinding]:
    return list(DataBinding.objects.filter(target__task__section__plan=plan).select_related("target"))


def rule_text(binding: DataBinding, plan: Plan) -> str:
    definition = Round(template=binding.template).definition
    fraction = binding.code in {r.code for r in definition.ratios} | {s.code for s in definition.shares}
    how = fraction_rule(definition, binding.code) if fraction else f"各填报对象「{definition.indicator(binding.code).name}」之和"
    return (f"统计报表取数：{plan.jurisdiction.name}及下辖地区《{definition.name}》已审核通过的报表，{how}；"
            "每年取当年最后一期。")


def yearly_values(binding: DataBinding, plan: Plan, last_year: int) -> list[Observation]:
    """One observation per year with approved statistics (dated the end of the period), up to `last_year`."""
    rounds = list(Round.objects.filter(jurisdiction__path__startswith=plan.jurisdiction.path, template=binding.template,
                                       year__lte=last_year))
    latest: dict[int, tuple[str, int]] = {}
    for r in rounds:
        key = (r.period.ends_on.isoformat(), r.pk)
        if r.year not in latest or key > latest[r.year]:
            latest[r.year] = key
    observations = []
    definition = Round(template=binding.template).definition
    for year in sorted(latest):
        period_end = latest[year][0]
        chosen = [r for r in rounds if r.year == year and r.period.ends_on.isoformat() == period_end]
        submissions = approved(chosen)
        value = aggregate(definition, [s.values for s in submissions]).value(binding.code)
        if submissions and value is not None:
            observations.append(Observation(dt.date.fromisoformat(period_end), float(value)))
    return observations


def _last_year(binding: DataBinding, plan: Plan, today: dt.date) -> int:
    target = binding.target
    end = plan.period_end if target.annual or target.year is None else min(target.year, plan.period_end)
    return min(today.year, end)


class DataBindingSource:
    """Registered in DatasetsConfig.ready(): tracking asks it and never imports this app."""

    def live_plan_ids(self, plan_ids: Iterable[int]) -> set[int]:
        return set(DataBinding.objects.filter(target__task__section__plan_id__in=list(plan_ids))
                   .values_list("target__task__section__plan_id", flat=True))

    def values(self, plan: Plan, as_of: dt.date) -> dict[int, tuple[float, str]]:
        result = {}
        for binding in _bindings(plan):
            observations = yearly_values(binding, plan, _last_year(binding, plan, as_of or timezone.localdate()))
            if observations:
                result[binding.target_id] = (observations[-1].value, rule_text(binding, plan))
        return result

    def series(self, plan: Plan, as_of: dt.date) -> dict[int, tuple[list[Observation], str]]:
        return {b.target_id: (yearly_values(b, plan, _last_year(b, plan, as_of or timezone.localdate())), rule_text(b, plan))
                for b in _bindings(plan)}

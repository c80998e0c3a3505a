"""Pre-fill sources from 科普经费 (kesu.funding): a member unit's allocated, own and spent funding of the year, in 万元."""

from __future__ import annotations

from django.db.models import Sum

from kesu.datasets.models import Submission
from kesu.datasets.prefill import register_prefill
from kesu.domain.reporting_periods import Period
from kesu.funding.models import AllocationLine, SpendingEntry, UnitFunding

FUNDING = "科普经费"


def _total(rows, field: str) -> float:
    return float(rows.aggregate(n=Sum(field))["n"] or 0)


def _allocated(submission: Submission, period: Period) -> float | None:
    if submission.kind != Submission.Kind.UNIT:
        return None
    return _total(AllocationLine.objects.filter(unit_id=submission.unit_id, funding_year__year=period.year,
                                                funding_year__jurisdiction_id=submission.round.jurisdiction_id), "planned")


def _own(submission: Submission, period: Period) -> float | None:
    if submission.kind != Submission.Kind.UNIT:
        return None
    return _total(UnitFunding.objects.filter(unit_id=submission.unit_id, year=period.year), "amount")


def _spent(submission: Submission, period: Period) -> float | None:
    if submission.kind != Submission.Kind.UNIT:
        return None
    return _total(SpendingEntry.objects.filter(line__unit_id=submission.unit_id, spent_on__gte=period.starts_on,
                                               spent_on__lte=period.ends_on), "amount")


def register_funding_sources() -> None:
    register_prefill("kepu.f_government", f"{FUNDING} · 年度经费安排", _allocated,
                     "统计年度本级科普经费安排表中本单位为实施单位的计划经费之和（万元）")
    register_prefill("kepu.f_own", f"{FUNDING} · 成员单位投入", _own, "本单位登记的统计年度牵头措施自有投入经费之和（万元）")
    register_prefill("kepu.f_spent", f"{FUNDING} · 支出登记", _spent, "统计期内本单位实施项目登记的支出金额之和（万元）")

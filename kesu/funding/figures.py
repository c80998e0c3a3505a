"""The funding figures of a jurisdiction and year (kesu.domain.funding_rules applied to stored rows): per capita,
growth, the standard, execution and shares by section. The pages, the dashboard card, the rubric's 经费保障 and the
city/province comparison all use `summary()`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse

from kesu.domain import funding_rules as rules
from kesu.domain.scoring_rubric import Share
from kesu.funding.models import AllocationLine, FundingYear, SpendingEntry
from kesu.funding.queries import lead_unit_ids, standard_for
from kesu.org.models import Jurisdiction
from kesu.plans.dashboard_cards import Card
from kesu.plans.models import Plan


@dataclass(frozen=True)
class Summary:
    jurisdiction: Jurisdiction
    year: int
    row: FundingYear | None
    special: rules.Special
    last_special: rules.Special
    per_capita: rules.Figure
    growth: rules.Figure
    standard: Decimal | None
    standard_source: str
    standard_verdict: rules.Verdict
    growth_verdict: rules.Verdict
    received_rate: rules.Figure
    planned: Decimal
    spent: Decimal
    execution: rules.Figure
    guarantee: rules.Guarantee

    @property
    def social(self) -> Decimal | None:
        """社会资金 = 捐赠 + 自筹 + 其他收入 (None when none is entered)."""
        row = self.row
        parts = [row.donation, row.self_raised, row.other_income] if row else []
        return rules.total(parts) if any(p is not None for p in parts) else None

    @property
    def other_government(self) -> Decimal | None:
        """其他政府资金 = 政府拨款 − 其中专项（到位）."""
        row = self.row
        if row is None or row.government_total is None:
            return None
        return row.government_total - (row.special_received or Decimal(0))


def _special(row: FundingYear | None) -> rules.Special:
    return rules.special_of(row.special_budgeted, row.special_received) if row else rules.special_of(None, None)


def summary(jurisdiction: Jurisdiction, year: int) -> Summary:
    rows = {r.year: r for r in FundingYear.objects.filter(jurisdiction=jurisdiction, year__in=(year, year - 1))}
    row, last = rows.get(year), rows.get(year - 1)
    special, last_special = _special(row), _special(last)
    per_person = rules.per_capita(special.value, row.population if row else None)
    standard, source = standard_for(jurisdiction, year)
    planned = AllocationLine.objects.filter(funding_year=row).aggregate(s=Sum("planned"))["s"] or Decimal(0) if row else Decimal(0)
    spent = (SpendingEntry.objects.filter(line__funding_year=row).aggregate(s=Sum("amount"))["s"] or Decimal(0)) if row else Decimal(0)
    standard_verdict = rules.standard_verdict(per_person, standard)
    growth_verdict = rules.growth_verdict(special.value, last_special.value)
    return Summary(
        jurisdiction=jurisdiction, year=year, row=row, special=special, last_special=last_special, per_capita=per_person,
        growth=rules.growth(special.value, last_special.value), standard=standard, standard_source=source,
        standard_verdict=standard_verdict, growth_verdict=growth_verdict,
        received_rate=rules.received_rate(row.special_budgeted if row else None, row.special_received if row else None),
        planned=planned, spent=spent, execution=rules.execution_rate(spent, planned),
        guarantee=rules.guarantee(standard_verdict, growth_verdict),
    )


def section_shares(row: FundingYear | None) -> list[rules.SectionShare]:
    if row is None:
        return []
    lines = row.lines.select_related("task__section").order_by("task__section__position", "position", "pk")
    return rules.shares_by_section((line.task.section.title if line.task else "", line.planned) for line in lines)


def per_capita_text(summary_: Summary) -> str:
    if not summary_.per_capita.known:
        return summary_.per_capita.missing
    return f"{rules.wan_text(summary_.per_capita.value)} 元/人"


def dashboard_cards(plan: Plan, today: dt.date) -> list[Card]:
    """人均科普专项经费 of the plan's jurisdiction this year, with its growth and the standard."""
    found = summary(plan.jurisdiction, today.year)
    if found.row is None:
        return []
    notes = [f"专项取{found.special.basis}"]
    if found.growth.known:
        notes.append(f"较上年{'增长' if found.growth.value >= 0 else '下降'} {abs(found.growth.value) * 100:.1f}%")
    notes.append(f"人均标准：{found.standard_verdict.text}")
    url = reverse("funding-year", args=[plan.jurisdiction_id]) + f"?year={today.year}"
    return [Card(f"人均科普专项经费（{today.year}年）", per_capita_text(found),
                 f"{'；'.join(notes)}。{rules.PER_CAPITA_RULE}", url)]


def rubric_shares(plan: Plan, year: int) -> dict[int, Share]:
    """经费保障: each unit leading measures of the plan is due the conditions that can be judged (standard met,
    special funding ≥ last year's) for the plan's jurisdiction; done = how many hold."""
    guarantee = summary(plan.jurisdiction, year).guarantee
    share = Share(guarantee.done, guarantee.due, rules.GUARANTEE_COUNTED)
    return {unit_id: share for unit_id in lead_unit_ids(plan)}


@dataclass(frozen=True)
class AreaRow:
    summary: Summary
    depth: int  # 1 = directly below


def areas_below(jurisdiction: Jurisdiction, year: int) -> list[AreaRow]:
    """Every area below the jurisdiction (cities, then their counties, in tree order), side by side."""
    base = jurisdiction.path.count("/")
    below = jurisdiction.subtree().exclude(pk=jurisdiction.pk).select_related("parent").order_by("path")
    return [AreaRow(summary(area, year), area.path.count("/") - base) for area in below]

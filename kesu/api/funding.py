"""科普经费 (read only): a jurisdiction's year with each figure's rule, its allocation lines, and the areas below side
by side — the figures of the pages (kesu.funding.figures.summary). Who may read: as the pages (kesu.funding.access):
the jurisdiction's office, its leaders/viewers and the levels above; anyone else gets 404 (existence not leaked)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from kesu.api.common import MAX_ID, READ_ERRORS
from kesu.api.funding_schemas import FundingAreasOut, FundingYearOut
from kesu.domain import funding_rules as rules
from kesu.funding import access
from kesu.funding.actions import AMOUNT_FIELDS
from kesu.funding.figures import Summary, areas_below, section_shares, summary
from kesu.funding.models import AllocationLine
from kesu.org.models import Jurisdiction

router = Router(tags=["科普经费"])

JurisdictionId = Path(..., ge=1, le=MAX_ID, description="行政区划 id")
NOT_FOUND = "没有找到该地区，或您无权查看其科普经费。"


class YearParams(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度；缺省为当年")


def _readable(user, jurisdiction_id: int) -> Jurisdiction:
    jurisdiction = Jurisdiction.objects.select_related("parent").filter(pk=jurisdiction_id).first()
    if jurisdiction is None or not access.can_read(user, jurisdiction):
        raise HttpError(404, NOT_FOUND)
    return jurisdiction


def _year(params: YearParams) -> int:
    return params.year if params.year is not None else timezone.localdate().year


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _fraction(figure: rules.Figure) -> float | None:
    return float(figure.value) if figure.known else None


def _jurisdiction_out(jurisdiction: Jurisdiction) -> dict:
    return {"id": jurisdiction.pk, "name": jurisdiction.name, "level": jurisdiction.level}


def _special(special: rules.Special) -> dict:
    return {"value": _amount(special.value), "basis": special.basis}


def _verdict(verdict: rules.Verdict) -> dict:
    return {"state": verdict.state, "text": verdict.text}


def _lines(s: Summary) -> list[dict]:
    if s.row is None:
        return []
    lines = (AllocationLine.objects.filter(funding_year=s.row).select_related("unit", "task")
             .annotate(spent_sum=Sum("spending__amount"), entry_count=Count("spending")))
    out = []
    for line in lines:
        spent = line.spent_sum or Decimal(0)
        out.append({
            "id": line.pk, "position": line.position, "project": line.project, "content": line.content,
            "unit": {"id": line.unit_id, "name": line.unit.name},
            "task": {"id": line.task_id, "title": line.task.title} if line.task else None,
            "planned": _amount(line.planned), "spent": _amount(spent),
            "execution": _fraction(rules.execution_rate(spent, line.planned)), "entries": line.entry_count,
        })
    return out


@router.get("/jurisdictions/{jurisdiction_id}/funding", response={200: FundingYearOut, **READ_ERRORS},
            summary="年度科普经费",
            description="一个地区一年的科普经费：填写的各项（万元，两位小数的文本）、人均科普专项经费、较上年增长、"
                        "预算到位率、分配执行率、人均经费标准及是否达标（每项附计算方法）、按章占比和经费分配表。"
                        "year 缺省为当年。仅本级科协办公室、领导和上级可查看。")
def get_funding_year(request: HttpRequest, params: Query[YearParams], jurisdiction_id: int = JurisdictionId):
    jurisdiction = _readable(request.auth, jurisdiction_id)
    year = _year(params)
    s = summary(jurisdiction, year)
    row = s.row
    return {
        "jurisdiction": _jurisdiction_out(jurisdiction), "year": year, "entered": row is not None,
        "amounts": None if row is None else {
            "population": row.population, "note": row.note, **{f: _amount(getattr(row, f)) for f in AMOUNT_FIELDS}},
        "special": _special(s.special), "last_special": _special(s.last_special),
        "per_capita": {"value": _amount(s.per_capita.value), "missing": s.per_capita.missing, "rule": rules.PER_CAPITA_RULE},
        "growth": {"value": _fraction(s.growth), "missing": s.growth.missing, "rule": rules.GROWTH_RULE,
                   "verdict": _verdict(s.growth_verdict)},
        "received_rate": {"value": _fraction(s.received_rate), "missing": s.received_rate.missing,
                          "rule": rules.RECEIVED_RULE},
        "execution": {"value": _fraction(s.execution), "missing": s.execution.missing, "rule": rules.EXECUTION_RULE,
                      "planned": _amount(s.planned), "spent": _amount(s.spent)},
        "standard": {"value": _amount(s.standard), "source": s.standard_source, "verdict": _verdict(s.standard_verdict),
                     "rule": rules.STANDARD_RULE},
        "shares": [{"section": x.section, "planned": _amount(x.planned), "share": _fraction(x.share)}
                   for x in section_shares(row)],
        "share_rule": rules.SHARE_RULE,
        "lines": _lines(s),
    }


def _area(s: Summary, depth: int) -> dict:
    parent = s.jurisdiction.parent
    return {
        "jurisdiction": _jurisdiction_out(s.jurisdiction), "parent": parent.name if parent else "", "depth": depth,
        "entered": s.row is not None, "population": s.row.population if s.row else None, "special": _special(s.special),
        "per_capita": _amount(s.per_capita.value), "per_capita_missing": s.per_capita.missing,
        "growth": _fraction(s.growth), "growth_missing": s.growth.missing, "standard": _amount(s.standard),
        "standard_verdict": _verdict(s.standard_verdict), "planned": _amount(s.planned), "spent": _amount(s.spent),
        "execution": _fraction(s.execution),
    }


@router.get("/jurisdictions/{jurisdiction_id}/funding/areas", response={200: FundingAreasOut, **READ_ERRORS},
            summary="下辖地区科普经费对比",
            description="本级和下辖各地区（树形顺序）的常住人口、专项经费、人均科普专项经费、较上年增长、适用的人均标准及是否达标、"
                        "分配执行率；人均经费各地区分别计算，不相加、不平均。year 缺省为当年。仅本级科协办公室、领导和上级可查看。")
def get_funding_areas(request: HttpRequest, params: Query[YearParams], jurisdiction_id: int = JurisdictionId):
    jurisdiction = _readable(request.auth, jurisdiction_id)
    year = _year(params)
    return {
        "jurisdiction": _jurisdiction_out(jurisdiction), "year": year, "own": _area(summary(jurisdiction, year), 0),
        "areas": [_area(a.summary, a.depth) for a in areas_below(jurisdiction, year)],
        "rules": [rules.PER_CAPITA_RULE, rules.GROWTH_RULE, rules.STANDARD_RULE, rules.EXECUTION_RULE],
    }

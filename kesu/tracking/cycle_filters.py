"""The filters of a cycle's report list (status, unit, section, text search) read from a query string: parsed
strictly (a malformed value is a 400), applied to a report query, and written back into links and cache keys."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.http import urlencode

from kesu.domain.report_workflow import STATE_LABELS
from kesu.infra.params import id_param
from kesu.tracking.models import Report

MAX_SEARCH = 100
STATUS_CHOICES = [(state.value, label) for state, label in STATE_LABELS.items()]


@dataclass(frozen=True)
class CycleFilters:
    status: str = ""
    unit: int | None = None
    section: int | None = None
    q: str = ""

    @classmethod
    def from_query(cls, params: QueryDict) -> CycleFilters:
        status = params.get("status", "").strip()
        if status and status not in dict(STATUS_CHOICES):
            raise BadRequest("参数“status”不是有效的审核状态")
        return cls(status=status, unit=id_param(params, "unit"), section=id_param(params, "section"),
                   q=params.get("q", "").strip()[:MAX_SEARCH])

    @classmethod
    def from_saved(cls, text: str) -> CycleFilters:
        """The filters kept in a form's hidden field; anything malformed there just means no filter."""
        try:
            return cls.from_query(QueryDict(text[:1000]))
        except BadRequest:
            return cls()

    def apply(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        if self.status:
            reports = reports.filter(state=self.status)
        if self.unit:
            reports = reports.filter(unit_id=self.unit)
        if self.section:
            reports = reports.filter(task__section_id=self.section)
        if self.q:
            reports = reports.filter(
                Q(task__title__icontains=self.q) | Q(unit__name__icontains=self.q) | Q(summary__icontains=self.q)
                | Q(task__section__title__icontains=self.q)
            )
        return reports

    @property
    def active(self) -> bool:
        return bool(self.status or self.unit or self.section or self.q)

    def query(self, page: int | None = None) -> str:
        """The query string of these filters (and a page), in a fixed order; empty when there is nothing."""
        pairs = [("status", self.status), ("unit", self.unit or ""), ("section", self.section or ""), ("q", self.q)]
        pairs = [(k, v) for k, v in pairs if v]
        if page and page > 1:
            pairs.append(("page", page))
        return urlencode(pairs)

    def key(self) -> tuple:
        return (self.status, self.unit, self.section, self.q)

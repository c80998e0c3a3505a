"""The filters of a reporter's task list (我的填报任务): status, cycle and text search, read strictly from the query
string (a malformed value is a 400) and written back into the page links. The default status is 待填报 — the
same reports the home page counts (`kesu.tracking.todo.reports_to_fill`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils.http import urlencode

from kesu.domain.report_workflow import STATE_LABELS
from kesu.infra.params import id_param
from kesu.plans.models import Plan
from kesu.tracking.models import Contribution, ItemReport, Report
from kesu.tracking.todo import contributions_to_write, items_to_fill, reports_to_fill

PAGE_SIZE = 30
MAX_SEARCH = 100
TODO, ALL = "todo", "all"
STATUS_CHOICES = [(TODO, "待填报"), (ALL, "全部")] + [(state.value, label) for state, label in STATE_LABELS.items()]
ORDER = ("-cycle__year", "-cycle__number", "task__section__position", "task__position", "unit__name")


@dataclass(frozen=True)
class MyReportsFilters:
    status: str = TODO
    cycle: int | None = None
    q: str = ""

    @classmethod
    def from_query(cls, params: QueryDict) -> MyReportsFilters:
        status = params.get("status", "").strip() or TODO
        if status not in dict(STATUS_CHOICES):
            raise BadRequest("参数“status”不是有效的报告状态")
        return cls(status=status, cycle=id_param(params, "cycle"), q=params.get("q", "").strip()[:MAX_SEARCH])

    def _common(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        if self.cycle:
            reports = reports.filter(cycle_id=self.cycle)
        if self.q:
            reports = reports.filter(Q(task__title__icontains=self.q) | Q(task__section__title__icontains=self.q)
                                     | Q(summary__icontains=self.q) | Q(return_reason__icontains=self.q))
        return reports

    def own(self, plan: Plan, unit_ids: set[int], now: dt.datetime) -> QuerySet[Report]:
        """The units' own reports that match."""
        if self.status == TODO:
            reports = reports_to_fill(plan, unit_ids, now)
        else:
            reports = Report.objects.filter(cycle__plan=plan, unit_id__in=unit_ids)
            if self.status != ALL:
                reports = reports.filter(state=self.status)
        return self._common(reports).select_related("cycle", "task__section", "unit").order_by(*ORDER)

    def items(self, plan: Plan, unit_ids: set[int], now: dt.datetime) -> QuerySet[ItemReport]:
        """The units' own item reports (年度工作要点, 议定事项…) that match: same status, cycle and search."""
        if self.status == TODO:
            reports = items_to_fill(plan, unit_ids, now)
        else:
            reports = ItemReport.objects.filter(cycle__plan=plan, unit_id__in=unit_ids)
            if self.status != ALL:
                reports = reports.filter(state=self.status)
        if self.cycle:
            reports = reports.filter(cycle_id=self.cycle)
        if self.q:
            reports = reports.filter(Q(title__icontains=self.q) | Q(summary__icontains=self.q) | Q(return_reason__icontains=self.q))
        return reports.select_related("cycle", "unit").order_by("-cycle__year", "-cycle__number", "source", "source_id")

    def supported(self, plan: Plan, unit_ids: set[int], now: dt.datetime) -> QuerySet[Report]:
        """Reports of measures the units support (their contributions), same cycle and search; `written` marks
        those with a contribution of theirs, `to_write` those the home page counts as still to write."""
        reports = (
            Report.objects.filter(cycle__plan=plan, task__responsibilities__role="support",
                                  task__responsibilities__unit_id__in=unit_ids)
            .exclude(unit_id__in=unit_ids).distinct()
            .annotate(written=Exists(Contribution.objects.filter(report=OuterRef("pk"), unit_id__in=unit_ids)),
                      to_write=Exists(contributions_to_write(plan, unit_ids, now).filter(pk=OuterRef("pk"))))
        )
        return self._common(reports).select_related("cycle", "task__section", "unit").order_by(*ORDER)

    def query(self, **pages: int) -> str:
        """The query string of these filters and the given page numbers (page, spage), in a fixed order."""
        pairs: list[tuple[str, object]] = [("status", self.status if self.status != TODO else ""),
                                           ("cycle", self.cycle or ""), ("q", self.q)]
        pairs += [(name, number) for name, number in pages.items() if number and number > 1]
        return urlencode([(k, v) for k, v in pairs if v])

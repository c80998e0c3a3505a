"""Plans, their measures (tasks) with responsibilities and targets, and their reporting cycles."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router

from kesu.api.common import MAX_ID, READ_ERRORS, ErrorOut, PageParams, page, tracked_plan, visible_plan
from kesu.api.schemas import CyclePage, PlanDocumentOut, PlanPage, TaskPage
from kesu.domain.current_cycle import CURRENT_RULE, current_cycle, recency
from kesu.domain.reporting_periods import Rates
from kesu.plans.access import visible_plans
from kesu.plans.current import current_of
from kesu.plans.models import Plan, Responsibility, Target, Task
from kesu.plans.serialize import plan_to_dict
from kesu.tracking.assessment import RATE_RULE, plan_rates
from kesu.tracking.models import ReportingCycle

router = Router(tags=["方案"])

PlanId = Path(..., ge=1, le=MAX_ID, description="方案 id")


def unit_out(unit) -> dict:
    return {"id": unit.pk, "name": unit.name}


def target_out(target: Target) -> dict:
    return {
        "id": target.pk, "indicator": target.indicator, "value": target.value, "unit": target.unit,
        "comparator": target.comparator, "year": target.year, "annual": target.annual, "text": target.text,
    }


def _plan_summary(plan: Plan, current_ids: set[int]) -> dict:
    j = plan.jurisdiction
    return {
        "current": plan.pk in current_ids, "predecessor_id": plan.predecessor_id, "ended_on": plan.ended_on,
        "id": plan.pk, "title": plan.title, "jurisdiction": {"id": j.pk, "name": j.name, "level": j.level},
        "status": plan.status, "period_start": plan.period_start, "period_end": plan.period_end,
        "issuer": plan.issuer, "doc_number": plan.doc_number, "issued_on": plan.issued_on, "version": plan.version,
    }


def _units(rows: list[Responsibility], role: str) -> list[dict]:
    seen: dict[int, dict] = {}
    for row in rows:
        if row.role == role and row.unit_id not in seen:
            seen[row.unit_id] = unit_out(row.unit)
    return list(seen.values())


def _task_out(task: Task) -> dict:
    section = task.section
    rows = list(task.responsibilities.all())
    return {
        "id": task.pk, "position": task.position, "title": task.title,
        "section": {"id": section.pk, "position": section.position, "kind": section.kind, "group": section.group,
                    "title": section.title},
        "lead": _units(rows, Responsibility.Role.LEAD), "support": _units(rows, Responsibility.Role.SUPPORT),
        "targets": [target_out(t) for t in task.targets.all()],
    }


def _cycle_out(cycle: ReportingCycle, rates: Rates) -> dict:
    return {
        "id": cycle.pk, "label": str(cycle), "period_type": cycle.period_type, "year": cycle.year,
        "number": cycle.number, "deadline": cycle.deadline, "locks_at": cycle.locks_at, "locked": cycle.is_locked(),
        "opened_at": cycle.opened_at,
        "rates": {"expected": rates.expected, "submitted": rates.submitted, "on_time": rates.on_time,
                  "reporting_rate": rates.reporting_rate, "on_time_rate": rates.on_time_rate},
    }


@router.get("/plans", response={200: PlanPage, **READ_ERRORS}, summary="方案列表",
            description="当前账号可见的方案：已发布的方案，以及本级和下级行政区划的未发布方案。")
def list_plans(request: HttpRequest, params: Query[PageParams]):
    plans = visible_plans(request.auth).order_by("jurisdiction__path", "-period_start", "pk")
    result = page(plans, params)
    jurisdictions = {p.jurisdiction_id for p in result["items"]}
    current_ids = {p.pk for p in current_of(Plan.objects.filter(jurisdiction_id__in=jurisdictions))}
    result["items"] = [_plan_summary(p, current_ids) for p in result["items"]]
    return result


@router.get("/plans/{plan_id}", response={200: PlanDocumentOut, **READ_ERRORS}, summary="方案全文（kesu-plan/1）",
            description="方案的结构化全文，格式与 `kesu plan parse --json` 相同，另加 id。")
def get_plan(request: HttpRequest, plan_id: int = PlanId):
    plan = visible_plan(request.auth, plan_id)
    return {"id": plan.pk, **plan_to_dict(plan)}


@router.get("/plans/{plan_id}/tasks", response={200: TaskPage, **READ_ERRORS}, summary="措施列表",
            description="方案的全部措施，含所属章节、牵头和配合单位、带 id 的量化目标。")
def list_tasks(request: HttpRequest, params: Query[PageParams], plan_id: int = PlanId):
    plan = visible_plan(request.auth, plan_id)
    tasks = (
        Task.objects.filter(section__plan=plan)
        .select_related("section")
        .prefetch_related(
            Prefetch("responsibilities", queryset=Responsibility.objects.select_related("unit").order_by("position")),
            Prefetch("targets", queryset=Target.objects.order_by("position")),
        )
        .order_by("section__position", "position", "pk")
    )
    result = page(tasks, params)
    result["items"] = [_task_out(t) for t in result["items"]]
    return result


@router.get("/plans/{plan_id}/cycles", response={200: CyclePage, 403: ErrorOut, **READ_ERRORS}, summary="填报周期",
            description="方案已开启的填报周期及报送率、按时率。仅本级科协办公室、领导/上级和成员单位填报员可查看。")
def list_cycles(request: HttpRequest, params: Query[PageParams], plan_id: int = PlanId):
    plan = tracked_plan(request.auth, plan_id)
    every = sorted(plan.cycles.all(), key=lambda c: (recency(c.period), c.pk), reverse=True)  # latest period first
    current = current_cycle(every, timezone.localdate())
    result = page(every, params)
    cycles = list(result["items"])
    rates = plan_rates(cycles)
    result["items"] = [{**_cycle_out(c, rates[c.pk][0]), "current": c == current} for c in cycles]
    return {"rule": RATE_RULE, "current_rule": CURRENT_RULE, **result}

"""Shared pieces of the API: error answers, pagination, and looking objects up through the access rules.

Status codes: 401 no/invalid/revoked token; 404 the object does not exist *or* the user may not see it
(existence is never leaked); 403 the user sees it but may not do this; 409 the report's state, its cycle's
lock or a newer version refuses the change; 422 the request does not match the schema.
"""

from __future__ import annotations

import functools
import inspect
import typing
from typing import Any

import pydantic
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.errors import HttpError, ValidationError
from ninja.params.models import Query as QuerySource

from kesu.domain.number_bounds import MAX_ID as MAX_ID  # re-exported: every id parameter is bounded by it
from kesu.plans.access import can_view_plan
from kesu.plans.models import Plan
from kesu.tracking.access import can_track_plan, can_view_report
from kesu.tracking.models import Report

MAX_LIMIT = 200
MAX_OFFSET = 1_000_000

PLAN_NOT_FOUND = "没有找到该方案"
REPORT_NOT_FOUND = "没有找到该报告"
NO_TRACKING = "您没有该方案的跟踪权限"


class ErrorOut(Schema):
    detail: str = Field(description="错误说明（中文）")


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]] = Field(description="逐项列出不符合接口定义的参数")


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"每页条数（1–{MAX_LIMIT}）")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数")


# Every authenticated operation can answer these.
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def declared_query_names(func) -> set[str]:
    """The query parameters an operation declares (`Query[Schema]` fields and `= Query(...)` arguments)."""
    names: set[str] = set()
    for name, hint in typing.get_type_hints(func, include_extras=True).items():
        if typing.get_origin(hint) is not typing.Annotated:
            continue
        model, *metadata = typing.get_args(hint)
        if not any(isinstance(m, QuerySource) for m in metadata):
            continue
        if isinstance(model, type) and issubclass(model, pydantic.BaseModel):
            names |= {field.alias or field_name for field_name, field in model.model_fields.items()}
        else:
            names.add(name)
    for parameter in inspect.signature(func).parameters.values():
        if isinstance(parameter.default, QuerySource):
            names.add(parameter.default.alias or parameter.name)
    return names


def reject_unknown_query(func):
    """422 for a query parameter the operation does not declare: a misspelt filter (`?stat=draft`) must not
    silently return everything."""
    allowed = declared_query_names(func)

    @functools.wraps(func)
    def view(request, *args, **kwargs):
        unknown = [name for name in request.GET if name not in allowed]
        if unknown:
            raise ValidationError([
                {"type": "unknown_parameter", "loc": ["query", name], "msg": f"不支持的查询参数“{name}”"}
                for name in unknown
            ])
        return func(request, *args, **kwargs)

    return view


def page(rows: QuerySet | list, params: PageParams) -> dict:
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    return {
        "count": count, "limit": params.limit, "offset": params.offset,
        "items": list(rows[params.offset:params.offset + params.limit]),
    }


def visible_plan(user, plan_id: int) -> Plan:
    plan = Plan.objects.select_related("jurisdiction").filter(pk=plan_id).first()
    if plan is None or not can_view_plan(user, plan):
        raise HttpError(404, PLAN_NOT_FOUND)
    return plan


def tracked_plan(user, plan_id: int) -> Plan:
    """A plan whose tracking the user takes part in — the rule of the plan's tracking page."""
    plan = visible_plan(user, plan_id)
    if not can_track_plan(user, plan):
        raise HttpError(403, NO_TRACKING)
    return plan


def visible_report(user, report_id: int) -> Report:
    report = (
        Report.objects.select_related("cycle__plan__jurisdiction", "task__section", "unit", "reviewed_by")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not can_view_report(user, report):
        raise HttpError(404, REPORT_NOT_FOUND)
    return report

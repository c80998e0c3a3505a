"""The API's error answers are JSON in Chinese, whatever raised them: schema validation (pydantic's English
messages are replaced), django-ninja's own HttpErrors, every refusal of a rule or action (kesu.domain.refusals:
its status, 409 unless declared, with its message), and the database being down (503)."""

from __future__ import annotations

from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from kesu.domain.refusals import Refused
from kesu.serving.errors import API_DETAILS, DATABASE_DOWN, chinese_or_empty
from kesu.tracking.actions import StaleReport

VALIDATION_MESSAGES = {
    "missing": "缺少该参数",
    "extra_forbidden": "不支持该字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "date_parsing": "应为日期，格式为 年-月-日（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期，格式为 年-月-日（YYYY-MM-DD）",
    "date_type": "应为日期，格式为 年-月-日（YYYY-MM-DD）",
    "datetime_parsing": "应为日期时间",
    "datetime_from_date_parsing": "应为日期时间",
    "datetime_type": "应为日期时间",
    "enum": "不是允许的取值（{expected}）",
    "literal_error": "不是允许的取值（{expected}）",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_attributes_type": "应为对象",
    "model_type": "应为对象",
    "json_invalid": "请求体不是合法的 JSON",
    "json_type": "请求体不是合法的 JSON",
}


# Refusals whose wording on the pages points at the form: through the API, say what to do instead.
API_WORDING: dict[type[Refused], str] = {
    StaleReport: "这份报告在您读取之后已被他人修改，您的修改没有保存。请重新读取报告（GET /api/reports/{id}），核对最新内容后再提交。",
}


def refusal_detail(exc: Refused) -> str:
    return API_WORDING.get(type(exc)) or exc.message or API_DETAILS.get(exc.status, "请求未能完成")


def chinese_error(error: dict[str, Any]) -> dict[str, Any]:
    """One validation error with a Chinese `msg`; location and type kept, the echoed input dropped."""
    kind = str(error.get("type", ""))
    message = chinese_or_empty(str(error.get("msg", ""))).removeprefix("Value error, ")
    if not message:
        template = VALIDATION_MESSAGES.get(kind, API_DETAILS[422])
        try:
            message = template.format(**(error.get("ctx") or {}))
        except (KeyError, IndexError):
            message = API_DETAILS[422]
    return {"type": kind, "loc": list(error.get("loc", [])), "msg": message}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": [chinese_error(e) for e in exc.errors]}, status=422)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = chinese_or_empty(exc.message) or API_DETAILS.get(exc.status_code, "请求未能完成")
        return api.create_response(request, {"detail": detail}, status=exc.status_code)

    @api.exception_handler(Refused)
    def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
        return api.create_response(request, {"detail": refusal_detail(exc)}, status=exc.status)

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_down(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": DATABASE_DOWN}, status=503)

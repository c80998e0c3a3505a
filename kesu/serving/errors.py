"""Error answers in Chinese: the 400/403/404/500 handlers (kesu/urls.py), the CSRF failure view, and 503 when
the database is down. Paths under /api/ always get JSON `{"detail": "…"}`; other paths get an HTML page.

The pages are rendered without the request, so they need neither the database nor a signed-in user.
"""

from __future__ import annotations

import logging
import re
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
DATABASE_DOWN = "数据库暂时不可用，请稍后再试"
# What an API client is told for each status when the code raising it gave no Chinese text.
API_DETAILS = {
    400: "请求格式不正确",
    401: "缺少访问令牌，或令牌无效、已吊销。",
    403: "没有权限执行该操作",
    404: "没有找到",
    405: "接口不支持该请求方法",
    413: "请求内容太大",
    422: "参数不符合接口定义",
    500: "服务器内部错误，请稍后再试",
    503: DATABASE_DOWN,
}
PAGES = {400: "400.html", 403: "403.html", 404: "404.html", 405: "405.html", 500: "500.html", 503: "503.html"}
# Used when even the 500 page cannot be rendered (a broken template or static files setting).
LAST_RESORT = (
    '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>服务器错误 · 科素 Kesu</title>'
    "<h1>服务器出错了</h1><p>请稍后再试；如果问题持续，请联系系统管理员。</p></html>"
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def chinese_or_empty(text: str) -> str:
    """A message written for users (Chinese), or nothing: Django's own English texts never reach a page."""
    return text if CJK.search(text) else ""


def api_error(status: int, detail: str = "") -> JsonResponse:
    return JsonResponse(
        {"detail": chinese_or_empty(detail) or API_DETAILS.get(status, "请求未能完成")},
        status=status,
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


def error_page(status: int, message: str = "", template: str | None = None) -> HttpResponse:
    body = loader.get_template(template or PAGES[status]).render({"message": chinese_or_empty(message)})
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def error_answer(request: HttpRequest, status: int, message: str = "") -> HttpResponse:
    return api_error(status, message) if is_api(request) else error_page(status, message)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_answer(request, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_answer(request, 403, str(exception))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_answer(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the error is the database being unreachable (Django calls this inside its except block,
    so the exception is the one being handled)."""
    status = 503 if isinstance(sys.exc_info()[1], OperationalError | InterfaceError) else 500
    if is_api(request):
        return api_error(status)
    try:
        return error_page(status)
    except Exception:  # the page of last resort must not fail in turn
        logger.exception("the %s page could not be rendered", status)
        return HttpResponse(LAST_RESORT, status=status, content_type="text/html; charset=utf-8")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    logger.warning("CSRF check refused %s %s: %s", request.method, request.path, reason)
    if is_api(request):
        return api_error(403, "请求来源校验失败")
    return error_page(403, template="403_csrf.html")

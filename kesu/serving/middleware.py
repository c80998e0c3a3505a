"""Bodiless error answers (405 from `require_POST`, django-ninja's plain-text ones) become Chinese pages, and
every error answer under /api/ becomes JSON."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from kesu.serving.errors import PAGES, api_error, error_page, is_api


class ChineseErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        if status < 400 or getattr(response, "streaming", False):
            return response
        if is_api(request):
            if "json" in response.get("Content-Type", ""):
                return response
            replacement = api_error(status)
        elif status in PAGES and not response.content:
            replacement = error_page(status)
        else:
            return response
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in response:
                replacement[header] = response[header]
        return replacement

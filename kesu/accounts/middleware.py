"""Whoever signed in with a temporary password goes to the change-password page until they have changed it;
sessions end after an idle time."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from kesu.accounts.signin import MUST_CHANGE_KEY, TOUCHED_KEY

TOUCH_EVERY_SECONDS = 60


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(MUST_CHANGE_KEY) and request.user.is_authenticated:
            allowed = (reverse("accounts-password"), reverse("logout"), settings.STATIC_URL, "/api/")
            if not request.path.startswith(allowed):
                messages.warning(request, "您正在使用临时密码：请先设置自己的新密码，再继续使用系统。")
                return redirect("accounts-password")
        return self.get_response(request)


class SessionIdleMiddleware:
    """A signed-in session ends SESSION_COOKIE_AGE (KESU_SESSION_IDLE_MINUTES) after its last request: activity
    moves the expiry forward, at most once a minute, so that reading pages costs no session write each time."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            if now - session.get(TOUCHED_KEY, 0) >= TOUCH_EVERY_SECONDS:
                session[TOUCHED_KEY] = now  # a change: the session is saved with a fresh expiry
        return self.get_response(request)

"""`request.roles`: the signed-in user's roles (kesu.org.access.Roles) for views and templates."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from kesu.org.access import roles_of


class RolesMiddleware:
    """Sets `request.roles` lazily: nothing is read until a view or template asks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.roles = SimpleLazyObject(lambda: roles_of(request.user))
        return self.get_response(request)

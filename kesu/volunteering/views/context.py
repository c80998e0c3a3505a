"""What every 志愿服务 page needs first: the viewer's service roles (loaded once per request) and the jurisdiction
a registry or settings page is about."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from kesu.infra.params import id_param
from kesu.org.access import administered_jurisdictions, supervised_jurisdictions
from kesu.org.models import Jurisdiction
from kesu.volunteering.access import Roles, roles_of


def request_roles(request: HttpRequest) -> Roles:
    """The viewer's service roles, loaded once per request."""
    if not hasattr(request, "_service_roles"):
        request._service_roles = roles_of(request.user)
    return request._service_roles


def context_jurisdiction(request: HttpRequest, roles: Roles, office_only: bool = False) -> Jurisdiction:
    """The jurisdiction a registry or settings page is about: ?j=, else the user's own (office first)."""
    candidates = administered_jurisdictions(request.user) if office_only else supervised_jurisdictions(roles)
    wanted = id_param(request.GET, "j") or id_param(request.POST, "j")
    if wanted:
        jurisdiction = candidates.filter(pk=wanted).first()
        if jurisdiction is None:
            raise PermissionDenied("您不能管理该地区的服务")
        return jurisdiction
    own = administered_jurisdictions(request.user).order_by("path").first() or candidates.order_by("path").first()
    if own is None:
        raise PermissionDenied("只有科协办公室可以进行此操作" if office_only else "您没有该功能的权限")
    return own

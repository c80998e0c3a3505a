"""操作记录: the history of the office's service set-up and registries (ServiceEvent), for the office."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kesu.infra.params import int_param
from kesu.org.access import administered_jurisdictions
from kesu.volunteering.events import describe
from kesu.volunteering.models import ServiceEvent
from kesu.volunteering.views.context import context_jurisdiction, request_roles

PAGE = 100
MAX_PAGE = 100_000


@login_required
def history(request: HttpRequest) -> HttpResponse:
    jurisdiction = context_jurisdiction(request, request_roles(request), office_only=True)
    listed = ServiceEvent.objects.filter(jurisdiction=jurisdiction).select_related("actor")
    kind = request.GET.get("kind", "")
    if kind in ServiceEvent.Kind.values:
        listed = listed.filter(kind=kind)
    else:
        kind = ""
    page = int_param(request.GET, "page", low=1, high=MAX_PAGE, default=1)
    total = listed.count()
    rows = [(event, describe(event)) for event in listed[(page - 1) * PAGE: page * PAGE]]
    return render(request, "services/history.html", {
        "jurisdiction": jurisdiction, "rows": rows, "kind": kind, "kinds": ServiceEvent.Kind.choices,
        "page": page, "pages": (total + PAGE - 1) // PAGE, "total": total,
        "jurisdictions": administered_jurisdictions(request.user).order_by("path"),
    })

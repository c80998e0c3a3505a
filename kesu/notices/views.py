"""The page 提醒: a user's in-app notices, newest first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kesu.notices.actions import do_mark_notices_read
from kesu.notices.models import Notice

SHOWN = 200


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        do_mark_notices_read(request.user)
        return redirect("notices")
    return render(request, "notices/notices.html", {"notices": Notice.objects.filter(user=request.user)[:SHOWN]})

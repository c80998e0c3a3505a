"""The search page: results grouped by kind, each linking to its page, within what the user may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kesu.search.queries import MAX_QUERY, search


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    results = search(request.user, query)
    return render(request, "search/results.html", {"results": results, "max_query": MAX_QUERY})

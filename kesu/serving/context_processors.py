"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest

from kesu.serving.help_texts import HELP_TEXTS


def page_help(request: HttpRequest) -> dict[str, str]:
    """The current page's 本页说明, when the registry has one for its URL name."""
    match = getattr(request, "resolver_match", None)
    return {"page_help": HELP_TEXTS.get(match.url_name, "") if match and match.url_name else ""}

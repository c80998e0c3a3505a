"""The page 「API 令牌」: a user's own tokens (list, create with the key shown once, revoke) and, for an office
admin, the tokens of the accounts in its area (list, revoke)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from kesu.api.access import is_token_manager, managed_accounts, visible_tokens
from kesu.api.actions import TokenRefused, do_create_api_token, do_revoke_api_token
from kesu.api.forms import TokenForm
from kesu.api.models import ApiToken, ApiTokenEvent

AREA_LIMIT = 300  # tokens of other accounts listed at most; the newest first
EVENT_LIMIT = 30


def _page(request: HttpRequest, form: TokenForm, key: str = "", new_token: ApiToken | None = None) -> HttpResponse:
    user = request.user
    mine = ApiToken.objects.filter(user_id=user.pk)
    manager = is_token_manager(user)
    others = (
        ApiToken.objects.filter(user__in=managed_accounts(user)).select_related("user")[:AREA_LIMIT] if manager else []
    )
    events = (
        ApiTokenEvent.objects.filter(token__in=visible_tokens(user)).select_related("token__user", "actor")[:EVENT_LIMIT]
    )
    response = render(request, "api/tokens.html", {
        "form": form, "mine": mine, "manager": manager, "others": others, "area_limit": AREA_LIMIT,
        "events": events, "key": key, "new_token": new_token,
    })
    if key:
        add_never_cache_headers(response)  # the key must not stay in any cache
    return response


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            token, key = do_create_api_token(
                request.user, request.user, name=data["name"], scope=data["scope"], days=data["days"]
            )
        except TokenRefused as error:
            form.add_error(None, str(error))
        else:
            # Shown in this response only: the key is not stored, so there is no later page that could show it.
            return _page(request, TokenForm(), key=key, new_token=token)
    return _page(request, form)


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(visible_tokens(request.user).select_related("user"), pk=token_id)
    if do_revoke_api_token(token, request.user):
        messages.success(request, f"已吊销 {token.user.get_username()} 的令牌“{token.name}”（{token.prefix}…），立即失效。")
    else:
        messages.success(request, f"令牌“{token.name}”（{token.prefix}…）此前已被吊销。")
    return redirect("api-tokens")

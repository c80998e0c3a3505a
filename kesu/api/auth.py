"""Bearer-token authentication: `Authorization: Bearer <key>` → the token's user, who then has exactly their
own rights; every access decision is taken by kesu.org/plans/tracking.access as for the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from kesu.api.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        api_token = ApiToken.objects.authenticate(token.strip())
        if api_token is None:
            return None
        # The API never looks at the session: the token's user is the user of this request.
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user

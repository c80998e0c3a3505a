"""Bearer-token authentication: `Authorization: Bearer <key>` → the token's user, who then has exactly their
own rights; every access decision is taken by kesu.org/plans/tracking.access as for the pages.

On top of the user's rights the token's own limits apply: an expired token is refused (401, saying so), and a
read-only token may only read (403 on every operation that is not GET/HEAD/OPTIONS)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer

from kesu.api.models import ApiToken

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_REFUSAL = "该令牌为只读令牌，不能修改数据；请使用读写令牌。"


class TokenExpired(AuthenticationError):
    def __init__(self, token: ApiToken) -> None:
        super().__init__(message=f"令牌“{token.name}”（{token.prefix}…）已过期，请创建新的令牌。")


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        api_token = ApiToken.objects.authenticate(token.strip())
        if api_token is None:
            return None
        if api_token.is_expired:
            raise TokenExpired(api_token)
        if api_token.read_only and request.method not in READ_METHODS:
            raise HttpError(403, READ_ONLY_REFUSAL)
        # The API never looks at the session: the token's user is the user of this request.
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user

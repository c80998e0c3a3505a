"""Reading numbers from query strings and form posts: a malformed or out-of-range value is a 400
(`BadRequest`, shown as the Chinese 400 page), never a 500 from deep inside a query."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import QueryDict

from kesu.domain.number_bounds import MAX_ID


def int_param(params: QueryDict, name: str, *, low: int, high: int, default: int | None = None) -> int | None:
    """The whole number `name` in low..high; `default` when it is absent or empty; otherwise 400."""
    raw = params.get(name, "")
    if not isinstance(raw, str) or not raw.strip():
        return default
    raw = raw.strip()
    digits = raw[1:] if raw[:1] in "+-" else raw
    if not digits.isascii() or not digits.isdigit() or len(digits) > 20:
        raise BadRequest(f"参数“{name}”应为整数")
    value = int(raw)
    if not low <= value <= high:
        raise BadRequest(f"参数“{name}”应在 {low} 至 {high} 之间")
    return value


def id_param(params: QueryDict, name: str) -> int | None:
    """The id `name` (1 .. the largest primary key), or None when it is absent or empty."""
    return int_param(params, name, low=1, high=MAX_ID)


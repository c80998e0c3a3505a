"""A version token per plan, changed after every committed change of the plan or of its tracking data.

Pages computed from a plan's data (dashboard, report lists, roll-ups) are cached under keys that carry the
versions of their plans (kesu.tracking.readcache), so a change shows on the very next request. The history
writers (kesu.plans.events, kesu.tracking.events) call bump(): every write action records history, so every
write changes the version. Tokens live in Django's cache without expiry; a token that is missing (evicted, or a
fresh cache) is replaced by a new random one, so an entry cached under an older token is never served again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction


def _key(plan_id: int) -> str:
    return f"kesu:plan-version:{plan_id}"


def _token() -> str:
    return uuid.uuid4().hex[:16]


def bump(plan_id: int) -> None:
    """Give the plan a new version once the current transaction commits (at once outside a transaction)."""

    def change() -> None:
        cache.set(_key(plan_id), _token(), None)

    # robust: a cache outage is logged and never turns a committed user action into an error page.
    transaction.on_commit(change, robust=True)


def versions(plan_ids: Iterable[int]) -> list[str]:
    """The current version of each plan, in the order given (one cache round trip when all are known)."""
    ids = list(plan_ids)
    found = cache.get_many([_key(i) for i in ids])
    for plan_id in ids:
        if _key(plan_id) not in found:
            cache.add(_key(plan_id), _token(), None)  # first writer wins when two requests race
            found[_key(plan_id)] = cache.get(_key(plan_id))
    return [found[_key(i)] for i in ids]

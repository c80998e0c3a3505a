"""Rendered parts of the busiest pages — the dashboard's figures and heat map, a cycle's report list, the
roll-up — computed once per change of their plans instead of once per request.

- Keys carry the version of every plan shown (kesu.plans.data_version, changed after each committed write)
  and when it was imported (a database rebuilt or restored under the same cache reuses plan ids, not that),
  today's date (overdue lists and projections depend on it), and whatever the viewer's role changes in the
  part (e.g. the office sees drafts in a report list, a leader does not). Parts that differ per person (plan
  header, forms with CSRF tokens, links only some may follow) stay outside and are rendered per request.
- Entries also expire after READ_CACHE_SECONDS: names edited outside the actions (e.g. in /admin) show then.
- Plans with targets bound to live service counts are not cached (those counts change with every registration).
- The cache must be shared by all server processes (Redis): with a per-process cache one worker could not
  tell the others of a change. So caching is on only when the default cache is not a per-process one, unless
  settings.KESU_READ_CACHE (true/false) says otherwise.
- Redis being down makes cache reads miss (settings: IGNORE_EXCEPTIONS): the part is then computed each time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from kesu.plans import data_version
from kesu.plans.models import Plan
from kesu.tracking.live_values import live_plan_ids

READ_CACHE_SECONDS = 300
PER_PROCESS_BACKENDS = ("LocMemCache", "DummyCache")


def enabled() -> bool:
    explicit = getattr(settings, "KESU_READ_CACHE", None)
    if explicit is not None:
        return bool(explicit)
    return not settings.CACHES["default"]["BACKEND"].endswith(PER_PROCESS_BACKENDS)


def _live(plans: Sequence[Plan]) -> bool:
    return bool(live_plan_ids(p.pk for p in plans))


def cached_html(part: str, plans: Sequence[Plan], variant: tuple, build: Callable[[], str]) -> SafeString:
    """The HTML `build()` renders for these plans and this variant (page, viewer kind), cached while unchanged."""
    if not enabled() or _live(plans):
        return mark_safe(build())
    versions = data_version.versions(p.pk for p in plans)
    if None in versions:  # the cache could not keep a version (Redis unreachable): trust no entry
        return mark_safe(build())
    raw = repr(([(p.pk, p.imported_at.isoformat()) for p in plans], versions, variant, timezone.localdate().isoformat()))
    key = f"kesu:read:{part}:{hashlib.sha256(raw.encode()).hexdigest()}"
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, READ_CACHE_SECONDS)
    return mark_safe(html)

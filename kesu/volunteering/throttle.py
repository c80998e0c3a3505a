"""Anti-abuse for the public pages without an account: per-address counters in the database, and a simple
arithmetic challenge (in Chinese) kept in the session.

Addresses are stored only as keyed digests. Limits (per address) can be changed with the setting
KESU_SERVICE_RATE_LIMITS = {"order": [(seconds, max), …], …}; defaults below.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import random
import unicodedata

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from kesu.volunteering.models import RateCounter

DEFAULT_LIMITS: dict[str, list[tuple[int, int]]] = {
    "order": [(3600, 5), (86400, 20)],  # orders placed
    "order_attempt": [(3600, 30)],  # posts of the order form (wrong answers included)
    "lookup": [(3600, 120)],  # tracking-code look-ups and requester actions
    "lookup_miss": [(3600, 10)],  # look-ups of codes that do not exist (guessing)
}
LIMIT_TEXT = {
    "order": "同一网络地址每小时最多提交 5 张服务单、每天最多 20 张",
    "order_attempt": "同一网络地址每小时最多提交 30 次",
    "lookup": "同一网络地址每小时最多查询 120 次",
    "lookup_miss": "同一网络地址每小时最多输错查询码 10 次",
}


def limits() -> dict[str, list[tuple[int, int]]]:
    return DEFAULT_LIMITS | getattr(settings, "KESU_SERVICE_RATE_LIMITS", {})


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address a trusted reverse proxy put into X-Forwarded-For (KESU_TRUSTED_PROXIES=n)."""
    proxies = int(getattr(settings, "KESU_TRUSTED_PROXIES", 0) or 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def client_digest(request: HttpRequest) -> str:
    key = hashlib.sha256(("rate:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, client_address(request).encode(), hashlib.sha256).hexdigest()[:40]


def _window(now: dt.datetime, seconds: int) -> dt.datetime:
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)


def _count(key: str, start: dt.datetime, add: int) -> int:
    if add:
        updated = RateCounter.objects.filter(key=key, window_start=start).update(count=F("count") + add)
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window_start=start, count=add)
                return add
            except IntegrityError:  # another request created it first
                RateCounter.objects.filter(key=key, window_start=start).update(count=F("count") + add)
    return RateCounter.objects.filter(key=key, window_start=start).values_list("count", flat=True).first() or 0


def blocked(scope: str, digest: str, now: dt.datetime | None = None) -> bool:
    """Is this address already at its limit for `scope` (without counting this request)?"""
    now = now or timezone.now()
    return any(_count(f"{scope}:{seconds}:{digest}", _window(now, seconds), 0) >= most
               for seconds, most in limits()[scope])


def hit(scope: str, digest: str, now: dt.datetime | None = None) -> bool:
    """Count one request; False when it goes over a limit (the request should then be refused)."""
    now = now or timezone.now()
    ok = True
    for seconds, most in limits()[scope]:
        if _count(f"{scope}:{seconds}:{digest}", _window(now, seconds), 1) > most:
            ok = False
    return ok


def do_purge_rate_counters(now: dt.datetime | None = None) -> int:
    """Delete counters of windows that ended more than a day ago (a job; returns rows deleted)."""
    now = now or timezone.now()
    longest = max(seconds for windows in limits().values() for seconds, _ in windows)
    deleted, _ = RateCounter.objects.filter(window_start__lt=now - dt.timedelta(seconds=longest + 86400)).delete()
    return deleted


# ---------------------------------------------------------------------------- challenge

SESSION_KEY = "service_challenge"
_DIGITS = "零一二三四五六七八九十"


def new_challenge(request: HttpRequest) -> str:
    """A small sum or difference, asked in Chinese; the answer stays in the session (one use)."""
    rng = random.SystemRandom()
    a, b = rng.randint(2, 20), rng.randint(1, 9)
    if rng.random() < 0.5:
        question, answer = f"{a} 加 {b} 等于几？", a + b
    else:
        a = max(a, b + 1)
        question, answer = f"{a} 减 {b} 等于几？", a - b
    request.session[SESSION_KEY] = {"answer": answer, "question": question}
    return question


def current_question(request: HttpRequest) -> str:
    stored = request.session.get(SESSION_KEY)
    return stored["question"] if stored else new_challenge(request)


def _parse_answer(text: str) -> int | None:
    text = unicodedata.normalize("NFKC", (text or "").strip())
    if text.isdigit():
        return int(text)
    if text and all(ch in _DIGITS for ch in text):  # 十二, 九, 二十
        if text == "十":
            return 10
        if text.startswith("十"):
            return 10 + _DIGITS.index(text[1])
        if len(text) == 1:
            return _DIGITS.index(text)
        if text.endswith("十") and len(text) == 2:
            return _DIGITS.index(text[0]) * 10
        if len(text) == 3 and text[1] == "十":
            return _DIGITS.index(text[0]) * 10 + _DIGITS.index(text[2])
    return None


def check_challenge(request: HttpRequest, answer: str) -> bool:
    """True if `answer` answers the question in the session; the question is used up either way."""
    stored = request.session.pop(SESSION_KEY, None)
    return stored is not None and _parse_answer(answer) == stored["answer"]

"""Notifications for users: the in-app notice (站内提醒) and one outbox message per external channel — e-mail
when the user has an address, and every channel in KESU_NOTIFIERS (callables notifier(user=, title=, body=,
link=), e.g. an SMS gateway) — all written in the caller's transaction.

Delivery happens only after that transaction commits: once immediately (`transaction.on_commit`), then by the
`do_deliver_outbox` job with exponential backoff (KESU_OUTBOX_RETRY_SECONDS doubling, at most an hour) up to
KESU_OUTBOX_MAX_ATTEMPTS attempts. Each failure is logged; a failing channel never undoes or interrupts the
user's action. Each attempt claims its message with a conditional UPDATE, so two workers never send it twice
at the same time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from kesu.notices.models import Notice, OutboxMessage

log = logging.getLogger(__name__)

EMAIL = "email"
SENDING = dt.timedelta(minutes=10)  # a message being sent is not tried by anyone else for this long
KEEP_SENT = dt.timedelta(days=30)


def max_attempts() -> int:
    return int(getattr(settings, "KESU_OUTBOX_MAX_ATTEMPTS", 6))


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next attempt: the base, doubled after each failed attempt, at most an hour."""
    base = int(getattr(settings, "KESU_OUTBOX_RETRY_SECONDS", 60))
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def notify(users: Iterable[AbstractBaseUser], title: str, body: str, link: str) -> int:
    """Write the notices and the outbox messages of these users (the active ones); returns how many users."""
    users = [u for u in users if u.is_active]
    if not users:
        return 0
    title = title[:200]
    Notice.objects.bulk_create(Notice(user=u, title=title, body=body, link=link) for u in users)
    url = f"{settings.KESU_SITE_URL}{link}"[:500]
    messages = [OutboxMessage(user=u, channel=EMAIL, address=u.email, title=title, body=body, link=url)
                for u in users if u.email]
    messages += [OutboxMessage(user=u, channel=path, title=title, body=body, link=url)
                 for path in settings.KESU_NOTIFIERS for u in users]
    ids = [m.pk for m in OutboxMessage.objects.bulk_create(messages)]
    if ids:
        transaction.on_commit(lambda: deliver(ids), robust=True)
    return len(users)


def _claim(pk: int, now: dt.datetime) -> OutboxMessage | None:
    message = OutboxMessage.objects.select_related("user").filter(
        pk=pk, status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now).first()
    if message is None:
        return None
    taken = OutboxMessage.objects.filter(pk=pk, status=OutboxMessage.Status.PENDING, attempts=message.attempts).update(
        attempts=message.attempts + 1, next_attempt_at=now + SENDING)
    if not taken:
        return None  # another worker is sending it
    message.attempts += 1
    return message


def _send(message: OutboxMessage) -> None:
    if message.channel == EMAIL:
        send_mail(message.title, f"{message.body}\n\n{message.link}", None, [message.address], fail_silently=False)
    else:
        import_string(message.channel)(user=message.user, title=message.title, body=message.body, link=message.link)


def deliver_one(pk: int) -> bool:
    """Try one message once; True when it went out. Never raises: a failure is logged and scheduled again."""
    now = timezone.now()
    message = _claim(pk, now)
    if message is None:
        return False
    try:
        _send(message)
    except Exception as error:
        final = message.attempts >= max_attempts()
        log.warning("notice %s via %s to user %s failed (attempt %s of %s%s): %s", pk, message.channel,
                    message.user_id, message.attempts, max_attempts(), ", giving up" if final else "", error,
                    exc_info=True)
        OutboxMessage.objects.filter(pk=pk).update(
            status=OutboxMessage.Status.FAILED if final else OutboxMessage.Status.PENDING,
            last_error=f"{type(error).__name__}: {error}"[:2000], next_attempt_at=now + backoff(message.attempts))
        return False
    OutboxMessage.objects.filter(pk=pk).update(status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error="")
    return True


def deliver(ids: Iterable[int]) -> int:
    sent = 0
    for pk in ids:
        try:
            sent += deliver_one(pk)
        except Exception:  # even the outbox's own database writes must not break the committed action
            log.exception("notice %s could not be delivered now; the job will retry it", pk)
    return sent


def do_deliver_outbox(batch: int = 200) -> int:
    """The job: send every message whose next attempt is due; forget sent ones after 30 days. Returns sent."""
    now = timezone.now()
    due = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
    sent = deliver(list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:batch]))
    OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT, sent_at__lt=now - KEEP_SENT).delete()
    return sent

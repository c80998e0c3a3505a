"""Leases on background work: who claimed a row, when, and until when it is theirs.

A job claims a queued row with one conditional UPDATE (queued → running, with a fresh worker token and
`lease_until`), so several workers can poll side by side and never take the same row. While it works it
renews the lease between steps (`Lease.renew`, also how it writes progress); it writes its result with
`Lease.finish`, which only succeeds while the row is still running under its token — so the result of a
worker whose row was cancelled or taken over meanwhile is discarded, never mixed in.

A row still "running" after its lease ran out lost its worker (killed, machine gone): `release_expired`
puts it back in the queue, or marks it failed with a Chinese reason once it has been tried
`KESU_JOB_MAX_ATTEMPTS` times. Lease lengths per kind of work: `KESU_JOB_LEASES` (seconds).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

log = logging.getLogger(__name__)

DEFAULT_LEASES = {"summary": 600, "survey_check": 1800, "survey_run": 1800}
DEFAULT_MAX_ATTEMPTS = 3


class Leased(models.Model):
    """The claim fields of a row worked by a background job."""

    claimed_at = models.DateTimeField("开始处理时间", null=True, blank=True)
    lease_until = models.DateTimeField("租约到期", null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    worker = models.CharField("处理进程", max_length=100, blank=True)

    class Meta:
        abstract = True


class LeaseLost(Exception):
    """The row is no longer ours: cancelled by the office, or re-queued after our lease ran out."""


def lease_length(kind: str) -> dt.timedelta:
    seconds = (DEFAULT_LEASES | getattr(settings, "KESU_JOB_LEASES", {})).get(kind, 600)
    return dt.timedelta(seconds=int(seconds))


def max_attempts() -> int:
    return int(getattr(settings, "KESU_JOB_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def interrupted_reason(attempts: int) -> str:
    return f"处理进程中断，已尝试{attempts}次仍未完成。可以重试；如仍失败，请联系系统管理员。"


def worker_token() -> str:
    """host:pid:random — names the process in the row and makes every claim distinct."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass(frozen=True)
class Lease:
    model: type[models.Model]
    pk: int
    token: str
    kind: str
    running: str = "running"

    def _mine(self) -> models.QuerySet:
        return self.model._default_manager.filter(pk=self.pk, status=self.running, worker=self.token)

    def renew(self, **fields: Any) -> None:
        """Extend the lease (a heartbeat), writing `fields` too; LeaseLost when the row is no longer ours."""
        if not self._mine().update(lease_until=timezone.now() + lease_length(self.kind), **fields):
            raise LeaseLost(f"{self.model.__name__} {self.pk}")

    def finish(self, **fields: Any) -> bool:
        """Write the outcome (a new status and the result) if the row is still ours; False: it was not written."""
        return bool(self._mine().update(lease_until=None, **fields))


def claim(model: type[models.Model], pk: int, kind: str, *, queued: str = "queued", running: str = "running",
          **fields: Any) -> Lease | None:
    """Atomically take a queued row; None when another worker has it (or it is not queued any more)."""
    token, now = worker_token(), timezone.now()
    taken = model._default_manager.filter(pk=pk, status=queued).update(
        status=running, claimed_at=now, lease_until=now + lease_length(kind), attempts=F("attempts") + 1,
        worker=token, **fields,
    )
    return Lease(model, pk, token, kind, running) if taken else None


def release_expired(
    model: type[models.Model], *, failed: str, failed_fields: Callable[[int], dict[str, Any]],
    on_failed: Callable[[int], None] = lambda pk: None, queued: str = "queued", running: str = "running",
    now: dt.datetime | None = None,
) -> int:
    """Re-queue running rows whose lease ran out, or fail them after the last attempt; returns how many failed.

    Each change is conditional on the row still being held by the same dead claim, so a worker that renews
    its lease at the same moment keeps it, and two workers releasing together change a row once. A failure
    and its history row (`on_failed(pk)`) are written in one transaction.
    """
    now = now or timezone.now()
    manager = model._default_manager
    expired = Q(lease_until__lt=now) | Q(lease_until__isnull=True)
    count = 0
    for pk, attempts, worker in list(manager.filter(expired, status=running).values_list("pk", "attempts", "worker")):
        held = manager.filter(expired, pk=pk, status=running, worker=worker)
        if attempts < max_attempts():
            if held.update(status=queued, lease_until=None):
                log.warning("%s %s: lease of %s expired (attempt %s); queued again", model.__name__, pk, worker, attempts)
            continue
        with transaction.atomic():
            if held.update(status=failed, lease_until=None, **failed_fields(attempts)):
                on_failed(pk)
                log.error("%s %s: lease of %s expired after %s attempts; marked failed", model.__name__, pk, worker, attempts)
                count += 1
    return count

"""Producing summaries in the background: the office requests, retries or cancels a document; the job claims
a queued one under a lease (kesu/infra/leases.py), renders it step by step renewing the lease, and stores it
only if it is still its own — a document cancelled meanwhile keeps no result. A document whose worker died is
queued again when its lease runs out, and marked failed with the reason after the last attempt."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from kesu.domain.refusals import Refused
from kesu.infra.leases import Lease, LeaseLost, claim, interrupted_reason, release_expired
from kesu.tracking import events
from kesu.tracking.events import Actor, EventKind
from kesu.tracking.models import SummaryDocument
from kesu.tracking.summary.content import gather
from kesu.tracking.summary.pdf import render_pdf
from kesu.tracking.summary.word import render_docx

log = logging.getLogger(__name__)

Status = SummaryDocument.Status


class SummaryRefused(Refused):
    """A retry or cancel that does not apply to the document as it is now; the message is Chinese."""


@transaction.atomic
def do_request_summary(plan, year: int, actor: Actor) -> SummaryDocument:
    document = SummaryDocument.objects.create(plan=plan, year=year, requested_by=actor)
    events.summary_event(document, actor, EventKind.SUMMARY_REQUESTED)
    return document


def _locked(document: SummaryDocument) -> SummaryDocument:
    return SummaryDocument.objects.select_for_update().select_related("plan").get(pk=document.pk)


@transaction.atomic
def do_retry_summary(document: SummaryDocument, actor: Actor) -> SummaryDocument:
    """Queue a failed or cancelled document again, with a fresh count of attempts."""
    document = _locked(document)
    if document.status not in (Status.FAILED, Status.CANCELLED):
        raise SummaryRefused("只有生成失败或已取消的工作总结可以重试")
    previous = document.error or document.get_status_display()
    document.status, document.error, document.attempts, document.finished_at = Status.QUEUED, "", 0, None
    document.lease_until = None
    document.save(update_fields=["status", "error", "attempts", "finished_at", "lease_until"])
    events.summary_event(document, actor, EventKind.SUMMARY_RETRIED, f"原状态：{previous}")
    return document


@transaction.atomic
def do_cancel_summary(document: SummaryDocument, actor: Actor) -> SummaryDocument:
    """Cancel a queued or running document; a running job stops at its next step and keeps no result."""
    document = _locked(document)
    if document.status not in (Status.QUEUED, Status.RUNNING):
        raise SummaryRefused("只有排队中或生成中的工作总结可以取消")
    was = document.get_status_display()
    document.status, document.lease_until, document.finished_at = Status.CANCELLED, None, timezone.now()
    document.save(update_fields=["status", "lease_until", "finished_at"])
    events.summary_event(document, actor, EventKind.SUMMARY_CANCELLED, f"取消时状态：{was}")
    return document


def produce(document: SummaryDocument, heartbeat: Callable[[], None] = lambda: None) -> None:
    """Render the .docx and the PDF into storage (names set on `document`, not saved); heartbeat between steps."""
    content = gather(document.plan, document.year)
    heartbeat()
    docx = render_docx(content)
    heartbeat()
    pdf = render_pdf(content)
    heartbeat()
    stem = uuid.uuid4().hex
    document.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
    document.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)


def _discard_files(document: SummaryDocument) -> None:
    for field in (document.docx, document.pdf):
        if field:
            field.storage.delete(field.name)


def work(lease: Lease) -> None:
    """Work a claimed document to done or failed — unless it stops being ours, then nothing is kept."""
    document = SummaryDocument.objects.select_related("plan__jurisdiction").get(pk=lease.pk)
    try:
        produce(document, heartbeat=lease.renew)
    except LeaseLost:
        log.info("summary %s was cancelled or taken over; its result is discarded", lease.pk)
        return
    except Exception as error:  # a failed document is reported on the page, never lost silently
        log.exception("summary %s failed", lease.pk)
        _discard_files(document)
        reason = f"生成时发生内部错误（{type(error).__name__}: {error}），请联系系统管理员"
        with transaction.atomic():
            if lease.finish(status=Status.FAILED, error=reason, finished_at=timezone.now()):
                events.summary_event(document, None, EventKind.SUMMARY_FAILED, reason)
        return
    if not lease.finish(status=Status.DONE, docx=document.docx.name, pdf=document.pdf.name, error="",
                        finished_at=timezone.now()):
        log.info("summary %s was cancelled while rendering; its files are discarded", lease.pk)
        _discard_files(document)


def release_interrupted() -> int:
    """Documents whose worker died: queued again, or failed with the reason after the last attempt."""

    def record(pk: int) -> None:
        document = SummaryDocument.objects.select_related("plan").get(pk=pk)
        events.summary_event(document, None, EventKind.SUMMARY_FAILED, document.error)

    return release_expired(
        SummaryDocument, failed=Status.FAILED, on_failed=record,
        failed_fields=lambda attempts: {"error": interrupted_reason(attempts), "finished_at": timezone.now()},
    )


def do_produce_queued_summaries(limit: int = 5) -> int:
    release_interrupted()
    done = 0
    queued = SummaryDocument.objects.filter(status=Status.QUEUED).order_by("requested_at", "pk")
    for pk in list(queued.values_list("pk", flat=True)[:limit]):
        lease = claim(SummaryDocument, pk, "summary")
        if lease is None:
            continue  # another worker took it
        work(lease)
        done += 1
    return done

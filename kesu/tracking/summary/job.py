"""Producing summaries in the background: claim a queued row atomically, render, store, mark done or failed."""

from __future__ import annotations

import logging
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from kesu.tracking.models import SummaryDocument
from kesu.tracking.summary.content import gather
from kesu.tracking.summary.pdf import render_pdf
from kesu.tracking.summary.word import render_docx

log = logging.getLogger(__name__)


@transaction.atomic
def do_request_summary(plan, year: int, actor) -> SummaryDocument:
    return SummaryDocument.objects.create(plan=plan, year=year, requested_by=actor)


def produce(document: SummaryDocument) -> None:
    content = gather(document.plan, document.year)
    stem = f"{uuid.uuid4().hex}"
    document.docx.save(f"{stem}.docx", ContentFile(render_docx(content)), save=False)
    document.pdf.save(f"{stem}.pdf", ContentFile(render_pdf(content)), save=False)


def do_produce_queued_summaries(limit: int = 5) -> int:
    done = 0
    for pk in list(SummaryDocument.objects.filter(status="queued").order_by("requested_at").values_list("pk", flat=True)[:limit]):
        if not SummaryDocument.objects.filter(pk=pk, status="queued").update(status="running"):
            continue  # another worker took it
        document = SummaryDocument.objects.select_related("plan__jurisdiction").get(pk=pk)
        try:
            produce(document)
            document.status = SummaryDocument.Status.DONE
        except Exception as error:  # a failed document is reported on the page, never lost silently
            log.exception("summary %s failed", pk)
            document.status, document.error = SummaryDocument.Status.FAILED, f"{type(error).__name__}: {error}"
        document.finished_at = timezone.now()
        document.save(update_fields=["docx", "pdf", "status", "error", "finished_at"])
        done += 1
    return done

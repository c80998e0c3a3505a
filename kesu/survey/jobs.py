"""Background work of the survey feature, polled by `kesu run_jobs` (see kesu/jobs/__init__.py).

* `do_run_queued_estimates` — claims queued runs one by one with an atomic UPDATE under a lease
  (kesu/infra/leases.py: status queued → running, so two workers never take the same run), then runs the
  domain's `analyse()` (reads, validates, scores, rakes, estimates, small areas), whose progress callback writes
  progress and stage to the row between steps (the run's page polls them; each write renews the lease), and
  stores the domain's report as JSON — or the Chinese error, on failure. A run cancelled by the office stops at its next step and keeps no result.
  Nothing is lost: the inputs stay with the run and a failed or cancelled run can be queued again.
* `do_validate_queued_uploads` — the wizard's check of files too large to check during the upload request;
  same claim and lease, writes the preview (row problems the office may skip) or the refusal.

Both first release work whose worker died (lease expired while running): queued again, or failed with the
reason after `KESU_JOB_MAX_ATTEMPTS` attempts (the files are kept, so the office can retry).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from kesu.domain.survey.analysis import Progress
from kesu.domain.survey.errors import SurveyError
from kesu.domain.survey.inputs import CheckRefused, analyse_inputs, check
from kesu.infra.leases import Lease, LeaseLost, claim, interrupted_reason, release_expired
from kesu.survey import actions, events
from kesu.survey.models import SurveyRun, SurveyUpload
from kesu.survey.pipeline import result_json, stored_inputs

log = logging.getLogger(__name__)


def _reporter(lease: Lease) -> Progress:
    """The domain's progress callback: writes progress (0–99 %) and stage to the row and renews the lease; raises
    LeaseLost once the row is not ours (cancelled, or taken over), which stops the work at that stage."""
    last = {"progress": -1}

    def progress(stage: str, fraction: float) -> None:
        value = max(0, min(int(round(100 * fraction)), 99))
        if value < last["progress"]:
            value = last["progress"]
        last["progress"] = value
        lease.renew(progress=value, stage=stage[:50])

    return progress


def claim_run(pk: int) -> Lease | None:
    """Atomically take a queued run; None when another worker has it (or it is not queued)."""
    return claim(SurveyRun, pk, "survey_run", started_at=timezone.now(), progress=1, stage="开始")


def execute_run(lease: Lease) -> SurveyRun:
    """Work a claimed run to done or failed — unless it is cancelled or taken over meanwhile (nothing kept)."""
    run = SurveyRun.objects.select_related("jurisdiction").get(pk=lease.pk)
    progress = _reporter(lease)
    result, error = None, ""
    try:
        with stored_inputs(run) as inputs:
            analysis = analyse_inputs(inputs, progress)
        progress("保存结果", 0.97)
        result = result_json(analysis)
    except LeaseLost:
        log.info("survey run %s was cancelled or taken over; its result is discarded", lease.pk)
        return SurveyRun.objects.get(pk=lease.pk)
    except SurveyError as refusal:  # the user's data or choices: the message says what to change
        error = str(refusal)
    except Exception as failure:  # a failed run is reported on its page, never lost silently
        log.exception("survey run %s failed", lease.pk)
        error = f"计算时发生内部错误（{type(failure).__name__}: {failure}），请联系系统管理员"
    if result is not None:
        outcome = {"status": SurveyRun.Status.DONE, "progress": 100, "stage": "完成"}
    else:  # keep how far it got, and say where it stopped
        stage = SurveyRun.objects.filter(pk=lease.pk).values_list("stage", flat=True).get()
        outcome = {"status": SurveyRun.Status.FAILED, "stage": f"失败（{stage}）"[:50]}
    with transaction.atomic():
        if lease.finish(result=result, error=error, finished_at=timezone.now(), **outcome):
            run = SurveyRun.objects.select_related("jurisdiction").get(pk=lease.pk)
            events.run_finished(run)
        else:
            log.info("survey run %s was cancelled while finishing; its result is discarded", lease.pk)
    return SurveyRun.objects.select_related("jurisdiction").get(pk=lease.pk)


def _run_interrupted(pk: int) -> None:
    events.run_finished(SurveyRun.objects.get(pk=pk))


def do_run_queued_estimates(limit: int = 3) -> int:
    release_expired(
        SurveyRun, failed=SurveyRun.Status.FAILED, on_failed=_run_interrupted,
        failed_fields=lambda attempts: {"error": interrupted_reason(attempts), "result": None,
                                        "finished_at": timezone.now(), "stage": "处理中断"},
    )
    done = 0
    queued = SurveyRun.objects.filter(status=SurveyRun.Status.QUEUED).order_by("created_at", "pk")
    for pk in list(queued.values_list("pk", flat=True)[:limit]):
        lease = claim_run(pk)
        if lease is None:
            continue  # another worker took it
        execute_run(lease)
        done += 1
    return done


def claim_upload(pk: int) -> Lease | None:
    return claim(SurveyUpload, pk, "survey_check", progress=1, stage="开始检查")


def execute_upload_check(lease: Lease) -> None:
    upload = SurveyUpload.objects.get(pk=lease.pk)
    try:
        with stored_inputs(upload) as inputs:
            preview, status, errors = check(inputs, _reporter(lease)), SurveyUpload.Status.READY, []
    except LeaseLost:
        log.info("survey upload check %s was cancelled or taken over", lease.pk)
        return
    except CheckRefused as refusal:
        preview, status, errors = upload.preview, SurveyUpload.Status.REFUSED, refusal.errors
    except Exception as failure:  # kept with its files: the office can retry the check or cancel the upload
        log.exception("survey upload check %s failed", lease.pk)
        preview, status = upload.preview, SurveyUpload.Status.FAILED
        errors = [f"检查文件时发生内部错误（{type(failure).__name__}: {failure}），请重试或联系系统管理员"]
    with transaction.atomic():
        if not lease.finish(preview=preview, status=status, errors=errors, progress=100, stage="检查完成"):
            log.info("survey upload check %s was cancelled while finishing", lease.pk)
            return
        if status == SurveyUpload.Status.FAILED:
            events.upload_failed(SurveyUpload.objects.get(pk=lease.pk))
    if status == SurveyUpload.Status.REFUSED:
        # Nothing is kept of refused files: only the findings remain to be read.
        for field in upload.stored_files():
            field.storage.delete(field.name)
        SurveyUpload.objects.filter(pk=lease.pk).update(responses_file="", margins_file="", covariates_file="")


def _upload_interrupted(pk: int) -> None:
    events.upload_failed(SurveyUpload.objects.get(pk=pk))


def do_validate_queued_uploads(limit: int = 3) -> int:
    actions.do_clear_stale_uploads()
    release_expired(
        SurveyUpload, failed=SurveyUpload.Status.FAILED, on_failed=_upload_interrupted,
        failed_fields=lambda attempts: {"errors": [interrupted_reason(attempts)], "stage": "检查中断"},
    )
    done = 0
    queued = SurveyUpload.objects.filter(status=SurveyUpload.Status.QUEUED).order_by("created_at", "pk")
    for pk in list(queued.values_list("pk", flat=True)[:limit]):
        lease = claim_upload(pk)
        if lease is None:
            continue
        execute_upload_check(lease)
        done += 1
    return done

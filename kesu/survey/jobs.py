"""Background work of the survey feature, polled by `kesu run_jobs` (see kesu/jobs.py).

* `do_run_queued_estimates` — claims queued runs one by one with an atomic UPDATE (status queued → running,
  so two workers never take the same run), then reads, validates, scores, rakes, estimates and does the small
  areas, writing progress and stage to the row between steps (the run's page polls them), and stores the
  domain's report as JSON — or the Chinese error, on failure. Nothing is lost: the inputs stay with the run
  and a failed run can be queued again.
* `do_validate_queued_uploads` — the wizard's check of files too large to check during the upload request;
  same claim, writes the preview (row problems the office may skip) or the refusal.
"""

from __future__ import annotations

import logging

from django.db.models import Q
from django.utils import timezone

from kesu.domain.survey.errors import SurveyError
from kesu.survey import actions, events
from kesu.survey.models import SurveyRun, SurveyUpload
from kesu.survey.pipeline import STAGES, CheckRefused, Inputs, analyse_inputs, check, result_json

log = logging.getLogger(__name__)


def _reporter(model, pk: int):
    last = {"progress": -1}

    def progress(value: int, stage: str) -> None:
        value = max(0, min(int(value), 99))
        if value < last["progress"]:
            value = last["progress"]
        last["progress"] = value
        model.objects.filter(pk=pk).update(progress=value, stage=stage[:50])

    return progress


def claim_run(pk: int) -> bool:
    """Atomically take a queued run; False when another worker has it (or it is not queued)."""
    return bool(
        SurveyRun.objects.filter(pk=pk, status=SurveyRun.Status.QUEUED).update(
            status=SurveyRun.Status.RUNNING, started_at=timezone.now(), progress=1, stage="开始"
        )
    )


def execute_run(pk: int) -> SurveyRun:
    """Work a claimed run to done or failed."""
    run = SurveyRun.objects.select_related("jurisdiction").get(pk=pk)
    progress = _reporter(SurveyRun, pk)
    try:
        analysis = analyse_inputs(Inputs.of(run), progress)
        progress(*STAGES["saving"])
        run.result = result_json(analysis)
        run.status, run.error = SurveyRun.Status.DONE, ""
    except SurveyError as error:  # the user's data or choices: the message says what to change
        run.status, run.error, run.result = SurveyRun.Status.FAILED, str(error), None
    except Exception as error:  # a failed run is reported on its page, never lost silently
        log.exception("survey run %s failed", pk)
        run.status, run.result = SurveyRun.Status.FAILED, None
        run.error = f"计算时发生内部错误（{type(error).__name__}: {error}），请联系系统管理员"
    run.finished_at = timezone.now()
    if run.status == SurveyRun.Status.DONE:
        run.progress, run.stage = 100, "完成"
    else:  # keep how far it got, and say where it stopped
        run.progress, stage = SurveyRun.objects.filter(pk=pk).values_list("progress", "stage").get()
        run.stage = f"失败（{stage}）"[:50]
    run.save(update_fields=["result", "status", "error", "finished_at", "progress", "stage"])
    events.run_finished(run)
    return run


def do_run_queued_estimates(limit: int = 3) -> int:
    done = 0
    queued = SurveyRun.objects.filter(status=SurveyRun.Status.QUEUED).order_by("created_at", "pk")
    for pk in list(queued.values_list("pk", flat=True)[:limit]):
        if not claim_run(pk):
            continue  # another worker took it
        execute_run(pk)
        done += 1
    return done


def claim_upload(pk: int) -> bool:
    return bool(
        SurveyUpload.objects.filter(pk=pk, status=SurveyUpload.Status.QUEUED).update(
            status=SurveyUpload.Status.RUNNING, progress=1, stage="开始检查"
        )
    )


def execute_upload_check(pk: int) -> SurveyUpload:
    upload = SurveyUpload.objects.get(pk=pk)
    try:
        upload.preview = check(Inputs.of(upload), _reporter(SurveyUpload, pk))
        upload.status, upload.errors = SurveyUpload.Status.READY, []
    except CheckRefused as error:
        upload.status, upload.errors = SurveyUpload.Status.REFUSED, error.errors
    except Exception as error:
        log.exception("survey upload check %s failed", pk)
        upload.status = SurveyUpload.Status.REFUSED
        upload.errors = [f"检查文件时发生内部错误（{type(error).__name__}: {error}），请联系系统管理员"]
    upload.progress, upload.stage = 100, "检查完成"
    upload.save(update_fields=["preview", "status", "errors", "progress", "stage"])
    if upload.status == SurveyUpload.Status.REFUSED:
        # Nothing is kept of refused files: only the findings remain to be read.
        for field in upload.stored_files():
            field.storage.delete(field.name)
        SurveyUpload.objects.filter(pk=pk).update(responses_file="", margins_file="", covariates_file="")
    return upload


def do_validate_queued_uploads(limit: int = 3) -> int:
    actions.do_clear_stale_uploads()
    done = 0
    queued = SurveyUpload.objects.filter(Q(status=SurveyUpload.Status.QUEUED)).order_by("created_at", "pk")
    for pk in list(queued.values_list("pk", flat=True)[:limit]):
        if not claim_upload(pk):
            continue
        execute_upload_check(pk)
        done += 1
    return done

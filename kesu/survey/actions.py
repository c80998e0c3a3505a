"""Every write of the survey feature: staging an upload, confirming it as a run, recording figures.

Each `do_…` runs in one transaction; files are removed only after the transaction that forgets them commits.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from kesu.domain.refusals import Refused
from kesu.domain.survey.errors import SurveyError
from kesu.domain.survey.inputs import CheckRefused, Inputs, check
from kesu.domain.survey.report import CI_NAMES
from kesu.domain.survey.tables import decode
from kesu.org.access import is_office_admin
from kesu.org.models import Jurisdiction
from kesu.survey import events
from kesu.survey.events import Actor
from kesu.survey.models import LiteracyFigure, SurveyRun, SurveyUpload

STAGED_FOR = dt.timedelta(days=1)  # unconfirmed uploads are removed after this


class SurveyRefused(Refused):
    """A change that cannot be made; the message is a complete Chinese sentence."""


def _delete_files_on_commit(files: list[FieldFile]) -> None:
    names = [(f.storage, f.name) for f in files if f]

    def remove() -> None:
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(remove)


def inline_check_limit() -> int:
    """Responses files up to this size are checked during the upload; larger ones by the background job."""
    return int(getattr(settings, "KESU_SURVEY_CHECK_INLINE", 5 * 1024 * 1024))


def _write_upload(upload: UploadedFile, folder: Path, kind: str) -> tuple[Path, str]:
    name = Path(upload.name).name.replace("\x00", "")[-150:] or f"{kind}.csv"
    target = folder / kind
    target.mkdir()
    path = target / name
    with open(path, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path, name


def do_receive_upload(
    jurisdiction: Jurisdiction,
    actor: Actor,
    *,
    year: int,
    title: str,
    instrument_preset: str,
    instrument_file: UploadedFile | None,
    files: dict[str, UploadedFile],
    options: dict[str, Any],
) -> SurveyUpload:
    """The wizard's first step. Files whose responses file is small enough are checked at once — CheckRefused
    lists every problem (file, row, column) and nothing is kept; larger ones are left to the background check.
    Then the files are staged (`do_stage_upload`, one transaction) until the office confirms. `files`: kind
    ("responses", "margins", "covariates") → the uploaded file; `instrument_file` when no preset is chosen."""
    do_clear_stale_uploads()
    instrument_name = instrument_text = ""
    if not instrument_preset and instrument_file is not None:
        instrument_name = Path(instrument_file.name).name
        try:
            instrument_text, _ = decode(instrument_file.read(), instrument_name)
        except SurveyError as error:
            raise CheckRefused([f"问卷文件“{instrument_name}”：{error}"]) from error
    with tempfile.TemporaryDirectory(prefix="kesu-survey-") as tmp:
        local = {kind: _write_upload(upload, Path(tmp), kind) for kind, upload in files.items()}
        inputs = Inputs(
            responses=local["responses"][0], responses_name=local["responses"][1],
            instrument_preset=instrument_preset, instrument_name=instrument_name, instrument_text=instrument_text,
            margins=local["margins"][0] if "margins" in local else None,
            margins_name=local["margins"][1] if "margins" in local else "",
            covariates=local["covariates"][0] if "covariates" in local else None,
            covariates_name=local["covariates"][1] if "covariates" in local else "",
            options=options,
        )
        preview = check(inputs) if files["responses"].size <= inline_check_limit() else None
        return do_stage_upload(
            jurisdiction, actor, year=year, title=title.strip() or f"{year}年公民科学素质抽样调查",
            instrument_preset=instrument_preset, instrument_name=instrument_name, instrument_text=instrument_text,
            files=local, options=options, preview=preview,
        )


@transaction.atomic
def do_stage_upload(
    jurisdiction: Jurisdiction,
    actor: Actor,
    *,
    year: int,
    title: str,
    instrument_preset: str,
    instrument_name: str,
    instrument_text: str,
    files: dict[str, tuple[Path, str]],
    options: dict[str, Any],
    preview: dict[str, Any] | None,
) -> SurveyUpload:
    """Keep checked files until the office confirms. `files`: kind ("responses", "margins", "covariates") →
    (path of a temporary copy, the name the user gave the file). With `preview` the files were checked already;
    without it the job checks them (large files)."""
    upload = SurveyUpload(
        jurisdiction=jurisdiction, uploaded_by=actor, year=year, title=title,
        instrument_preset=instrument_preset, instrument_name=instrument_name, instrument_text=instrument_text,
        options=options, preview=preview,
        status=SurveyUpload.Status.READY if preview is not None else SurveyUpload.Status.QUEUED,
        progress=100 if preview is not None else 0,
    )
    saved: list[FieldFile] = []
    try:
        for kind, (path, name) in files.items():
            field: FieldFile = getattr(upload, f"{kind}_file")
            with open(path, "rb") as handle:
                field.save(name, File(handle), save=False)
            saved.append(field)
            setattr(upload, f"{kind}_name", name)
        upload.save()
    except BaseException:
        for field in saved:
            field.storage.delete(field.name)
        raise
    return upload


@transaction.atomic
def do_confirm_upload(upload: SurveyUpload, actor: Actor, *, skip_rows: bool) -> SurveyRun:
    """The office confirms: a queued run takes over the files; the staged upload is gone. The actor must still
    administer the area (a role revoked since the upload refuses the confirmation)."""
    upload = SurveyUpload.objects.select_for_update().select_related("jurisdiction").get(pk=upload.pk)
    if actor is None or not is_office_admin(actor, upload.jurisdiction):
        raise SurveyRefused(f"只有{upload.jurisdiction.name}科协办公室管理员可以确认开始估计")
    if upload.status != SurveyUpload.Status.READY:
        raise SurveyRefused("这批文件还没有通过检查，不能开始估计")
    problems = (upload.preview or {}).get("skip_rows") or []
    if problems and not skip_rows:
        raise SurveyRefused(
            f"答卷中有 {len(problems)} 行数据有问题：请选择跳过这些行后继续，或修改文件后重新上传"
        )
    options = dict(upload.options)
    options["skip_rows"] = list(problems) if skip_rows else []
    run = SurveyRun.objects.create(
        jurisdiction=upload.jurisdiction, token=upload.token, year=upload.year, title=upload.title,
        instrument_preset=upload.instrument_preset, instrument_name=upload.instrument_name,
        instrument_text=upload.instrument_text,
        responses_file=upload.responses_file.name, responses_name=upload.responses_name,
        margins_file=upload.margins_file.name or "", margins_name=upload.margins_name,
        covariates_file=upload.covariates_file.name or "", covariates_name=upload.covariates_name,
        options=options, created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    upload.delete()  # the files now belong to the run
    events.run_queued(run, actor)
    return run


def _discard_upload(upload: SurveyUpload) -> None:
    _delete_files_on_commit(upload.stored_files())
    upload.delete()


@transaction.atomic
def do_cancel_upload(upload: SurveyUpload, actor: Actor) -> None:
    """Cancel a staged upload in any state — a check still running stops at its next step; the files go."""
    upload = SurveyUpload.objects.select_for_update().get(pk=upload.pk)
    events.upload_cancelled(upload, actor)
    _discard_upload(upload)


@transaction.atomic
def do_retry_upload(upload: SurveyUpload, actor: Actor) -> SurveyUpload:
    """Queue an interrupted check again (its files were kept), with a fresh count of attempts."""
    upload = SurveyUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != SurveyUpload.Status.FAILED:
        raise SurveyRefused("只有检查中断的文件可以重新检查")
    upload.status, upload.errors, upload.progress, upload.stage = SurveyUpload.Status.QUEUED, [], 0, ""
    upload.attempts, upload.lease_until = 0, None
    upload.save(update_fields=["status", "errors", "progress", "stage", "attempts", "lease_until"])
    events.upload_retried(upload, actor)
    return upload


def do_clear_stale_uploads(now: dt.datetime | None = None) -> int:
    """Remove uploads nobody confirmed within a day, with their files."""
    cutoff = (now or timezone.now()) - STAGED_FOR
    count = 0
    for upload in SurveyUpload.objects.filter(created_at__lt=cutoff):
        with transaction.atomic():
            _discard_upload(upload)
        count += 1
    return count


def estimate_source(run: SurveyRun) -> str:
    overall = run.overall or {}
    ci = CI_NAMES.get(run.options.get("ci_method", "logit"), "")
    return f"{run.title}：本平台抽样调查估计（样本量 {overall.get('n', 0)}，{ci}）"[:300]


def _store_figure(
    jurisdiction: Jurisdiction, year: int, kind: str, values: dict[str, Any], actor: Actor
) -> tuple[LiteracyFigure, str | None]:
    existing = (
        LiteracyFigure.objects.select_for_update().filter(jurisdiction=jurisdiction, year=year, kind=kind).first()
    )
    replaced = events.figure_text(existing) if existing is not None else None
    figure = existing or LiteracyFigure(jurisdiction=jurisdiction, year=year, kind=kind)
    for name, value in values.items():
        setattr(figure, name, value)
    figure.entered_by = actor if actor is not None and actor.is_authenticated else None
    figure.save()
    events.figure_recorded(figure, actor, replaced)
    return figure, replaced


@transaction.atomic
def do_record_estimate(run: SurveyRun, actor: Actor) -> tuple[LiteracyFigure, str | None]:
    """The run's overall rate becomes its year's estimate (replacing an earlier estimate of that year)."""
    run = SurveyRun.objects.select_for_update().get(pk=run.pk)
    overall = run.overall
    if run.status != SurveyRun.Status.DONE or overall is None:
        raise SurveyRefused("估计尚未完成，不能记录")
    low, high = overall["ci"]
    return _store_figure(
        run.jurisdiction, run.year, LiteracyFigure.Kind.ESTIMATE,
        {
            "value": round(100 * overall["rate"], 4), "se": round(100 * overall["se"], 4),
            "ci_low": round(100 * low, 4), "ci_high": round(100 * high, 4),
            "source": estimate_source(run), "survey_run": run,
        },
        actor,
    )


@transaction.atomic
def do_record_official(
    jurisdiction: Jurisdiction, actor: Actor, *, year: int, value: float, se: float | None,
    ci_low: float | None, ci_high: float | None, source: str,
) -> tuple[LiteracyFigure, str | None]:
    if not source.strip():
        raise SurveyRefused("正式公布数必须注明来源")
    return _store_figure(
        jurisdiction, year, LiteracyFigure.Kind.OFFICIAL,
        {"value": value, "se": se, "ci_low": ci_low, "ci_high": ci_high, "source": source.strip(), "survey_run": None},
        actor,
    )


@transaction.atomic
def do_delete_figure(figure: LiteracyFigure, actor: Actor) -> None:
    events.figure_deleted(figure, actor)
    figure.delete()


def is_stale(run: SurveyRun, now: dt.datetime | None = None) -> bool:
    """Running, but its worker's lease ran out: the job will queue it again (or fail it after the last attempt)."""
    return run.status == SurveyRun.Status.RUNNING and (
        run.lease_until is None or run.lease_until < (now or timezone.now())
    )


@transaction.atomic
def do_retry_run(run: SurveyRun, actor: Actor) -> SurveyRun:
    """Queue a failed or cancelled run again (or one whose worker died), with a fresh count of attempts."""
    run = SurveyRun.objects.select_for_update().get(pk=run.pk)
    if not (run.status in (SurveyRun.Status.FAILED, SurveyRun.Status.CANCELLED) or is_stale(run)):
        raise SurveyRefused("只有失败、已取消或长时间无响应的估计可以重新排队")
    run.status, run.progress, run.stage, run.error, run.result = SurveyRun.Status.QUEUED, 0, "", "", None
    run.started_at = run.finished_at = run.lease_until = None
    run.attempts = 0
    run.save(update_fields=["status", "progress", "stage", "error", "result", "started_at", "finished_at",
                            "lease_until", "attempts"])
    events.run_requeued(run, actor)
    return run


@transaction.atomic
def do_cancel_run(run: SurveyRun, actor: Actor) -> SurveyRun:
    """Cancel a queued or running run: a running job stops at its next step and its result is discarded."""
    run = SurveyRun.objects.select_for_update().get(pk=run.pk)
    if run.status not in (SurveyRun.Status.QUEUED, SurveyRun.Status.RUNNING):
        raise SurveyRefused("只有排队中或计算中的估计可以取消")
    was = run.get_status_display()
    run.status, run.stage, run.lease_until, run.finished_at = SurveyRun.Status.CANCELLED, "已取消", None, timezone.now()
    run.save(update_fields=["status", "stage", "lease_until", "finished_at"])
    events.run_cancelled(run, actor, was)
    return run


@transaction.atomic
def do_delete_run(run: SurveyRun, actor: Actor) -> None:
    run = SurveyRun.objects.select_for_update().get(pk=run.pk)
    if run.status == SurveyRun.Status.RUNNING and not is_stale(run):
        raise SurveyRefused("估计正在计算中，请先取消或等它完成后再删除")
    events.run_deleted(run, actor)
    _delete_files_on_commit(run.stored_files())
    run.delete()

"""One function per survey event; each writes a SurveyEvent row (the jurisdiction's 调查记录)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from kesu.survey.models import LiteracyFigure, SurveyEvent, SurveyRun, SurveyUpload

Actor = AbstractBaseUser | None


def _actor_id(actor: Actor) -> int | None:
    return actor.pk if actor is not None and actor.is_authenticated else None


def _pct(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"


def _figure_text(figure: LiteracyFigure) -> str:
    ci = f"，95%置信区间 {_pct(figure.ci_low)}–{_pct(figure.ci_high)}" if figure.ci_low is not None else ""
    return f"{_pct(figure.value)}{ci}；来源：{figure.source}"


def run_queued(run: SurveyRun, actor: Actor) -> None:
    skipped = run.options.get("skip_rows") or []
    detail = f"答卷“{run.responses_name}”" + (f"，跳过 {len(skipped)} 行有问题的数据" if skipped else "")
    SurveyEvent.objects.create(
        jurisdiction_id=run.jurisdiction_id, actor_id=_actor_id(actor), kind=SurveyEvent.Kind.RUN_QUEUED,
        subject=run.title, detail=detail,
    )


def run_finished(run: SurveyRun) -> None:
    if run.status == SurveyRun.Status.DONE:
        overall = run.overall or {}
        detail = f"具备科学素质的比例 {100 * overall.get('rate', 0):.2f}%（n = {overall.get('n', 0)}）"
        kind = SurveyEvent.Kind.RUN_DONE
    else:
        detail, kind = run.error[:2000], SurveyEvent.Kind.RUN_FAILED
    SurveyEvent.objects.create(jurisdiction_id=run.jurisdiction_id, kind=kind, subject=run.title, detail=detail)


def run_requeued(run: SurveyRun, actor: Actor) -> None:
    SurveyEvent.objects.create(
        jurisdiction_id=run.jurisdiction_id, actor_id=_actor_id(actor), kind=SurveyEvent.Kind.RUN_REQUEUED,
        subject=run.title,
    )


def run_cancelled(run: SurveyRun, actor: Actor, was: str) -> None:
    SurveyEvent.objects.create(
        jurisdiction_id=run.jurisdiction_id, actor_id=_actor_id(actor), kind=SurveyEvent.Kind.RUN_CANCELLED,
        subject=run.title, detail=f"取消时状态：{was}；输入文件保留，可重新排队计算",
    )


def _upload_event(upload: SurveyUpload, actor: Actor, kind: SurveyEvent.Kind, detail: str) -> None:
    SurveyEvent.objects.create(
        jurisdiction_id=upload.jurisdiction_id, actor_id=_actor_id(actor), kind=kind, subject=upload.title,
        detail=detail[:2000],
    )


def upload_cancelled(upload: SurveyUpload, actor: Actor) -> None:
    _upload_event(upload, actor, SurveyEvent.Kind.UPLOAD_CANCELLED,
                  f"答卷“{upload.responses_name}”（{upload.get_status_display()}）已取消，上传的文件已删除")


def upload_retried(upload: SurveyUpload, actor: Actor) -> None:
    _upload_event(upload, actor, SurveyEvent.Kind.UPLOAD_RETRIED, f"答卷“{upload.responses_name}”重新排队检查")


def upload_failed(upload: SurveyUpload) -> None:
    _upload_event(upload, None, SurveyEvent.Kind.UPLOAD_FAILED, "；".join(upload.errors))


def run_deleted(run: SurveyRun, actor: Actor) -> None:
    SurveyEvent.objects.create(
        jurisdiction_id=run.jurisdiction_id, actor_id=_actor_id(actor), kind=SurveyEvent.Kind.RUN_DELETED,
        subject=run.title, detail=f"答卷“{run.responses_name}”及其估计结果已删除",
    )


def figure_recorded(figure: LiteracyFigure, actor: Actor, replaced: str | None) -> None:
    subject = f"{figure.year}年{figure.get_kind_display()}"
    if replaced is None:
        kind, detail = SurveyEvent.Kind.FIGURE_RECORDED, _figure_text(figure)
    else:
        kind, detail = SurveyEvent.Kind.FIGURE_REPLACED, f"原为 {replaced}；现为 {_figure_text(figure)}"
    SurveyEvent.objects.create(
        jurisdiction_id=figure.jurisdiction_id, actor_id=_actor_id(actor), kind=kind, subject=subject, detail=detail
    )


def figure_deleted(figure: LiteracyFigure, actor: Actor) -> None:
    SurveyEvent.objects.create(
        jurisdiction_id=figure.jurisdiction_id, actor_id=_actor_id(actor), kind=SurveyEvent.Kind.FIGURE_DELETED,
        subject=f"{figure.year}年{figure.get_kind_display()}", detail=_figure_text(figure),
    )


figure_text = _figure_text

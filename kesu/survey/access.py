"""Who may see and change survey data. Every survey view and download goes through these functions.

- read: members of the jurisdiction (any role) and accounts of the jurisdictions above it
  (`kesu.org.access.jurisdictions_in_scope`);
- change (upload and run estimates, record or delete figures): office admins of that very jurisdiction;
- everybody else gets 404, as if the jurisdiction had no survey data; a reader who tries to change gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from kesu.org.access import User, in_scope, is_office_admin, jurisdictions_in_scope
from kesu.org.models import Jurisdiction
from kesu.survey.models import LiteracyFigure, SurveyRun, SurveyUpload


def readable_jurisdiction(user: User, jurisdiction_id: int) -> Jurisdiction:
    jurisdiction = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    if not in_scope(user, jurisdiction):
        raise Http404("没有找到该地区")
    return jurisdiction


def managed_jurisdiction(user: User, jurisdiction_id: int) -> Jurisdiction:
    jurisdiction = readable_jurisdiction(user, jurisdiction_id)
    if not is_office_admin(user, jurisdiction):
        raise PermissionDenied("只有本级科协办公室管理员可以上传调查数据和记录科学素质比例")
    return jurisdiction


def visible_runs(user: User) -> QuerySet[SurveyRun]:
    return SurveyRun.objects.filter(jurisdiction__in=jurisdictions_in_scope(user))


def readable_run(user: User, run_id: int) -> SurveyRun:
    run = get_object_or_404(SurveyRun.objects.select_related("jurisdiction", "created_by"), pk=run_id)
    if not in_scope(user, run.jurisdiction):
        raise Http404("没有找到该估计")
    return run


def managed_run(user: User, run_id: int) -> SurveyRun:
    run = readable_run(user, run_id)
    if not is_office_admin(user, run.jurisdiction):
        raise PermissionDenied("只有本级科协办公室管理员可以进行此操作")
    return run


def own_upload(user: User, upload_id: int) -> SurveyUpload:
    """A staged upload is seen only by the admin who made it, and only while they still administer the area."""
    upload = get_object_or_404(SurveyUpload.objects.select_related("jurisdiction"), pk=upload_id)
    if upload.uploaded_by_id != user.pk or not is_office_admin(user, upload.jurisdiction):
        raise Http404("没有找到该上传")
    return upload


def managed_figure(user: User, figure_id: int) -> LiteracyFigure:
    figure = get_object_or_404(LiteracyFigure.objects.select_related("jurisdiction"), pk=figure_id)
    if not in_scope(user, figure.jurisdiction):
        raise Http404("没有找到该数据")
    if not is_office_admin(user, figure.jurisdiction):
        raise PermissionDenied("只有本级科协办公室管理员可以删除科学素质比例")
    return figure

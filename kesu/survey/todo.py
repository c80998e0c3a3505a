"""What is pending in the literacy survey, for the home page (kesu.plans.home): an office's estimates that
finished (or failed) in the last days, and uploads checked and waiting for its confirmation."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from kesu.org.models import Jurisdiction
from kesu.plans.home import Block, Item
from kesu.survey.models import SurveyRun, SurveyUpload

FINISHED_DAYS = 7  # a finished estimate stays on the office's home this long


def office_block(jurisdiction: Jurisdiction, user_id: int) -> Block | None:
    since = timezone.now() - dt.timedelta(days=FINISHED_DAYS)
    items = []
    finished = SurveyRun.objects.filter(jurisdiction=jurisdiction, finished_at__gte=since,
                                        status__in=[SurveyRun.Status.DONE, SurveyRun.Status.FAILED])
    for run in finished.order_by("-finished_at")[:3]:
        failed = run.status == SurveyRun.Status.FAILED
        items.append(Item(f"{run.year}年 {run.title}：估计{'失败' if failed else '已完成'}", reverse("survey-run", args=[run.pk]),
                          note=f"{timezone.localtime(run.finished_at):%Y-%m-%d %H:%M}", urgent=failed))
    ready = SurveyUpload.objects.filter(jurisdiction=jurisdiction, uploaded_by_id=user_id, status=SurveyUpload.Status.READY)
    for upload in ready.order_by("-created_at")[:3]:
        items.append(Item(f"{upload.year}年 {upload.title}：已通过检查，待确认", reverse("survey-upload-preview", args=[upload.pk]),
                          urgent=True))
    if not items:
        return None
    return Block(f"科学素质监测 · {jurisdiction.name}", f"{jurisdiction.name}科协办公室", items,
                 [("科学素质监测", reverse("survey-home", args=[jurisdiction.pk]))], order=28)


def home_blocks(request: HttpRequest) -> list[Block]:
    """The survey blocks of the signed-in user (registered in SurveyConfig.ready())."""
    roles = request.roles
    jurisdictions = Jurisdiction.objects.filter(pk__in=roles.office_ids).order_by("path")
    return [block for j in jurisdictions if (block := office_block(j, roles.user_id)) is not None]

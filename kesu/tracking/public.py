"""The public progress pages: anyone, signed in or not, sees published plans and their approved progress.

Never shown: drafts, submitted-but-unreviewed or returned reports, evidence not marked public, contributions
of supporting units, names of reporters.
"""

from __future__ import annotations

from collections import Counter

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kesu.plans.models import Plan
from kesu.plans.serialize import plan_sections
from kesu.tracking.assessment import TARGET_RULE, targets_progress
from kesu.tracking.dashboard import RULES
from kesu.tracking.latest import current_cycle, latest_approved, mark_carried
from kesu.tracking.models import Evidence, Report


def public_plans(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.filter(status=Plan.Status.PUBLISHED).select_related("jurisdiction").order_by("jurisdiction__path")
    return render(request, "tracking/public_list.html", {"plans": plans})


def public_plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("jurisdiction"), pk=plan_id, status=Plan.Status.PUBLISHED)
    by_pair = latest_approved(Report.objects.filter(cycle__plan=plan))  # an annual report over its quarters
    mark_carried(list(by_pair.values()), current_cycle(plan))
    latest: dict[int, list[Report]] = {}
    for report in sorted(by_pair.values(), key=lambda r: r.unit.name):
        latest.setdefault(report.task_id, []).append(report)
    evidence = Evidence.objects.filter(report__in=[r for rs in latest.values() for r in rs], is_public=True)
    evidence_by_report: dict[int, list[Evidence]] = {}
    for item in evidence:
        evidence_by_report.setdefault(item.report_id, []).append(item)
    sections = plan_sections(plan)
    progress_counts = Counter(r.progress for rs in latest.values() for r in rs)
    return render(request, "tracking/public_plan.html", {
        "plan": plan, "sections": sections, "latest": latest, "evidence": evidence_by_report,
        "targets": targets_progress(plan), "target_rule": TARGET_RULE, "rules": RULES,
        "progress_counts": sorted(progress_counts.items()), "reported_measures": len(latest),
    })


def public_evidence(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("report__cycle__plan"), pk=evidence_id)
    report = evidence.report
    if not (evidence.is_public and report is not None and report.state == "approved"
            and report.cycle.plan.status == Plan.Status.PUBLISHED):
        raise Http404("没有找到该文件")
    return FileResponse(evidence.file.open("rb"), as_attachment=False, filename=evidence.original_name,
                        content_type=evidence.content_type)

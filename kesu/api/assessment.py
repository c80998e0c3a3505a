"""Target progress (from approved reports) and the yearly assessment scores of member units."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router
from ninja.errors import HttpError

from kesu.api.common import MAX_ID, READ_ERRORS, ErrorOut, PageParams, page, visible_plan
from kesu.api.plans import PlanId, target_out, unit_out
from kesu.api.schemas import RollupOut, ScorePage, TargetProgressPage
from kesu.domain.current_cycle import CURRENT_RULE
from kesu.domain.scoring_rubric import KIND_LABELS
from kesu.org.access import supervises
from kesu.org.models import Jurisdiction
from kesu.tracking.access import can_view_assessment
from kesu.tracking.assessment import TARGET_RULE, targets_progress, yearly_scores
from kesu.tracking.dashboard import RULES, plans_below, rollup

router = Router(tags=["目标与考核"])

class ScoreParams(PageParams):
    year: int | None = Field(None, ge=2000, le=2100, description="考核年度；缺省为当年（不在方案期内时取最近的方案年度）")


ONLY_SUPERVISORS = "只有本级科协办公室和领导、上级可以查看考核得分。"


def _observation(o) -> dict:
    return {"as_of": o.as_of, "value": o.value}


@router.get("/plans/{plan_id}/targets/progress", response={200: TargetProgressPage, **READ_ERRORS},
            summary="量化目标进展",
            description="每个量化目标的达成情况、推算值和判断依据；只采用审核通过的报告数据。")
def list_target_progress(request: HttpRequest, params: Query[PageParams], plan_id: int = PlanId):
    plan = visible_plan(request.auth, plan_id)
    today = timezone.localdate()
    result = page(targets_progress(plan, today), params)
    result["items"] = [
        {
            "target": target_out(target), "task": {"id": target.task_id, "title": target.task.title},
            "section": target.task.section.title, "status": progress.status.value, "status_label": progress.label,
            "share": progress.share, "projected": progress.projected, "basis": progress.basis,
            "latest": _observation(progress.latest) if progress.latest else None,
            "observations": [_observation(o) for o in observations],
        }
        for target, observations, progress in result["items"]
    ]
    return {"rule": TARGET_RULE, "as_of": today, **result}


@router.get("/plans/{plan_id}/scores", response={200: ScorePage, 403: ErrorOut, **READ_ERRORS},
            summary="年度考核得分",
            description="各牵头单位的年度考核得分、排名和逐项得分（附计分规则）。year 缺省为当年（当年不在方案期内时取最近的方案年度）。"
                        "仅本级科协办公室和领导、上级可查看。")
def list_scores(request: HttpRequest, params: Query[ScoreParams], plan_id: int = PlanId):
    user = request.auth
    year = params.year
    plan = visible_plan(user, plan_id)
    if not can_view_assessment(user, plan):
        raise HttpError(403, ONLY_SUPERVISORS)
    if year is None:
        # As the assessment page: this year, or the nearest year of the plan period.
        year = min(max(timezone.localdate().year, plan.period_start), plan.period_end)
    rubric, rows = yearly_scores(plan, year)
    result = page(rows, params)
    result["items"] = [
        {
            "unit": unit_out(row.unit), "total": row.score.total, "rank": row.rank,
            "adjustment": row.score.adjustment,
            "adjustments": [{"delta": delta, "reason": reason} for delta, reason in row.adjustments],
            "items": [
                {"item_id": int(s.item.key), "label": s.item.label, "kind": s.item.kind, "points": s.item.points,
                 "earned": s.earned, "rule": s.rule}
                for s in row.score.items
            ],
        }
        for row in result["items"]
    ]
    return {
        "plan_id": plan.pk, "year": year, "rubric_version": rubric.version,
        "rubric": [
            {"id": i.pk, "kind": i.kind, "kind_label": KIND_LABELS.get(i.kind, i.kind), "label": i.label,
             "points": i.points}
            for i in rubric.items.all()
        ],
        **result,
    }


@router.get("/jurisdictions/{jurisdiction_id}/rollup", response={200: RollupOut, **READ_ERRORS},
            summary="下辖地区进展汇总",
            description="下辖各地区方案的当前周期报送率、措施推进情况，以及多个地区共有的量化目标："
                        "数量类相加，比率类不相加（各地数值及最低、中位、最高值）。仅本级及上级的科协办公室和领导可查看。")
def get_rollup(request: HttpRequest, jurisdiction_id: int = Path(..., ge=1, le=MAX_ID, description="行政区划 id")):
    jurisdiction = Jurisdiction.objects.filter(pk=jurisdiction_id).first()
    if jurisdiction is None or not supervises(request.auth, jurisdiction):
        raise HttpError(404, "没有找到该地区，或无权查看其汇总。")
    rows, targets = rollup(jurisdiction, plans_below(jurisdiction))
    return {
        "jurisdiction_id": jurisdiction.pk, "current_rule": CURRENT_RULE, "progress_rule": RULES["progress"],
        "target_rule": RULES["rollup_targets"],
        "rows": [
            {"plan_id": r.plan.pk, "jurisdiction": r.plan.jurisdiction.name, "plan_title": r.plan.title,
             "cycle": r.cycle_label, "expected": r.expected, "submitted": r.submitted, "reporting_rate": r.reporting_rate,
             "measures": r.measures, "on_track": r.on_track, "on_track_share": r.on_track_share, "carried": r.carried}
            for r in rows
        ],
        "targets": [
            {"indicator": t.indicator, "unit": t.unit, "kind": t.kind.value, "share": t.share, "rule": t.rule,
             "areas": [{"area": a.area, "target": a.target, "current": a.current, "note": a.note} for a in t.areas],
             "target_total": t.target_total, "current_total": t.current_total, "target_spread": t.target_spread,
             "current_spread": t.current_spread, "weighted_current": t.weighted_current}
            for t in targets
        ],
    }

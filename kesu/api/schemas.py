"""Request and response shapes of the API. Field names are English; descriptions are Chinese."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from kesu.domain.number_bounds import MAX_ID, TARGET_VALUE

Level = Literal["province", "city", "county"]
PlanStatus = Literal["draft", "published", "ended"]
Comparator = Literal[">=", ">", "="]
ReportState = Literal["draft", "submitted", "returned", "approved"]
ReportProgress = Literal["not_started", "in_progress", "completed", "behind"]
PeriodType = Literal["quarter", "half", "year"]
TargetStatus = Literal["reached", "on_track", "at_risk", "behind", "no_data"]


class Paged(Schema):
    count: int = Field(description="符合条件的总条数")
    limit: int
    offset: int


# ---------------------------------------------------------------------------- plans


class JurisdictionOut(Schema):
    id: int
    name: str
    level: Level


class UnitOut(Schema):
    id: int
    name: str


class PlanSummaryOut(Schema):
    id: int
    title: str
    jurisdiction: JurisdictionOut
    status: PlanStatus = Field(description="draft 未发布 / published 已发布 / ended 已结束（只读，由后续方案接替）")
    current: bool = Field(description="是否为该行政区划的现行方案（已结束的方案让位于后续方案）")
    predecessor_id: int | None = Field(None, description="上一方案（本方案接续的方案）")
    ended_on: dt.date | None = Field(None, description="结束日期（已结束的方案）")
    period_start: int
    period_end: int
    issuer: str
    doc_number: str
    issued_on: dt.date | None
    version: int


class PlanPage(Paged):
    items: list[PlanSummaryOut]


class DocJurisdiction(Schema):
    name: str
    level: Level


class DocPeriod(Schema):
    start: int
    end: int


class DocBaseline(Schema):
    year: int
    value: float


class DocHeadlineTarget(Schema):
    year: int
    value: float
    comparator: Comparator


class DocHeadline(Schema):
    baseline: DocBaseline | None
    target: DocHeadlineTarget | None


class DocTarget(Schema):
    indicator: str
    value: float
    unit: str
    comparator: Comparator
    year: int | None
    annual: bool
    text: str


class DocTask(Schema):
    title: str
    lead: list[str]
    support: list[str]
    targets: list[DocTarget]


class DocSection(Schema):
    kind: str
    group: str
    title: str
    lead: list[str]
    support: list[str]
    tasks: list[DocTask]


class DocPhase(Schema):
    name: str
    start: int
    end: int


class PlanDocumentOut(Schema):
    """The plan in kesu-plan/1 form (the same shape `kesu plan parse --json` prints), plus its id."""

    id: int
    format: Literal["kesu-plan/1"]
    title: str
    jurisdiction: DocJurisdiction
    issuer: str | None
    doc_number: str | None
    issued_on: str | None = Field(description="YYYY-MM-DD")
    period: DocPeriod
    headline: DocHeadline
    sections: list[DocSection]
    phases: list[DocPhase]
    notes: list[str]


class SectionRefOut(Schema):
    id: int
    position: int
    kind: str = Field(description="action 提升行动 / project 重点工程")
    group: str
    title: str


class TargetOut(Schema):
    id: int
    indicator: str
    value: float
    unit: str
    comparator: Comparator
    year: int | None = Field(description="截止年份；为空且非每年的目标为常态化要求")
    annual: bool = Field(description="是否为每年目标")
    text: str = Field(description="方案原文")


class TaskOut(Schema):
    id: int
    position: int
    title: str
    section: SectionRefOut
    lead: list[UnitOut] = Field(description="牵头单位")
    support: list[UnitOut] = Field(description="配合单位")
    targets: list[TargetOut]


class TaskPage(Paged):
    items: list[TaskOut]


class RatesOut(Schema):
    expected: int = Field(description="应报告数")
    submitted: int = Field(description="已提交报告数（任何时间）")
    on_time: int = Field(description="截止日24:00前首次提交的报告数")
    reporting_rate: float | None
    on_time_rate: float | None


class CycleOut(Schema):
    id: int
    label: str
    period_type: PeriodType
    year: int
    number: int
    deadline: dt.date
    locks_at: dt.datetime
    locked: bool
    opened_at: dt.datetime
    rates: RatesOut
    current: bool = Field(description="是否为方案的当前周期（见 current_rule）")


class CyclePage(Paged):
    rule: str = Field(description="报送率与按时率的计算口径")
    current_rule: str = Field(description="哪一期是当前周期：季度、年度等并存时的统一规则")
    items: list[CycleOut]


# ---------------------------------------------------------------------------- reports


class CycleRefOut(Schema):
    id: int
    label: str
    deadline: dt.date


class TaskRefOut(Schema):
    id: int
    title: str


class ReportSummaryOut(Schema):
    id: int
    plan_id: int
    cycle: CycleRefOut
    task: TaskRefOut
    unit: UnitOut
    state: ReportState
    state_label: str
    progress: ReportProgress
    progress_label: str
    first_submitted_at: dt.datetime | None
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    updated_at: dt.datetime
    version: int = Field(description="保存、提交时需回传，用于防止覆盖他人的修改")


class ReportPage(Paged):
    items: list[ReportSummaryOut]


class ReportValueOut(Schema):
    target_id: int
    indicator: str
    unit: str
    comparator: Comparator
    target_value: float
    value: float | None = Field(description="本报告填报的当前值；未填为 null")


class ContributionOut(Schema):
    unit: UnitOut
    text: str
    updated_at: dt.datetime
    version: int


class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    is_public: bool
    unit: UnitOut
    uploaded_at: dt.datetime
    download_url: str = Field(description="经权限检查的下载地址（网页登录后访问）；接口本身不返回文件内容")


class EventOut(Schema):
    at: dt.datetime
    actor: str | None
    kind: str
    kind_label: str
    field: str
    old: str
    new: str


class WindowOut(Schema):
    locked: bool = Field(description="本期已过锁定时间")
    exception: bool = Field(description="本单位有有效的补报许可")
    open: bool = Field(description="填报员当前可以修改")


class ReportOut(ReportSummaryOut):
    summary: str
    return_reason: str
    reviewed_by: str | None
    window: WindowOut
    editable: bool = Field(description="当前用户现在可以保存或提交")
    reviewable: bool = Field(description="当前用户现在可以审核（通过或退回）")
    values: list[ReportValueOut]
    contributions: list[ContributionOut]
    evidence: list[EvidenceOut]
    history: list[EventOut] = Field(description="最近 100 条修改记录：谁、何时、改了什么")


class StrictIn(Schema):
    """A request body: unknown fields are refused, so that a misspelt field never saves as empty."""

    model_config = ConfigDict(extra="forbid")


class ValueIn(StrictIn):
    target_id: int = Field(ge=1, le=MAX_ID)
    value: float | None = Field(ge=TARGET_VALUE.low, le=TARGET_VALUE.high, allow_inf_nan=False,
                                description=f"当前值（{TARGET_VALUE.describe()}）；null 表示清空")


class ReportIn(StrictIn):
    version: int = Field(ge=1, le=MAX_ID, description="读取报告时得到的 version")
    progress: ReportProgress
    summary: str = Field(max_length=20000, description="工作进展（全文替换；清空请传空字符串）")
    values: list[ValueIn] = Field(
        default_factory=list, max_length=500, description="本措施目标的当前值；未列出的目标保持不变"
    )

    @field_validator("values")
    @classmethod
    def _one_value_per_target(cls, values: list[ValueIn]) -> list[ValueIn]:
        ids = [v.target_id for v in values]
        if len(ids) != len(set(ids)):
            raise ValueError("同一目标只能填写一个值")
        return values


class SubmitIn(StrictIn):
    version: int = Field(ge=1, le=MAX_ID, description="读取报告时得到的 version")


class ReturnIn(StrictIn):
    reason: str = Field(min_length=1, max_length=2000, description="退回原因（必填）")

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, reason: str) -> str:
        if not reason.strip():
            raise ValueError("退回报告必须填写退回原因")
        return reason.strip()


# ---------------------------------------------------------------------------- targets and scores


class ObservationOut(Schema):
    as_of: dt.date = Field(description="所报周期的期末日期")
    value: float


class TargetProgressOut(Schema):
    target: TargetOut
    task: TaskRefOut
    section: str
    status: TargetStatus
    status_label: str
    share: float | None = Field(description="最新值 ÷ 目标值")
    projected: float | None = Field(description="按趋势推算到截止年份年底的值")
    basis: str = Field(description="判断依据")
    latest: ObservationOut | None
    observations: list[ObservationOut]


class TargetProgressPage(Paged):
    rule: str = Field(description="取值口径")
    as_of: dt.date
    items: list[TargetProgressOut]


class RubricItemOut(Schema):
    id: int
    kind: str
    kind_label: str
    label: str
    points: float


class ItemScoreOut(Schema):
    item_id: int
    label: str
    kind: str
    points: float
    earned: float
    rule: str = Field(description="计分规则，便于核对")


class AdjustmentOut(Schema):
    delta: float
    reason: str


class ScoreRowOut(Schema):
    unit: UnitOut
    total: float
    rank: int
    adjustment: float
    adjustments: list[AdjustmentOut]
    items: list[ItemScoreOut]


class ScorePage(Paged):
    plan_id: int
    year: int
    rubric_version: int
    rubric: list[RubricItemOut]
    items: list[ScoreRowOut]


# ---------------------------------------------------------------------------- roll-up of the areas below


class RollupRowOut(Schema):
    plan_id: int
    jurisdiction: str
    plan_title: str
    cycle: str = Field(description="当前周期（见 current_rule）；未开启填报时为“未开启填报”")
    expected: int = Field(description="当前周期应报告数")
    submitted: int
    reporting_rate: float | None
    measures: int = Field(description="牵头措施数（按牵头单位计）")
    on_track: int = Field(description="最新审核通过状态为已完成或推进中的牵头措施数（含沿用上一期的）")
    on_track_share: float | None
    carried: int = Field(description="沿用上一期已审核状态的牵头措施数")


class SpreadOut(Schema):
    low: float
    median: float
    high: float


class AreaValueOut(Schema):
    area: str
    target: float
    current: float | None = Field(description="最新审核通过的填报值；未报为 null（不计为0）")
    note: str = Field(description="如“沿用2026年第三季度已审核数据”")


class RolledTargetOut(Schema):
    indicator: str
    unit: str
    kind: Literal["count", "rate"] = Field(description="count：相加；rate：比率，不相加")
    areas: list[AreaValueOut]
    target_total: float | None = Field(description="仅数量类")
    current_total: float | None = Field(description="仅数量类")
    share: float | None = Field(description="仅数量类：当前合计÷目标合计")
    target_spread: SpreadOut | None = Field(description="仅比率类：各地目标的最低、中位、最高值")
    current_spread: SpreadOut | None = Field(description="仅比率类：各地当前值的最低、中位、最高值")
    weighted_current: float | None = Field(description="仅比率类且各地人口已知时：按人口加权的比率")
    rule: str


class RollupOut(Schema):
    jurisdiction_id: int
    current_rule: str
    progress_rule: str
    target_rule: str
    rows: list[RollupRowOut]
    targets: list[RolledTargetOut]

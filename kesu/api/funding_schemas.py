"""Response shapes of the funding (科普经费) API. Amounts are decimal text in 万元 with two places ("76.00"), never
binary floats (kesu.domain.funding_rules); rates and shares are fractions (0.95 = 95%)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from kesu.api.schemas import JurisdictionOut, TaskRefOut, UnitOut

Amount = str | None
VerdictState = Literal["met", "not_met", "unknown"]
SpecialBasis = Literal["到位数", "预算数", "未填写"]


class FundingFigureOut(Schema):
    value: float | None = Field(description="数值；无法计算时为 null")
    missing: str = Field(description="无法计算的原因（可计算时为空）")
    rule: str = Field(description="计算方法")


class FundingAmountFigureOut(Schema):
    value: Amount = Field(description="金额文本（两位小数）；无法计算时为 null")
    missing: str = Field(description="无法计算的原因（可计算时为空）")
    rule: str = Field(description="计算方法")


class FundingVerdictOut(Schema):
    state: VerdictState = Field(description="met 达标 / not_met 未达标 / unknown 无法判断")
    text: str = Field(description="判断及依据（中文）")


class FundingSpecialOut(Schema):
    value: Amount = Field(description="本级财政科普专项经费（万元）")
    basis: SpecialBasis = Field(description="取数：到位数，未填到位数时取预算数")


class FundingStandardOut(Schema):
    value: Amount = Field(description="人均经费标准（元/人）；未设定时为 null")
    source: str = Field(description="由哪一级、哪一年设定")
    verdict: FundingVerdictOut
    rule: str


class FundingGrowthOut(FundingFigureOut):
    verdict: FundingVerdictOut = Field(description="本年专项经费是否不低于上年")


class FundingExecutionOut(FundingFigureOut):
    planned: str = Field(description="计划经费合计（万元）")
    spent: str = Field(description="已登记支出合计（万元）")


class FundingAmountsOut(Schema):
    population: int | None = Field(description="常住人口（人）")
    special_budgeted: Amount = Field(description="本级财政科普专项经费（预算，万元）")
    special_received: Amount = Field(description="本级财政科普专项经费（到位，万元）")
    government_total: Amount = Field(description="政府拨款（合计，万元）")
    donation: Amount = Field(description="捐赠（万元）")
    self_raised: Amount = Field(description="自筹（万元）")
    other_income: Amount = Field(description="其他收入（万元）")
    use_activities: Amount = Field(description="科普活动支出（万元）")
    use_venues: Amount = Field(description="场馆基建支出（万元）")
    use_exhibits: Amount = Field(description="展品、设施支出（万元）")
    use_other: Amount = Field(description="其他支出（万元）")
    note: str


class FundingSectionShareOut(Schema):
    section: str = Field(description="章节（未关联措施的项目单列）")
    planned: str = Field(description="计划经费（万元）")
    share: float | None = Field(description="占全部计划经费的比例")


class FundingLineOut(Schema):
    id: int
    position: int
    project: str = Field(description="项目")
    content: str = Field(description="内容")
    unit: UnitOut = Field(description="实施单位")
    task: TaskRefOut | None = Field(description="关联措施")
    planned: str = Field(description="计划经费（万元）")
    spent: str = Field(description="已登记支出（万元）")
    execution: float | None = Field(description="执行率 = 已支出 ÷ 计划经费")
    entries: int = Field(description="支出笔数")


class FundingYearOut(Schema):
    jurisdiction: JurisdictionOut
    year: int
    entered: bool = Field(description="本年经费是否已填写")
    amounts: FundingAmountsOut | None = Field(description="填写的各项（未填写时为 null）")
    special: FundingSpecialOut
    last_special: FundingSpecialOut = Field(description="上年专项经费")
    per_capita: FundingAmountFigureOut = Field(description="人均科普专项经费（元/人）")
    growth: FundingGrowthOut = Field(description="专项经费较上年增长")
    received_rate: FundingFigureOut = Field(description="预算到位率")
    execution: FundingExecutionOut = Field(description="分配执行率")
    standard: FundingStandardOut = Field(description="人均经费标准及是否达标")
    shares: list[FundingSectionShareOut] = Field(description="计划经费按章占比")
    share_rule: str
    lines: list[FundingLineOut] = Field(description="经费分配表")


class FundingAreaOut(Schema):
    jurisdiction: JurisdictionOut
    parent: str = Field(description="上级地区名称")
    depth: int = Field(description="0 = 本级，1 = 直接下辖，2 = 下辖地区的下辖地区")
    entered: bool
    population: int | None
    special: FundingSpecialOut
    per_capita: Amount = Field(description="人均科普专项经费（元/人）")
    per_capita_missing: str
    growth: float | None
    growth_missing: str
    standard: Amount = Field(description="适用的人均经费标准（元/人）")
    standard_verdict: FundingVerdictOut
    planned: str
    spent: str
    execution: float | None


class FundingAreasOut(Schema):
    jurisdiction: JurisdictionOut
    year: int
    own: FundingAreaOut = Field(description="本级")
    areas: list[FundingAreaOut] = Field(description="下辖各地区（树形顺序），各自计算，不相加、不平均")
    rules: list[str] = Field(description="计算方法")

"""Request and response shapes of the volunteer-service part of the API (志愿服务). Field names are English;
descriptions are Chinese. Personal data (contact, ID and phone numbers) comes masked unless the user may see it
in full on the pages, and `masked` says which."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import field_validator

from kesu.api.schemas import Paged, StrictIn, UnitOut
from kesu.domain.dispatch import Move, State, Step
from kesu.domain.number_bounds import MAX_ID

OrderState = Literal[tuple(s.value for s in State)]  # type: ignore[valid-type]
# Moves staff make through POST /service/orders/{id}/move; the service record has its own operation and the
# requester's confirmation stays on the public page (it needs the tracking code, not an account).
StaffMove = Literal[tuple(m.value for m in Move if m not in (Move.RECORD, Move.CONFIRM))]  # type: ignore[valid-type]
StepName = Literal[tuple(s.value for s in Step)]  # type: ignore[valid-type]
BaseLevel = Literal["national", "province", "city", "county"]


class RefOut(Schema):
    id: int
    name: str


class AreaOut(Schema):
    id: int
    name: str
    kind: Literal["township", "village"]


# ---------------------------------------------------------------------------- orders


class OrderSummaryOut(Schema):
    id: int
    code: str = Field(description="查询码")
    jurisdiction: RefOut
    township: AreaOut
    village: AreaOut | None
    topic: RefOut
    state: OrderState
    state_label: str
    unit: UnitOut | None = Field(description="承办部门")
    team: RefOut | None = Field(description="服务队")
    preferred_from: dt.date
    preferred_until: dt.date
    audience_size: int
    submitted_at: dt.datetime
    state_since: dt.datetime
    due_at: dt.datetime | None = Field(description="当前环节的办理时限")
    escalated_at: dt.datetime | None = Field(description="超时升级时间")
    version: int = Field(description="每次流转加 1；办理时可回传，服务单已被他人处理时返回 409")


class OrderPage(Paged):
    items: list[OrderSummaryOut]


class OrderEventOut(Schema):
    at: dt.datetime
    actor: str | None
    role: str = Field(description="身份（社区/乡镇、部门、志愿服务队、科协办公室、申请人、系统）")
    kind: str
    kind_label: str
    from_state: str
    to_state: str
    detail: str
    reason: str


class RecordOut(Schema):
    team: RefOut
    served_on: dt.date
    start_time: str = Field(description="开始时间（时:分）")
    duration_hours: float
    attendees: int
    summary: str


class OrderOut(OrderSummaryOut):
    place: str
    description: str
    audience: str
    audience_label: str
    requester_kind: str
    requester_org: str
    contact_name: str
    contact_phone: str
    contact_masked: bool = Field(description="true：联系人和电话已遮挡（仅承办人员可见完整联系方式）")
    public_reason: str
    rating: int | None
    rating_comment: str
    moves: list[StaffMove] = Field(description="当前账号现在可以办理的操作")
    record: RecordOut | None
    history: list[OrderEventOut] = Field(description="流转记录：谁、何时、以什么身份、做了什么")


def no_nul(text: str | None) -> str | None:
    """PostgreSQL stores no NUL character: refuse it in any text the API passes on (422, not 500)."""
    if text is not None and "\x00" in text:
        raise ValueError("不能包含空字符（\\x00）")
    return text


class MoveIn(StrictIn):
    move: StaffMove = Field(description="reject 驳回、dispatch 派单至部门、pool 派至服务队池、claim 部门领单、release 部门退回、"
                                        "assign 指派服务队、accept 服务队接单、decline 服务队退单、dispute 异议、close 结单、"
                                        "cancel 取消、reopen 重新受理")
    version: int | None = Field(None, ge=1, le=MAX_ID, description="读取服务单时得到的 version（选填；不一致时返回 409）")
    reason: str = Field("", max_length=500, description="原因（驳回、退回、退单、异议、结单、取消、重新受理和再次派单时必填）")
    unit_id: int | None = Field(None, ge=1, le=MAX_ID, description="派单时：承办部门（成员单位 id）")
    team_id: int | None = Field(None, ge=1, le=MAX_ID, description="指派时：本部门的服务队；接单时：以哪支服务队接单")

    _reason = field_validator("reason")(no_nul)


class HoursIn(StrictIn):
    volunteer_id: int = Field(ge=1, le=MAX_ID)
    hours: float | None = Field(None, ge=0, le=12, allow_inf_nan=False,
                                description="个别志愿者时长较少时填写（小时）；不填计本次服务时长")


class RecordIn(StrictIn):
    served_on: dt.date = Field(description="服务日期（不能晚于今天）")
    start_time: dt.time
    duration_hours: float = Field(ge=0.5, le=12, allow_inf_nan=False, description="服务时长（0.5–12 小时）")
    attendees: int = Field(ge=0, le=100000, description="服务人数（到场群众）")
    summary: str = Field(min_length=1, max_length=2000, description="服务内容")
    volunteers: list[HoursIn] = Field(min_length=1, max_length=500, description="参与服务的本队志愿者")

    _summary = field_validator("summary")(no_nul)

    @field_validator("served_on")
    @classmethod
    def _not_future(cls, day: dt.date) -> dt.date:
        if day > timezone.localdate():
            raise ValueError("服务日期不能晚于今天：请在服务完成后登记")
        return day

    @field_validator("volunteers")
    @classmethod
    def _once_each(cls, rows: list[HoursIn]) -> list[HoursIn]:
        ids = [row.volunteer_id for row in rows]
        if len(ids) != len(set(ids)):
            raise ValueError("同一志愿者只能列出一次")
        return rows


# ---------------------------------------------------------------------------- teams and volunteers


class TeamOut(Schema):
    id: int
    name: str
    jurisdiction: RefOut
    unit: UnitOut | None
    area: AreaOut | None
    in_pool: bool = Field(description="参与服务队池接单")
    active: bool
    founded_on: dt.date
    dissolved_on: dt.date | None
    members: int = Field(description="在队志愿者人数")


class TeamPage(Paged):
    items: list[TeamOut]


class VolunteerOut(Schema):
    id: int
    name: str
    gender: str
    jurisdiction: RefOut
    id_number: str = Field(description="身份证号（无权查看时已遮挡）")
    phone: str = Field(description="手机号（无权查看时已遮挡）")
    masked: bool = Field(description="true：身份证号和手机号已遮挡（只有本级科协办公室和志愿者本人可见完整号码）")
    skills: str
    affiliation: str
    registered_on: dt.date
    left_on: dt.date | None
    teams: list[RefOut] = Field(description="在队的服务队")
    total_hours: float


class VolunteerPage(Paged):
    items: list[VolunteerOut]


class HoursOut(Schema):
    id: int
    served_on: dt.date
    start: dt.datetime
    end: dt.datetime
    hours: float
    method: Literal["record", "sign"]
    team: RefOut
    source: str = Field(description="服务单或活动")
    order_id: int | None
    activity_id: int | None


class HoursPage(Paged):
    total_hours: float
    services: int
    items: list[HoursOut]


# ---------------------------------------------------------------------------- bases, activities, time limits


class BaseOut(Schema):
    id: int
    name: str
    jurisdiction: RefOut
    level: BaseLevel
    level_label: str
    kind: str
    kind_label: str
    host: str
    opening: str
    opening_label: str
    address: str
    designated_year: int
    revoked_year: int | None


class BasePage(Paged):
    items: list[BaseOut]


class ActivityOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    held_on: dt.date
    place: str
    participants: int
    plan_id: int
    jurisdiction: RefOut
    unit: UnitOut | None = Field(None, description="举办单位；乡镇/街道举办的主题活动为空")


class ActivityPage(Paged):
    items: list[ActivityOut]


class LimitOut(Schema):
    step: StepName
    label: str
    hours: int


class TimeLimitsOut(Schema):
    jurisdiction: RefOut
    source: Literal["own", "inherited", "default"] = Field(
        description="own 本级设定 / inherited 沿用上级设定 / default 系统默认")
    limits: list[LimitOut]

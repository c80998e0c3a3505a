"""Grassroots science services: the order workflow (群众点单—社区派单—部门领单—服务队接单—评价), science
volunteer teams and volunteers with their service hours, science education bases, and plan targets bound to
live counts. Rules live in kesu.domain.dispatch and kesu.domain.service_hours; these models store what happened.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kesu.domain import dispatch
from kesu.infra.uploads import StagedUpload, StoredFile
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.plans.models import Target
from kesu.tracking.models import Activity
from kesu.volunteering.crypto import (
    EncryptedTextField,
    digest,
    mask_id,
    mask_phone,
    normalise_id,
    normalise_phone,
)

STATE_CHOICES = [(s.value, label) for s, label in dispatch.STATE_LABELS.items()]


class ServiceArea(models.Model):
    """A township/street (乡镇/街道) of a jurisdiction, or a village/community (村/社区) inside a township."""

    class Kind(models.TextChoices):
        TOWNSHIP = "township", "乡镇/街道"
        VILLAGE = "village", "村/社区"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="service_areas")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=100)
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "服务区域"
        verbose_name_plural = "服务区域"
        ordering = ["jurisdiction__path", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], condition=Q(parent__isnull=True), name="one_township_name"),
            models.UniqueConstraint(fields=["parent", "name"], name="one_village_name_per_township"),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name}{self.name}" if self.parent_id else self.name

    @property
    def township_id(self) -> int:
        return self.parent_id or self.pk


class Topic(models.Model):
    """A service topic the office offers on the public order page (农业技术, 健康, 防灾减灾…)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="service_topics")
    name = models.CharField("服务主题", max_length=50)
    description = models.CharField("说明", max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "服务主题"
        verbose_name_plural = "服务主题"
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="one_topic_name")]

    def __str__(self) -> str:
        return self.name


class ServiceSettings(models.Model):
    """Time limits of each step, set by the office (hours). Lower jurisdictions inherit the nearest ones above."""

    jurisdiction = models.OneToOneField(Jurisdiction, on_delete=models.CASCADE, related_name="service_settings")
    review_hours = models.PositiveIntegerField("社区/乡镇审核派单（小时）", default=dispatch.DEFAULT_LIMIT_HOURS[dispatch.Step.REVIEW])
    claim_hours = models.PositiveIntegerField("部门领单（小时）", default=dispatch.DEFAULT_LIMIT_HOURS[dispatch.Step.CLAIM])
    assign_hours = models.PositiveIntegerField("部门指派服务队（小时）", default=dispatch.DEFAULT_LIMIT_HOURS[dispatch.Step.ASSIGN])
    accept_hours = models.PositiveIntegerField("服务队接单（小时）", default=dispatch.DEFAULT_LIMIT_HOURS[dispatch.Step.ACCEPT])
    serve_hours = models.PositiveIntegerField("开展服务（小时）", default=dispatch.DEFAULT_LIMIT_HOURS[dispatch.Step.SERVE])
    confirm_hours = models.PositiveIntegerField("申请人确认评价（小时）", default=dispatch.DEFAULT_LIMIT_HOURS[dispatch.Step.CONFIRM])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "服务时限"
        verbose_name_plural = "服务时限"

    def __str__(self) -> str:
        return f"{self.jurisdiction} 服务时限"

    def limits(self) -> dict[dispatch.Step, int]:
        return {step: getattr(self, f"{step.value}_hours") for step in dispatch.Step}


class Team(models.Model):
    """A science volunteer service team (科技志愿服务队)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="service_teams")
    name = models.CharField("服务队名称", max_length=100)
    unit = models.ForeignKey(MemberUnit, verbose_name="所属部门", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="service_teams")
    area = models.ForeignKey(ServiceArea, verbose_name="主要服务区域", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    topics = models.ManyToManyField(Topic, verbose_name="服务主题", blank=True, related_name="teams")
    description = models.TextField("简介", blank=True)
    in_pool = models.BooleanField("参与服务队池接单", default=True,
                                  help_text="派至服务队池的服务单，本队可以直接接单")
    founded_on = models.DateField("成立日期", default=timezone.localdate)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "科技志愿服务队"
        verbose_name_plural = "科技志愿服务队"
        ordering = ["jurisdiction__path", "name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="one_team_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.dissolved_on is None or self.dissolved_on > timezone.localdate()


class ServiceRole(models.Model):
    """Who works the service besides the office: area officers (社区/乡镇), department claimers, team admins."""

    class Kind(models.TextChoices):
        OFFICER = "officer", "社区/乡镇工作人员"
        CLAIMER = "claimer", "部门领单人"
        TEAM_ADMIN = "team_admin", "服务队管理员"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_roles")
    kind = models.CharField("角色", max_length=12, choices=Kind.choices)
    area = models.ForeignKey(ServiceArea, null=True, blank=True, on_delete=models.CASCADE, related_name="officers")
    unit = models.ForeignKey(MemberUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="service_claimers")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="admins")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "服务角色"
        verbose_name_plural = "服务角色"
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="officer", area__isnull=False, unit__isnull=True, team__isnull=True)
                           | Q(kind="claimer", unit__isnull=False, area__isnull=True, team__isnull=True)
                           | Q(kind="team_admin", team__isnull=False, area__isnull=True, unit__isnull=True)),
                name="service_role_has_its_object",
            ),
            models.UniqueConstraint(fields=["user", "area"], condition=Q(kind="officer"), name="one_officer_role"),
            models.UniqueConstraint(fields=["user", "unit"], condition=Q(kind="claimer"), name="one_claimer_role"),
            models.UniqueConstraint(fields=["user", "team"], condition=Q(kind="team_admin"), name="one_team_admin_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.area or self.unit or self.team}"


class Volunteer(models.Model):
    """A registered science volunteer. ID and phone numbers are encrypted at rest and masked when shown."""

    class Gender(models.TextChoices):
        MALE = "male", "男"
        FEMALE = "female", "女"

    KEYED_DIGESTS = {"id_digest": "id_number", "phone_digest": "phone"}  # kesu rotate_field_key recomputes them

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="volunteers")
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=6, choices=Gender.choices, blank=True)
    id_number = EncryptedTextField("身份证号", blank=True)
    id_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedTextField("手机号")
    phone_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    skills = models.CharField("专业特长", max_length=200, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name="服务主题", blank=True, related_name="volunteers")
    area = models.ForeignKey(ServiceArea, verbose_name="所在区域", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    affiliation = models.CharField("工作单位", max_length=100, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="volunteer")
    registered_on = models.DateField("注册日期", default=timezone.localdate)
    left_on = models.DateField("注销日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "科技志愿者"
        verbose_name_plural = "科技志愿者"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "id_digest"], condition=~Q(id_digest=""), name="one_volunteer_per_id"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.id_number = normalise_id(self.id_number)
        self.phone = normalise_phone(self.phone)
        # equality lookups (duplicates) without decrypting every row
        for column, source in self.KEYED_DIGESTS.items():
            setattr(self, column, digest(getattr(self, source)))
        super().save(*args, **kwargs)

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class TeamMembership(models.Model):
    """A volunteer in a team: joins on the team admin's approval; may belong to several teams."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        ACTIVE = "active", "在队"
        REJECTED = "rejected", "未通过"
        LEFT = "left", "已退出"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    joined_on = models.DateField("入队日期", null=True, blank=True)
    left_on = models.DateField("退队日期", null=True, blank=True)

    class Meta:
        verbose_name = "服务队队员"
        verbose_name_plural = "服务队队员"
        constraints = [models.UniqueConstraint(fields=["team", "volunteer"], name="one_membership_per_team")]

    def __str__(self) -> str:
        return f"{self.volunteer} @ {self.team}（{self.get_status_display()}）"


class ServiceOrder(models.Model):
    """A resident's, village's or school's request for a science service, and its way through the workflow."""

    class RequesterKind(models.TextChoices):
        RESIDENT = "resident", "个人/居民"
        VILLAGE = "village", "村（社区）"
        SCHOOL = "school", "学校"
        OTHER = "other", "企业/其他单位"

    class Audience(models.TextChoices):
        VILLAGERS = "villagers", "村民/居民"
        FARMERS = "farmers", "农民/种养殖户"
        STUDENTS = "students", "学生"
        ELDERLY = "elderly", "老年人"
        WOMEN = "women", "妇女"
        WORKERS = "workers", "企业职工"
        CADRES = "cadres", "基层干部"
        OTHER = "other", "其他"

    code = models.CharField("查询码", max_length=20, unique=True)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="service_orders")
    township = models.ForeignKey(ServiceArea, verbose_name="乡镇/街道", on_delete=models.PROTECT, related_name="orders")
    village = models.ForeignKey(ServiceArea, verbose_name="村/社区", null=True, blank=True, on_delete=models.PROTECT, related_name="village_orders")
    place = models.CharField("具体地点", max_length=200, blank=True)
    topic = models.ForeignKey(Topic, verbose_name="服务主题", on_delete=models.PROTECT, related_name="orders")
    description = models.TextField("需求说明", blank=True)
    preferred_from = models.DateField("期望服务日期（起）")
    preferred_until = models.DateField("期望服务日期（止）")
    audience = models.CharField("服务对象", max_length=12, choices=Audience.choices)
    audience_size = models.PositiveIntegerField("预计人数")
    requester_kind = models.CharField("申请方", max_length=10, choices=RequesterKind.choices)
    requester_org = models.CharField("村/学校/单位名称", max_length=100, blank=True)
    contact_name = EncryptedTextField("联系人")
    contact_phone = EncryptedTextField("联系电话")

    state = models.CharField("状态", max_length=12, choices=STATE_CHOICES, default=dispatch.State.SUBMITTED.value)
    version = models.PositiveIntegerField(default=1)
    unit = models.ForeignKey(MemberUnit, verbose_name="承办部门", null=True, blank=True, on_delete=models.PROTECT, related_name="service_orders")
    team = models.ForeignKey(Team, verbose_name="服务队", null=True, blank=True, on_delete=models.PROTECT, related_name="orders")
    # The escalation job polls this column (indexed) and claims due rows with an atomic UPDATE.
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    escalated_at = models.DateTimeField("超时升级时间", null=True, blank=True)
    state_since = models.DateTimeField(default=timezone.now)

    submitted_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    served_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    public_reason = models.TextField("告知申请人的原因", blank=True)
    rating = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    rating_comment = models.TextField("评价", blank=True)
    client_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "服务单"
        verbose_name_plural = "服务单"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction", "state"]),
            models.Index(fields=["township", "state"]),
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["team", "state"]),
            models.Index(fields=["state", "escalated_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="rating_1_to_5"),
            # Exactly one team holds an accepted, served or closed order (one column: never two).
            models.CheckConstraint(
                condition=~Q(state__in=sorted(s.value for s in dispatch.HELD)) | Q(team__isnull=False), name="held_order_has_a_team"
            ),
            models.CheckConstraint(condition=~Q(state="pooled") | Q(team__isnull=True), name="pooled_order_has_no_team"),
            models.CheckConstraint(condition=Q(preferred_until__gte=models.F("preferred_from")), name="preferred_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.topic}"

    @property
    def state_label(self) -> str:
        return dispatch.STATE_LABELS[dispatch.State(self.state)]

    @property
    def place_label(self) -> str:
        parts = [self.township.name]
        if self.village_id:
            parts.append(self.village.name)
        if self.place:
            parts.append(self.place)
        return " ".join(parts)

    @property
    def escalated(self) -> bool:
        return self.escalated_at is not None and self.state not in dispatch.TERMINAL


class OrderEvent(models.Model):
    """The history of an order: every transition, with who (role), when, from what to what, and why."""

    order = models.ForeignKey(ServiceOrder, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    class Kind(models.TextChoices):
        """Every move of kesu.domain.dispatch (same values), and the events that are not moves."""

        SUBMITTED = "submitted", "群众点单"
        REJECT = dispatch.Move.REJECT.value, dispatch.MOVE_LABELS[dispatch.Move.REJECT]
        DISPATCH = dispatch.Move.DISPATCH.value, dispatch.MOVE_LABELS[dispatch.Move.DISPATCH]
        POOL = dispatch.Move.POOL.value, dispatch.MOVE_LABELS[dispatch.Move.POOL]
        CLAIM = dispatch.Move.CLAIM.value, dispatch.MOVE_LABELS[dispatch.Move.CLAIM]
        RELEASE = dispatch.Move.RELEASE.value, dispatch.MOVE_LABELS[dispatch.Move.RELEASE]
        ASSIGN = dispatch.Move.ASSIGN.value, dispatch.MOVE_LABELS[dispatch.Move.ASSIGN]
        ACCEPT = dispatch.Move.ACCEPT.value, dispatch.MOVE_LABELS[dispatch.Move.ACCEPT]
        DECLINE = dispatch.Move.DECLINE.value, dispatch.MOVE_LABELS[dispatch.Move.DECLINE]
        RECORD = dispatch.Move.RECORD.value, dispatch.MOVE_LABELS[dispatch.Move.RECORD]
        CONFIRM = dispatch.Move.CONFIRM.value, dispatch.MOVE_LABELS[dispatch.Move.CONFIRM]
        DISPUTE = dispatch.Move.DISPUTE.value, dispatch.MOVE_LABELS[dispatch.Move.DISPUTE]
        CLOSE = dispatch.Move.CLOSE.value, dispatch.MOVE_LABELS[dispatch.Move.CLOSE]
        CANCEL = dispatch.Move.CANCEL.value, dispatch.MOVE_LABELS[dispatch.Move.CANCEL]
        REOPEN = dispatch.Move.REOPEN.value, dispatch.MOVE_LABELS[dispatch.Move.REOPEN]
        ESCALATED = "escalated", "超时升级"
        RECORD_AMENDED = "record_amended", "修改服务记录"
        HOURS = "hours", "登记时长"

    role = models.CharField("身份", max_length=20, blank=True)
    kind = models.CharField("事件", max_length=20, choices=Kind.choices)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    detail = models.CharField("说明", max_length=300, blank=True)
    reason = models.TextField("原因", blank=True)
    public = models.BooleanField("申请人可见", default=True)

    class Meta:
        verbose_name = "服务单记录"
        verbose_name_plural = "服务单记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order.code} {self.kind}"

    @property
    def kind_label(self) -> str:
        return self.get_kind_display()

    @property
    def reason_for_requester(self) -> str:
        """The reason the requester is told (a rejection or a cancellation); other reasons stay with the staff."""
        return self.reason if self.kind in (self.Kind.REJECT, self.Kind.CANCEL) else ""

    @property
    def to_label(self) -> str:
        return dispatch.STATE_LABELS[dispatch.State(self.to_state)] if self.to_state else ""


class ServiceRecord(models.Model):
    """What the team did: recorded by the team that held the order (谁组织、谁记录)."""

    order = models.OneToOneField(ServiceOrder, on_delete=models.CASCADE, related_name="record")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="records")
    served_on = models.DateField("服务日期")
    start_time = models.TimeField("开始时间")
    duration_hours = models.FloatField("服务时长（小时）")
    attendees = models.PositiveIntegerField("服务人数")
    summary = models.TextField("服务内容")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "服务记录"
        verbose_name_plural = "服务记录"

    def __str__(self) -> str:
        return f"{self.order.code} {self.served_on}"


def photo_path(instance: ServicePhoto, filename: str) -> str:
    return f"service-photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ServicePhoto(StoredFile):
    record = models.ForeignKey(ServiceRecord, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path)

    class Meta:
        verbose_name = "服务照片"
        verbose_name_plural = "服务照片"
        ordering = ["uploaded_at", "id"]


class ServiceHours(models.Model):
    """Hours one volunteer served at one order or activity, recorded by the organising team."""

    class Method(models.TextChoices):
        RECORD = "record", "按服务记录"
        SIGN = "sign", "按签到签退"

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="hours")
    team = models.ForeignKey(Team, verbose_name="组织服务队", on_delete=models.PROTECT, related_name="hours")
    order = models.ForeignKey(ServiceOrder, null=True, blank=True, on_delete=models.CASCADE, related_name="hours")
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="volunteer_hours")
    served_on = models.DateField("服务日期")
    start = models.DateTimeField("开始（签到）")
    end = models.DateTimeField("结束（签退）")
    hours = models.FloatField("时长（小时）")
    method = models.CharField("记录方式", max_length=6, choices=Method.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "志愿服务时长"
        verbose_name_plural = "志愿服务时长"
        ordering = ["-served_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(order__isnull=False, activity__isnull=True) | Q(order__isnull=True, activity__isnull=False),
                                   name="hours_for_one_service"),
            models.UniqueConstraint(fields=["volunteer", "order"], condition=Q(order__isnull=False), name="one_hours_per_order"),
            models.UniqueConstraint(fields=["volunteer", "activity"], condition=Q(activity__isnull=False), name="one_hours_per_activity"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="hours_not_negative"),
        ]
        indexes = [models.Index(fields=["volunteer", "start"])]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.served_on} {self.hours:g}h"

    @property
    def source_label(self) -> str:
        if self.order_id:
            return f"服务单 {self.order.code}（{self.order.topic.name}）"
        return f"活动：{self.activity.title}"


class ScienceBase(models.Model):
    """A science education base (科普教育基地) with its level, host and yearly review."""

    class Level(models.TextChoices):
        NATIONAL = "national", "国家级"
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级"

    class Kind(models.TextChoices):
        VENUE = "venue", "科技场馆类"
        EDUCATION = "education", "教育科研类"
        PRODUCTION = "production", "生产设施类"
        NATURE = "nature", "自然生态类"
        CULTURE = "culture", "文化旅游类"
        HEALTH = "health", "医疗卫生类"
        ONLINE = "online", "信息化类"
        OTHER = "other", "其他"

    class Opening(models.TextChoices):
        OPEN = "open", "常年开放"
        APPOINTMENT = "appointment", "预约开放"
        SEASONAL = "seasonal", "定期开放"
        CLOSED = "closed", "暂停开放"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="science_bases")
    name = models.CharField("基地名称", max_length=150)
    level = models.CharField("等级", max_length=10, choices=Level.choices)
    host = models.CharField("依托单位", max_length=150)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    opening = models.CharField("开放状态", max_length=12, choices=Opening.choices, default=Opening.OPEN)
    area = models.ForeignKey(ServiceArea, verbose_name="所在乡镇", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    address = models.CharField("地址", max_length=200, blank=True)
    designated_year = models.PositiveSmallIntegerField("命名年份")
    revoked_year = models.PositiveSmallIntegerField("撤销年份", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "科普教育基地"
        verbose_name_plural = "科普教育基地"
        ordering = ["level", "name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name", "level"], name="one_base_per_level")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_level_display()}）"


class BaseReview(models.Model):
    """The yearly review (复核) of a base: passed, passed after rectification, or revoked."""

    class Outcome(models.TextChoices):
        PASSED = "passed", "复核通过"
        RECTIFY = "rectify", "限期整改"
        REVOKED = "revoked", "撤销命名"

    base = models.ForeignKey(ScienceBase, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField("复核年度")
    outcome = models.CharField("复核结果", max_length=10, choices=Outcome.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "基地复核"
        verbose_name_plural = "基地复核"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["base", "year"], name="one_review_per_year")]

    def __str__(self) -> str:
        return f"{self.base.name} {self.year} {self.get_outcome_display()}"


class TargetBinding(models.Model):
    """A plan target whose current value is a live count (enter once, count everywhere)."""

    target = models.OneToOneField(Target, on_delete=models.CASCADE, related_name="service_binding")
    kind = models.CharField("统计口径", max_length=30)
    levels = models.JSONField("基地等级", default=list, blank=True)
    activity_kinds = models.JSONField("活动类型", default=list, blank=True)
    audiences = models.JSONField("受众群体", default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "目标实时统计"
        verbose_name_plural = "目标实时统计"

    def __str__(self) -> str:
        return f"{self.target} ← {self.kind}"


class ImportBatch(StagedUpload):
    """An uploaded .xlsx waiting for the office to confirm (problems listed, rows to skip chosen)."""

    class Kind(models.TextChoices):
        VOLUNTEERS = "volunteers", "科技志愿者"
        TEAMS = "teams", "科技志愿服务队"
        BASES = "bases", "科普教育基地"
        ACTIVITIES = "activities", "科普活动"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"


class RateCounter(models.Model):
    """Requests per (scope, hashed client address, time window) for the public pages; no Redis needed."""

    key = models.CharField(max_length=100)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="one_counter_per_window")]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%Y-%m-%d %H:%M} {self.count}"


class ServiceEvent(models.Model):
    """One change to the service's set-up (time limits, topics, areas, roles, bases, target bindings, imports):
    who, when, where, what, with the old and new values. Orders have their own history (OrderEvent)."""

    class Kind(models.TextChoices):
        LIMITS_CHANGED = "limits_changed", "修改服务时限"
        TOPIC_ADDED = "topic_added", "添加服务主题"
        TOPIC_TOGGLED = "topic_toggled", "启用/停用服务主题"
        AREA_SAVED = "area_saved", "保存服务区域"
        AREA_TOGGLED = "area_toggled", "启用/停用服务区域"
        ROLE_GRANTED = "role_granted", "开通服务角色"
        ROLE_REVOKED = "role_revoked", "撤销服务角色"
        TEAM_SAVED = "team_saved", "保存服务队"
        VOLUNTEER_SAVED = "volunteer_saved", "保存志愿者信息"
        MEMBERSHIP_REQUESTED = "membership_requested", "申请入队"
        MEMBERSHIP_DECIDED = "membership_decided", "审核入队/移出服务队"
        HOURS_RECORDED = "hours_recorded", "登记活动服务时长"
        BASE_SAVED = "base_saved", "保存科普教育基地"
        BASE_REVIEWED = "base_reviewed", "科普教育基地年度复核"
        TARGET_BOUND = "target_bound", "目标绑定实时统计"
        TARGET_UNBOUND = "target_unbound", "目标改回按报告填报"
        IMPORT_UPLOADED = "import_uploaded", "上传导入文件"
        IMPORT_CONFIRMED = "import_confirmed", "确认导入"
        CONTACT_REVEALED = "contact_revealed", "查看志愿者完整号码"
        CONTACTS_EXPORTED = "contacts_exported", "导出志愿者完整号码"

    kind = models.CharField("操作", max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="service_events")
    subject = models.CharField("对象", max_length=300, blank=True)
    details = models.JSONField("内容", default=dict, blank=True)  # {"old": …, "new": …} and what else the kind records
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "服务设置记录"
        verbose_name_plural = "服务设置记录"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject}"

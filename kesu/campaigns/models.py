"""Theme campaigns (主题活动: 全国科普日, 科技活动周, 防灾减灾日…): the office opens one with a window and invites units,
townships and bases; they register activities under it (tracking's Activity, linked here with the township and
the scientists and volunteers involved). A city's campaign can cascade to one campaign per county below."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kesu.org.models import Jurisdiction, MemberUnit
from kesu.tracking.models import Activity
from kesu.volunteering.models import ScienceBase, ServiceArea


class Campaign(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="campaigns")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children",
                               verbose_name="上级主题活动")
    name = models.CharField("活动名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("活动类型", max_length=20, choices=Activity.Kind.choices, default=Activity.Kind.OTHER)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    theme = models.CharField("主题", max_length=200, blank=True)
    notes = models.TextField("工作要求", blank=True)
    invited_units = models.ManyToManyField(MemberUnit, blank=True, related_name="+", verbose_name="参加单位")
    townships = models.ManyToManyField(ServiceArea, blank=True, related_name="+", verbose_name="参加乡镇/街道")
    bases = models.ManyToManyField(ScienceBase, blank=True, related_name="+", verbose_name="参加科普基地")
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "主题活动"
        verbose_name_plural = "主题活动"
        ordering = ["-starts_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "year", "name"], name="one_campaign_name_per_year")]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"


class CampaignActivity(models.Model):
    """An activity registered under a campaign: by an invited unit (the activity's unit) or township."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="entries")
    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="campaign_entry")
    township = models.ForeignKey(ServiceArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="乡镇/街道")
    scientists = models.PositiveIntegerField("参与科技工作者（人）", default=0)
    volunteers = models.PositiveIntegerField("参与志愿者（人）", default=0)
    volunteer_hours = models.FloatField("志愿服务时长合计（小时）", default=0)
    version = models.PositiveIntegerField(default=1)  # optimistic: an edit carries the version its editor saw

    class Meta:
        verbose_name = "主题活动登记"
        verbose_name_plural = "主题活动登记"
        ordering = ["activity__held_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(volunteer_hours__gte=0), name="campaign_hours_not_negative")]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.activity}"

    @property
    def held_by(self) -> str:
        """The unit or township that held it."""
        return self.township.name if self.township_id else self.activity.unit.name


class CampaignEvent(models.Model):
    """One change to a campaign: who, when, what."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, null=True, on_delete=models.SET_NULL, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=30)
    subject = models.CharField(max_length=300, blank=True)
    field = models.CharField(max_length=50, blank=True)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"

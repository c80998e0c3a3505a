"""The liaison roster (联络员名册): each member unit's 分管领导 and 联络员 over time, trainings and their history."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kesu.infra.crypto import EncryptedTextField, mask_phone
from kesu.org.models import Jurisdiction, MemberUnit


class LiaisonEntry(models.Model):
    """One person in one post of a unit for a term; a successor closes the term (valid_to), history is kept."""

    class Post(models.TextChoices):
        LEADER = "leader", "分管领导"
        LIAISON = "liaison", "联络员"

    unit = models.ForeignKey(MemberUnit, on_delete=models.CASCADE, related_name="liaison_entries")
    post = models.CharField("岗位", max_length=10, choices=Post.choices)
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职务", max_length=100, blank=True)
    office_phone = models.CharField("办公电话", max_length=30, blank=True)
    mobile = EncryptedTextField("手机", blank=True, default="")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="liaison_entries", verbose_name="关联账号")
    valid_from = models.DateField("任职起始")
    valid_to = models.DateField("任职截止", null=True, blank=True)

    class Meta:
        ordering = ["unit_id", "post", "-valid_from", "-pk"]
        indexes = [models.Index(fields=["unit", "post", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.get_post_display()} {self.name}"

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)

    @property
    def current(self) -> bool:
        return self.valid_to is None


class Training(models.Model):
    """联络员培训: who attended is a set of liaison entries (terms), so the rate counts the liaisons then in office."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="liaison_trainings")
    held_on = models.DateField("培训日期")
    topic = models.CharField("培训主题", max_length=200)
    place = models.CharField("培训地点", max_length=200, blank=True)
    attendees = models.ManyToManyField(LiaisonEntry, blank=True, related_name="trainings", verbose_name="参训联络员")

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"


class LiaisonEvent(models.Model):
    """History of the roster (变更记录): who changed what, when; mobiles never written here."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="liaison_events")
    unit = models.ForeignKey(MemberUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=30)
    subject = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"

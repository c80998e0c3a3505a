"""Who is who: jurisdictions (province > city > county), their member units, and user roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kesu.domain.unit_names import clean_name, unit_key


class Jurisdiction(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级"

    name = models.CharField("名称", max_length=100, unique=True)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path "/1/7/12/" so that "this jurisdiction and everything under it" is one indexed query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            self.path = path
            type(self).objects.filter(pk=self.pk).update(path=path)

    def subtree(self) -> models.QuerySet[Jurisdiction]:
        return Jurisdiction.objects.filter(path__startswith=self.path)

    def ancestors(self) -> list[Jurisdiction]:
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1] if part]
        by_id = Jurisdiction.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]


class MemberUnit(models.Model):
    """A 成员单位 of one jurisdiction's leading group, e.g. 市教育局."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="units")
    name = models.CharField("单位名称", max_length=100)
    key = models.CharField(max_length=100, editable=False)
    # 各成员单位 / 领导小组各成员单位: a phrase a plan uses for every member unit at once.
    stands_for_all = models.BooleanField("代表全体成员单位", default=False)

    class Meta:
        verbose_name = "成员单位"
        verbose_name_plural = "成员单位"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "key"], name="unit_unique_key")]

    def __str__(self) -> str:
        return self.name


class UnitAlias(models.Model):
    """Another spelling of a unit (教育局 / 市教育局（科技局）) so that imports find the same unit."""

    unit = models.ForeignKey(MemberUnit, on_delete=models.CASCADE, related_name="aliases")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="unit_aliases")
    alias = models.CharField("别名", max_length=100)
    key = models.CharField(max_length=100, editable=False)

    class Meta:
        verbose_name = "单位别名"
        verbose_name_plural = "单位别名"
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "key"], name="alias_unique_key")]

    def __str__(self) -> str:
        return self.alias

    @staticmethod
    def key_for(alias: str, jurisdiction: Jurisdiction) -> str:
        return unit_key(clean_name(alias), jurisdiction.name)


class Membership(models.Model):
    """A user's role in one jurisdiction. Office admins edit; viewers read; unit reporters belong to a unit."""

    class Role(models.TextChoices):
        OFFICE_ADMIN = "office_admin", "科协办公室管理员"
        VIEWER = "viewer", "领导/查看"
        UNIT_REPORTER = "unit_reporter", "成员单位填报员"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(MemberUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="reporters")

    class Meta:
        verbose_name = "账号角色"
        verbose_name_plural = "账号角色"
        constraints = [models.UniqueConstraint(fields=["user", "jurisdiction"], name="one_role_per_jurisdiction")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.jurisdiction}: {self.get_role_display()}"

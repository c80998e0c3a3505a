"""What every stored upload records, and every uploaded .xlsx waiting for its one confirmation: abstract models
the apps' own file and import-batch models extend (evidence, minutes, photos, spending files; account, volunteer,
school and allocation imports)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class StoredFile(models.Model):
    """A file a user uploaded: its original name, type and size, who uploaded it and when. The subclass adds the
    FileField (its own folder) and what the file belongs to; it is served only through an access-checked view."""

    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class StagedUpload(models.Model):
    """An uploaded .xlsx kept until the office confirms it; imported_at makes a second confirmation import nothing."""

    name = models.CharField(max_length=255)
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

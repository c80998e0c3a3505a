"""Writes of the notices context."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kesu.notices.models import Notice


@transaction.atomic
def do_mark_notices_read(user: AbstractBaseUser) -> int:
    """Mark every unread notice of `user` as read; how many were. The user's own reading state: no history row."""
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())

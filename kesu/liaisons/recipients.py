"""The liaison's linked account receives the unit's notices (registered in kesu.org.unit_recipients)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from kesu.liaisons.models import LiaisonEntry
from kesu.org.models import MemberUnit


def liaison_accounts(unit: MemberUnit) -> list[AbstractBaseUser]:
    """Accounts linked to the unit's current 联络员 (not the 分管领导)."""
    entries = LiaisonEntry.objects.filter(unit=unit, post=LiaisonEntry.Post.LIAISON, valid_to__isnull=True,
                                          user__isnull=False).select_related("user")
    return [e.user for e in entries]

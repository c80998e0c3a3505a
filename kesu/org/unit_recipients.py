"""Extra recipients of a member unit's notices: besides its reporters, accounts another app names for the unit
(e.g. the unit's liaison, kesu.liaisons). The app registers a function in its AppConfig.ready(); tracking asks
`extra_recipients` when it notifies a unit (cycle opened, 催报, reminders), so it never imports that app."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib.auth.models import AbstractBaseUser

from kesu.org.models import MemberUnit

RecipientSource = Callable[[MemberUnit], Iterable[AbstractBaseUser]]

_SOURCES: dict[str, RecipientSource] = {}


def register_unit_recipients(name: str, source: RecipientSource) -> None:
    """Register (or replace) the source called `name`; called from an AppConfig.ready()."""
    _SOURCES[name] = source


def extra_recipients(unit: MemberUnit) -> list[AbstractBaseUser]:
    """The accounts every registered source names for the unit (each once)."""
    found: dict[int, AbstractBaseUser] = {}
    for source in _SOURCES.values():
        for user in source(unit):
            found.setdefault(user.pk, user)
    return list(found.values())


def with_extra_recipients(unit: MemberUnit, users: Iterable[AbstractBaseUser]) -> list[AbstractBaseUser]:
    """`users` followed by the unit's extra recipients not already among them."""
    listed = list(users)
    seen = {u.pk for u in listed}
    return listed + [u for u in extra_recipients(unit) if u.pk not in seen]

"""Demo jurisdictions and accounts: the real hierarchy above the seed plans' jurisdictions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from kesu.org.models import Jurisdiction, Membership

DEMO_PASSWORD = "kesu2026"
FIXTURE = Path(__file__).with_name("fixtures") / "demo_jurisdictions.json"


@dataclass
class DemoAccount:
    username: str
    jurisdiction: str
    role: str


@transaction.atomic
def do_create_demo_jurisdictions() -> dict[str, Jurisdiction]:
    created: dict[str, Jurisdiction] = {}
    for entry in json.loads(FIXTURE.read_text(encoding="utf-8")):
        parent = created.get(entry.get("parent", ""))
        jurisdiction, _ = Jurisdiction.objects.get_or_create(
            name=entry["name"], defaults={"level": entry["level"], "parent": parent}
        )
        created[entry["name"]] = jurisdiction
    return created


@transaction.atomic
def do_create_demo_accounts(with_plans: set[str]) -> list[DemoAccount]:
    """An office admin per jurisdiction (only where it has a plan or a plan below it) and a leader for each city."""
    User = get_user_model()
    accounts: list[DemoAccount] = []
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", password=DEMO_PASSWORD)
    accounts.append(DemoAccount("admin", "全部", "系统管理员"))
    for entry in json.loads(FIXTURE.read_text(encoding="utf-8")):
        jurisdiction = Jurisdiction.objects.get(name=entry["name"])
        if not any(j.name in with_plans for j in jurisdiction.subtree()):
            continue
        roles = [(entry["login"], Membership.Role.OFFICE_ADMIN)]
        if entry["level"] == "city":
            roles.append((f"{entry['login']}-leader", Membership.Role.VIEWER))
        for username, role in roles:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(user=user, jurisdiction=jurisdiction, defaults={"role": role})
            accounts.append(DemoAccount(username, jurisdiction.name, Membership.Role(role).label))
    return accounts

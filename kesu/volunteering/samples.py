"""Sample files for the .xlsx imports: one example row per importer, laid out by the importer's own columns
(`IMPORTERS[kind].spec`) and filled with names the jurisdiction really has (townships, topics, teams, member
units, the plan's measures), dates from today, an ID and a phone number no volunteer has yet — so that
importing the sample unchanged succeeds (kesu/volunteering/tests/test_samples.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kesu.org.models import Jurisdiction
from kesu.plans.models import Plan, Task
from kesu.tracking.forms import audience_field
from kesu.tracking.models import Activity
from kesu.volunteering.crypto import digest
from kesu.volunteering.exports import template_workbook
from kesu.volunteering.forms import topics_for
from kesu.volunteering.importing import IMPORTERS
from kesu.volunteering.models import ScienceBase, ServiceArea, Team, Volunteer

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def _id_number(born: dt.date, serial: int) -> str:
    """A well-formed resident ID (GB 11643 check digit) of the sample region 110101."""
    body = f"110101{born:%Y%m%d}{serial:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def _unused(jurisdiction: Jurisdiction, field: str, candidates) -> str:
    for value in candidates:
        if not Volunteer.objects.filter(jurisdiction=jurisdiction, **{field: digest(value)}).exists():
            return value
    return ""


def _township(jurisdiction: Jurisdiction) -> str:
    area = ServiceArea.objects.filter(jurisdiction=jurisdiction, kind="township", active=True).order_by("name").first()
    return area.name if area else ""


def _volunteer(jurisdiction: Jurisdiction, plan: Plan | None) -> dict[str, str]:
    today = timezone.localdate()
    born = today.replace(year=today.year - 35, day=1)
    ids = (_id_number(born, serial) for serial in range(451, 999, 2))
    phones = (f"1381234{n:04d}" for n in range(5678, 9999))
    topics = [t.name for t in topics_for(jurisdiction)[:2]]
    team = Team.objects.filter(jurisdiction=jurisdiction, dissolved_on__isnull=True).order_by("name").first()
    return {
        "name": "张三", "gender": "男", "id_number": _unused(jurisdiction, "id_digest", ids),
        "phone": _unused(jurisdiction, "phone_digest", phones), "skills": "果树栽培", "topics": "、".join(topics),
        "area": _township(jurisdiction), "affiliation": "农业农村局", "registered_on": today.replace(day=1).isoformat(),
        "teams": team.name if team else "",
    }


def _team(jurisdiction: Jurisdiction, plan: Plan | None) -> dict[str, str]:
    name = next(n for n in (f"{jurisdiction.name}科普志愿服务{i + 1}队" for i in range(1000))
                if not Team.objects.filter(jurisdiction=jurisdiction, name=n).exists())
    unit = jurisdiction.units.filter(stands_for_all=False).order_by("name").first()
    return {
        "name": name, "unit": unit.name if unit else "", "area": _township(jurisdiction),
        "topics": "、".join(t.name for t in topics_for(jurisdiction)[:2]), "in_pool": "是",
        "founded_on": timezone.localdate().replace(day=1).isoformat(), "description": "示例：送科技下乡、科普讲座",
    }


def _base(jurisdiction: Jurisdiction, plan: Plan | None) -> dict[str, str]:
    name = next(n for n in (f"{jurisdiction.name}科技馆{'' if i == 0 else i + 1}" for i in range(1000))
                if not ScienceBase.objects.filter(jurisdiction=jurisdiction, name=n, level="county").exists())
    return {
        "name": name, "level": str(ScienceBase.Level.COUNTY.label), "host": f"{jurisdiction.name}科协",
        "kind": str(ScienceBase.Kind.choices[0][1]), "opening": str(ScienceBase.Opening.choices[0][1]),
        "area": _township(jurisdiction), "address": "人民路1号", "designated_year": str(timezone.localdate().year - 1),
    }


def _activity(jurisdiction: Jurisdiction, plan: Plan | None) -> dict[str, str]:
    task = Task.objects.filter(section__plan=plan).order_by("section__position", "position").first() if plan else None
    unit = None
    if task is not None:
        unit = next((r.unit for r in task.responsibilities.select_related("unit").order_by("role", "position")
                     if not r.unit.stands_for_all), None)
    unit = unit or jurisdiction.units.filter(stands_for_all=False).order_by("name").first()
    return {
        "title": "科普日主场活动", "kind": str(Activity.Kind.choices[0][1]),
        "held_on": (timezone.localdate() - dt.timedelta(days=7)).isoformat(), "place": "文化广场",
        "online": str(Activity.Online.OFFLINE.label),
        "unit": unit.name if unit else "", "participants": "120", "task": task.title if task else "",
        "description": "示例：现场展示与互动体验",
        audience_field("elderly"): "40", audience_field("youth"): "80",
    }


_SAMPLES = {"volunteers": _volunteer, "teams": _team, "bases": _base, "activities": _activity}


def sample_row(kind: str, jurisdiction: Jurisdiction, plan: Plan | None = None) -> list[str]:
    """The example row in the importer's column order."""
    values = _SAMPLES[kind](jurisdiction, plan)
    return [values.get(column.field, "") for column in IMPORTERS[kind].spec.columns]


def sample_workbook(kind: str, jurisdiction: Jurisdiction, plan: Plan | None = None) -> bytes:
    spec = IMPORTERS[kind].spec
    header = [f"{c.header}*" if c.required else c.header for c in spec.columns]
    return template_workbook(spec.title, header, sample_row(kind, jurisdiction, plan), spec.notes)

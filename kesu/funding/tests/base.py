"""Funding tests start from 襄汾县 (kesu.testing actors) with the small plan imported (县教科局 leads the youth
measures, 县科协 the grassroots one), a reporter of 县教科局 and one of 县科协, and last year's funding entered."""

from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from django.utils import timezone
from openpyxl import Workbook

from kesu.funding.actions import do_save_funding_year
from kesu.org.models import Membership, MemberUnit
from kesu.testing import PASSWORD, BaseTestCase


def xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def year_data(**changes) -> dict:
    data = {"population": "400000", "special_budgeted": "80", "special_received": "76", "government_total": "120",
            "donation": "5", "self_raised": "10", "other_income": "", "use_activities": "60", "use_venues": "30",
            "use_exhibits": "20", "use_other": "5", "note": ""}
    data.update(changes)
    return data


class FundingTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.plan = cls.import_plan(cls)
        cls.edu, cls.kx = MemberUnit.objects.get(name="县教科局"), MemberUnit.objects.get(name="县科协")
        cls.edu_reporter = cls.reporter("edu_reporter", cls.edu)
        cls.kx_reporter = cls.reporter("kx_reporter", cls.kx)
        cls.year = timezone.localdate().year
        do_save_funding_year(cls.county, cls.year - 1, cls.county_admin, 0, year_data(special_received="60"))

    @classmethod
    def reporter(cls, username: str, unit: MemberUnit):
        user = get_user_model().objects.create_user(username, password=PASSWORD)
        Membership.objects.create(user=user, jurisdiction=cls.county, role=Membership.Role.UNIT_REPORTER, unit=unit)
        return user


def funding_world(jurisdiction, office, unit) -> dict[str, int]:
    """Funding rows for the shared page tests (phone layout, URL fuzz): two years, a line with spending and evidence.
    Returns the path values of the funding routes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kesu.funding.actions import do_add_line, do_record_spending

    year = timezone.localdate().year
    do_save_funding_year(jurisdiction, year - 1, office, 0, year_data(special_received="60"))
    do_save_funding_year(jurisdiction, year, office, 0, year_data())
    line = do_add_line(jurisdiction, year, office, {"project": "全国科普日主场活动", "content": "主场活动和系列活动",
                                                   "unit": unit, "task": None, "planned": "20"})
    entry = do_record_spending(line, office, timezone.localdate().replace(month=1, day=10), "6", "场地布置",
                               [SimpleUploadedFile("发票.pdf", b"%PDF-1.4 phone")])
    return {"line_id": line.pk, "file_id": entry.files.get().pk}

"""Actors of the account tests: kesu.testing's named actors, the small plan's member units in 襄汾县 (so that
reporters have units), a reporter of 县教科局, and a unit of 乡宁县 (the other county)."""

from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from openpyxl import Workbook

from kesu.domain.unit_names import clean_name, unit_key
from kesu.org.models import Membership, MemberUnit
from kesu.plans.actions import do_import_plan
from kesu.testing import PASSWORD, BaseTestCase, small_plan


class AccountsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        do_import_plan(small_plan(), jurisdiction=cls.county, source_name="plan.txt", source_sha256="sha-1",
                       actor=None, confirm=True)
        cls.unit = MemberUnit.objects.get(jurisdiction=cls.county, name="县教科局")
        cls.other_unit = MemberUnit.objects.create(jurisdiction=cls.other_county, name="县教育局",
                                                   key=unit_key(clean_name("县教育局"), cls.other_county.name))
        cls.reporter = get_user_model().objects.create_user("reporter", password=PASSWORD, first_name="王填报")
        Membership.objects.create(user=cls.reporter, jurisdiction=cls.county, role=Membership.Role.UNIT_REPORTER,
                                  unit=cls.unit)
        cls.other_reporter = get_user_model().objects.create_user("other_reporter", password=PASSWORD)
        Membership.objects.create(user=cls.other_reporter, jurisdiction=cls.other_county,
                                  role=Membership.Role.UNIT_REPORTER, unit=cls.other_unit)


def xlsx(rows: list[list[object]], header: tuple[str, ...] = ("单位", "姓名", "手机", "账号")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

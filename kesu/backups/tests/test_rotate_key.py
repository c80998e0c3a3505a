"""Rotating KESU_FIELD_KEY: `kesu rotate_field_key` re-encrypts every personal-data field with the new first key and
recomputes the keyed digests, so duplicate checks keep working and the old key can then be dropped."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings

from kesu.infra.crypto import digest
from kesu.org.models import Jurisdiction
from kesu.volunteering.models import Volunteer
from kesu.volunteering.registry import duplicate_of

OLD, NEW = "old-field-key-for-the-test", "new-field-key-for-the-test"


@override_settings(KESU_FIELD_KEY=OLD)
class RotateFieldKeyTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        county = Jurisdiction.objects.create(name="襄汾县", level="county")
        with override_settings(KESU_FIELD_KEY=OLD):
            cls.wang = Volunteer.objects.create(jurisdiction=county, name="王芳", id_number="11010519491231002X",
                                                phone="13800001111", registered_on=dt.date(2023, 3, 1))

    def raw_phone(self) -> str:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT phone FROM {Volunteer._meta.db_table} WHERE id = %s", [self.wang.pk])
            return cursor.fetchone()[0]

    def test_after_rotation_the_old_key_can_go_and_duplicates_are_still_found(self):
        county = self.wang.jurisdiction
        with override_settings(KESU_FIELD_KEY=f"{NEW},{OLD}"):
            self.assertIsNone(duplicate_of(county, "", "13800001111"), "before rotation the digests are the old key's")
            out = io.StringIO()
            call_command("rotate_field_key", stdout=out)
            self.assertIn("services.Volunteer：1 条", out.getvalue())
        with override_settings(KESU_FIELD_KEY=NEW):
            wang = Volunteer.objects.get(pk=self.wang.pk)
            self.assertEqual((wang.phone, wang.id_number), ("13800001111", "11010519491231002X"))
            self.assertEqual(wang.phone_digest, digest("13800001111"))
            self.assertEqual(duplicate_of(county, "", "138-0000-1111"), ("手机号", wang))
            self.assertNotIn("13800001111", self.raw_phone())

"""Personal numbers stay encrypted outside the database too: `dumpdata` writes the ciphertext, `loaddata` reads it back."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.db import connection

from kesu.volunteering import actions
from kesu.volunteering.models import ServiceOrder, Volunteer
from kesu.volunteering.tests.base import ID_LI, ID_WANG, ServiceTestCase, order_data


class DumpdataTests(ServiceTestCase):
    def dump(self) -> str:
        out = io.StringIO()
        call_command("dumpdata", "services", "--indent", "1", stdout=out)
        return out.getvalue()

    def test_dumpdata_writes_no_plaintext_id_or_phone_number(self):
        order = actions.do_submit_order(order_data(self.gucheng, self.farming))
        dumped = self.dump()
        for plaintext in [ID_WANG, ID_LI, "13800001111", "13800002222", "13912345678", "张建国"]:
            self.assertNotIn(plaintext, dumped)
        self.assertIn(ServiceOrder.objects.get(pk=order.pk).code, dumped)

    def test_loaddata_of_the_dump_restores_the_same_numbers(self):
        actions.do_submit_order(order_data(self.gucheng, self.farming))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "services.json"
            path.write_text(self.dump(), encoding="utf-8")
            volunteer_rows = [row for row in json.loads(path.read_text(encoding="utf-8")) if row["model"] == "services.volunteer"]
            self.assertEqual(len(volunteer_rows), Volunteer.objects.count())
            with connection.cursor() as cursor:  # scramble the table, then load the dump over it
                cursor.execute("UPDATE services_volunteer SET phone = '', id_number = ''")
            call_command("loaddata", str(path), verbosity=0)
        wang = Volunteer.objects.get(pk=self.wang.pk)
        self.assertEqual((wang.id_number, wang.phone), (ID_WANG, "13800001111"))
        order = ServiceOrder.objects.get()
        self.assertEqual((order.contact_name, order.contact_phone), ("张建国", "13912345678"))
        with connection.cursor() as cursor:  # stored encrypted once, not the dump's ciphertext encrypted again
            cursor.execute("SELECT phone FROM services_volunteer WHERE id = %s", [self.wang.pk])
            stored = cursor.fetchone()[0]
        self.assertNotIn("13800001111", stored)
        self.assertLess(len(stored), 200)

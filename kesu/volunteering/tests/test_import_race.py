"""Two confirmations of one .xlsx import at the same moment (a double click, two tabs), on PostgreSQL with real
threads and connections: the batch row is locked, one request imports, the other imports nothing and says why."""

from __future__ import annotations

import threading
import unittest

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, TransactionTestCase
from django.urls import reverse

from kesu.org.models import Jurisdiction, Membership
from kesu.volunteering.models import ImportBatch, ServiceEvent, Volunteer
from kesu.volunteering.tests.test_imports import xlsx

POSTGRES_ONLY = unittest.skipUnless(
    connection.vendor == "postgresql",
    "并发确认导入测试需要 PostgreSQL（SQLite 没有行锁与真正并发的连接）：DATABASE_URL=postgres://… 后运行",
)
HEADER = ["姓名", "性别", "身份证号", "手机号", "专业特长", "服务主题", "所在区域", "工作单位", "注册日期", "服务队"]


@POSTGRES_ONLY
class ImportConfirmRaceTests(TransactionTestCase):
    def test_two_simultaneous_confirmations_import_once(self):
        county = Jurisdiction.objects.create(name="襄汾县", level="county")
        office = get_user_model().objects.create_user("office")
        Membership.objects.create(user=office, jurisdiction=county, role="office_admin")
        rows = [[f"志愿者{i}", "", "", f"1380000{i:04d}", "", "", "", "", "", ""] for i in range(30)]
        batch = ImportBatch.objects.create(jurisdiction=county, kind="volunteers", name="志愿者.xlsx",
                                           data=xlsx([HEADER, *rows]), uploaded_by=office)
        url = reverse("service-import-review", args=[batch.pk])
        clients = []
        for _ in range(2):
            client = Client()
            client.force_login(office)
            clients.append(client)
        barrier = threading.Barrier(2)
        results: list[object] = [None, None]

        def run(i: int) -> None:
            try:
                barrier.wait(timeout=10)
                response = clients[i].post(url, {"skip": ""})
                results[i] = (response.status_code, response.content.decode())
            except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
                results[i] = error
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(sorted(code for code, _ in results), [200, 302], results)
        refused = next(body for code, body in results if code == 200)
        self.assertIn("不能重复导入", refused)
        self.assertEqual(Volunteer.objects.count(), 30)
        self.assertEqual(ImportBatch.objects.get().imported_count, 30)
        self.assertEqual(ServiceEvent.objects.filter(kind=ServiceEvent.Kind.IMPORT_CONFIRMED).count(), 1)

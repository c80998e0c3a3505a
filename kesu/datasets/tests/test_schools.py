"""The school list from .xlsx: the sample imports unchanged; any problem stops the whole file, named by row and
column; confirmed once."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from kesu.datasets.models import School, SchoolImport
from kesu.volunteering.tests.base import ServiceTestCase


def xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    data = io.BytesIO()
    wb.save(data)
    return data.getvalue()


class SchoolImportTests(ServiceTestCase):
    def upload(self, data: bytes):
        return self.client.post(reverse("datasets-schools", args=[self.county.pk]),
                                {"file": SimpleUploadedFile("学校.xlsx", data)})

    def test_the_sample_imports_unchanged_and_only_once(self) -> None:
        self.login(self.county_admin)
        sample = self.client.get(reverse("datasets-school-sample", args=[self.county.pk])).content
        response = self.upload(sample)
        batch = SchoolImport.objects.get()
        self.assertRedirects(response, reverse("datasets-school-import", args=[batch.pk]))
        url = reverse("datasets-school-import", args=[batch.pk])
        self.assertContains(self.client.get(url), "新增 3 所")
        self.client.post(url)
        self.assertEqual(School.objects.filter(jurisdiction=self.county).count(), 3)
        self.assertContains(self.client.post(url), "未重复导入", status_code=400)
        self.assertEqual(School.objects.count(), 3)

    def test_any_problem_stops_the_whole_file_naming_row_and_column(self) -> None:
        self.login(self.county_admin)
        self.upload(xlsx([["学校名称*", "学段类型*", "所在乡镇"], ["古城镇中心小学", "小学", "古城镇"],
                          ["", "初中", ""], ["襄汾中学", "大学", ""], ["古城镇中心小学", "小学", ""]]))
        url = reverse("datasets-school-import", args=[SchoolImport.objects.get().pk])
        page = self.client.get(url).content.decode()
        for words in ("第 3 行「学校名称」：必填", "第 4 行「学段类型」：“大学”不是可选值", "第 5 行「学校名称」：与第 2 行重复"):
            self.assertIn(words, page)
        self.assertContains(self.client.post(url), "未导入任何学校", status_code=400)
        self.assertFalse(School.objects.exists())

    def test_only_the_office_imports(self) -> None:
        self.login(self.county_viewer)
        self.assertEqual(self.upload(xlsx([["学校名称", "学段类型"], ["一小", "小学"]])).status_code, 403)
        self.assertEqual(self.client.get(reverse("datasets-school-sample", args=[self.county.pk])).status_code, 403)
        self.login(self.other_county_admin)
        self.assertEqual(self.client.get(reverse("datasets-schools", args=[self.county.pk])).status_code, 403)

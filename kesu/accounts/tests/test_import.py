"""Reporters from an .xlsx: template, every bad row and column named in Chinese, all or nothing, a confirm step
that shows what will be created, temporary passwords shown once, and a second confirmation that creates nothing."""

from __future__ import annotations

import base64
import io
import re

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kesu.accounts.models import AccountEvent, AccountImport, Profile
from kesu.accounts.tests.base import AccountsTestCase, xlsx
from kesu.org.models import Membership

GOOD = [["县科协", "赵一", "13800000001", "xf-kx-zhao"], ["团县委", "钱二", "13800000002", "xf-tw-qian"],
        ["教科局", "孙三", "0357-5123456", "xf-jkj-sun"]]


class ImportTest(AccountsTestCase):
    def upload(self, data: bytes, name: str = "填报员.xlsx") -> AccountImport:
        response = self.client.post(f"{reverse('accounts-import')}?j={self.county.pk}",
                                    {"file": SimpleUploadedFile(name, data)})
        batch = AccountImport.objects.latest("pk")
        self.assertRedirects(response, reverse("accounts-import-review", args=[batch.pk]))
        return batch

    def test_template_has_the_four_columns_and_a_real_unit(self):
        self.login(self.county_admin)
        response = self.client.get(reverse("accounts-import-template"), {"j": self.county.pk})
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(list(rows[0]), ["单位", "姓名", "手机", "账号"])
        self.assertIn(rows[1][0], {"县教科局", "县科协", "团县委"})  # one of the county's own units, not a made-up one

    def test_good_file_shows_what_will_be_created_then_creates_it_once(self):
        self.login(self.county_admin)
        batch = self.upload(xlsx(GOOD))
        review = self.client.get(reverse("accounts-import-review", args=[batch.pk]))
        self.assertContains(review, "确认创建 3 个账号")
        self.assertContains(review, "xf-tw-qian")
        self.assertFalse(get_user_model().objects.filter(username__startswith="xf-").exists())

        done = self.client.post(reverse("accounts-import-review", args=[batch.pk]))
        self.assertEqual(done.status_code, 200)
        self.assertIn("no-store", done["Cache-Control"])
        html = done.content.decode()
        passwords = re.findall(r'<td class="secret">([^<]+)</td>', html)
        self.assertEqual(len(passwords), 3)
        sun = get_user_model().objects.get(username="xf-jkj-sun")
        self.assertTrue(sun.check_password(passwords[2]))
        self.assertEqual(Membership.objects.get(user=sun).unit, self.unit)
        self.assertEqual(Profile.objects.filter(user__username__startswith="xf-", must_change_password=True).count(), 3)
        self.assertEqual(AccountEvent.objects.filter(kind=AccountEvent.Kind.CREATED, details__contains="填报员.xlsx").count(), 3)
        # The download offered on that page is the same table, in an .xlsx made for this response only.
        data_url = re.search(r'href="data:[^;]+;base64,([^"]+)"', html).group(1)
        sheet = load_workbook(io.BytesIO(base64.b64decode(data_url))).worksheets[0]
        cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
        self.assertIn(passwords[0], cells)
        self.assertEqual(bytes(AccountImport.objects.get(pk=batch.pk).data), b"")  # the file is not kept

        again = self.client.post(reverse("accounts-import-review", args=[batch.pk]))
        self.assertEqual(again.status_code, 409)
        self.assertContains(again, "没有重复创建账号", status_code=409)
        for password in passwords:
            self.assertNotContains(again, password, status_code=409)
        self.assertEqual(get_user_model().objects.filter(username__startswith="xf-").count(), 3)

    def test_every_bad_row_and_column_is_named_and_nothing_is_created(self):
        rows = GOOD + [
            ["县教育局", "李四", "13800000004", "xf-a"],      # row 5: a unit of another county
            ["县科协", "周五", "1380000", "xf-b"],            # row 6: bad phone
            ["县科协", "吴六", "13800000006", "reporter"],    # row 7: account exists
            ["县科协", "郑七", "13800000007", "XF-KX-ZHAO"],  # row 8: same account as row 2
            ["", "王八", "13800000008", "xf-c"],              # row 9: no unit
            ["县科协", "=HYPERLINK(1)", "13800000009", "xf-d"],  # row 10: a formula for a name
        ]
        self.login(self.county_admin)
        batch = self.upload(xlsx(rows))
        review = self.client.get(reverse("accounts-import-review", args=[batch.pk])).content.decode()
        for expected in ("第 5 行「单位」：“县教育局”不是襄汾县的成员单位", "第 6 行「手机」", "第 7 行「账号」：账号“reporter”已被使用",
                         "第 8 行「账号」：与第 2 行的账号重复", "第 9 行「单位」", "第 10 行「姓名」"):
            self.assertIn(expected, review)
        self.assertNotIn("确认创建", review)
        response = self.client.post(reverse("accounts-import-review", args=[batch.pk]))
        self.assertContains(response, "未创建任何账号", status_code=409)
        self.assertFalse(get_user_model().objects.filter(username__startswith="xf-").exists())

    def test_wrong_header_and_wrong_file_type(self):
        self.login(self.county_admin)
        batch = self.upload(xlsx([["县科协", "赵一", "13800000001"]], header=("单位", "姓名", "电话")))
        page = self.client.get(reverse("accounts-import-review", args=[batch.pk])).content.decode()
        self.assertIn("缺少必填列：手机、账号", page)
        batch = self.upload(b"not a workbook", name="名单.csv")
        self.assertContains(self.client.get(reverse("accounts-import-review", args=[batch.pk])), "不是 .xlsx 文件")

    def test_batches_are_their_uploaders_and_their_areas(self):
        self.login(self.county_admin)
        batch = self.upload(xlsx(GOOD))
        for user in (self.other_county_admin, self.city_admin):
            self.login(user)
            self.assertEqual(self.client.get(reverse("accounts-import-review", args=[batch.pk])).status_code, 404)
            self.assertEqual(self.client.post(reverse("accounts-import-review", args=[batch.pk])).status_code, 404)
        self.login(self.reporter)
        self.assertEqual(self.client.post(reverse("accounts-import-review", args=[batch.pk])).status_code, 403)
        self.assertFalse(get_user_model().objects.filter(username__startswith="xf-").exists())

    def test_uploader_demoted_before_confirming_is_refused(self):
        self.login(self.county_admin)
        batch = self.upload(xlsx(GOOD))
        Membership.objects.filter(user=self.county_admin).update(role=Membership.Role.VIEWER)
        self.assertEqual(self.client.post(reverse("accounts-import-review", args=[batch.pk])).status_code, 403)
        self.assertFalse(get_user_model().objects.filter(username__startswith="xf-").exists())

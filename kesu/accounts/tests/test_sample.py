"""The accounts import offers 下载示例文件; the sample imports unchanged (a fresh account name each time)."""

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kesu.accounts.models import AccountImport
from kesu.accounts.tests.base import AccountsTestCase


class AccountSampleTests(AccountsTestCase):
    def import_sample(self) -> None:
        sample = self.client.get(reverse("accounts-import-template"), {"j": self.county.pk})
        self.client.post(f"{reverse('accounts-import')}?j={self.county.pk}",
                         {"file": SimpleUploadedFile("示例.xlsx", sample.content)})
        batch = AccountImport.objects.latest("pk")
        self.assertContains(self.client.get(reverse("accounts-import-review", args=[batch.pk])), "确认创建 1 个账号")
        self.client.post(reverse("accounts-import-review", args=[batch.pk]))

    def test_the_sample_imports_unchanged_twice(self):
        self.login(self.county_admin)
        page = self.client.get(reverse("accounts-import"), {"j": self.county.pk})
        self.assertContains(page, "下载示例文件")
        before = get_user_model().objects.count()
        self.import_sample()
        self.import_sample()
        self.assertEqual(get_user_model().objects.count(), before + 2)

"""A plan .docx that would unpack to far more than a plan holds is refused before it is read."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from kesu.infra.tests.bombs import docx_bomb
from kesu.plans.models import PendingImport
from kesu.testing import BaseTestCase

MB = 1024 * 1024


@override_settings(KESU_MAX_UNZIPPED_PLAN=8 * MB)
class PlanZipBombTests(BaseTestCase):
    def test_the_upload_page_refuses_a_zip_bomb_naming_the_file(self):
        self.login(self.county_admin)
        response = self.client.post(reverse("plan-import"), {
            "file": SimpleUploadedFile("实施方案.docx", docx_bomb("全民科学素质行动规划纲要实施方案", 10 * MB)),
            "jurisdiction": self.county.pk,
        })
        self.assertContains(response, "文件“实施方案.docx”解压后有", status_code=400)
        self.assertContains(response, "超过 8.0 MB 的上限", status_code=400)
        self.assertFalse(PendingImport.objects.exists())

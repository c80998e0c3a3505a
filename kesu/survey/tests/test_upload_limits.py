"""A survey .xlsx that would unpack to far more than the limit is refused by the wizard's first step."""

from django.test import override_settings

from kesu.infra.tests.bombs import xlsx_bomb
from kesu.survey.models import SurveyUpload
from kesu.survey.tests.base import SurveyTestCase, upload

MB = 1024 * 1024


@override_settings(KESU_MAX_UNZIPPED_SURVEY=4 * MB)
class SurveyZipBombTests(SurveyTestCase):
    def test_the_wizard_refuses_a_zip_bomb_naming_the_file(self):
        self.login(self.county_admin)
        response = self.post_wizard(responses=upload("答卷.xlsx", xlsx_bomb([["id", "q1"], [1, 2]], 6 * MB)))
        self.assertContains(response, "文件“答卷.xlsx”解压后有", status_code=400)
        self.assertFalse(SurveyUpload.objects.exists())

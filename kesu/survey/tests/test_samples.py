"""The survey upload offers 下载示例文件 (answers to each preset questionnaire, and population margins); the
samples pass the wizard's checks unchanged and the estimate runs. Only the area's office may download them."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kesu.domain.survey.inputs import usable_presets
from kesu.survey.tests.base import SurveyTestCase


class SurveySampleTests(SurveyTestCase):
    def sample(self, kind: str, preset: str = "demo"):
        return self.client.get(reverse("survey-upload-sample", args=[self.county.pk, kind]), {"instrument": preset})

    def test_the_upload_page_offers_the_samples(self) -> None:
        self.login(self.county_admin)
        page = self.client.get(reverse("survey-upload", args=[self.county.pk]))
        self.assertContains(page, "下载示例文件")
        self.assertContains(page, reverse("survey-upload-sample", args=[self.county.pk, "margins"]))

    def test_the_samples_import_and_estimate(self) -> None:
        self.login(self.county_admin)
        responses, margins = self.sample("responses"), self.sample("margins")
        self.assertEqual(responses["Content-Type"], "text/csv; charset=utf-8")
        run = self.finished_run(responses=SimpleUploadedFile("答卷数据示例.csv", responses.content),
                                margins=SimpleUploadedFile("总体控制数示例.csv", margins.content),
                                by=("gender", "urban", "age_group", "education"))
        self.assertEqual(run.responses_name, "答卷数据示例.csv")

    def test_every_preset_has_a_sample(self) -> None:
        self.login(self.county_admin)
        for preset, _ in usable_presets():
            with self.subTest(preset=preset):
                self.assertEqual(self.sample("responses", preset).status_code, 200)
        self.assertEqual(self.sample("responses", "x").status_code, 404)
        self.assertEqual(self.sample("other").status_code, 404)

    def test_other_areas_and_viewers_cannot_download(self) -> None:
        for user in (self.other_county_admin, self.county_viewer, self.outsider):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertIn(self.sample("margins").status_code, (403, 404))

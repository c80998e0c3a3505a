"""Survey files go through Django's storage setting only: with an in-memory storage the wizard stores the upload,
the background check and the estimation read it back, and the office downloads it — no disk path involved."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse

from kesu.survey.jobs import do_validate_queued_uploads
from kesu.survey.models import SurveyUpload
from kesu.survey.tests.base import SurveyTestCase, fixture_bytes

IN_MEMORY = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


@override_settings(STORAGES=IN_MEMORY)
class SurveyStorageTests(SurveyTestCase):
    def tearDown(self) -> None:
        self.assertFalse(Path(settings.MEDIA_ROOT).exists(), "something wrote under MEDIA_ROOT")
        super().tearDown()

    def test_an_estimate_reads_its_files_from_the_storage_and_serves_them(self) -> None:
        run = self.finished_run()
        self.assertTrue(default_storage.exists(run.responses_file.name))
        response = self.client.get(reverse("survey-run-file", args=[run.pk, "responses"]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), fixture_bytes("edge_responses.csv"))

    @override_settings(KESU_SURVEY_CHECK_INLINE=0)
    def test_the_background_check_reads_the_staged_files_from_the_storage(self) -> None:
        self.login(self.county_admin)
        self.post_wizard()
        self.assertEqual(do_validate_queued_uploads(), 1)
        staged = SurveyUpload.objects.get()
        self.assertEqual(staged.status, SurveyUpload.Status.READY, staged.errors)

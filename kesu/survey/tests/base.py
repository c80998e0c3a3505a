"""Survey tests: the org actors of BaseTestCase (临汾市 > 襄汾县 / 乡宁县) and the committed survey fixtures.

Small, fast data: tests/fixtures/survey/edge_responses.csv (186 respondents) with edge_margins.csv; the demo
survey (2,636 respondents, six areas with covariates) where small areas or the browser need it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from kesu.survey.jobs import do_run_queued_estimates
from kesu.survey.models import SurveyRun, SurveyUpload
from kesu.testing import BaseTestCase

FIXTURES = Path(settings.PROJECT_DIR) / "tests" / "fixtures" / "survey"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def edit_csv(name: str, edit) -> bytes:
    """A fixture CSV changed by `edit(rows)` (rows[0] is the header), as UTF-8 bytes."""
    rows = list(csv.reader(io.StringIO(fixture_bytes(name).decode("utf-8"))))
    edit(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, fixture_bytes(name) if content is None else content)


# The actors sign in with force_login: a fast hasher keeps creating them from costing seconds per class.
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class SurveyTestCase(BaseTestCase):
    def wizard_data(self, *, responses=None, margins=None, covariates=None, instrument="demo", by=("gender", "urban"),
                    **extra) -> dict:
        data = {
            "year": 2024, "title": "", "instrument": instrument,
            "responses": responses or upload("edge_responses.csv"),
            "by": list(by), "ci_method": "logit", "lonely_psu": "adjust", "sae_area": "region",
        }
        if margins is not False:
            data["margins"] = margins or upload("edge_margins.csv")
        if covariates:
            data["covariates"] = covariates
        data.update(extra)
        return data

    def post_wizard(self, jurisdiction=None, **kwargs):
        return self.client.post(reverse("survey-upload", args=[(jurisdiction or self.county).pk]),
                                self.wizard_data(**kwargs))

    def staged(self) -> SurveyUpload:
        return SurveyUpload.objects.get()

    def confirm(self, staged: SurveyUpload, action: str = "confirm"):
        return self.client.post(reverse("survey-upload-preview", args=[staged.pk]), {"action": action})

    def finished_run(self, **kwargs) -> SurveyRun:
        """Upload through the wizard as the county's office admin, confirm, and let the job run."""
        self.login(self.county_admin)
        response = self.post_wizard(**kwargs)
        assert response.status_code == 302, response.content.decode()[:3000]
        self.confirm(self.staged())
        assert do_run_queued_estimates() == 1
        run = SurveyRun.objects.get()
        assert run.status == SurveyRun.Status.DONE, run.error
        return run

    def media_files(self) -> list[Path]:
        root = Path(settings.MEDIA_ROOT)
        return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []

    def assertNothingStored(self) -> None:
        self.assertEqual(SurveyUpload.objects.count(), 0)
        self.assertEqual(SurveyRun.objects.count(), 0)
        self.assertEqual(self.media_files(), [])

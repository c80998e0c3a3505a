"""The wizard's one action, `do_receive_upload`: check small files at once, stage them, keep nothing refused."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.utils import timezone

from kesu.domain.survey.inputs import CheckRefused
from kesu.survey import actions
from kesu.survey.models import SurveyUpload
from kesu.survey.tests.base import SurveyTestCase, upload

OPTIONS = {"by": ["gender"], "ci_method": "logit", "lonely_psu": "adjust", "trim_lower": None, "trim_upper": None,
           "sae_area": None, "skip_rows": []}


class ReceiveUploadTests(SurveyTestCase):
    def receive(self, **overrides) -> SurveyUpload:
        arguments = {
            "year": timezone.localdate().year, "title": "  ", "instrument_preset": "demo", "instrument_file": None,
            "files": {"responses": upload("edge_responses.csv"), "margins": upload("edge_margins.csv")},
            "options": OPTIONS,
        } | overrides
        return actions.do_receive_upload(self.county, self.county_admin, **arguments)

    def test_small_files_are_checked_and_staged_with_their_preview(self) -> None:
        staged = self.receive()
        year = timezone.localdate().year
        self.assertEqual((staged.status, staged.title), (SurveyUpload.Status.READY, f"{year}年公民科学素质抽样调查"))
        self.assertGreater(staged.preview["respondents"], 0)
        self.assertEqual(SurveyUpload.objects.get().preview, staged.preview)
        self.assertEqual(len(self.media_files()), 2)

    @override_settings(KESU_SURVEY_CHECK_INLINE=0)
    def test_large_files_are_staged_for_the_background_check(self) -> None:
        staged = self.receive()
        self.assertEqual((staged.status, staged.preview), (SurveyUpload.Status.QUEUED, None))

    def test_a_questionnaire_in_an_unknown_encoding_is_refused_naming_the_file_and_nothing_is_kept(self) -> None:
        with self.assertRaises(CheckRefused) as refused:
            self.receive(instrument_preset="", instrument_file=upload("我市问卷.yaml", b"name: \x81\x20\xff"))
        self.assertEqual(refused.exception.errors, [
            "问卷文件“我市问卷.yaml”：我市问卷.yaml 的编码无法识别：请另存为 UTF-8 或 GBK 编码的 CSV"
        ])
        self.assertNothingStored()

    def test_an_upload_nobody_confirmed_for_a_day_is_removed_when_the_next_one_arrives(self) -> None:
        old = self.receive()
        SurveyUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
        with self.captureOnCommitCallbacks(execute=True):
            new = self.receive()
        self.assertEqual(list(SurveyUpload.objects.values_list("pk", flat=True)), [new.pk])
        self.assertEqual(len(self.media_files()), 2)

"""The upload wizard: files → check with every problem named → confirm (or skip the named rows) → queued run."""

from __future__ import annotations

import io

from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from kesu.survey.jobs import do_run_queued_estimates, do_validate_queued_uploads
from kesu.survey.models import SurveyEvent, SurveyRun, SurveyUpload
from kesu.survey.tests.base import SurveyTestCase, edit_csv, fixture_bytes, upload


def _bad_weights(rows: list[list[str]]) -> None:
    w = rows[0].index("weight")
    rows[4][w] = "-5"  # file row 5
    rows[9][w] = "0"  # file row 10
    rows[12][rows[0].index("K04")] = "E"  # file row 13: not an option of K04


class WizardTests(SurveyTestCase):
    def setUp(self) -> None:
        self.login(self.county_admin)

    def test_it_shows_the_wizard_with_the_presets_and_options(self) -> None:
        response = self.client.get(reverse("survey-upload", args=[self.county.pk]))
        self.assertContains(response, "公民科学素质调查演示问卷")
        self.assertContains(response, "上传问卷文件")
        self.assertContains(response, "scheme: national-2022")
        self.assertContains(response, "确认前不会保存任何数据")
        self.assertContains(response, 'data-upload')

    def test_it_checks_the_demo_files_and_queues_a_run_only_on_confirmation(self) -> None:
        response = self.post_wizard(
            responses=upload("demo_responses.csv"), margins=upload("demo_margins.csv"),
            covariates=upload("demo_covariates.csv"), by=("gender", "urban", "age_group"),
        )
        staged = self.staged()
        self.assertRedirects(response, reverse("survey-upload-preview", args=[staged.pk]))
        self.assertEqual(staged.status, SurveyUpload.Status.READY)
        self.assertEqual(SurveyRun.objects.count(), 0)
        page = self.client.get(response["Location"])
        self.assertContains(page, "检查通过：每一行数据都可以使用")
        self.assertContains(page, "2636")
        self.assertContains(page, "demo_covariates.csv：6 个地区")
        self.assertContains(page, "确认并开始估计")

        response = self.confirm(staged)
        run = SurveyRun.objects.get()
        self.assertRedirects(response, reverse("survey-run", args=[run.pk]), fetch_redirect_response=False)
        self.assertEqual((run.status, run.year, run.title), ("queued", 2024, "2024年公民科学素质抽样调查"))
        self.assertEqual(run.options["by"], ["gender", "urban", "age_group"])
        self.assertEqual(run.options["sae_area"], "region")
        self.assertEqual(run.responses_name, "demo_responses.csv")
        self.assertTrue(run.responses_file.storage.exists(run.responses_file.name))
        self.assertFalse(SurveyUpload.objects.exists())
        self.assertEqual(SurveyEvent.objects.get().kind, SurveyEvent.Kind.RUN_QUEUED)
        self.assertContains(self.client.get(reverse("survey-run", args=[run.pk])), "排队")

    def test_it_reads_a_gbk_csv(self) -> None:
        text = fixture_bytes("edge_responses.csv").decode("utf-8")
        response = self.post_wizard(responses=upload("答卷GBK.csv", text.encode("gbk")))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.staged().preview["encoding"], "GB18030")
        self.assertEqual(self.staged().preview["respondents"], 186)
        self.assertEqual(self.staged().preview["groups"]["gender"], ["男", "女"])

    def test_it_reads_an_xlsx_workbook(self) -> None:
        text = fixture_bytes("edge_responses.csv").decode("utf-8")
        import csv

        rows = list(csv.reader(io.StringIO(text)))
        book = Workbook()
        sheet = book.active
        weight = rows[0].index("weight")
        for i, row in enumerate(rows):
            sheet.append([float(c) if (i and j == weight) else c for j, c in enumerate(row)])
        buffer = io.BytesIO()
        book.save(buffer)
        response = self.post_wizard(responses=upload("答卷.xlsx", buffer.getvalue()))
        self.assertEqual(response.status_code, 302)
        preview = self.staged().preview
        self.assertEqual((preview["encoding"], preview["respondents"], preview["problems"]), ("xlsx", 186, []))

    def test_it_refuses_an_unknown_item_column_and_stores_nothing(self) -> None:
        def rename(rows):
            rows[0][rows[0].index("K01")] = "K99"

        response = self.post_wizard(responses=upload("bad.csv", edit_csv("edge_responses.csv", rename)))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "文件未通过检查，没有保存任何数据", status_code=400)
        self.assertContains(response, "答卷文件“bad.csv”：第 1 行，列“K99”：未知的题目列", status_code=400)
        self.assertContains(response, "列“K01”：问卷中的这道题在答卷中没有对应的列", status_code=400)
        self.assertNothingStored()

    def test_it_names_every_bad_row_and_stores_nothing_until_the_rows_are_skipped(self) -> None:
        response = self.post_wizard(responses=upload("weights.csv", edit_csv("edge_responses.csv", _bad_weights)))
        staged = self.staged()
        self.assertEqual(staged.preview["skip_rows"], [5, 10, 13])
        page = self.client.get(response["Location"])
        self.assertContains(page, "答卷中有 3 行数据有问题")
        self.assertContains(page, "权重必须为正数（读到“-5”）")
        self.assertContains(page, "权重必须为正数（读到“0”）")
        self.assertContains(page, "答案“E”中的“E”不在选项 A、B、C、D 之中")
        self.assertContains(page, "<td class=\"num\">13</td><td>K04</td>", html=False)
        self.assertContains(page, "跳过这 3 行并开始估计")
        self.assertNotContains(page, "确认并开始估计")
        csv_rows = self.client.get(reverse("survey-upload-problems", args=[staged.pk])).content.decode("utf-8-sig")
        self.assertIn("5,weight,权重必须为正数", csv_rows)

        # Confirming without skipping is refused: nothing is estimated from data with errors.
        self.confirm(staged, "confirm")
        self.assertEqual(SurveyRun.objects.count(), 0)

        self.confirm(staged, "skip")
        run = SurveyRun.objects.get()
        self.assertEqual(run.options["skip_rows"], [5, 10, 13])
        self.assertEqual(do_run_queued_estimates(), 1)
        run.refresh_from_db()
        self.assertEqual(run.status, "done", run.error)
        self.assertEqual(run.result["design"]["respondents"], 183)
        self.assertEqual(sorted({p["row"] for p in run.result["skipped"]}), [5, 10, 13])
        self.assertContains(self.client.get(reverse("survey-run", args=[run.pk])), "跳过的行（3 处问题）")

    def test_it_refuses_margins_whose_categories_do_not_match_the_data(self) -> None:
        margins = fixture_bytes("edge_margins.csv").decode("utf-8").replace("gender,男,", "gender,男性,")
        response = self.post_wizard(margins=upload("控制数.csv", margins.encode("utf-8")))
        self.assertContains(
            response,
            "总体控制数文件“控制数.csv”：变量“gender”（性别）的类别与数据不一致——样本中有而控制数中没有：“男”；"
            "控制数中有而样本中没有：“男性”",
            status_code=400,
        )
        self.assertNothingStored()

    def test_it_refuses_a_group_variable_the_data_lack_and_a_bad_instrument(self) -> None:
        def drop_occupation(rows):
            i = rows[0].index("occupation")
            for row in rows:
                del row[i]

        response = self.post_wizard(
            responses=upload("r.csv", edit_csv("edge_responses.csv", drop_occupation)), by=("gender", "occupation")
        )
        self.assertContains(response, "分组变量“职业”（occupation）在答卷文件“r.csv”中没有对应的列", status_code=400)
        response = self.post_wizard(instrument="upload", instrument_file=upload("问卷.yaml", b"name: ["))
        self.assertContains(response, "问卷文件“问卷.yaml”：问卷文件 问卷.yaml 不是有效的 YAML/JSON", status_code=400)
        response = self.post_wizard(instrument="upload")
        self.assertContains(response, "请选择问卷文件", status_code=400)
        self.assertNothingStored()

    def test_it_takes_an_uploaded_questionnaire_that_uses_the_national_scheme(self) -> None:
        from kesu.domain.survey.instrument import PRESETS_DIR

        text = (PRESETS_DIR / "demo.yaml").read_bytes()
        response = self.post_wizard(instrument="upload", instrument_file=upload("我市问卷.yaml", text))
        self.assertEqual(response.status_code, 302)
        staged = self.staged()
        self.assertEqual((staged.instrument_preset, staged.instrument_name), ("", "我市问卷.yaml"))
        self.confirm(staged)
        self.assertEqual(do_run_queued_estimates(), 1)
        run = SurveyRun.objects.get()
        self.assertEqual(run.status, "done", run.error)
        self.assertEqual(run.result["instrument"]["name"], "公民科学素质调查演示问卷")

    def test_it_refuses_wrong_file_types_and_trimming_without_margins(self) -> None:
        response = self.post_wizard(responses=upload("答卷.docx", b"PK\x03\x04"))
        self.assertContains(response, "答卷文件“答卷.docx”的类型不支持", status_code=400)
        response = self.post_wizard(margins=False, trim_upper="5")
        self.assertContains(response, "修剪权重在加权调整之后进行", status_code=400)
        self.assertNothingStored()

    def test_it_cancels_an_upload_and_deletes_its_files(self) -> None:
        self.post_wizard()
        staged = self.staged()
        self.assertEqual(len(self.media_files()), 2)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.confirm(staged, "cancel")
        self.assertRedirects(response, reverse("survey-home", args=[self.county.pk]))
        self.assertNothingStored()

    @override_settings(KESU_SURVEY_CHECK_INLINE=0)
    def test_it_checks_large_files_in_the_background_with_progress(self) -> None:
        response = self.post_wizard()
        staged = self.staged()
        self.assertEqual((staged.status, staged.preview), (SurveyUpload.Status.QUEUED, None))
        page = self.client.get(response["Location"])
        self.assertContains(page, "正在后台逐行检查")
        self.assertContains(page, reverse("survey-upload-status", args=[staged.pk]))
        self.assertEqual(do_validate_queued_uploads(), 1)
        status = self.client.get(reverse("survey-upload-status", args=[staged.pk])).json()
        self.assertEqual((status["status"], status["progress"], status["done"]), ("ready", 100, True))
        self.assertContains(self.client.get(response["Location"]), "确认并开始估计")

    @override_settings(KESU_SURVEY_CHECK_INLINE=0)
    def test_it_keeps_nothing_of_large_files_that_fail_the_background_check(self) -> None:
        margins = fixture_bytes("edge_margins.csv").decode("utf-8").replace("urban,乡村,", "urban,农村,")
        self.post_wizard(margins=upload("m.csv", margins.encode("utf-8")))
        staged = self.staged()
        do_validate_queued_uploads()
        staged.refresh_from_db()
        self.assertEqual(staged.status, SurveyUpload.Status.REFUSED)
        self.assertIn("控制数中有而样本中没有：“农村”", staged.errors[0])
        self.assertEqual(self.media_files(), [])
        page = self.client.get(reverse("survey-upload-preview", args=[staged.pk]))
        self.assertContains(page, "上传的文件已删除")
        self.assertContains(page, "重新上传")
        self.confirm(staged, "skip")
        self.assertEqual(SurveyRun.objects.count(), 0)

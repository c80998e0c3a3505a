"""The results page, the Excel export, recording the year's estimate and official figures."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from kesu.survey.models import LiteracyFigure, SurveyEvent
from kesu.survey.tests.base import SurveyTestCase, upload


class ResultsTests(SurveyTestCase):
    def test_it_shows_the_overall_card_groups_dimensions_raking_and_charts(self) -> None:
        run = self.finished_run()
        overall = run.result["estimates"][0]
        page = self.client.get(reverse("survey-run", args=[run.pk]))
        self.assertContains(page, f"{100 * overall['rate']:.2f}%")
        self.assertContains(page, f"95%置信区间 {100 * overall['ci'][0]:.2f}%–{100 * overall['ci'][1]:.2f}%")
        self.assertContains(page, f"{100 * overall['se']:.2f}")
        self.assertContains(page, f"{overall['deff']:.2f}")
        self.assertContains(page, "640,000")
        for e in run.result["estimates"][1:]:
            self.assertContains(page, f"<strong>{100 * e['rate']:.2f}%</strong>", html=False)
        self.assertContains(page, "按性别")
        self.assertContains(page, "按城乡")
        self.assertContains(page, "具备高阶科学素质")
        self.assertContains(page, "科学精神与科学思维")
        self.assertContains(page, f"{overall['score']['mean']:.2f} / 100")
        raking = run.result["raking"]
        self.assertContains(page, f"{raking['iterations']} 次，<span class=\"status on_track\">已收敛</span>", html=False)
        self.assertEqual(page.content.decode().count('<svg class="chart wide"'), 2)
        self.assertContains(page, "按性别分组的具备科学素质比例及95%置信区间")
        self.assertNotContains(page, "小区域估计（")

    def test_it_shows_the_small_area_table_when_requested(self) -> None:
        run = self.finished_run(
            responses=upload("demo_responses.csv"), margins=upload("demo_margins.csv"),
            covariates=upload("demo_covariates.csv"), by=("urban",),
        )
        page = self.client.get(reverse("survey-run", args=[run.pk]))
        sae = run.result["sae"]
        self.assertContains(page, "小区域估计（按地区）")
        self.assertContains(page, "收缩系数 γ")
        self.assertContains(page, "Brown 检验")
        for area in sae["areas"]:
            self.assertContains(page, f"<strong>{100 * area['benchmarked']:.2f}%</strong>", html=False)
        self.assertContains(page, f"系数 {sae['benchmark']['factor']:.4f}")
        self.assertContains(page, "EBLUP ±1.96·RMSE")

    def test_it_exports_the_same_tables_to_excel(self) -> None:
        run = self.finished_run(
            responses=upload("demo_responses.csv"), margins=upload("demo_margins.csv"),
            covariates=upload("demo_covariates.csv"), by=("gender",),
        )
        response = self.client.get(reverse("survey-run-xlsx", args=[run.pk]))
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertIn("filename*=UTF-8''", response["Content-Disposition"])
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["比例估计", "各水平", "维度得分", "加权", "小区域估计", "说明"])
        sheet = book["比例估计"]
        overall = run.result["estimates"][0]
        self.assertEqual([c.value for c in sheet[3]][:3], ["全体", "全体", 2636])
        self.assertAlmostEqual(sheet.cell(3, 4).value, overall["population"], places=3)
        self.assertAlmostEqual(sheet.cell(3, 5).value, overall["rate"], places=12)
        self.assertAlmostEqual(sheet.cell(3, 7).value, overall["ci"][0])
        self.assertEqual(sheet.cell(3, 5).number_format, "0.00%")
        self.assertEqual([sheet.cell(r, 2).value for r in (4, 5)], ["男", "女"])
        levels = book["各水平"]
        self.assertEqual(levels.max_row, 2 + 3 * 3)
        sae = book["小区域估计"]
        self.assertEqual(sae.cell(3, 1).value, run.result["sae"]["areas"][0]["area"])
        self.assertAlmostEqual(sae.cell(3, 9).value, run.result["sae"]["areas"][0]["benchmarked"])

    def test_it_records_the_runs_rate_as_the_years_estimate(self) -> None:
        run = self.finished_run()
        overall = run.result["estimates"][0]
        response = self.client.post(reverse("survey-run-record", args=[run.pk]))
        self.assertRedirects(response, reverse("survey-trend", args=[self.county.pk]))
        figure = LiteracyFigure.objects.get()
        self.assertEqual((figure.year, figure.kind, figure.survey_run_id), (2024, "estimate", run.pk))
        self.assertAlmostEqual(figure.value, 100 * overall["rate"], places=3)
        self.assertAlmostEqual(figure.ci_low, 100 * overall["ci"][0], places=3)
        self.assertAlmostEqual(figure.se, 100 * overall["se"], places=3)
        self.assertIn("样本量 186", figure.source)
        self.assertContains(self.client.get(reverse("survey-run", args=[run.pk])), "已记录为2024年本地调查估计")
        # Recording again replaces the year's estimate and keeps the old value in the history.
        self.client.post(reverse("survey-run-record", args=[run.pk]))
        self.assertEqual(LiteracyFigure.objects.count(), 1)
        self.assertEqual(SurveyEvent.objects.filter(kind="figure_replaced").count(), 1)

    def test_it_records_an_official_figure_with_its_source(self) -> None:
        self.login(self.county_admin)
        url = reverse("survey-figure-new", args=[self.county.pk])
        response = self.client.post(url, {"year": 2020, "value": "9.8", "source": "  "})
        self.assertContains(response, "这个字段是必填项", status_code=400)
        response = self.client.post(url, {"year": 2020, "value": "9.8", "ci_low": "9", "source": "省科协"})
        self.assertContains(response, "置信区间的上下限要么都填，要么都不填", status_code=400)
        response = self.client.post(url, {"year": 2020, "value": "9.8", "ci_low": "10", "ci_high": "12", "source": "省科协"})
        self.assertContains(response, "应包含比例 9.8%", status_code=400)
        response = self.client.post(url, {"year": 2020, "value": "120", "source": "省科协"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(LiteracyFigure.objects.exists())

        source = "第十二次中国公民科学素质抽样调查（山西省，2021年发布）"
        response = self.client.post(url, {"year": 2020, "value": "9.8", "ci_low": "9.1", "ci_high": "10.5", "source": source})
        self.assertRedirects(response, reverse("survey-trend", args=[self.county.pk]))
        figure = LiteracyFigure.objects.get()
        self.assertEqual((figure.kind, figure.value, figure.source, figure.entered_by), ("official", 9.8, source, self.county_admin))
        self.client.post(url, {"year": 2020, "value": "9.9", "source": source})
        figure.refresh_from_db()
        self.assertEqual((LiteracyFigure.objects.count(), figure.value, figure.ci_low), (1, 9.9, None))
        replaced = SurveyEvent.objects.get(kind="figure_replaced")
        self.assertIn("原为 9.8%，95%置信区间 9.1%–10.5%", replaced.detail)

        self.client.post(reverse("survey-figure-delete", args=[figure.pk]))
        self.assertFalse(LiteracyFigure.objects.exists())
        self.assertIn("9.9%", SurveyEvent.objects.get(kind="figure_deleted").detail)

    def test_it_deletes_a_run_with_its_files_but_keeps_the_recorded_figure(self) -> None:
        run = self.finished_run()
        self.client.post(reverse("survey-run-record", args=[run.pk]))
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("survey-run-delete", args=[run.pk]))
        self.assertRedirects(response, reverse("survey-home", args=[self.county.pk]))
        self.assertEqual(self.media_files(), [])
        figure = LiteracyFigure.objects.get()
        self.assertIsNone(figure.survey_run)
        self.assertContains(self.client.get(reverse("survey-trend", args=[self.county.pk])), figure.source)

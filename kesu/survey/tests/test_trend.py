"""Trend against the plan's headline target: the projection rule and the page's plain statement."""

from __future__ import annotations

from django.test import SimpleTestCase
from django.urls import reverse

from kesu.domain.target_progress import Status
from kesu.survey.actions import do_record_official
from kesu.survey.models import LiteracyFigure
from kesu.survey.tests.base import SurveyTestCase
from kesu.survey.trend import Headline, YearValue, least_squares_slope, outlook, yearly_series

PLAN = Headline(target_year=2025, target_value=14.5, comparator=">", baseline_year=2020, baseline_value=9.8)


class ProjectionTests(SimpleTestCase):
    def test_it_says_the_target_is_within_reach_when_the_linear_trend_meets_it(self) -> None:
        figures = [YearValue(2022, 11.9, "official"), YearValue(2023, 13.0, "estimate", 11.6, 14.5)]
        result = outlook(figures, PLAN, this_year=2024)
        # Points 2020 9.8 (plan baseline), 2022 11.9, 2023 13.0 → slope ≈ 1.07 pp/year; 13.0 + 2·1.07 ≈ 15.14.
        self.assertEqual(result.status, Status.ON_TRACK)
        self.assertAlmostEqual(result.slope, least_squares_slope([(2020, 9.8), (2022, 11.9), (2023, 13.0)]))
        self.assertAlmostEqual(result.projected, 13.0 + 2 * result.slope)
        self.assertTrue(result.within_reach)
        self.assertIn("按2020—2023年 3 个年份数据的线性趋势", result.sentence)
        self.assertIn("达到目标（2025年超过14.5%）：按目前趋势，目标可以实现。", result.sentence)
        self.assertIn("2023年本地调查估计的95%置信区间为 11.6%–14.5%，区间包含目标值。", result.sentence)
        self.assertIn("方案基线作为起点", result.basis)
        self.assertEqual(result.projection, [(2023, 13.0), (2025, result.projected)])

    def test_it_says_plainly_when_the_target_is_out_of_reach_and_the_pace_needed(self) -> None:
        figures = [YearValue(2022, 10.2, "estimate"), YearValue(2023, 10.5, "estimate")]
        result = outlook(figures, PLAN, this_year=2024)
        self.assertEqual(result.status, Status.BEHIND)
        self.assertFalse(result.within_reach)
        self.assertIn("低于目标（2025年超过14.5%）：按目前趋势，目标难以实现。", result.sentence)
        self.assertIn("要实现目标，2024—2025年每年需提高约 2 个百分点。", result.sentence)

    def test_it_prefers_official_figures_and_needs_two_years_for_a_trend(self) -> None:
        series = yearly_series(
            [YearValue(2020, 9.5, "estimate"), YearValue(2020, 9.6, "official")], PLAN
        )
        self.assertEqual([(p.year, p.value, p.kind) for p in series], [(2020, 9.6, "official")])
        result = outlook([YearValue(2020, 9.6, "official")], PLAN, this_year=2021)
        self.assertEqual(result.status, Status.NO_DATA)
        self.assertIn("还不能推算趋势", result.sentence)
        self.assertIn("每年需提高约 0.98 个百分点", result.sentence)

    def test_it_reports_a_reached_or_missed_target_in_the_target_year(self) -> None:
        reached = outlook([YearValue(2025, 15.2, "official")], PLAN, this_year=2026)
        self.assertEqual(reached.status, Status.REACHED)
        self.assertIn("2025年为 15.2%（正式公布数），已实现目标", reached.sentence)
        missed = outlook([YearValue(2025, 14.5, "official")], PLAN, this_year=2026)  # ">" 14.5 is not met by 14.5
        self.assertEqual(missed.status, Status.BEHIND)
        self.assertIn("未实现目标", missed.sentence)
        early = outlook([YearValue(2023, 15.0, "estimate")], PLAN, this_year=2024)
        self.assertEqual(early.status, Status.REACHED)
        self.assertIn("已达到目标", early.sentence)

    def test_it_says_so_when_there_is_no_target_or_no_data(self) -> None:
        self.assertIn("没有设定", outlook([YearValue(2023, 12, "estimate")], None, 2024).sentence)
        self.assertIn("还没有任何年份", outlook([], Headline(2025, 14.5), 2024).sentence)


class TrendPageTests(SurveyTestCase):
    def test_it_shows_the_figures_against_the_plans_target_with_the_statement(self) -> None:
        plan = self.import_plan()  # 襄汾县: target 2025 "超过" 14.5%, baseline 2020 9.8%
        self.login(self.county_admin)
        run = self.finished_run()
        self.client.post(reverse("survey-run-record", args=[run.pk]))
        do_record_official(self.county, self.county_admin, year=2025, value=15.1, se=None, ci_low=None, ci_high=None,
                           source="县统计公报")
        page = self.client.get(reverse("survey-trend", args=[self.county.pk]))
        self.assertContains(page, "2025年为 15.1%（正式公布数），已实现目标（2025年超过14.5%）")
        self.assertContains(page, plan.title)
        self.assertContains(page, "基线 2020年 9.8%")
        self.assertContains(page, "<svg class=\"chart wide\"", html=False)
        self.assertContains(page, "<svg class=\"chart narrow\"", html=False)
        self.assertContains(page, "方案基线→目标")
        self.assertContains(page, "县统计公报")
        estimate = LiteracyFigure.objects.get(kind="estimate")
        self.assertContains(page, f"{estimate.value:.2f}".rstrip("0").rstrip(".") + "%")

    def test_it_shows_a_trend_page_without_a_plan(self) -> None:
        self.login(self.county_viewer)
        page = self.client.get(reverse("survey-trend", args=[self.county.pk]))
        self.assertContains(page, "本地区还没有实施方案")
        self.assertContains(page, "还没有任何年份的数据")
        self.assertNotContains(page, "录入正式公布数")

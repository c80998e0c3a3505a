"""The rubric item 经费保障 in the yearly assessment: each lead unit is scored on its jurisdiction's funding."""

from __future__ import annotations

from django.utils import timezone

from kesu.domain.scoring_rubric import FUNDING
from kesu.funding import actions
from kesu.funding.tests.base import year_data
from kesu.plans.actions import do_import_plan
from kesu.testing import BaseTestCase, small_plan
from kesu.tracking.actions import do_open_cycle, do_save_rubric
from kesu.tracking.assessment import rubric_for, yearly_scores


class GuaranteeItemTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        today = timezone.localdate()
        cls.year = today.year
        actions.do_save_funding_year(cls.county, cls.year - 1, cls.county_admin, 0, year_data(special_received="60"))
        cls.plan = do_import_plan(small_plan(period={"start": cls.year - 1, "end": cls.year + 3}), jurisdiction=cls.county,
                                  source_name="plan.txt", source_sha256="s", actor=None, confirm=True).plan
        do_open_cycle(cls.plan, cls.county_admin, "year", cls.year, 1, today)
        rubric = rubric_for(cls.plan, cls.year)
        do_save_rubric(rubric, cls.county_admin, rubric.version, [("progress", "措施完成情况", 80), (FUNDING, "经费保障", 20)])

    def scores(self) -> dict[str, tuple[float, str]]:
        _, rows = yearly_scores(self.plan, self.year)
        return {r.unit.name: next((s.earned, s.rule) for s in r.score.items if s.item.label == "经费保障") for r in rows}

    def test_standard_met_and_growth_earn_full_points_and_the_rule_says_what_was_counted(self):
        actions.do_set_standard(self.province, self.year, self.county_admin, "1.5")
        actions.do_save_funding_year(self.county, self.year, self.county_admin, 0, year_data())  # 1.9 元/人, 76 ≥ 60
        self.assertEqual(self.scores()["县教科局"], (20.0, "20 分 × 2/2 项经费保障条件（人均达标、较上年增长）"))

    def test_funding_below_last_year_loses_half(self):
        actions.do_set_standard(self.province, self.year, self.county_admin, "1")
        actions.do_save_funding_year(self.county, self.year, self.county_admin, 0, year_data(special_received="50"))
        self.assertEqual(self.scores()["县科协"][0], 10.0)

    def test_nothing_entered_is_not_due_and_scores_full(self):
        earned, rule = self.scores()["县教科局"]
        self.assertEqual(earned, 20.0)
        self.assertIn("按满分计", rule)

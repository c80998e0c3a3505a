"""GET /api/plans/{id}/cycles with quarterly and annual cycles: latest period first, the current one marked."""

import datetime as dt

from django.utils import timezone

from kesu.api.tests.base import ApiTestCase
from kesu.tracking.actions import do_open_cycle


class CurrentCycleTests(ApiTestCase):
    def test_it_marks_the_current_cycle_and_lists_the_latest_period_first(self):
        last_year = self.cycle.year - 1
        deadline = timezone.localdate() + dt.timedelta(days=10)
        do_open_cycle(self.plan, self.county_admin, "quarter", last_year, 2, deadline)
        do_open_cycle(self.plan, self.county_admin, "year", last_year, 1, deadline)
        body = self.api(self.county_admin).get(f"/api/plans/{self.plan.pk}/cycles").json()
        labels = [(c["label"], c["current"]) for c in body["items"]]
        self.assertEqual(labels, [(str(self.cycle), True), (f"{last_year}年度", False),
                                  (f"{last_year}年第二季度", False)])
        self.assertIn("当前周期", body["current_rule"])


class RollupApiTests(ApiTestCase):
    def test_it_rolls_up_counts_by_sum_and_rates_by_spread_for_supervisors_only(self):
        response = self.api(self.city_leader).get(f"/api/jurisdictions/{self.city.pk}/rollup")
        self.assertEqual(response.status_code, 200, response.content.decode())
        body = response.json()
        self.assertEqual({r["jurisdiction"] for r in body["rows"]}, {"襄汾县", "乡宁县"})
        targets = {t["indicator"]: t for t in body["targets"]}
        rate, count = targets["学生科普活动参与率"], targets["科技志愿服务队人数"]
        self.assertEqual((rate["kind"], rate["target_total"], rate["target_spread"]["median"]), ("rate", None, 90))
        self.assertEqual((count["kind"], count["target_total"]), ("count", 6000))
        self.assertIn("当前周期", body["current_rule"])
        for outsider in (self.county_admin, self.outsider):
            self.assertEqual(self.api(outsider).get(f"/api/jurisdictions/{self.city.pk}/rollup").status_code, 404)

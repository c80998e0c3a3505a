"""GET /api/plans/{id}/targets/progress and /api/plans/{id}/scores."""

from django.utils import timezone

from kesu.api.tests.base import ApiTestCase
from kesu.plans.models import Plan
from kesu.tracking.actions import do_adjust_score, do_approve_report, do_save_report, do_submit_report
from kesu.tracking.assessment import rubric_for


class AssessmentApiTestCase(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.report = self.report_of(self.edu, "基础教育")
        self.target = self.report.task.targets.get()

    def report_value(self, value: float, approve: bool = True) -> None:
        report = do_save_report(self.report, self.edu_reporter, self.report.version, "in_progress", "开展活动", {self.target.pk: value})
        report = do_submit_report(report, self.edu_reporter, report.version)
        if approve:
            do_approve_report(report, self.county_admin)


class TargetProgressTests(AssessmentApiTestCase):
    path = "/api/plans/{}/targets/progress"

    def test_it_reports_each_targets_status_share_and_basis_from_approved_values(self):
        self.report_value(60)
        body = self.api(self.county_admin).get(self.path.format(self.plan.pk)).json()
        self.assertEqual(body["count"], 2)
        self.assertIn("审核通过", body["rule"])
        self.assertEqual(body["as_of"], timezone.localdate().isoformat())
        row = body["items"][0]
        self.assertEqual(row["target"]["id"], self.target.pk)
        self.assertEqual(row["task"]["title"], "提升基础教育阶段科学教育水平")
        self.assertEqual(row["section"], "青少年科学素质提升行动")
        self.assertEqual((row["status"], row["status_label"]), ("behind", "进度滞后"))
        self.assertAlmostEqual(row["share"], 60 / 90)
        self.assertIsNone(row["projected"], "a standing requirement is not projected")
        self.assertIn("常态化要求", row["basis"])
        self.assertEqual(row["latest"]["value"], 60.0)
        self.assertEqual([o["value"] for o in row["observations"]], [60.0])
        other = body["items"][1]
        self.assertEqual((other["target"]["indicator"], other["status"], other["observations"]), ("科技志愿服务队人数", "no_data", []))

    def test_it_ignores_values_that_are_not_approved(self):
        self.report_value(95, approve=False)
        row = self.api(self.county_admin).get(self.path.format(self.plan.pk)).json()["items"][0]
        self.assertEqual((row["status"], row["latest"], row["share"]), ("no_data", None, None))

    def test_it_shows_progress_to_whoever_may_see_the_plan(self):
        path = self.path.format(self.plan.pk)
        for user in (self.edu_reporter, self.county_viewer, self.city_leader):
            self.assertEqual(self.api(user).get(path).status_code, 200, user.username)
        self.assertEqual(self.api(self.outsider).get(path).status_code, 404)
        Plan.objects.filter(pk=self.plan.pk).update(status=Plan.Status.PUBLISHED)
        self.assertEqual(self.api(self.outsider).get(path).status_code, 200, "as the public target page of a published plan")


class ScoreTests(AssessmentApiTestCase):
    path = "/api/plans/{}/scores"

    def test_it_lists_each_units_total_rank_and_items_with_their_rules(self):
        self.report_value(60)
        year = timezone.localdate().year
        rubric = rubric_for(self.plan, year)
        do_adjust_score(rubric, self.kx, self.county_admin, 2.5, "科普日活动组织出色")
        body = self.api(self.county_admin).get(self.path.format(self.plan.pk), year=year).json()
        self.assertEqual((body["plan_id"], body["year"], body["count"]), (self.plan.pk, year, 2))
        self.assertEqual([i["label"] for i in body["rubric"]], ["按时报送", "措施完成情况", "量化目标达成", "创新加分"])
        self.assertEqual(body["rubric"][0]["kind_label"], "按时报送率")
        rows = {row["unit"]["name"]: row for row in body["items"]}
        self.assertEqual(set(rows), {"县教科局", "县科协"})
        edu = rows["县教科局"]
        self.assertEqual([i["label"] for i in edu["items"]], ["按时报送", "措施完成情况", "量化目标达成", "创新加分"])
        self.assertAlmostEqual(edu["total"], sum(i["earned"] for i in edu["items"]), places=2)
        self.assertTrue(all(i["rule"] for i in edu["items"]))
        self.assertIn("按时报送", edu["items"][0]["rule"])
        self.assertEqual(rows["县科协"]["adjustments"], [{"delta": 2.5, "reason": "科普日活动组织出色"}])
        self.assertEqual(rows["县科协"]["adjustment"], 2.5)
        self.assertEqual(sorted(r["rank"] for r in body["items"]), [1, 2])
        self.assertEqual(body["items"][0]["rank"], 1)

    def test_it_defaults_to_this_year(self):
        body = self.api(self.city_leader).get(self.path.format(self.plan.pk)).json()
        self.assertEqual(body["year"], timezone.localdate().year)

    def test_it_shows_scores_to_the_office_and_supervisors_only(self):
        path = self.path.format(self.plan.pk)
        for user in (self.county_admin, self.county_viewer, self.city_leader, self.city_admin):
            self.assertEqual(self.api(user).get(path).status_code, 200, user.username)
        for user in (self.edu_reporter, self.kx_reporter):
            response = self.api(user).get(path)
            self.assertEqual(response.status_code, 403, user.username)
            self.assertIn("考核得分", response.json()["detail"])
        self.assertEqual(self.api(self.other_county_admin).get(path).status_code, 404)
        Plan.objects.filter(pk=self.plan.pk).update(status=Plan.Status.PUBLISHED)
        self.assertEqual(self.api(self.other_county_admin).get(path).status_code, 403)

    def test_it_refuses_a_year_out_of_range(self):
        for year in (1999, 2101, "二〇二五"):
            self.assertEqual(self.api(self.county_admin).get(self.path.format(self.plan.pk), year=year).status_code, 422)

"""GET /api/plans, /api/plans/{id}, /api/plans/{id}/tasks, /api/plans/{id}/cycles."""

from kesu.api.tests.base import ApiTestCase
from kesu.plans.models import Plan
from kesu.plans.serialize import plan_to_dict


class PlanListTests(ApiTestCase):
    def publish(self, plan: Plan) -> None:
        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.PUBLISHED)

    def test_it_lists_the_plans_each_role_may_see(self):
        expected = {
            self.county_admin: {self.plan.pk},
            self.county_viewer: {self.plan.pk},
            self.edu_reporter: {self.plan.pk},
            self.other_county_admin: {self.other_plan.pk},
            self.city_admin: {self.plan.pk, self.other_plan.pk},
            self.city_leader: {self.plan.pk, self.other_plan.pk},
            self.outsider: set(),
        }
        for user, plans in expected.items():
            with self.subTest(user=user.username):
                self.assertEqual(set(self.ids(self.api(user).get("/api/plans"))), plans)

    def test_it_lists_a_published_plan_to_every_account(self):
        self.publish(self.plan)
        self.assertEqual(self.ids(self.api(self.outsider).get("/api/plans")), [self.plan.pk])
        self.assertEqual(set(self.ids(self.api(self.other_county_admin).get("/api/plans"))), {self.plan.pk, self.other_plan.pk})

    def test_it_pages_with_bounded_limit_and_offset(self):
        api = self.api(self.city_admin)
        first = api.get("/api/plans", limit=1).json()
        second = api.get("/api/plans", limit=1, offset=1).json()
        self.assertEqual((first["count"], first["limit"], first["offset"]), (2, 1, 0))
        self.assertEqual(len(first["items"]) + len(second["items"]), 2)
        self.assertNotEqual(first["items"][0]["id"], second["items"][0]["id"])
        self.assertEqual(api.get("/api/plans", offset=5).json()["items"], [])
        for bad in [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "many"}]:
            with self.subTest(params=bad):
                self.assertEqual(api.get("/api/plans", **bad).status_code, 422)

    def test_it_describes_each_plan(self):
        item = self.api(self.county_admin).get("/api/plans").json()["items"][0]
        self.assertEqual(item["jurisdiction"], {"id": self.county.pk, "name": "襄汾县", "level": "county"})
        self.assertEqual((item["status"], item["period_start"], item["period_end"]),
                         ("draft", self.plan.period_start, self.plan.period_end))
        self.assertEqual(item["doc_number"], "襄政办发〔2022〕23号")


class PlanDetailTests(ApiTestCase):
    def test_it_returns_the_plan_as_kesu_plan_1_with_its_id(self):
        response = self.api(self.county_admin).get(f"/api/plans/{self.plan.pk}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"id": self.plan.pk, **plan_to_dict(self.plan)})
        self.assertEqual(response.json()["format"], "kesu-plan/1")

    def test_it_hides_another_countys_unpublished_plan(self):
        for path in ["", "/tasks", "/cycles", "/reports", "/targets/progress", "/scores"]:
            with self.subTest(path=path):
                response = self.api(self.county_admin).get(f"/api/plans/{self.other_plan.pk}{path}")
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.json(), {"detail": "没有找到该方案"})

    def test_it_answers_a_missing_plan_exactly_like_a_hidden_one(self):
        hidden = self.api(self.county_admin).get(f"/api/plans/{self.other_plan.pk}")
        missing = self.api(self.county_admin).get("/api/plans/987654")
        self.assertEqual((hidden.status_code, hidden.json()), (missing.status_code, missing.json()))

    def test_it_shows_a_countys_plan_to_the_city_above_it(self):
        self.assertEqual(self.api(self.city_leader).get(f"/api/plans/{self.other_plan.pk}").status_code, 200)
        self.assertEqual(self.api(self.outsider).get(f"/api/plans/{self.plan.pk}").status_code, 404)


class TaskListTests(ApiTestCase):
    def test_it_lists_measures_with_section_units_and_targets(self):
        response = self.api(self.edu_reporter).get(f"/api/plans/{self.plan.pk}/tasks")
        body = response.json()
        self.assertEqual(body["count"], 3)
        first = body["items"][0]
        self.assertEqual(first["title"], "提升基础教育阶段科学教育水平")
        self.assertEqual(first["section"]["title"], "青少年科学素质提升行动")
        self.assertEqual(first["section"]["kind"], "action")
        self.assertEqual([u["name"] for u in first["lead"]], ["县教科局"])
        self.assertEqual([u["name"] for u in first["support"]], ["县科协", "团县委"])
        self.assertEqual(first["lead"][0]["id"], self.edu.pk)
        target = self.plan.sections.get(position=0).tasks.get(position=0).targets.get()
        self.assertEqual(first["targets"], [{
            "id": target.pk, "indicator": "学生科普活动参与率", "value": 90.0, "unit": "%", "comparator": ">=",
            "year": None, "annual": False, "text": "学生科普活动参与率达90%以上",
        }])
        self.assertEqual([t["title"] for t in body["items"]],
                         ["提升基础教育阶段科学教育水平", "实施教师科学素质提升工程", "健全基层科普服务体系"])

    def test_it_pages_the_measures(self):
        body = self.api(self.county_admin).get(f"/api/plans/{self.plan.pk}/tasks", limit=2, offset=2).json()
        self.assertEqual((body["count"], [t["title"] for t in body["items"]]), (3, ["健全基层科普服务体系"]))


class CycleListTests(ApiTestCase):
    def test_it_lists_cycles_with_their_rates(self):
        body = self.api(self.county_admin).get(f"/api/plans/{self.plan.pk}/cycles").json()
        self.assertEqual(body["count"], 1)
        cycle = body["items"][0]
        self.assertEqual(cycle["id"], self.cycle.pk)
        self.assertEqual(cycle["period_type"], "quarter")
        self.assertEqual(cycle["rates"]["expected"], 3)
        self.assertEqual(cycle["rates"]["submitted"], 0)
        self.assertFalse(cycle["locked"])
        self.assertIn("报送率", body["rule"])

    def test_it_shows_cycles_to_tracking_roles_only(self):
        Plan.objects.filter(pk=self.plan.pk).update(status=Plan.Status.PUBLISHED)
        path = f"/api/plans/{self.plan.pk}/cycles"
        for user in [self.county_admin, self.county_viewer, self.city_leader, self.edu_reporter, self.league_reporter]:
            with self.subTest(user=user.username):
                self.assertEqual(self.api(user).get(path).status_code, 200)
        for user in [self.outsider, self.other_county_admin]:
            with self.subTest(user=user.username):
                response = self.api(user).get(path)
                self.assertEqual(response.status_code, 403, "the published plan is visible, its tracking is not")
                self.assertIn("跟踪权限", response.json()["detail"])

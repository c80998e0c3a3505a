"""PUT /api/reports/{id} and POST …/submit, …/approve, …/return: the workflow through the API, concurrency,
who may do what (403) and the history every change leaves behind."""

import datetime as dt

from django.utils import timezone

from kesu.api.tests.base import ApiTestCase
from kesu.notices.models import Notice
from kesu.tracking.models import Report, ReportingCycle, TargetValue, TrackingEvent


class ReportWorkflowApiTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.report = self.report_of(self.edu, "基础教育")
        self.target = self.report.task.targets.get()
        self.path = f"/api/reports/{self.report.pk}"

    def body(self, **changes) -> dict:
        self.report.refresh_from_db()
        return {"version": self.report.version, "progress": "in_progress", "summary": "开展科学教育活动12场",
                "values": [{"target_id": self.target.pk, "value": 60}]} | changes

    def submit(self, user=None):
        self.report.refresh_from_db()
        return self.api(user or self.edu_reporter).post(f"{self.path}/submit", {"version": self.report.version})

    def test_it_walks_a_report_through_save_submit_return_resubmit_and_approve(self):
        reporter, office = self.api(self.edu_reporter), self.api(self.county_admin)

        response = reporter.put(self.path, self.body())
        self.assertEqual(response.status_code, 200, response.content.decode())
        self.assertEqual((response.json()["state"], response.json()["summary"]), ("draft", "开展科学教育活动12场"))
        self.assertEqual(response.json()["values"][0]["value"], 60.0)
        self.assertEqual(TargetValue.objects.get(report=self.report).value, 60)

        response = self.submit()
        self.assertEqual((response.status_code, response.json()["state"]), (200, "submitted"))
        self.assertTrue(Notice.objects.filter(user=self.county_admin, title__contains="提交").exists())
        self.assertEqual(reporter.put(self.path, self.body(summary="提交后再改")).status_code, 409)

        for reason in ("", "   "):
            with self.subTest(reason=reason):
                self.assertEqual(office.post(f"{self.path}/return", {"reason": reason}).status_code, 422)
        self.assertEqual(office.post(f"{self.path}/return", {}).status_code, 422)
        self.report.refresh_from_db()
        self.assertEqual(self.report.state, "submitted", "a return without a reason is refused")

        response = office.post(f"{self.path}/return", {"reason": "请补充活动照片"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual((response.json()["state"], response.json()["return_reason"]), ("returned", "请补充活动照片"))
        self.assertTrue(Notice.objects.filter(user=self.edu_reporter, body__contains="请补充活动照片").exists())

        self.assertEqual(reporter.put(self.path, self.body(summary="补充了照片", progress="completed")).status_code, 200)
        self.assertEqual(self.submit().json()["state"], "submitted")
        response = office.post(f"{self.path}/approve")
        self.assertEqual(response.status_code, 200)
        self.assertEqual((response.json()["state"], response.json()["reviewed_by"]), ("approved", "county_admin"))

        response = reporter.put(self.path, self.body(summary="再改一次"))
        self.assertEqual(response.status_code, 409)
        self.assertIn("审核通过并锁定", response.json()["detail"])
        self.assertEqual(self.submit().status_code, 409)
        self.assertEqual(office.post(f"{self.path}/approve").status_code, 409)
        self.report.refresh_from_db()
        self.assertEqual((self.report.state, self.report.summary), ("approved", "补充了照片"))

        kinds = list(TrackingEvent.objects.filter(report=self.report).order_by("at", "id").values_list("kind", flat=True))
        self.assertEqual([k for k in kinds if k != "report_saved"],
                         ["report_submitted", "report_returned", "report_submitted", "report_approved"])

    def test_it_refuses_the_second_of_two_puts_with_the_same_version(self):
        first, second = self.body(summary="第一位填报员的内容"), self.body(summary="第二位填报员的内容", progress="behind")
        self.assertEqual(first["version"], second["version"])
        self.assertEqual(self.api(self.edu_reporter).put(self.path, first).status_code, 200)
        response = self.api(self.edu_reporter).put(self.path, second)
        self.assertEqual(response.status_code, 409)
        self.assertIn("已被他人修改", response.json()["detail"])
        self.report.refresh_from_db()
        self.assertEqual((self.report.summary, self.report.progress), ("第一位填报员的内容", "in_progress"))
        self.assertEqual(self.report.version, first["version"] + 1)

    def test_it_refuses_a_submit_with_a_stale_version(self):
        stale = self.body()["version"]
        self.api(self.edu_reporter).put(self.path, self.body(summary="新内容"))
        response = self.api(self.edu_reporter).post(f"{self.path}/submit", {"version": stale})
        self.assertEqual(response.status_code, 409)
        self.assertIn("已被他人修改", response.json()["detail"])
        self.assertIn("GET /api/reports/", response.json()["detail"], "the API says how to read it again, not a form's wording")
        self.report.refresh_from_db()
        self.assertEqual(self.report.state, "draft")

    def test_it_writes_history_with_the_actor_for_every_change(self):
        self.api(self.edu_reporter).put(self.path, self.body())
        self.api(self.edu_reporter).put(self.path, self.body(values=[{"target_id": self.target.pk, "value": 75.5}]))
        self.submit()
        self.api(self.county_admin).post(f"{self.path}/approve")
        events = TrackingEvent.objects.filter(report=self.report)
        saved = {(e.field, e.old, e.new): e.actor for e in events.filter(kind="report_saved")}
        self.assertEqual(saved[("工作进展", "", "开展科学教育活动12场")], self.edu_reporter)
        self.assertEqual(saved[("推进状态", "未启动", "推进中")], self.edu_reporter)
        self.assertEqual(saved[("目标值：学生科普活动参与率", "", "60")], self.edu_reporter)
        self.assertEqual(saved[("目标值：学生科普活动参与率", "60", "75.5")], self.edu_reporter)
        self.assertEqual(events.get(kind="report_submitted").actor, self.edu_reporter)
        self.assertEqual(events.get(kind="report_approved").actor, self.county_admin)
        self.assertTrue(all(e.at is not None and e.plan_id == self.plan.pk for e in events))

    def test_it_clears_a_value_sent_as_null_and_keeps_unlisted_ones(self):
        self.api(self.edu_reporter).put(self.path, self.body())
        self.api(self.edu_reporter).put(self.path, self.body(values=[]))
        self.assertEqual(TargetValue.objects.get(report=self.report).value, 60)
        self.api(self.edu_reporter).put(self.path, self.body(values=[{"target_id": self.target.pk, "value": None}]))
        self.assertFalse(TargetValue.objects.filter(report=self.report).exists())

    def test_it_refuses_values_that_do_not_fit(self):
        other_target = self.report_of(self.kx).task.targets.get()
        api = self.api(self.edu_reporter)
        response = api.put(self.path, self.body(values=[{"target_id": other_target.pk, "value": 5}]))
        self.assertEqual(response.status_code, 400)
        self.assertIn("不属于这项措施", response.json()["detail"])
        for values in ([{"target_id": self.target.pk, "value": -1}],
                       [{"target_id": self.target.pk, "value": 1}, {"target_id": self.target.pk, "value": 2}]):
            with self.subTest(values=values):
                self.assertEqual(api.put(self.path, self.body(values=values)).status_code, 422)
        self.assertEqual(api.put(self.path, self.body(progress="done")).status_code, 422)
        self.assertEqual(api.put(self.path, {"summary": "没有版本号", "progress": "behind"}).status_code, 422)
        body = self.body()
        body["sumary"] = body.pop("summary")
        self.assertEqual(api.put(self.path, body).status_code, 422, "a misspelt field must not save an empty summary")
        self.report.refresh_from_db()
        self.assertEqual((self.report.summary, self.report.version), ("", 1))

    def test_it_lets_only_the_own_units_reporter_save_and_submit(self):
        response = self.api(self.county_admin).put(self.path, self.body(summary="篡改"))
        self.assertEqual(response.status_code, 403, "the office sees the draft, but may not write it")
        self.assertIn("只有本单位填报员", response.json()["detail"])
        self.assertEqual(self.submit(self.county_admin).status_code, 403)
        for user in (self.kx_reporter, self.league_reporter, self.city_admin, self.city_leader, self.other_county_admin,
                     self.outsider):
            with self.subTest(user=user.username):
                self.assertEqual(self.api(user).put(self.path, self.body(summary="篡改")).status_code, 404)
        self.submit()
        for user in (self.city_leader, self.city_admin):
            with self.subTest(user=user.username, state="submitted"):
                self.assertEqual(self.api(user).put(self.path, self.body(summary="篡改")).status_code, 403,
                                 "a supervisor sees the submitted report, but may not change it")
        self.report.refresh_from_db()
        self.assertEqual(self.report.summary, "")

    def test_it_lets_only_the_plans_office_review(self):
        self.submit()
        for user in (self.edu_reporter, self.city_admin, self.city_leader, self.county_viewer):
            with self.subTest(user=user.username):
                response = self.api(user).post(f"{self.path}/approve")
                self.assertEqual(response.status_code, 403)
                self.assertIn("只有科协办公室", response.json()["detail"])
                self.assertEqual(self.api(user).post(f"{self.path}/return", {"reason": "不行"}).status_code, 403)
        for user in (self.kx_reporter, self.other_county_admin, self.outsider):
            with self.subTest(user=user.username):
                self.assertEqual(self.api(user).post(f"{self.path}/approve").status_code, 404)
        self.report.refresh_from_db()
        self.assertEqual(self.report.state, "submitted")

    def test_it_refuses_to_approve_a_draft(self):
        response = self.api(self.county_admin).post(f"{self.path}/approve")
        self.assertEqual(response.status_code, 409)
        self.assertIn("草稿", response.json()["detail"])

    def test_it_refuses_changes_once_the_cycle_is_locked(self):
        ReportingCycle.objects.filter(pk=self.cycle.pk).update(locks_at=timezone.now() - dt.timedelta(minutes=1))
        response = self.api(self.edu_reporter).put(self.path, self.body())
        self.assertEqual(response.status_code, 409)
        self.assertIn("已锁定", response.json()["detail"])
        self.assertFalse(self.api(self.edu_reporter).get(self.path).json()["editable"])
        self.assertEqual(Report.objects.get(pk=self.report.pk).version, 1)

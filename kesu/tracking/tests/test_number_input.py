"""Numbers typed into the assessment and the reports: NaN, Infinity and absurd values are refused with a Chinese
message naming the field and its range, nothing is stored, and the API keeps answering valid JSON."""

from __future__ import annotations

import json

from django.urls import reverse
from django.utils import timezone

from kesu.api.tests.base import ApiTestCase
from kesu.tracking import actions
from kesu.tracking.assessment import rubric_for
from kesu.tracking.models import ScoreAdjustment


def strict_json(response) -> dict:
    """JSON as a standard parser reads it: NaN and Infinity are not JSON."""
    def refuse(constant: str):
        raise ValueError(f"{constant} is not valid JSON")
    return json.loads(response.content, parse_constant=refuse)


class RubricPointsTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.year = timezone.localdate().year
        self.rubric = rubric_for(self.plan, self.year)
        self.login(self.county_admin)

    def save_rubric(self, points: list[str]):
        items = list(self.rubric.items.all())
        return self.client.post(reverse("tracking-rubric", args=[self.plan.pk, self.year]), {
            "version": self.rubric.version, "label": [i.label for i in items], "kind": [i.kind for i in items],
            "points": points,
        }, follow=True)

    def test_nan_infinity_and_absurd_points_are_refused_and_the_api_stays_valid_json(self):
        before = [i.points for i in self.rubric.items.all()]
        for bad in ("nan", "NaN", "inf", "-Infinity", "1e309", "1000000", "-5", "abc"):
            response = self.save_rubric([bad] + [str(p) for p in before[1:]])
            self.assertContains(response, "“按时报送的分值”应为 0 至 1000 之间的数字（分）。", msg_prefix=bad)
            self.assertEqual([i.points for i in self.rubric.items.all()], before, bad)
        scores = self.api(self.county_admin).get(f"/api/plans/{self.plan.pk}/scores", year=self.year)
        self.assertEqual(scores.status_code, 200)
        self.assertEqual([i["points"] for i in strict_json(scores)["rubric"]], before)

    def test_sensible_points_are_saved(self):
        response = self.save_rubric(["25", "35.5", "30", "10"])
        self.assertContains(response, "考核细则已保存")
        self.assertEqual([i.points for i in self.rubric.items.all()], [25, 35.5, 30, 10])

    def test_the_action_refuses_nan_even_when_called_directly(self):
        with self.assertRaisesMessage(actions.ScoreRefused, "应为 0 至 1000 之间的数字"):
            actions.do_save_rubric(self.rubric, self.county_admin, self.rubric.version, [("manual", "加分", float("nan"))])

    def test_an_adjustment_of_infinity_is_refused(self):
        url = reverse("tracking-adjust", args=[self.plan.pk, self.year])
        for bad in ("inf", "1e6"):
            self.client.post(url, {"unit": self.kx.pk, "delta": bad, "reason": "测试"})
        self.assertFalse(ScoreAdjustment.objects.exists())
        with self.assertRaisesMessage(actions.ScoreRefused, "“加减分”应为 -1000 至 1000 之间的数字（分）"):
            actions.do_adjust_score(self.rubric, self.kx, self.county_admin, 1e300, "测试")

    def test_a_malformed_rubric_form_is_a_bad_request_not_a_server_error(self):
        url = reverse("tracking-rubric", args=[self.plan.pk, self.year])
        self.client.raise_request_exception = False
        self.assertEqual(self.client.post(url, {"label": ["a", "b"], "kind": ["manual"], "points": ["1"]}).status_code, 400)
        self.assertEqual(self.client.post(url, {"version": "9" * 30, "label": "a", "kind": "manual",
                                                "points": "1"}).status_code, 400)


class ReportValueTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.report = self.report_of(self.edu, "基础教育")
        self.target = self.report.task.targets.get()

    def test_the_report_form_refuses_an_absurd_value_naming_the_indicator(self):
        self.login(self.edu_reporter)
        response = self.client.post(reverse("tracking-report", args=[self.report.pk]), {
            "version": self.report.version, "progress": "in_progress", "summary": "开展了活动",
            f"target_{self.target.pk}": "1e300",
        })
        self.assertContains(response, "“学生科普活动参与率”应为 0 至 1 万亿 之间的数字。", status_code=400)
        self.assertFalse(self.report.values.exists())

    def test_the_api_refuses_nan_infinity_and_absurd_values_in_chinese(self):
        path = f"/api/reports/{self.report.pk}"
        for bad in ("NaN", "Infinity", "1e400", "1e13"):
            body = ('{"version": 1, "progress": "in_progress", "summary": "", '
                    f'"values": [{{"target_id": {self.target.pk}, "value": {bad}}}]}}')
            response = self.client.put(path, body, content_type="application/json",
                                       headers={"Authorization": f"Bearer {self.key_for(self.edu_reporter)}"})
            self.assertEqual(response.status_code, 422, body)
            error = strict_json(response)["detail"][0]
            self.assertEqual(error["loc"][-1], "value")
            self.assertRegex(error["msg"], "[\u4e00-\u9fff]")
        self.assertFalse(self.report.values.exists())

    def test_the_api_answers_a_huge_version_and_a_broken_body_in_chinese(self):
        headers = {"Authorization": f"Bearer {self.key_for(self.edu_reporter)}"}
        path = f"/api/reports/{self.report.pk}"
        huge = self.client.put(path, '{"version": 99999999999999999999999, "progress": "in_progress", "summary": ""}',
                               content_type="application/json", headers=headers)
        self.assertEqual(huge.status_code, 422)
        self.assertEqual(strict_json(huge)["detail"][0]["loc"][-1], "version")
        broken = self.client.put(path, "{not json", content_type="application/json", headers=headers)
        self.assertEqual(broken.status_code, 400)
        self.assertRegex(strict_json(broken)["detail"], "[\u4e00-\u9fff]")

    def test_the_action_refuses_an_absurd_value(self):
        with self.assertRaisesMessage(actions.workflow.MoveRefused, "学生科普活动参与率"):
            actions.do_save_report(self.report, self.edu_reporter, self.report.version, "in_progress", "",
                                   {self.target.pk: 1e300})

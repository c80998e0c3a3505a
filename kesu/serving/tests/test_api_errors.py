"""The API answers JSON with Chinese text for every error: an integrating system never gets an HTML page,
a bodiless answer or pydantic's English."""

from __future__ import annotations

from django.test import Client, override_settings

from kesu.api.tests.base import ApiTestCase
from kesu.serving.tests.test_error_pages import database_down


class ApiErrorAnswersTest(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.headers = {"Authorization": f"Bearer {self.key_for(self.county_admin)}"}

    def detail(self, response, status: int):
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        return response.json()["detail"]

    def test_an_unknown_api_address_is_a_json_404(self):
        self.assertEqual(self.detail(self.client.get("/api/nothing/here", headers=self.headers), 404), "没有找到")

    def test_a_method_the_operation_does_not_take_is_a_json_405(self):
        response = self.client.delete("/api/plans", headers=self.headers)
        self.assertEqual(self.detail(response, 405), "接口不支持该请求方法")
        self.assertIn("GET", response["Allow"])

    def test_an_invalid_parameter_is_explained_in_chinese(self):
        errors = self.detail(self.client.get("/api/plans", {"limit": "abc"}, headers=self.headers), 422)
        self.assertEqual(errors, [{"type": "int_parsing", "loc": ["query", "limit"], "msg": "应为整数"}])
        errors = self.detail(self.client.get("/api/plans", {"limit": "0"}, headers=self.headers), 422)
        self.assertEqual(errors[0]["msg"], "不能小于 1")

    def test_a_missing_body_field_and_a_bad_value_are_explained_in_chinese(self):
        report = self.report_of(self.edu, "基础教育")
        api = self.api(self.edu_reporter)
        errors = self.detail(api.put(f"/api/reports/{report.pk}", {"summary": "没有版本号", "progress": "behind"}), 422)
        self.assertIn({"type": "missing", "loc": ["body", "data", "version"], "msg": "缺少该参数"}, errors)
        for error in errors:
            self.assertRegex(error["msg"], r"[\u4e00-\u9fff]", error)

    def test_a_body_that_is_not_json_is_a_chinese_400(self):
        report = self.report_of(self.edu, "基础教育")
        response = self.client.put(f"/api/reports/{report.pk}", "{not json", content_type="application/json",
                                   headers={"Authorization": f"Bearer {self.key_for(self.edu_reporter)}"})
        self.assertEqual(self.detail(response, 400), "请求格式不正确")

    def test_the_database_being_down_is_a_json_503(self):
        with database_down():
            response = self.client.get("/api/plans", headers=self.headers)
        self.assertEqual(self.detail(response, 503), "数据库暂时不可用，请稍后再试")

    @override_settings(ROOT_URLCONF="kesu.serving.tests.urls")
    def test_a_bug_under_api_is_a_json_500(self):
        with self.assertLogs("django.request", "ERROR"):
            response = Client(raise_request_exception=False).get("/api/broken/")
        self.assertEqual(self.detail(response, 500), "服务器内部错误，请稍后再试")

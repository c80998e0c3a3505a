"""With debug off (as in production and under pytest), every error a user can meet is a Chinese page, and one
that needs nothing: no database, no signed-in user."""

from __future__ import annotations

from unittest import mock

from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.template import loader
from django.test import Client, override_settings

from kesu.testing import BaseTestCase

ENGLISH = ("Forbidden", "Not Found", "Bad Request", "Server Error", "CSRF", "Method Not Allowed")


def database_down():
    """Every new query fails as when PostgreSQL is stopped (the real server is left alone)."""
    return mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=OperationalError("connection refused"))


class ErrorPageTestCase(BaseTestCase):
    def assertChinesePage(self, response, status: int, text: str) -> None:
        self.assertEqual(response.status_code, status)
        self.assertTrue(response["Content-Type"].startswith("text/html"), response["Content-Type"])
        body = response.content.decode()
        self.assertIn(text, body)
        self.assertIn('lang="zh-CN"', body)
        for english in ENGLISH:
            self.assertNotIn(english, body)


class ChineseErrorPagesTest(ErrorPageTestCase):
    def test_a_volunteer_link_refused_to_a_reporter_shows_the_chinese_403_with_its_reason(self):
        self.login(self.outsider)
        response = self.client.get("/service/teams/")
        self.assertChinesePage(response, 403, "您没有权限查看或办理这项内容")
        self.assertIn("您没有查看服务队的权限", response.content.decode())

    def test_an_unknown_address_shows_the_chinese_404(self):
        self.login(self.county_admin)
        self.assertChinesePage(self.client.get("/no-such-page/"), 404, "没有找到这个页面")

    def test_a_missing_object_shows_the_chinese_404_without_djangos_english_message(self):
        self.login(self.county_admin)
        response = self.client.get("/plans/999999/")
        self.assertChinesePage(response, 404, "没有找到这个页面")
        self.assertNotIn("matches the given query", response.content.decode())

    def test_a_request_for_another_host_shows_the_chinese_400(self):
        self.assertChinesePage(self.client.get("/", HTTP_HOST="evil.example"), 400, "请求有误")

    def test_opening_a_post_only_address_shows_the_chinese_405(self):
        self.login(self.county_admin)
        self.assertChinesePage(self.client.get("/accounts/logout/"), 405, "这个地址不能这样访问")

    def test_a_form_without_its_csrf_token_is_explained_in_chinese(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post("/accounts/login/", {"username": "county_admin", "password": "x"})
        self.assertChinesePage(response, 403, "页面已过期")
        self.assertIn("您填写的内容尚未保存", response.content.decode())


@override_settings(ROOT_URLCONF="kesu.serving.tests.urls")
class ServerErrorPagesTest(ErrorPageTestCase):
    def setUp(self) -> None:
        self.client = Client(raise_request_exception=False)

    def test_a_bug_shows_the_chinese_500_page(self):
        with self.assertLogs("django.request", "ERROR") as logged:
            response = self.client.get("/broken/")
        self.assertChinesePage(response, 500, "服务器出错了")
        self.assertIn("a bug in a view", "\n".join(logged.output), "the traceback is logged")

    def test_the_500_page_needs_neither_request_nor_database(self):
        with database_down():
            body = loader.get_template("500.html").render({})
        self.assertIn("服务器出错了", body)

    def test_the_database_being_down_shows_the_chinese_503_page(self):
        self.login(self.county_admin)
        with database_down(), self.assertLogs("django.request", "ERROR"):
            response = self.client.get("/")
        self.assertChinesePage(response, 503, "数据库暂时不可用，请稍后再试")

    def test_a_database_error_raised_by_a_view_is_a_503_too(self):
        with self.assertLogs("django.request", "ERROR"):
            self.assertChinesePage(self.client.get("/database-gone/"), 503, "数据库暂时不可用")

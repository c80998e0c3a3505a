"""Every refusal reaches an API client the same way: one handler answers its status with its Chinese message."""

from __future__ import annotations

from django.test import SimpleTestCase
from ninja import NinjaAPI
from ninja.testing import TestClient

from kesu.api.errors import install_error_handlers
from kesu.domain.dispatch import MoveRefused as OrderMoveRefused
from kesu.domain.refusals import Refused
from kesu.infra.zipcheck import ZipRefused


class TooLarge(Refused):
    status = 413


def _client_raising(error: Exception) -> TestClient:
    api = NinjaAPI(urls_namespace=f"refusals-{id(error)}")
    install_error_handlers(api)

    @api.get("/")
    def refuse(request):
        raise error

    return TestClient(api)


class RefusalAnswerTests(SimpleTestCase):
    def test_a_refusal_answers_409_with_its_message(self):
        response = _client_raising(OrderMoveRefused("服务单已办结，不能再派单。")).get("/")
        self.assertEqual((response.status_code, response.json()), (409, {"detail": "服务单已办结，不能再派单。"}))

    def test_a_refusal_with_a_declared_status_answers_that_status(self):
        response = _client_raising(TooLarge("文件“名单.xlsx”超过 10 MB 的上限。", field="file")).get("/")
        self.assertEqual((response.status_code, response.json()), (413, {"detail": "文件“名单.xlsx”超过 10 MB 的上限。"}))

    def test_a_refusal_without_a_message_still_answers_in_chinese(self):
        response = _client_raising(Refused()).get("/")
        self.assertEqual(response.status_code, 409)
        self.assertRegex(response.json()["detail"], r"[\u4e00-\u9fff]")

    def test_a_refusal_that_is_also_a_value_error_is_answered_as_a_refusal(self):
        response = _client_raising(ZipRefused("“方案.docx”解压后超过 50 MB。")).get("/")
        self.assertEqual((response.status_code, response.json()["detail"]), (409, "“方案.docx”解压后超过 50 MB。"))

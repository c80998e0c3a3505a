"""API tests start from the tracking fixture (襄汾县's small plan with an open quarterly cycle and three unit
reporters) and give every actor a token; `self.api(user).get(...)` sends requests as that user."""

from __future__ import annotations

import json

from django.test import Client

from kesu.api.actions import do_create_api_token
from kesu.api.models import ApiToken
from kesu.tracking.tests.base import TrackingTestCase


class TokenClient:
    """Django's test client with `Authorization: Bearer <key>` on every request and JSON bodies."""

    def __init__(self, client: Client, key: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {key}"} if key is not None else {}

    def get(self, path: str, **params):
        return self.client.get(path, params, headers=self.headers)

    def _send(self, method: str, path: str, body: dict | None):
        data = json.dumps(body if body is not None else {}, ensure_ascii=False)
        return getattr(self.client, method)(path, data, content_type="application/json", headers=self.headers)

    def put(self, path: str, body: dict | None = None):
        return self._send("put", path, body)

    def post(self, path: str, body: dict | None = None):
        return self._send("post", path, body)


class ApiTestCase(TrackingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.keys: dict[int, str] = {}
        # A second county with its own unpublished plan: nobody in 襄汾县 may see it.
        self.other_plan = self.import_plan(jurisdiction=self.other_county, sha="sha-other")

    def key_for(self, user) -> str:
        """A read-write key of the user's, issued once per test."""
        if user.pk not in self.keys:
            self.keys[user.pk] = self.issue(user, "测试")[1]
        return self.keys[user.pk]

    def issue(self, user, name: str, scope: str = ApiToken.Scope.READ_WRITE, days: int = 365) -> tuple[ApiToken, str]:
        return do_create_api_token(user, user, name=name, scope=scope, days=days)

    def api(self, user=None, key: str | None = None) -> TokenClient:
        return TokenClient(self.client, key if user is None else self.key_for(user))

    def ids(self, response) -> list[int]:
        self.assertEqual(response.status_code, 200, response.content.decode())
        return [item["id"] for item in response.json()["items"]]

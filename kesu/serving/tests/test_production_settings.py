"""Production settings: debug off unless asked for, every secret required, one switch for serving behind an
HTTPS proxy, and `kesu check --deploy` clean with the documented settings (deploy/kesu.env)."""

from __future__ import annotations

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

from cryptography.fernet import Fernet
from django.conf import settings
from django.test import Client, SimpleTestCase, override_settings

from kesu.settings import https_origins
from kesu.testing import PASSWORD, BaseTestCase

ENV_FILE = Path(settings.PROJECT_DIR) / "deploy" / "kesu.env"
HOST = "kesu.example.gov.cn"


def documented_environment() -> dict[str, str]:
    """deploy/kesu.env as an operator fills it in: its CHANGE-ME secrets replaced by generated ones."""
    env = {}
    for line in ENV_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    env["KESU_SECRET_KEY"] = secrets.token_urlsafe(50)
    env["KESU_FIELD_KEY"] = Fernet.generate_key().decode()
    return env


def clean_env() -> dict[str, str]:
    """An environment with none of Kesu's settings, and the production settings module."""
    return {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"),
            "DJANGO_SETTINGS_MODULE": "kesu.settings"}


def kesu(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """The `kesu` command with only the settings `env` gives."""
    return subprocess.run([sys.executable, "-m", "kesu.cli", *args], env=clean_env() | env, capture_output=True,
                          text=True, timeout=120, cwd=settings.PROJECT_DIR)


def settings_with(**env: str) -> dict:
    """kesu/settings.py evaluated afresh with these environment variables (and nothing else of Kesu's)."""
    clean = {name: value for name, value in os.environ.items() if not name.startswith("KESU_")}
    with mock.patch.dict(os.environ, clean | env, clear=True):
        namespace = runpy.run_path(str(Path(settings.BASE_DIR) / "settings.py"))
    return {name: value for name, value in namespace.items() if name.isupper()}


class DeployCheckTest(SimpleTestCase):
    def test_the_documented_production_settings_pass_check_deploy_without_a_warning(self):
        result = kesu("check", "--deploy", "--fail-level", "WARNING", env=documented_environment())
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.assertIn("System check identified no issues", result.stdout)

    def test_without_the_https_proxy_switch_check_deploy_warns(self):
        env = documented_environment()
        del env["KESU_HTTPS_PROXY"]
        result = kesu("check", "--deploy", "--fail-level", "WARNING", env=env)
        self.assertNotEqual(result.returncode, 0)
        for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
            self.assertIn(check, result.stderr)

    def test_debug_is_off_unless_asked_for_so_the_secrets_are_required(self):
        result = kesu("check", env={})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("KESU_SECRET_KEY must be set", result.stderr)
        self.assertIs(settings_with(KESU_DEBUG="true")["DEBUG"], True)
        self.assertIs(settings_with(KESU_SECRET_KEY="s", KESU_FIELD_KEY="f")["DEBUG"], False)

    def test_the_field_key_is_its_own_required_secret(self):
        result = kesu("check", env={"KESU_SECRET_KEY": secrets.token_urlsafe(50)})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("KESU_FIELD_KEY must be set", result.stderr)

    def test_trusted_origins_come_from_the_allowed_hosts_and_the_site_address(self):
        self.assertEqual(
            https_origins(["kesu.example.gov.cn", ".linfen.gov.cn", "*"], "https://kesu.example.gov.cn:8443/"),
            ["https://kesu.example.gov.cn", "https://*.linfen.gov.cn", "https://kesu.example.gov.cn:8443"],
        )


class BehindHttpsProxyTest(BaseTestCase):
    """nginx ends TLS and forwards plain HTTP with X-Forwarded-Proto: https (deploy/nginx/kesu.conf)."""

    env = {"KESU_SECRET_KEY": "x" * 50, "KESU_FIELD_KEY": "f", "KESU_ALLOWED_HOSTS": HOST,
           "KESU_SITE_URL": f"https://{HOST}"}

    def proxied(self, https_proxy: bool):
        """The settings KESU_HTTPS_PROXY changes, applied to this test, and a client that checks CSRF."""
        without = settings_with(**self.env, KESU_HTTPS_PROXY="false")
        chosen = settings_with(**self.env, KESU_HTTPS_PROXY=str(https_proxy).lower())
        changed = {name for name in set(chosen) | set(without) if chosen.get(name) != without.get(name)}
        overrides = {name: chosen[name] for name in changed if name in chosen} | {"ALLOWED_HOSTS": [HOST]}
        return override_settings(**overrides)

    def sign_in(self) -> object:
        client = Client(enforce_csrf_checks=True, HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
        page = client.get("/accounts/login/")
        token = page.cookies["csrftoken"].value
        return client.post("/accounts/login/", {"username": "county_admin", "password": PASSWORD,
                                                "csrfmiddlewaretoken": token},
                           HTTP_ORIGIN=f"https://{HOST}", HTTP_REFERER=f"https://{HOST}/accounts/login/")

    def test_without_the_switch_every_post_behind_the_proxy_is_refused(self):
        with self.proxied(https_proxy=False):
            self.assertEqual(self.sign_in().status_code, 403)

    def test_with_the_switch_a_user_signs_in_through_the_proxy(self):
        with self.proxied(https_proxy=True):
            response = self.sign_in()
        self.assertEqual((response.status_code, response["Location"]), (302, "/"))
        self.assertTrue(response.cookies["sessionid"]["secure"])
        self.assertIn("max-age=31536000", response["Strict-Transport-Security"])

    def test_with_the_switch_plain_http_is_redirected_to_https(self):
        with self.proxied(https_proxy=True):
            response = Client(HTTP_HOST=HOST).get("/accounts/login/")
        self.assertEqual((response.status_code, response["Location"]), (301, f"https://{HOST}/accounts/login/"))

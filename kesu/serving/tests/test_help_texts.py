"""Every named HTML page has a short help text in the one registry, shown as a collapsible 本页说明."""

from __future__ import annotations

import inspect

from django.test import SimpleTestCase
from django.urls import reverse

from kesu.serving.help_texts import HELP_TEXTS
from kesu.testing import BaseTestCase
from kesu.tests.test_url_fuzz import _sources, routes

# Class-based pages whose rendering is not in a function's source.
CLASS_PAGES = {"login"}


def _post_only(callback) -> bool:
    """Wrapped by require_POST / require_http_methods(["POST"]) (its closure holds the allowed methods)."""
    function = callback
    while function is not None:
        for cell in getattr(function, "__closure__", None) or ():
            try:
                if cell.cell_contents == ["POST"]:
                    return True
            except ValueError:  # an empty cell
                continue
        function = getattr(function, "__wrapped__", None)
    return False


def html_page_names() -> set[str]:
    """Named routes (Django's admin and the JSON API left out) whose view renders a template on GET."""
    names = set(CLASS_PAGES)
    for route, pattern in routes():
        if route.startswith(("admin/", "api/")) or not pattern.name:
            continue
        view = inspect.unwrap(pattern.callback)
        if not inspect.isfunction(view) or _post_only(pattern.callback):
            continue
        if "render(" in "\n".join(_sources(view)):
            names.add(pattern.name)
    return names


class HelpRegistryTests(SimpleTestCase):
    def test_every_named_html_page_has_a_help_text(self):
        pages = html_page_names()
        self.assertIn("plan-overview", pages)
        self.assertNotIn("plan-export-json", pages)
        missing = sorted(pages - set(HELP_TEXTS))
        self.assertEqual(missing, [], f"页面缺少帮助文字（kesu/serving/help_texts.py）：{missing}")

    def test_the_registry_names_only_real_pages_with_chinese_texts(self):
        names = {pattern.name for _, pattern in routes() if pattern.name}
        self.assertEqual(sorted(set(HELP_TEXTS) - names), [])
        for name, text in HELP_TEXTS.items():
            self.assertTrue(10 <= len(text) <= 200, name)


class HelpShownTests(BaseTestCase):
    def test_the_page_shows_its_help_collapsed(self):
        plan = self.import_plan()
        self.login(self.county_admin)
        response = self.client.get(reverse("plan-matrix", args=[plan.pk]))
        self.assertContains(response, '<details class="page-help"><summary>本页说明</summary>')
        self.assertContains(response, HELP_TEXTS["plan-matrix"])

    def test_the_sign_in_page_has_help_too(self):
        self.assertContains(self.client.get(reverse("login")), "本页说明")

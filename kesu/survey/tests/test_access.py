"""Permissions, checked on the server for every survey URL: another jurisdiction's runs, figures, files and
uploads are 404 by direct URL; readers (viewers, supervisors above) cannot upload or record."""

from __future__ import annotations

from django.urls import reverse

from kesu.survey.actions import do_record_official
from kesu.survey.models import LiteracyFigure, SurveyRun, SurveyUpload
from kesu.survey.templatetags.survey_format import percent_number
from kesu.survey.tests.base import SurveyTestCase


class AccessTests(SurveyTestCase):
    def setUp(self) -> None:
        self.run = self.finished_run()  # 襄汾县, by county_admin
        self.client.post(reverse("survey-run-record", args=[self.run.pk]))
        self.figure = LiteracyFigure.objects.get()
        self.official, _ = do_record_official(
            self.county, self.county_admin, year=2020, value=9.8, se=None, ci_low=None, ci_high=None, source="省科协"
        )
        self.client.post(reverse("survey-upload", args=[self.county.pk]), self.wizard_data())
        self.pending = SurveyUpload.objects.get()
        self.client.logout()

    def read_urls(self) -> list[str]:
        run, county = self.run.pk, self.county.pk
        return [
            reverse("survey-home", args=[county]),
            reverse("survey-trend", args=[county]),
            reverse("survey-run", args=[run]),
            reverse("survey-run-status", args=[run]),
            reverse("survey-run-xlsx", args=[run]),
        ]

    def file_urls(self) -> list[str]:
        return [reverse("survey-run-file", args=[self.run.pk, kind]) for kind in ("responses", "margins")]

    def change_requests(self) -> list[tuple[str, str]]:
        run, county = self.run.pk, self.county.pk
        return [
            ("get", reverse("survey-upload", args=[county])),
            ("post", reverse("survey-upload", args=[county])),
            ("get", reverse("survey-figure-new", args=[county])),
            ("post", reverse("survey-figure-new", args=[county])),
            ("post", reverse("survey-run-record", args=[run])),
            ("post", reverse("survey-run-requeue", args=[run])),
            ("post", reverse("survey-run-cancel", args=[run])),
            ("post", reverse("survey-run-delete", args=[run])),
            ("post", reverse("survey-figure-delete", args=[self.official.pk])),
        ]

    def upload_urls(self) -> list[str]:
        pk = self.pending.pk
        return [
            reverse("survey-upload-preview", args=[pk]),
            reverse("survey-upload-status", args=[pk]),
            reverse("survey-upload-problems", args=[pk]),
        ]

    def assertUnchanged(self) -> None:
        self.assertEqual(SurveyRun.objects.count(), 1)
        self.assertEqual(SurveyUpload.objects.count(), 1)
        self.assertEqual(LiteracyFigure.objects.count(), 2)
        self.assertEqual(SurveyRun.objects.get().status, "done")

    def test_it_hides_everything_of_another_county(self) -> None:
        for user in (self.other_county_admin, self.outsider):
            self.login(user)
            for url in self.read_urls() + self.file_urls() + self.upload_urls():
                self.assertEqual(self.client.get(url).status_code, 404, (user, url))
            for method, url in self.change_requests():
                self.assertEqual(getattr(self.client, method)(url).status_code, 404, (user, url))
            self.assertEqual(self.client.post(self.upload_urls()[0], {"action": "skip"}).status_code, 404)
            self.assertEqual(self.client.post(self.upload_urls()[0], {"action": "cancel"}).status_code, 404)
            self.assertEqual(self.client.post(self.upload_urls()[0], {"action": "retry"}).status_code, 404)
        self.assertUnchanged()
        self.assertNotContains(self.client.get(reverse("survey-index")), "襄汾县")

    def test_it_lets_a_viewer_read_but_not_upload_or_record(self) -> None:
        self.login(self.county_viewer)
        for url in self.read_urls():
            self.assertEqual(self.client.get(url).status_code, 200, url)
        for method, url in self.change_requests():
            self.assertEqual(getattr(self.client, method)(url).status_code, 403, url)
        for url in self.file_urls():  # respondent-level data is for office admins
            self.assertEqual(self.client.get(url).status_code, 403, url)
        for url in self.upload_urls():  # someone else's pending upload
            self.assertEqual(self.client.get(url).status_code, 404, url)
        response = self.client.post(reverse("survey-upload", args=[self.county.pk]), self.wizard_data())
        self.assertEqual(response.status_code, 403)
        page = self.client.get(reverse("survey-run", args=[self.run.pk]))
        self.assertNotContains(page, "记录为2024年")
        self.assertNotContains(page, "上传调查数据")
        self.assertUnchanged()

    def test_it_lets_the_city_read_its_counties_but_change_only_its_own(self) -> None:
        self.login(self.city_leader)
        for url in self.read_urls():
            self.assertEqual(self.client.get(url).status_code, 200, url)
        for method, url in self.change_requests():
            self.assertEqual(getattr(self.client, method)(url).status_code, 403, url)
        self.login(self.city_admin)
        for url in self.read_urls() + self.file_urls():
            self.assertEqual(self.client.get(url).status_code, 200, url)
        self.assertEqual(self.client.post(reverse("survey-run-record", args=[self.run.pk])).status_code, 403)
        self.assertEqual(self.client.get(reverse("survey-upload", args=[self.city.pk])).status_code, 200)
        index = self.client.get(reverse("survey-index"))
        self.assertContains(index, "襄汾县")
        self.assertContains(index, "乡宁县")
        self.assertNotContains(index, "山西省")
        home = self.client.get(reverse("survey-home", args=[self.city.pk]))
        self.assertContains(home, "下辖地区")
        self.assertContains(home, percent_number(self.figure.value))  # the county's latest: the 2024 estimate
        self.assertUnchanged()

    def test_it_serves_the_stored_files_to_the_office_only_through_the_checked_view(self) -> None:
        self.login(self.county_admin)
        response = self.client.get(reverse("survey-run-file", args=[self.run.pk, "responses"]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("edge_responses.csv", response["Content-Disposition"])
        self.assertTrue(b"".join(response.streaming_content).startswith(b"id,stratum,psu,weight"))
        self.assertEqual(self.client.get(reverse("survey-run-file", args=[self.run.pk, "covariates"])).status_code, 404)
        self.assertEqual(self.client.get(reverse("survey-run-file", args=[self.run.pk, "result"])).status_code, 404)
        self.assertTrue(str(self.run.responses_file.url).startswith("/media-not-served/"))

    def test_it_sends_anonymous_visitors_to_the_login_page(self) -> None:
        for url in self.read_urls() + [reverse("survey-index")]:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn("/accounts/login/", response["Location"])

"""GET /api/jurisdictions/{id}/funding and …/funding/areas: the page's figures with their rules, the allocation lines,
the areas below side by side; read as the pages allow (office, leaders/viewers, levels above), 404 in Chinese for
anyone else — another county's token included; read-only tokens suffice."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.api.actions import do_create_api_token
from kesu.api.models import ApiToken
from kesu.api.tests.base import TokenClient
from kesu.domain import funding_rules as rules
from kesu.funding import actions
from kesu.funding.tests.base import FundingTestCase, year_data

PDF = b"%PDF-1.4 api"


class FundingApiTests(FundingTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        actions.do_save_funding_year(cls.county, cls.year, cls.county_admin, 0, year_data())
        actions.do_set_standard(cls.city, cls.year, cls.city_admin, "2", 0)
        line = actions.do_add_line(cls.county, cls.year, cls.county_admin, {
            "project": "全国科普日主场活动", "content": "主场", "unit": cls.kx, "task": None, "planned": "20"})
        actions.do_record_spending(line, cls.county_admin, dt.date(cls.year, 1, 10), "6", "场地布置",
                                   [SimpleUploadedFile("发票.pdf", PDF)])
        cls.line = line

    def api(self, user) -> TokenClient:
        key = do_create_api_token(user, user, name="对接", scope=ApiToken.Scope.READ, days=30)[1]
        return TokenClient(self.client, key)

    def url(self, jurisdiction=None, tail: str = "") -> str:
        return f"/api/jurisdictions/{(jurisdiction or self.county).pk}/funding{tail}"

    def test_the_year_gives_each_figure_with_its_rule_and_the_lines(self):
        response = self.api(self.county_admin).get(self.url(), year=self.year)
        self.assertEqual(response.status_code, 200, response.content.decode())
        data = response.json()
        self.assertEqual((data["jurisdiction"]["name"], data["year"], data["entered"]), ("襄汾县", self.year, True))
        self.assertEqual(data["amounts"]["special_received"], "76.00")
        self.assertEqual(data["special"], {"value": "76.00", "basis": "到位数"})
        self.assertEqual(data["per_capita"], {"value": "1.90", "missing": "", "rule": rules.PER_CAPITA_RULE})
        self.assertEqual(data["growth"]["value"], 0.2667)  # 76 over last year's 60
        self.assertEqual(data["growth"]["rule"], rules.GROWTH_RULE)
        self.assertEqual(data["growth"]["verdict"]["state"], "met")
        self.assertEqual(data["received_rate"]["value"], 0.95)
        self.assertEqual((data["execution"]["value"], data["execution"]["spent"], data["execution"]["rule"]),
                         (0.3, "6.00", rules.EXECUTION_RULE))
        self.assertEqual((data["standard"]["value"], data["standard"]["source"], data["standard"]["verdict"]["state"]),
                         ("2.00", f"临汾市设定（{self.year}年）", "not_met"))
        self.assertEqual(data["standard"]["rule"], rules.STANDARD_RULE)
        self.assertEqual(data["shares"], [{"section": "未关联措施", "planned": "20.00", "share": 1.0}])
        [line] = data["lines"]
        self.assertEqual((line["project"], line["unit"]["name"], line["planned"], line["spent"], line["execution"],
                          line["entries"]), ("全国科普日主场活动", "县科协", "20.00", "6.00", 0.3, 1))

    def test_a_year_not_entered_says_why_each_figure_is_missing(self):
        data = self.api(self.county_admin).get(self.url(), year=self.year - 3).json()
        self.assertEqual((data["entered"], data["amounts"], data["lines"]), (False, None, []))
        self.assertEqual(data["per_capita"]["missing"], rules.NO_POPULATION)
        self.assertTrue(data["growth"]["missing"].startswith("无法计算"))

    def test_the_year_defaults_to_this_year_and_bad_years_are_refused(self):
        client = self.api(self.county_admin)
        self.assertEqual(client.get(self.url()).json()["year"], self.year)
        for year in ("1999", "abc", "2101"):
            self.assertEqual(client.get(self.url(), year=year).status_code, 422, year)
        self.assertEqual(client.get(self.url(), yaer=self.year).status_code, 422)

    def test_areas_below_side_by_side(self):
        data = self.api(self.city_leader).get(self.url(self.city, "/areas"), year=self.year).json()
        self.assertEqual(data["own"]["jurisdiction"]["name"], "临汾市")
        areas = {a["jurisdiction"]["name"]: a for a in data["areas"]}
        self.assertEqual(set(areas), {"襄汾县", "乡宁县"})
        self.assertEqual((areas["襄汾县"]["per_capita"], areas["襄汾县"]["standard_verdict"]["state"], areas["襄汾县"]["depth"]),
                         ("1.90", "not_met", 1))
        self.assertEqual((areas["乡宁县"]["entered"], areas["乡宁县"]["per_capita"]), (False, None))
        self.assertIn(rules.PER_CAPITA_RULE, data["rules"])

    def test_who_may_read(self):
        for user in (self.county_admin, self.county_viewer, self.city_admin, self.city_leader):
            client = self.api(user)
            for tail in ("", "/areas"):
                self.assertEqual(client.get(self.url(tail=tail)).status_code, 200, (user.username, tail))
        for user in (self.other_county_admin, self.edu_reporter, self.outsider):
            client = self.api(user)
            for tail in ("", "/areas"):
                response = client.get(self.url(tail=tail))
                self.assertEqual(response.status_code, 404, (user.username, tail))
                self.assertEqual(response.json()["detail"], "没有找到该地区，或您无权查看其科普经费。")
        county = self.api(self.county_admin)
        self.assertEqual(county.get(self.url(self.city)).status_code, 404)  # not the level above
        self.assertEqual(county.get(self.url(self.other_county)).status_code, 404)
        self.assertEqual(TokenClient(self.client, None).get(self.url()).status_code, 401)
        self.assertEqual(self.client.get("/api/openapi.json").status_code, 200)

"""The home page is a to-do list per role (issue 10, item 4): each block counts what the person must do now, its
numbers agree with the page it links to, and the menu shows only what the role can open (a refusal is Chinese).

Actors: BaseTestCase's offices and leaders, the service actors of ServiceTestCase (古城镇 officer, 县科协 claimer,
team admins), and unit reporters of 县教科局 and 团县委 with an open quarterly cycle.
"""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from kesu.org.models import Membership
from kesu.tracking import actions as tracking
from kesu.tracking.models import Report
from kesu.volunteering.tests.base import ServiceTestCase

MENU = re.compile(r'<header class="topbar">(.*?)</header>', re.S)
HREF = re.compile(r'href="([^"#]+)')
CJK = re.compile(r"[\u4e00-\u9fff]")


class HomeTestCase(ServiceTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.edu_reporter = cls._reporter("edu_reporter", cls.edu)
        cls.league = cls.plan.jurisdiction.units.get(name="团县委")
        cls.league_reporter = cls._reporter("league_reporter", cls.league)
        today = timezone.localdate()
        cls.cycle = tracking.do_open_cycle(cls.plan, cls.county_admin, "quarter", today.year, (today.month - 1) // 3 + 1,
                                           today + dt.timedelta(days=10))

    @classmethod
    def _reporter(cls, username: str, unit):
        user = get_user_model().objects.create_user(username)
        Membership.objects.create(user=user, jurisdiction=cls.county, role=Membership.Role.UNIT_REPORTER, unit=unit)
        return user

    def home(self, user) -> str:
        self.login(user)
        response = self.client.get(reverse("home"))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def figure(self, page: str, label: str) -> str:
        """The figure shown before `label` on the home page."""
        found = re.search(r'<span class="figure">([^<]*)</span><span class="label">' + re.escape(label), page)
        self.assertIsNotNone(found, f"没有“{label}”一行")
        return found.group(1)

    def submit(self, report: Report) -> Report:
        report = tracking.do_save_report(report, self.edu_reporter, report.version, "in_progress", "已开展", {})
        return tracking.do_submit_report(report, self.edu_reporter, report.version)


class RoleBlocksTests(HomeTestCase):
    def test_a_township_officer_sees_its_township_and_the_orders_to_dispatch(self):
        self.place()
        page = self.home(self.gucheng_officer)
        self.assertNotIn("未分配", page)
        self.assertIn("古城镇（襄汾县）派单员", page)
        self.assertEqual(self.figure(page, "待审核派单"), "1")
        # another township's officer neither sees nor counts it
        self.assertNotIn('<span class="label">待审核派单', self.home(self.xincheng_officer))

    def test_the_office_counts_reports_to_review_as_the_cycle_page_lists_them(self):
        report = self.submit(Report.objects.filter(cycle=self.cycle, unit=self.edu).first())
        page = self.home(self.county_admin)
        label = f"{self.cycle} 待审核报告"
        self.assertEqual(self.figure(page, label), "1")
        url = reverse("tracking-cycle", args=[self.plan.pk, self.cycle.pk]) + "?status=submitted"
        self.assertIn(f'href="{url}"', page)
        listed = self.client.get(url).content.decode()
        self.assertEqual(listed.count(reverse("tracking-report", args=[report.pk]) + '"'), 1)
        expected = Report.objects.filter(cycle=self.cycle).count()
        self.assertEqual(self.figure(page, f"{self.cycle} 已报送"), f"1/{expected}")
        # the office's service block is there too; another county's office sees none of it
        self.assertIn("志愿服务 · 襄汾县", page)
        self.assertNotIn("待审核报告", self.home(self.other_county_admin))

    def test_a_reporter_sees_this_cycles_reports_with_the_deadline_and_the_same_count_as_its_list(self):
        page = self.home(self.edu_reporter)
        label = f"{self.cycle} 待填报告"
        shown = self.figure(page, label)
        self.assertIn(f"截止 {self.cycle.deadline:%Y-%m-%d}", page)
        listed = self.client.get(reverse("tracking-my-reports", args=[self.plan.pk]) + f"?cycle={self.cycle.pk}")
        self.assertIn(f"共 {shown} 份", listed.content.decode())
        self.assertEqual(int(shown), Report.objects.filter(cycle=self.cycle, unit=self.edu).count())
        # a supporting unit is asked for its contributions, not for reports
        league = self.home(self.league_reporter)
        self.assertIn(f"{self.cycle} 待写配合情况", league)
        self.assertNotIn(label, league)

    def test_a_leader_sees_the_dashboards_headline_and_a_city_the_rollup(self):
        page = self.home(self.county_viewer)
        self.assertIn("实施概况 · 襄汾县", page)
        self.assertIn('<span class="label">措施推进正常', page)
        self.assertIn(f'href="{reverse("tracking-dashboard", args=[self.plan.pk])}"', page)
        city = self.home(self.city_leader)
        self.assertIn("下辖地区进展汇总 · 临汾市", city)
        self.assertEqual(self.figure(city, "下辖地区方案"), "1")

    def test_department_and_team_roles_see_their_dispatch_work(self):
        order = self.place()
        from kesu.volunteering import actions as service
        service.do_dispatch_order(order, self.gucheng_officer, self.roles(self.gucheng_officer), self.kx)
        self.assertEqual(self.figure(self.home(self.kx_claimer), "待领单"), "1")
        self.assertNotIn('<span class="label">待领单', self.home(self.edu_claimer))
        pooled = self.place()
        service.do_pool_order(pooled, self.gucheng_officer, self.roles(self.gucheng_officer))
        self.assertEqual(self.figure(self.home(self.team_a_admin), "服务队池中可接的单"), "1")
        self.assertEqual(self.figure(self.home(self.team_a_admin), "申请加入、待审核的志愿者"), "1")  # 赵敏
        self.assertNotIn("服务队池中可接的单", self.home(self.team_c_admin))  # not in the pool

    def test_someone_without_a_role_is_told_whom_to_ask(self):
        page = self.home(self.outsider)
        self.assertIn("还没有分配角色", page)
        self.assertIn(reverse("plan-list"), page)


class MenuTests(HomeTestCase):
    ACTORS = ("edu_reporter", "league_reporter", "county_admin", "county_viewer", "city_leader", "gucheng_officer",
              "kx_claimer", "team_a_admin", "outsider")

    def test_every_menu_and_home_link_opens_for_every_role(self):
        for name in self.ACTORS:
            page = self.home(getattr(self, name))
            menu = MENU.search(page).group(1)
            links = set(HREF.findall(menu)) | set(HREF.findall(page.split("</header>", 1)[1]))
            for url in sorted(links):
                if url.startswith("/admin/"):
                    continue
                with self.subTest(actor=name, url=url):
                    response = self.client.get(url.replace("&amp;", "&"), follow=True)
                    self.assertEqual(response.status_code, 200)
                    body = response.content.decode()
                    self.assertNotIn("Forbidden", body)
                    self.assertTrue(CJK.search(body))

    def test_every_tab_of_a_plan_opens_for_every_role(self):
        overview = reverse("plan-overview", args=[self.plan.pk])
        for name in self.ACTORS:
            self.login(getattr(self, name))
            page = self.client.get(overview)
            if page.status_code == 404:  # a draft plan outside the person's area
                continue
            tabs = re.search(r'<nav class="tabs">(.*?)</nav>', page.content.decode(), re.S).group(1)
            for url in HREF.findall(tabs):
                with self.subTest(actor=name, url=url):
                    self.assertEqual(self.client.get(url, follow=True).status_code, 200)
        self.login(self.edu_reporter)
        self.assertNotIn(reverse("tracking-dashboard", args=[self.plan.pk]), self.client.get(overview).content.decode())

    def test_the_menu_shows_the_service_and_survey_only_to_those_who_can_open_them(self):
        board, survey = reverse("service-board"), reverse("survey-index")
        cases = {"edu_reporter": (False, True), "county_admin": (True, True), "gucheng_officer": (True, False),
                 "team_a_admin": (True, False), "outsider": (False, False)}
        for name, expected in cases.items():
            menu = MENU.search(self.home(getattr(self, name))).group(1)
            with self.subTest(actor=name):
                self.assertEqual((f'href="{board}"' in menu, f'href="{survey}"' in menu), expected)

    def test_a_reporter_who_opens_the_service_board_anyway_gets_a_chinese_page_saying_why(self):
        self.login(self.edu_reporter)
        response = self.client.get(reverse("service-board"))
        self.assertEqual(response.status_code, 403)
        body = response.content.decode()
        self.assertIn("您还没有基层科普服务的角色", body)
        self.assertNotIn("Forbidden", body)


class MyReportsListTests(HomeTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        today = timezone.localdate()
        cls.last_year = tracking.do_open_cycle(cls.plan, cls.county_admin, "year", today.year - 1, 1,
                                               today + dt.timedelta(days=20))

    def listing(self, query: str = "", user=None) -> str:
        self.login(user or self.edu_reporter)
        response = self.client.get(reverse("tracking-my-reports", args=[self.plan.pk]) + query)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_status_cycle_and_search_filter_the_list(self):
        own = Report.objects.filter(unit=self.edu)
        self.assertIn(f"共 {own.count()} 份", self.listing())  # 待填报: every draft of both open cycles
        self.submit(own.filter(cycle=self.cycle).first())
        self.assertIn(f"共 {own.count() - 1} 份", self.listing())
        self.assertIn("共 1 份", self.listing("?status=submitted"))
        self.assertIn(f"共 {own.count()} 份", self.listing("?status=all"))
        self.assertIn(f"共 {own.filter(cycle=self.last_year).count()} 份", self.listing(f"?status=all&cycle={self.last_year.pk}"))
        page = self.listing("?status=all&q=教师")
        self.assertIn("共 2 份", page)  # 实施教师科学素质提升工程, in each cycle
        self.assertNotIn("提升基础教育阶段科学教育水平</a>", page)

    def test_pages_keep_the_filters(self):
        with mock.patch("kesu.tracking.views.MY_REPORTS_PAGE_SIZE", 1):
            page = self.listing("?status=all&q=%E6%95%99")
            self.assertIn("第 1/4 页", page)
            self.assertIn('href="?status=all&amp;q=%E6%95%99&amp;page=2"', page)
            self.assertIn("第 2/4 页", self.listing("?status=all&q=%E6%95%99&page=2"))

    def test_malformed_filters_are_a_400_and_another_unit_sees_none_of_it(self):
        self.login(self.edu_reporter)
        url = reverse("tracking-my-reports", args=[self.plan.pk])
        self.assertEqual(self.client.get(url + "?status=bogus").status_code, 400)
        self.assertEqual(self.client.get(url + "?page=x").status_code, 400)
        league = self.listing("?status=all", user=self.league_reporter)
        self.assertIn("共 0 份", league)
        self.login(self.outsider)
        refused = self.client.get(url)
        self.assertIn(refused.status_code, (403, 404))
        self.assertTrue(CJK.search(refused.content.decode()))

"""Search finds plans, measures, units and report texts, and only what the user may open: a reporter finds
its own unit's report texts only, a county office never another county's reports, a leader no drafts."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from kesu.org.models import Membership
from kesu.plans.models import Plan
from kesu.search.queries import excerpt
from kesu.testing import PASSWORD
from kesu.tracking.access import can_view_report, reports_visible_to
from kesu.tracking.actions import do_open_cycle, do_save_report, do_submit_report
from kesu.tracking.models import Report
from kesu.tracking.tests.base import TrackingTestCase, current_plan


class SearchTests(TrackingTestCase):
    def setUp(self):
        super().setUp()
        self.edu_report = self.report_of(self.edu, "基础教育")
        do_save_report(self.edu_report, self.edu_reporter, self.edu_report.version, "in_progress",
                       "开展青少年航天科普周，草稿", {})
        self.kx_report = self.report_of(self.kx)
        saved = do_save_report(self.kx_report, self.kx_reporter, self.kx_report.version, "in_progress",
                               "组建航天科普志愿服务队", {})
        do_submit_report(saved, self.kx_reporter, saved.version)
        other = self.import_plan(current_plan() | {"title": "乡宁县全民科学素质行动规划纲要实施方案"},
                                 jurisdiction=self.other_county, sha="sha-other")
        cycle = do_open_cycle(other, self.other_county_admin, self.cycle.period_type, self.cycle.year,
                              self.cycle.number, self.cycle.deadline)
        self.other_report = Report.objects.filter(cycle=cycle).select_related("unit").first()
        other_reporter = get_user_model().objects.create_user("other_reporter", password=PASSWORD)
        Membership.objects.create(user=other_reporter, jurisdiction=self.other_county,
                                  role=Membership.Role.UNIT_REPORTER, unit=self.other_report.unit)
        do_save_report(self.other_report, other_reporter, self.other_report.version, "in_progress",
                       "乡宁县航天科普进校园", {})

    def found(self, user, query: str) -> str:
        self.login(user)
        response = self.client.get(reverse("search"), {"q": query})
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_a_reporter_finds_only_its_own_units_report_texts(self):
        page = self.found(self.edu_reporter, "航天")
        self.assertIn("开展青少年航天科普周", page)
        self.assertIn(reverse("tracking-report", args=[self.edu_report.pk]), page)
        self.assertNotIn("志愿服务队", page)
        self.assertNotIn("乡宁县航天", page)
        league = self.found(self.league_reporter, "航天")
        self.assertNotIn("开展青少年航天", league)
        self.assertNotIn("组建航天", league)

    def test_a_county_office_does_not_see_another_countys_reports(self):
        page = self.found(self.county_admin, "航天")
        self.assertIn("开展青少年航天科普周", page)
        self.assertIn("组建航天科普志愿服务队", page)
        self.assertNotIn("乡宁县航天科普进校园", page)
        other = self.found(self.other_county_admin, "航天")
        self.assertIn("乡宁县航天科普进校园", other)
        self.assertNotIn("组建航天科普", other)

    def test_a_leader_above_sees_submitted_reports_but_no_drafts(self):
        page = self.found(self.city_leader, "航天")
        self.assertIn("组建航天科普志愿服务队", page)
        self.assertNotIn("开展青少年航天科普周", page)
        self.assertNotIn("乡宁县航天科普进校园", page)

    def test_it_finds_plans_measures_and_units_grouped_by_kind(self):
        page = self.found(self.county_viewer, "教")
        self.assertIn("措施", page)
        self.assertIn("实施教师科学素质提升工程", page)
        self.assertIn("成员单位", page)
        self.assertIn(reverse("plan-unit", args=[self.plan.pk, self.edu.pk]), page)
        self.assertIn(reverse("plan-overview", args=[self.plan.pk]), self.found(self.county_viewer, "襄汾"))

    def test_draft_plans_of_another_county_stay_hidden(self):
        self.assertEqual(self.plan.status, Plan.Status.DRAFT)
        page = self.found(self.other_county_admin, "襄汾")
        self.assertNotIn(reverse("plan-overview", args=[self.plan.pk]), page)
        measures = self.found(self.other_county_admin, "基础教育")
        self.assertIn("提升基础教育阶段科学教育水平", measures)  # its own county's measure of the same name
        self.assertNotIn(reverse("plan-overview", args=[self.plan.pk]), measures)

    def test_the_query_is_text_and_the_top_bar_offers_the_box(self):
        page = self.found(self.county_admin, "<b>航天</b>")
        self.assertIn("&lt;b&gt;航天&lt;/b&gt;", page)
        self.assertIn('class="topbar-search"', page)
        self.assertEqual(self.client.get(reverse("search"), {"q": "x" * 5000}).status_code, 200)

    def test_signed_out_visitors_are_sent_to_sign_in(self):
        response = self.client.get(reverse("search"), {"q": "航天"})
        self.assertEqual(response.status_code, 302)

    def test_the_cross_plan_rule_agrees_with_can_view_report(self):
        reports = list(Report.objects.select_related("cycle__plan__jurisdiction"))
        for user in (self.county_admin, self.other_county_admin, self.city_admin, self.city_leader, self.county_viewer,
                     self.edu_reporter, self.kx_reporter, self.outsider):
            with self.subTest(user=user.username):
                expected = {r.pk for r in reports if can_view_report(user, r)}
                self.assertEqual(set(reports_visible_to(user).values_list("pk", flat=True)), expected)

    def test_excerpt_cuts_around_the_match(self):
        self.assertEqual(excerpt("甲" * 100 + "航天" + "乙" * 100, "航天", width=3), "…甲甲甲航天乙乙乙…")

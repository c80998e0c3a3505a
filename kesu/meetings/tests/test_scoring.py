"""The meetings' share items in the yearly assessment and their cards on the plan's dashboard."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from kesu.domain.scoring_rubric import ATTENDANCE, DECISIONS
from kesu.meetings import actions
from kesu.meetings.tests.base import MeetingTestCase, meeting_data
from kesu.org.models import MemberUnit
from kesu.plans.actions import do_import_plan
from kesu.testing import small_plan
from kesu.tracking.actions import do_open_cycle, do_save_rubric
from kesu.tracking.assessment import rubric_for, yearly_scores


class RubricItemTests(MeetingTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        today = timezone.localdate()
        cls.year = today.year
        parsed = small_plan(period={"start": cls.year - 1, "end": cls.year + 3})
        cls.plan = do_import_plan(parsed, jurisdiction=cls.county, source_name="plan.txt", source_sha256="s",
                                  actor=None, confirm=True).plan
        do_open_cycle(cls.plan, cls.county_admin, "year", cls.year, 1, today)
        # The plan's own 县教科局 (the base's units are not the plan's): it attends today's meeting and leads two
        # decisions due today, one finished on time.
        edu = MemberUnit.objects.filter(responsibilities__section__plan=cls.plan, name="县教科局").distinct().get()
        meeting = actions.do_record_meeting(cls.county, cls.county_admin, meeting_data(held_on=today), [edu])
        done = actions.do_add_decision(meeting, cls.county_admin, "印发年度工作要点", today, [edu])
        actions.do_complete_decision(done, cls.county_admin, done.version, today, "已印发")
        actions.do_add_decision(meeting, cls.county_admin, "建立科普联络员制度", today, [edu])
        rubric = rubric_for(cls.plan, cls.year)
        do_save_rubric(rubric, cls.county_admin, rubric.version,
                       [("progress", "措施完成情况", 60), (DECISIONS, "议定事项按期办结", 20), (ATTENDANCE, "会议出席", 20)])

    def scores(self) -> dict[str, dict[str, tuple[float, str]]]:
        _, rows = yearly_scores(self.plan, self.year)
        return {r.unit.name: {s.item.label: (s.earned, s.rule) for s in r.score.items} for r in rows}

    def base_meeting_counts(self) -> int:
        return int(self.meeting.held_on.year == self.year)  # the base meeting (ten days ago) may fall in last year

    def test_decisions_count_the_units_lead_decisions_due_in_the_year(self):
        edu = self.scores()["县教科局"]
        self.assertEqual(edu["议定事项按期办结"], (10.0, "20 分 × 1/2 项牵头议定事项按期办结（本年度办结时限已到的事项）"))

    def test_a_unit_leading_no_decision_earns_the_full_points_and_is_told_why(self):
        kx = self.scores()["县科协"]
        self.assertEqual(kx["议定事项按期办结"][0], 20)
        self.assertIn("按满分计", kx["议定事项按期办结"][1])

    def test_attendance_counts_the_years_meetings(self):
        held = 1 + self.base_meeting_counts()
        kx = self.scores()["县科协"]
        edu = self.scores()["县教科局"]
        self.assertEqual(edu["会议出席"][1], f"20 分 × 1/{held} 次本年度领导小组会议出席")
        self.assertEqual(kx["会议出席"], (0.0, f"20 分 × 0/{held} 次本年度领导小组会议出席"))

    def test_the_rubric_editor_offers_the_meetings_kinds(self):
        self.login(self.county_admin)
        page = self.client.get(reverse("tracking-assessment", args=[self.plan.pk, self.year]))
        self.assertContains(page, "议定事项按期办结率")
        self.assertContains(page, "会议出席率")

    def test_the_dashboard_shows_the_on_time_rate_with_its_rule(self):
        self.login(self.county_viewer)
        page = self.client.get(reverse("tracking-dashboard", args=[self.plan.pk]))
        self.assertContains(page, "议定事项按期办结率")
        self.assertContains(page, "在办结时限当日或之前办结的事项数")
        self.assertContains(page, f"{self.year}年召开领导小组会议")

"""Decisions (议定事项) reported in cycles: due while open and decided by the end of the cycle's period, reported
by their lead units, never closed by an approved report; the decision page shows each lead unit's latest report."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from kesu.meetings.actions import do_add_decision, do_complete_decision, do_edit_decision, do_record_meeting
from kesu.meetings.cycle_items import SOURCE
from kesu.meetings.models import Decision
from kesu.meetings.tests.base import meeting_data
from kesu.tracking.actions import (
    do_add_due_items,
    do_approve_item_report,
    do_open_cycle,
    do_save_item_report,
    do_submit_item_report,
)
from kesu.tracking.models import ItemReport
from kesu.tracking.tests.base import TrackingTestCase

DAY = dt.timedelta(days=1)


class DecisionCycleTests(TrackingTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        today = timezone.localdate()
        meeting = do_record_meeting(cls.county, cls.county_admin, meeting_data(held_on=today - 10 * DAY), [cls.edu, cls.kx])
        cls.open = do_add_decision(meeting, cls.county_admin, "制定科普进校园年度方案", today + 20 * DAY, [cls.edu], [cls.kx])
        cls.shared = do_add_decision(meeting, cls.county_admin, "联合举办科技活动周", today + 30 * DAY, [cls.edu, cls.kx])
        cls.done = do_add_decision(meeting, cls.county_admin, "报送上年度工作总结", today - DAY, [cls.kx])
        do_complete_decision(cls.done, cls.county_admin, cls.done.version, today - 2 * DAY, "已报送")

    def test_open_decisions_decided_by_the_period_end_are_due_for_each_lead_unit(self) -> None:
        today = timezone.localdate()
        annual = do_open_cycle(self.plan, self.county_admin, "year", today.year, 1, today + 20 * DAY)
        reports = ItemReport.objects.filter(cycle=annual, source=SOURCE)
        self.assertEqual(sorted((r.source_id, r.unit.name) for r in reports),
                         sorted([(self.open.pk, "县教科局"), (self.shared.pk, "县教科局"), (self.shared.pk, "县科协")]))
        self.assertEqual(reports.get(source_id=self.open.pk).title, "制定科普进校园年度方案")

    def test_a_cycle_whose_period_ended_before_the_meeting_has_none(self) -> None:
        today = timezone.localdate()
        last_year = do_open_cycle(self.plan, self.county_admin, "year", today.year - 1, 1, today + 20 * DAY)
        self.assertFalse(ItemReport.objects.filter(cycle=last_year, source=SOURCE).exists())

    def test_decisions_recorded_while_a_cycle_is_open_join_it_at_once_and_once(self) -> None:
        reports = ItemReport.objects.filter(cycle=self.cycle, source=SOURCE)
        self.assertEqual(reports.count(), 3)  # 已办结 before anyone reported: its draft went with it
        self.assertFalse(reports.filter(source_id=self.done.pk).exists())
        self.assertEqual(do_add_due_items(self.cycle, self.county_admin), 0)
        do_edit_decision(self.open, self.county_admin, self.open.version, self.open.text, self.open.due_on, [self.edu, self.league])
        self.assertTrue(ItemReport.objects.filter(cycle=self.cycle, source_id=self.open.pk, unit=self.league).exists())

    def test_an_approved_completed_report_leaves_the_decision_open_and_shows_on_its_page(self) -> None:
        report = ItemReport.objects.get(cycle=self.cycle, source=SOURCE, source_id=self.open.pk)
        report = do_save_item_report(report, self.edu_reporter, report.version, "completed", "方案已印发各学校")
        report = do_submit_item_report(report, self.edu_reporter, report.version)
        do_approve_item_report(report, self.county_admin)
        self.assertEqual(Decision.objects.get(pk=self.open.pk).status, Decision.Status.OPEN)
        self.login(self.county_viewer)
        page = self.client.get(reverse("meetings-decision", args=[self.open.pk]))
        self.assertContains(page, "方案已印发各学校")
        self.assertContains(page, "报告写“已完成”并不等于办结")
        self.login(self.edu_reporter)
        mine = self.client.get(reverse("tracking-my-reports", args=[self.plan.pk]) + "?status=all")
        self.assertContains(mine, "制定科普进校园年度方案")
        self.assertContains(mine, "议定事项")

    def test_another_units_reporter_cannot_open_or_fill_its_report(self) -> None:
        report = ItemReport.objects.get(cycle=self.cycle, source=SOURCE, source_id=self.open.pk)
        self.login(self.league_reporter)
        url = reverse("tracking-item-report", args=[report.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, {"version": report.version, "progress": "completed", "summary": "x"}).status_code, 404)
        self.login(self.other_county_admin)
        self.assertEqual(self.client.get(url).status_code, 404)

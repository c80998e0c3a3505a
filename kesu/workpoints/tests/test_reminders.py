"""Deadline reminders for item reports (年度工作要点 here; 议定事项 take the same path): like a measure's report, an
unsubmitted one is reminded from remind_days before the deadline, once a day, to the unit's reporters and liaison;
never once submitted, never twice for the same day, never for an ended plan."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from kesu.liaisons.actions import do_set_liaison
from kesu.notices.models import Notice
from kesu.org.access import roles_of
from kesu.plans.models import Plan
from kesu.tracking.actions import (
    do_save_item_report,
    do_send_due_reminders,
    do_stop_reminders,
    do_submit_item_report,
)
from kesu.tracking.models import ItemReport
from kesu.workpoints.reporting import SOURCE
from kesu.workpoints.tests.base import WorkPointsTestCase

ITEM_REMINDER = "事项报告尚未提交"


class ItemReminderTests(WorkPointsTestCase):
    def item(self, point) -> ItemReport:
        return ItemReport.objects.get(cycle=self.cycle, source=SOURCE, source_id=point.pk)

    def test_an_item_report_due_within_remind_days_gets_one_reminder_and_a_second_run_nothing_more(self) -> None:
        liaison = get_user_model().objects.create_user("edu_liaison")
        do_set_liaison(self.edu, "liaison", {"name": "李红", "title": "办公室主任", "office_phone": "0357-1234567",
                                             "mobile": "13912345678", "valid_from": self.cycle.deadline - dt.timedelta(days=30),
                                             "user": liaison}, self.county_admin, roles_of(self.county_admin))
        early = self.cycle.first_reminder_at - dt.timedelta(hours=1)
        self.assertEqual(do_send_due_reminders(early), 0, f"not before {self.cycle.remind_days} days before the deadline")
        soon = self.cycle.due_at - dt.timedelta(days=1)
        self.assertEqual(do_send_due_reminders(soon), 6, "3 measures' reports and 3 work points' reports")
        for user in (self.edu_reporter, liaison):
            notice = Notice.objects.get(user=user, title__contains=ITEM_REMINDER)
            self.assertEqual(notice.title, f"即将截止：{self.cycle}{ITEM_REMINDER}")
            self.assertEqual(notice.body, f"年度工作要点：{self.training.text}（截止 {self.cycle.deadline:%Y-%m-%d}）")
            self.assertEqual(notice.link, self.item(self.training).get_absolute_url())
        self.assertEqual(Notice.objects.filter(user=self.kx_reporter, title__contains=ITEM_REMINDER).count(), 2)
        self.assertTrue(self.item(self.training).events.filter(kind="reminder_sent").exists())
        self.assertEqual(do_send_due_reminders(soon), 0, "claimed reminders are not sent twice")
        self.assertEqual(Notice.objects.filter(title__contains=ITEM_REMINDER).count(), 4)

    def test_a_submitted_item_report_gets_none(self) -> None:
        report = self.item(self.training)
        report = do_save_item_report(report, self.edu_reporter, report.version, "in_progress", "已开展培训")
        report = do_submit_item_report(report, self.edu_reporter, report.version)
        self.assertIsNone(report.next_reminder_at)
        do_send_due_reminders(self.cycle.due_at - dt.timedelta(hours=1))
        self.assertFalse(Notice.objects.filter(user=self.edu_reporter, title__contains=ITEM_REMINDER).exists())
        self.assertEqual(Notice.objects.filter(user=self.kx_reporter, title__contains=ITEM_REMINDER).count(), 2)

    def test_an_ended_plan_reminds_nobody_and_stops_for_good(self) -> None:
        Plan.objects.filter(pk=self.plan.pk).update(status=Plan.Status.ENDED)
        self.assertEqual(do_send_due_reminders(self.cycle.due_at - dt.timedelta(days=1)), 0)
        self.assertFalse(Notice.objects.filter(title__contains="尚未提交").exists())
        self.assertFalse(ItemReport.objects.filter(cycle=self.cycle, next_reminder_at__isnull=False).exists())

    def test_ending_the_plan_stops_the_reminders_of_all_its_reports(self) -> None:
        self.assertEqual(do_stop_reminders(self.plan), 6, "3 measures' reports and 3 work points' reports")
        self.assertEqual(do_send_due_reminders(self.cycle.due_at - dt.timedelta(days=1)), 0)

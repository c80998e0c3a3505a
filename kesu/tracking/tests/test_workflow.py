"""The report workflow through the pages: draft → submit → return → resubmit → approve → locked."""

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kesu.notices.models import Notice
from kesu.tracking.models import Report, TargetValue, TrackingEvent
from kesu.tracking.tests.base import TrackingTestCase


class ReportWorkflowTests(TrackingTestCase):
    def setUp(self):
        super().setUp()
        self.report = self.report_of(self.edu, "基础教育")
        self.target = self.report.task.targets.get()
        self.url = reverse("tracking-report", args=[self.report.pk])

    def post(self, user, action="save", **fields):
        self.login(user)
        self.report.refresh_from_db()
        data = {"version": self.report.version, "progress": "in_progress", "summary": "开展科学教育活动12场",
                f"target_{self.target.pk}": "60", "action": action} | fields
        return self.client.post(self.url, data)

    def test_it_opens_one_report_per_lead_unit_and_measure(self):
        self.assertEqual(Report.objects.filter(cycle=self.cycle).count(), 3)
        self.assertEqual(set(Report.objects.filter(cycle=self.cycle).values_list("unit__name", flat=True)), {"县教科局", "县科协"})

    def test_it_walks_a_report_through_review_to_a_locked_state(self):
        self.assertEqual(self.post(self.edu_reporter).status_code, 302)
        self.report.refresh_from_db()
        self.assertEqual((self.report.state, self.report.summary), ("draft", "开展科学教育活动12场"))
        self.assertEqual(TargetValue.objects.get(report=self.report).value, 60)

        self.post(self.edu_reporter, action="submit")
        self.report.refresh_from_db()
        self.assertEqual(self.report.state, "submitted")
        self.assertTrue(Notice.objects.filter(user=self.county_admin, title__contains="提交").exists())

        self.login(self.county_admin)
        review = reverse("tracking-review", args=[self.report.pk])
        self.client.post(review, {"decision": "return", "reason": ""})
        self.report.refresh_from_db()
        self.assertEqual(self.report.state, "submitted", "a return without a reason is refused")
        self.client.post(review, {"decision": "return", "reason": "请补充活动照片"})
        self.report.refresh_from_db()
        self.assertEqual((self.report.state, self.report.return_reason), ("returned", "请补充活动照片"))
        self.assertTrue(Notice.objects.filter(user=self.edu_reporter, body__contains="请补充活动照片").exists())

        self.post(self.edu_reporter, action="submit", summary="补充了照片")
        self.login(self.county_admin)
        self.client.post(review, {"decision": "approve"})
        self.report.refresh_from_db()
        self.assertEqual(self.report.state, "approved")

        response = self.post(self.edu_reporter, summary="再改一次")
        self.assertEqual(response.status_code, 403)
        self.report.refresh_from_db()
        self.assertEqual(self.report.summary, "补充了照片")
        kinds = list(TrackingEvent.objects.filter(report=self.report).order_by("at", "id").values_list("kind", flat=True))
        self.assertEqual([k for k in kinds if k != "report_saved"],
                         ["report_submitted", "report_returned", "report_submitted", "report_approved"])

    def test_it_counts_the_first_submission_for_the_on_time_rate(self):
        self.post(self.edu_reporter, action="submit")
        self.report.refresh_from_db()
        self.assertTrue(self.report.on_time)

    def test_it_refuses_the_second_of_two_concurrent_saves_and_keeps_its_text(self):
        self.login(self.edu_reporter)
        stale_version = self.report.version
        self.post(self.edu_reporter, summary="第一位填报员的内容")
        response = self.client.post(self.url, {"version": stale_version, "progress": "behind", "summary": "第二位填报员的内容",
                                               f"target_{self.target.pk}": "", "action": "save"})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "已被他人修改", status_code=409)
        self.assertContains(response, "第二位填报员的内容", status_code=409)
        self.report.refresh_from_db()
        self.assertEqual(self.report.summary, "第一位填报员的内容")

    def test_it_locks_the_cycle_after_the_grace_days_unless_an_exception_is_granted(self):
        past = timezone.now() - dt.timedelta(minutes=1)
        type(self.cycle).objects.filter(pk=self.cycle.pk).update(deadline=timezone.localdate() - dt.timedelta(days=8), locks_at=past)
        self.assertEqual(self.post(self.edu_reporter).status_code, 403)
        self.login(self.county_admin)
        until = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
        self.client.post(reverse("tracking-exception", args=[self.plan.pk, self.cycle.pk]),
                         {"unit": self.edu.pk, "until": until, "reason": "系统故障"})
        self.assertEqual(self.post(self.edu_reporter, action="submit").status_code, 302)
        self.report.refresh_from_db()
        self.assertEqual(self.report.state, "submitted")
        self.assertFalse(self.report.on_time)


class ContributionTests(TrackingTestCase):
    def test_it_lets_a_supporting_unit_add_its_part_to_the_leads_report(self):
        report = self.report_of(self.edu, "基础教育")
        self.login(self.league_reporter)
        page = self.client.get(reverse("tracking-report", args=[report.pk]))
        self.assertContains(page, "团县委的配合情况")
        self.assertNotContains(page, "保存草稿")
        self.client.post(reverse("tracking-contribution", args=[report.pk]), {"text": "组织少先队员参观科技馆"})
        self.assertEqual(report.contributions.get().text, "组织少先队员参观科技馆")

    def test_it_refuses_a_contribution_from_a_unit_that_does_not_support_the_measure(self):
        report = self.report_of(self.kx, "基层")
        self.login(self.league_reporter)
        response = self.client.post(reverse("tracking-contribution", args=[report.pk]), {"text": "x"})
        self.assertEqual(response.status_code, 404)


class ReminderTests(TrackingTestCase):
    def test_it_reminds_unsubmitted_reports_once_per_day_until_the_lock(self):
        from kesu.tracking.actions import do_send_due_reminders

        soon = self.cycle.due_at - dt.timedelta(days=1)
        self.assertEqual(do_send_due_reminders(soon), 3)
        self.assertEqual(do_send_due_reminders(soon), 0, "claimed reminders are not sent twice")
        reminders = Notice.objects.filter(title__contains="进展报告尚未提交")  # besides the notice that the cycle opened
        self.assertEqual(reminders.filter(user=self.edu_reporter).count(), 2)
        self.assertIn("即将截止", reminders.filter(user=self.edu_reporter).first().title)
        overdue = self.cycle.due_at + dt.timedelta(hours=30)
        self.assertEqual(do_send_due_reminders(overdue), 3)
        self.assertIn("已逾期", reminders.filter(user=self.kx_reporter).first().title)
        after_lock = self.cycle.locks_at + dt.timedelta(days=1)
        do_send_due_reminders(after_lock)
        self.assertEqual(do_send_due_reminders(after_lock + dt.timedelta(days=3)), 0)

    def test_it_sends_no_reminder_for_a_submitted_report(self):
        from kesu.tracking.actions import do_save_report, do_send_due_reminders, do_submit_report

        report = self.report_of(self.kx, "基层")
        report = do_save_report(report, self.kx_reporter, report.version, "in_progress", "x", {})
        do_submit_report(report, self.kx_reporter, report.version)
        self.assertEqual(do_send_due_reminders(self.cycle.due_at - dt.timedelta(hours=1)), 2)
        self.assertFalse(Notice.objects.filter(user=self.kx_reporter, title__contains="尚未提交").exists())

    def test_it_emails_reporters_who_have_an_address(self):
        from kesu.tracking.actions import do_send_due_reminders

        self.edu_reporter.email = "edu@example.org"
        self.edu_reporter.save(update_fields=["email"])
        with self.captureOnCommitCallbacks(execute=True):  # e-mail leaves after the commit
            do_send_due_reminders(self.cycle.due_at - dt.timedelta(days=1))
        self.assertTrue(any("edu@example.org" in m.to for m in mail.outbox))


class CycleRulesTests(TrackingTestCase):
    def test_it_refuses_a_cycle_outside_the_plan_period_or_opened_twice(self):
        from kesu.tracking.actions import CycleRefused, do_open_cycle

        with self.assertRaisesMessage(CycleRefused, "不在方案实施期"):
            do_open_cycle(self.plan, self.county_admin, "year", self.plan.period_end + 1, 1, timezone.localdate())
        with self.assertRaisesMessage(CycleRefused, "已经开启过"):
            do_open_cycle(self.plan, self.county_admin, self.cycle.period_type, self.cycle.year, self.cycle.number,
                          self.cycle.deadline)


SENT: list[tuple[str, str]] = []


def record_notice(user, title, body, link):
    SENT.append((user.username, title))


class NotifierHookTests(TrackingTestCase):
    def test_it_passes_every_notice_to_the_configured_extra_channels(self):
        from kesu.tracking.actions import do_send_due_reminders

        SENT.clear()
        with self.settings(KESU_NOTIFIERS=["kesu.tracking.tests.test_workflow.record_notice"]):
            with self.captureOnCommitCallbacks(execute=True):  # channels hear of it after the commit
                do_send_due_reminders(self.cycle.due_at - dt.timedelta(days=1))
        self.assertIn(("edu_reporter", f"即将截止：{self.cycle}进展报告尚未提交"), SENT)


class ActivityTests(TrackingTestCase):
    def test_it_records_an_activity_with_photos_against_a_measure(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from kesu.tracking.models import Activity

        self.login(self.kx_reporter)
        task = self.report_of(self.kx, "基层").task
        response = self.client.post(reverse("tracking-activities", args=[self.plan.pk]), {
            "kind": "lecture", "title": "防灾减灾科普讲座", "held_on": timezone.localdate().isoformat(),
            "place": "城关镇", "participants": 120, "task": task.pk, "description": "",
            "files": [SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff\xe0" + b"0" * 50)],
        })
        self.assertEqual(response.status_code, 302)
        activity = Activity.objects.get()
        self.assertEqual((activity.unit, activity.task, activity.participants), (self.kx, task, 120))
        self.assertEqual(activity.evidence.get().original_name, "现场.jpg")
        self.login(self.edu_reporter)
        self.assertNotContains(self.client.get(reverse("tracking-activities", args=[self.plan.pk])), "防灾减灾科普讲座")
        self.login(self.county_admin)
        self.assertContains(self.client.get(reverse("tracking-activities", args=[self.plan.pk])), "防灾减灾科普讲座")

    def test_it_records_the_form_and_the_participants_of_each_audience_group(self):
        from kesu.tracking.models import Activity

        self.login(self.kx_reporter)
        url = reverse("tracking-activities", args=[self.plan.pk])
        response = self.client.post(url, {
            "kind": "lecture", "title": "老年人防诈骗讲座", "held_on": timezone.localdate().isoformat(), "online": "both",
            "participants": "", "audience_elderly": 60, "audience_farmers": 25,
        })
        self.assertEqual(response.status_code, 302)
        activity = Activity.objects.get()
        self.assertEqual((activity.online, activity.participants), ("both", 85), "participants = the groups' sum")
        self.assertEqual(dict(activity.audiences.values_list("group", "participants")), {"elderly": 60, "farmers": 25})
        page = self.client.get(url)
        self.assertContains(page, "线上线下结合")
        self.assertContains(page, "老年人 60、农民 25")

    def test_a_head_count_that_differs_from_the_groups_is_refused_keeping_what_was_typed(self):
        from kesu.tracking.models import Activity

        self.login(self.kx_reporter)
        response = self.client.post(reverse("tracking-activities", args=[self.plan.pk]), {
            "kind": "training", "title": "农技培训", "held_on": timezone.localdate().isoformat(), "online": "offline",
            "participants": 100, "audience_farmers": 70, "audience_public": 20,
        })
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Activity.objects.exists())
        self.assertContains(response, "参与人数 100 与各受众群体人数之和 90 不一致")
        for typed in ('value="农技培训"', 'name="participants" value="100"', 'name="audience_farmers" value="70"',
                      'name="audience_public" value="20"'):
            self.assertContains(response, typed)
        response = self.client.post(reverse("tracking-activities", args=[self.plan.pk]), {
            "kind": "training", "title": "农技培训", "held_on": timezone.localdate().isoformat(), "online": "offline"})
        self.assertContains(response, "请填写参与人数，或各受众群体的参与人数。")
        self.assertFalse(Activity.objects.exists())

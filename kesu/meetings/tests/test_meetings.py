"""Meetings and decisions: recording with history, stale edits refused, rates and overdue lists on the pages,
access (another jurisdiction, unit reporters), minutes upload/download and the generated 会议纪要 .docx."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document

from kesu.domain.evidence_rules import EvidenceRefused
from kesu.meetings import actions
from kesu.meetings.models import Decision, Meeting, MeetingEvent
from kesu.meetings.tests.base import DAY, MeetingTestCase, meeting_data

PDF = b"%PDF-1.4\n%minutes\n"


def form_data(meeting: Meeting, **changes) -> dict:
    data = {"version": meeting.version, "kind": meeting.kind, "title": meeting.title, "held_on": f"{meeting.held_on:%Y-%m-%d}",
            "chair": meeting.chair, "place": meeting.place, "attendees": meeting.attendees, "agenda": meeting.agenda,
            "attending_units": [u.pk for u in meeting.attending_units.all()]}
    data.update(changes)
    return data


class RecordingTests(MeetingTestCase):
    def test_meeting_and_decisions_are_recorded_with_history(self):
        kinds = list(MeetingEvent.objects.filter(meeting=self.meeting).order_by("pk").values_list("kind", flat=True))
        self.assertEqual(kinds, ["meeting_recorded", "decision_added", "decision_added"])
        self.assertEqual(set(self.meeting.attending_units.all()), {self.edu, self.kx})
        self.assertEqual(list(self.late.support_units.all()), [self.league])

    def test_office_records_a_meeting_through_the_form_with_minutes(self):
        self.login(self.county_admin)
        data = form_data(self.meeting, title="联络员会议", kind="liaison", attending_units=[self.health.pk])
        data.pop("version")
        response = self.client.post(reverse("meetings-new", args=[self.county.pk]),
                                    {**data, "minutes_file": SimpleUploadedFile("记录.pdf", PDF)})
        meeting = Meeting.objects.get(title="联络员会议")
        self.assertRedirects(response, reverse("meetings-meeting", args=[meeting.pk]))
        self.assertEqual(meeting.minutes.original_name, "记录.pdf")
        download = self.client.get(reverse("meetings-minutes", args=[meeting.pk]))
        self.assertEqual(b"".join(download.streaming_content), PDF)

    def test_a_minutes_file_of_the_wrong_type_is_refused(self):
        with self.assertRaises(EvidenceRefused):
            actions.do_record_meeting(self.county, self.county_admin, meeting_data(), [],
                                      SimpleUploadedFile("纪要.pdf", b"MZ not a pdf"))
        self.assertEqual(Meeting.objects.count(), 1)  # all or nothing

    def test_edit_records_each_changed_field(self):
        actions.do_edit_meeting(self.meeting, self.county_admin, self.meeting.version,
                                meeting_data(chair="赵县长"), [self.edu, self.kx, self.health])
        changes = {(e.field, e.old, e.new) for e in MeetingEvent.objects.filter(kind="meeting_changed")}
        self.assertEqual(changes, {("主持人", "王副县长", "赵县长"), ("出席单位", "县教科局、县科协", "县卫健局、县教科局、县科协")})

    def test_a_stale_meeting_edit_is_refused(self):
        self.login(self.county_admin)
        stale = form_data(self.meeting)
        actions.do_edit_meeting(self.meeting, self.county_admin, self.meeting.version, meeting_data(chair="赵县长"), [])
        response = self.client.post(reverse("meetings-edit", args=[self.meeting.pk]), {**stale, "chair": "钱县长"})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "已被他人修改", status_code=409)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.chair, "赵县长")

    def test_a_stale_decision_edit_or_completion_is_refused(self):
        version = self.late.version
        actions.do_edit_decision(self.late, self.county_admin, version, "新的内容", self.late.due_on, [self.edu])
        with self.assertRaises(actions.StaleEdit):
            actions.do_complete_decision(self.late, self.edu_reporter, version, timezone.localdate(), "已完成")
        with self.assertRaises(actions.StaleEdit):
            actions.do_edit_decision(self.late, self.county_admin, version, "另一内容", self.late.due_on, [self.edu])
        self.late.refresh_from_db()
        self.assertEqual((self.late.text, self.late.status), ("新的内容", "open"))

    def test_units_of_another_jurisdiction_are_refused(self):
        with self.assertRaises(actions.MeetingRefused):
            actions.do_add_decision(self.meeting, self.county_admin, "跨地区事项", timezone.localdate(), [self.other_unit])

    def test_completion_and_reopening_are_recorded(self):
        today = timezone.localdate()
        done = actions.do_complete_decision(self.late, self.edu_reporter, self.late.version, today, "方案已印发")
        self.assertEqual((done.status, done.completed_on, done.note), ("done", today, "方案已印发"))
        actions.do_reopen_decision(done, self.county_admin, done.version, "方案尚未印发")
        kinds = list(self.late.events.order_by("pk").values_list("kind", flat=True))
        self.assertEqual(kinds, ["decision_added", "decision_completed", "decision_reopened"])


class RatesTests(MeetingTestCase):
    def test_the_pages_show_the_rate_with_its_rule_and_the_overdue_decisions(self):
        self.login(self.county_admin)
        page = self.client.get(reverse("meetings-list", args=[self.county.pk]))
        self.assertContains(page, "议定事项按期办结率：0.0%")  # one due (overdue), none on time
        self.assertContains(page, "办结时限已到")
        overdue = self.client.get(reverse("meetings-decisions", args=[self.county.pk]), {"overdue": 1})
        self.assertContains(overdue, "制定科普进校园年度方案")
        self.assertNotContains(overdue, "筹备全国科普日活动")
        self.assertContains(overdue, "逾期 2 天")

    def test_completed_on_time_counts(self):
        today = timezone.localdate()
        decision = actions.do_add_decision(self.meeting, self.county_admin, "按期事项", today - DAY, [self.kx])
        actions.do_complete_decision(decision, self.county_admin, decision.version, today - 2 * DAY, "已办")
        self.login(self.county_admin)
        page = self.client.get(reverse("meetings-decisions", args=[self.county.pk]))
        self.assertContains(page, "议定事项按期办结率：50.0%")

    def test_attendance_of_the_year(self):
        self.login(self.county_viewer)
        page = self.client.get(reverse("meetings-list", args=[self.county.pk]), {"year": self.meeting.held_on.year})
        self.assertEqual({(r.unit.name, r.attendance.attended) for r in page.context["attendance"]},
                         {("县教科局", 1), ("县科协", 1), ("团县委", 0), ("县卫健局", 0)})

    def test_the_office_home_lists_overdue_decisions(self):
        self.login(self.county_admin)
        home = self.client.get(reverse("home"))
        self.assertContains(home, "领导小组议定事项 · 襄汾县")
        self.assertContains(home, "制定科普进校园年度方案")
        self.assertContains(home, f"办结时限 {self.late.due_on:%Y-%m-%d}")


class AccessTests(MeetingTestCase):
    def test_readers_and_the_levels_above_read_but_do_not_change(self):
        for user in (self.county_viewer, self.city_admin, self.city_leader):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(reverse("meetings-meeting", args=[self.meeting.pk])).status_code, 200)
                self.assertEqual(self.client.get(reverse("meetings-edit", args=[self.meeting.pk])).status_code, 403)
                self.assertEqual(self.client.post(reverse("meetings-meeting", args=[self.meeting.pk]),
                                                  {"text": "x", "due_on": "2030-01-01", "lead_units": [self.edu.pk]}).status_code, 403)
        self.assertEqual(Decision.objects.count(), 2)

    def test_another_jurisdiction_cannot_see_or_change(self):
        self.login(self.other_county_admin)
        for name, arg in (("meetings-list", self.county.pk), ("meetings-new", self.county.pk),
                          ("meetings-decisions", self.county.pk), ("meetings-meeting", self.meeting.pk),
                          ("meetings-edit", self.meeting.pk), ("meetings-minutes", self.meeting.pk),
                          ("meetings-docx", self.meeting.pk), ("meetings-decision", self.late.pk)):
            with self.subTest(name=name):
                self.assertEqual(self.client.get(reverse(name, args=[arg])).status_code, 403)
        response = self.client.post(reverse("meetings-decision", args=[self.late.pk]),
                                    {"action": "complete", "version": self.late.version,
                                     "completed_on": f"{timezone.localdate():%Y-%m-%d}", "note": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Decision.objects.get(pk=self.late.pk).status, "open")

    def test_a_reporter_sees_only_its_units_decisions(self):
        self.login(self.league_reporter)  # supports the overdue one only
        page = self.client.get(reverse("meetings-decisions", args=[self.county.pk]))
        self.assertContains(page, "制定科普进校园年度方案")
        self.assertNotContains(page, "筹备全国科普日活动")
        self.assertEqual(self.client.get(reverse("meetings-decision", args=[self.later.pk])).status_code, 403)
        self.assertEqual(self.client.get(reverse("meetings-meeting", args=[self.meeting.pk])).status_code, 403)
        self.login(self.health_reporter)  # neither leads nor supports
        self.assertNotContains(self.client.get(reverse("meetings-decisions", args=[self.county.pk])), "科普进校园")

    def test_only_a_lead_units_reporter_completes(self):
        today = f"{timezone.localdate():%Y-%m-%d}"
        self.login(self.league_reporter)  # supporting unit: may see, may not complete
        page = self.client.get(reverse("meetings-decision", args=[self.late.pk]))
        self.assertNotContains(page, 'value="complete"')
        response = self.client.post(reverse("meetings-decision", args=[self.late.pk]),
                                    {"action": "complete", "version": self.late.version, "completed_on": today, "note": "x"})
        self.assertEqual(response.status_code, 403)
        self.login(self.edu_reporter)
        response = self.client.post(reverse("meetings-decision", args=[self.late.pk]),
                                    {"action": "complete", "version": self.late.version, "completed_on": today, "note": "已印发"})
        self.assertRedirects(response, reverse("meetings-decision", args=[self.late.pk]))
        self.late.refresh_from_db()
        self.assertEqual((self.late.status, self.late.note), ("done", "已印发"))
        self.assertEqual(self.late.events.latest("pk").actor, self.edu_reporter)
        response = self.client.post(reverse("meetings-decision", args=[self.late.pk]),
                                    {"action": "edit", "version": self.late.version, "text": "改", "due_on": today,
                                     "lead_units": [self.edu.pk]})
        self.assertEqual(response.status_code, 403)

    def test_minutes_download_is_access_checked(self):
        actions.do_edit_meeting(self.meeting, self.county_admin, self.meeting.version, meeting_data(), [self.edu],
                                SimpleUploadedFile("纪要原件.pdf", PDF))
        for user, status in ((self.county_viewer, 200), (self.city_leader, 200), (self.edu_reporter, 403),
                             (self.other_county_admin, 403), (self.outsider, 403)):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(reverse("meetings-minutes", args=[self.meeting.pk])).status_code, status)


class MinutesDocxTests(MeetingTestCase):
    def test_the_docx_holds_the_meeting_and_its_decisions_as_plain_text(self):
        actions.do_edit_meeting(self.meeting, self.county_admin, self.meeting.version,
                                meeting_data(agenda="<b>议程</b>\x07一\n=SUM(A1)"), [self.edu])
        self.login(self.county_viewer)
        response = self.client.get(reverse("meetings-docx", args=[self.meeting.pk]))
        self.assertEqual(response.status_code, 200)
        doc = Document(io.BytesIO(response.content))
        text = "\n".join(p.text for p in doc.paragraphs)
        self.assertIn("襄汾县全民科学素质工作领导小组全体会议纪要", text)
        self.assertIn("王副县长主持召开", text)
        self.assertIn("<b>议程</b>一", text)  # written as typed, the control character removed
        self.assertIn("=SUM(A1)", text)
        cells = [c.text for row in doc.tables[0].rows for c in row.cells]
        self.assertIn("制定科普进校园年度方案", cells)
        self.assertIn("团县委", cells)
        self.assertEqual(doc.styles["Normal"].element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"), "仿宋")


class ReporterHomeTests(MeetingTestCase):
    def test_a_reporter_home_lists_its_units_open_decisions_only(self):
        self.login(self.league_reporter)
        home = self.client.get(reverse("home"))
        self.assertContains(home, "制定科普进校园年度方案")
        self.assertNotContains(home, "筹备全国科普日活动")
        self.assertContains(home, reverse("meetings-decisions", args=[self.county.pk]))

"""`load_demo_meetings`: the demo meetings of an office, dated from today, loaded once."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from kesu.demo.meetings import load_demo_meetings
from kesu.meetings.figures import on_time_rate, overdue
from kesu.meetings.models import Decision, Meeting
from kesu.testing import BaseTestCase


class MeetingsDemoTests(BaseTestCase):
    def test_it_records_meetings_with_decisions_in_every_state_once(self) -> None:
        self.import_plan()
        meeting = load_demo_meetings(self.county, self.county_admin)
        today = timezone.localdate()
        decisions = Decision.objects.filter(meeting__jurisdiction=self.county)
        self.assertEqual(overdue(decisions, today).count(), 1)
        self.assertEqual(on_time_rate(decisions, today).on_time, 1)
        self.assertTrue(decisions.filter(due_on__gt=today, status="open").exists())
        self.assertEqual(load_demo_meetings(self.county, self.county_admin).pk, meeting.pk)
        self.assertEqual(Meeting.objects.count(), 2)
        self.login(self.county_admin)
        self.assertContains(self.client.get(reverse("meetings-meeting", args=[meeting.pk])), "逾期")

"""A volunteer's name and a team's name reach the certificate PDF as text, whatever characters they hold."""

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from pdfminer.high_level import extract_text

from kesu.volunteering.hours import do_record_service
from kesu.volunteering.tests.base import ServiceTestCase


class CertificateTextTests(ServiceTestCase):
    def test_a_name_that_looks_like_markup_is_printed_as_written(self):
        self.wang.name = "<img src=x>"
        self.wang.save()
        self.team_a.name = "科普<b>先锋</b>队 & 伙伴"
        self.team_a.save()
        order = self.to_accepted()
        do_record_service(order, self.team_a_admin, self.roles(self.team_a_admin),
                          {"served_on": timezone.localdate(), "start_time": dt.time(9), "duration_hours": 2, "attendees": 20,
                           "summary": "讲座", "volunteers": [self.wang]})
        self.login(self.county_admin)
        response = self.client.get(reverse("service-volunteer-certificate", args=[self.wang.pk]))
        self.assertEqual(response.status_code, 200)
        text = extract_text(io.BytesIO(response.content)).replace("\n", "")
        self.assertIn("兹证明 <img src=x>", text)
        self.assertIn("科普<b>先锋</b>队 & 伙伴", text)

"""Date pickers render the ISO form the browser reads, whatever the site's locale formats dates as."""

import datetime as dt

from django.test import SimpleTestCase

from kesu.infra.forms import DatePicker, DateTimePicker


class PickerTests(SimpleTestCase):
    def test_the_date_picker_shows_the_stored_date(self):
        html = DatePicker().render("issued_on", dt.date(2022, 6, 24))
        self.assertIn('type="date"', html)
        self.assertIn('value="2022-06-24"', html)

    def test_the_date_time_picker_shows_the_stored_time(self):
        html = DateTimePicker().render("until", dt.datetime(2026, 3, 5, 8, 30))
        self.assertIn('type="datetime-local"', html)
        self.assertIn('value="2026-03-05T08:30"', html)

"""The service record and volunteer hours: recorded by the organising team, per volunteer, from the record or
from sign-in/sign-out; totals and the certificate."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pdfminer.high_level import extract_text

from kesu.domain.service_hours import HoursRefused
from kesu.tracking.models import Activity
from kesu.volunteering import actions
from kesu.volunteering.hours import do_record_service, do_record_sign_hours, volunteer_summary
from kesu.volunteering.models import OrderEvent, ServiceHours, ServicePhoto
from kesu.volunteering.tests.base import ServiceTestCase

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TZ = timezone.get_default_timezone()


def at(day: dt.date, hour: float) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), TZ) + dt.timedelta(hours=hour)


class RecordTests(ServiceTestCase):
    def setUp(self) -> None:
        self.order = self.to_accepted()
        self.day = timezone.localdate() - dt.timedelta(days=1)

    def record(self, **changes):
        data = {"served_on": self.day, "start_time": dt.time(9, 0), "duration_hours": 2.5, "attendees": 45,
                "summary": "讲解果树冬季修剪", "volunteers": [self.wang, self.li]} | changes
        fewer = data.pop("fewer", None)
        return do_record_service(self.order, self.team_a_admin, self.roles(self.team_a_admin), data, fewer)

    def test_it_records_the_service_and_gives_each_volunteer_the_services_hours(self):
        record = self.record(fewer={self.li.pk: 1.2})
        order = self.fresh(self.order)
        self.assertEqual((order.state, record.attendees, record.team), ("served", 45, self.team_a))
        hours = dict(ServiceHours.objects.filter(order=order).values_list("volunteer__name", "hours"))
        self.assertEqual(hours, {"王芳": 2.5, "李强": 1.0})
        entry = ServiceHours.objects.get(volunteer=self.wang, order=order)
        self.assertEqual((entry.method, entry.team, timezone.localtime(entry.start).hour), ("record", self.team_a, 9))
        self.assertTrue(OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.RECORD, to_state="served").exists())

    def test_it_lets_only_the_holding_team_record(self):
        with self.assertRaisesMessage(HoursRefused, "谁组织、谁记录"):
            do_record_service(self.order, self.team_b_admin, self.roles(self.team_b_admin),
                              {"served_on": self.day, "start_time": dt.time(9), "duration_hours": 2, "attendees": 1,
                               "summary": "x", "volunteers": [self.wang]})
        with self.assertRaisesMessage(HoursRefused, "谁组织、谁记录"):
            do_record_service(self.order, self.county_admin, self.roles(self.county_admin),
                              {"served_on": self.day, "start_time": dt.time(9), "duration_hours": 2, "attendees": 1,
                               "summary": "x", "volunteers": [self.wang]})

    def test_it_counts_only_approved_members(self):
        with self.assertRaisesMessage(HoursRefused, "赵敏不是本服务队已审核通过的队员"):
            self.record(volunteers=[self.wang, self.zhao])
        self.assertEqual(self.fresh(self.order).state, "accepted", "nothing was written")

    def test_it_refuses_overlapping_hours_for_one_volunteer(self):
        self.record()
        other = self.to_accepted()
        with self.assertRaisesMessage(HoursRefused, "王芳在"):
            do_record_service(other, self.team_a_admin, self.roles(self.team_a_admin),
                              {"served_on": self.day, "start_time": dt.time(10, 0), "duration_hours": 2, "attendees": 10,
                               "summary": "健康讲座", "volunteers": [self.wang]})
        do_record_service(other, self.team_a_admin, self.roles(self.team_a_admin),
                          {"served_on": self.day, "start_time": dt.time(14, 0), "duration_hours": 2, "attendees": 10,
                           "summary": "健康讲座", "volunteers": [self.wang]})
        self.assertEqual(volunteer_summary(self.wang).total, 4.5)

    def test_it_lets_the_team_amend_the_record_until_the_requester_rates_it(self):
        self.record()
        self.record(duration_hours=3, volunteers=[self.wang])
        self.assertEqual(list(ServiceHours.objects.filter(order=self.order).values_list("volunteer__name", "hours")), [("王芳", 3.0)])
        self.assertTrue(OrderEvent.objects.filter(order=self.order, kind=OrderEvent.Kind.RECORD_AMENDED).exists())
        actions.do_confirm_order(self.order, 5)
        self.login(self.team_a_admin)
        self.assertEqual(self.client.get(reverse("service-order-record", args=[self.order.pk])).status_code, 403)

    def test_it_takes_the_record_with_photos_through_the_page(self):
        self.login(self.team_a_admin)
        url = reverse("service-order-record", args=[self.order.pk])
        self.assertContains(self.client.get(url), "参与服务的志愿者")
        photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
        response = self.client.post(url, {"served_on": self.day.isoformat(), "start_time": "09:00", "duration_hours": "2",
                                          "attendees": "30", "summary": "讲座", "volunteers": [self.wang.pk, self.li.pk],
                                          f"hours_{self.li.pk}": "1.5", "photos": [photo]})
        self.assertRedirects(response, reverse("service-order", args=[self.order.pk]))
        self.assertEqual(ServicePhoto.objects.get().original_name, "现场.png")
        self.assertEqual(ServiceHours.objects.get(volunteer=self.li).hours, 1.5)
        photo_url = reverse("service-photo", args=[ServicePhoto.objects.get().pk])
        self.assertEqual(self.client.get(photo_url).status_code, 200)
        self.login(self.team_c_admin)
        self.assertEqual(self.client.get(photo_url).status_code, 404)

    def test_it_refuses_a_record_dated_in_the_future_or_a_fake_photo(self):
        self.login(self.team_a_admin)
        url = reverse("service-order-record", args=[self.order.pk])
        tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        base = {"served_on": tomorrow, "start_time": "09:00", "duration_hours": "2", "attendees": "30", "summary": "讲座",
                "volunteers": [self.wang.pk]}
        self.assertContains(self.client.post(url, base), "服务完成后登记", status_code=400)
        fake = SimpleUploadedFile("photo.png", b"MZ-not-a-picture", content_type="image/png")
        response = self.client.post(url, base | {"served_on": self.day.isoformat(), "photos": [fake]})
        self.assertContains(response, "内容与扩展名", status_code=400)
        self.assertEqual(self.fresh(self.order).state, "accepted")


class SignHoursTests(ServiceTestCase):
    def setUp(self) -> None:
        self.activity = Activity.objects.create(plan=self.plan, unit=self.kx, kind="science_day", title="全国科普日主场活动",
                                                held_on=timezone.localdate() - dt.timedelta(days=2), participants=800)
        self.day = self.activity.held_on

    def test_it_records_hours_from_sign_in_and_sign_out(self):
        entry = do_record_sign_hours(self.team_a, self.team_a_admin, self.roles(self.team_a_admin), self.wang,
                                     at(self.day, 8.5), at(self.day, 12.3), activity=self.activity)
        self.assertEqual((entry.hours, entry.method, entry.served_on), (3.5, "sign", self.day))
        again = do_record_sign_hours(self.team_a, self.team_a_admin, self.roles(self.team_a_admin), self.wang,
                                     at(self.day, 8.5), at(self.day, 11), activity=self.activity)
        self.assertEqual(again.pk, entry.pk, "signing the same volunteer again corrects the entry")
        self.assertEqual(ServiceHours.objects.get().hours, 2.5)

    def test_it_refuses_what_the_rules_refuse(self):
        roles = self.roles(self.team_a_admin)
        with self.assertRaisesMessage(HoursRefused, "晚于签到"):
            do_record_sign_hours(self.team_a, self.team_a_admin, roles, self.wang, at(self.day, 12), at(self.day, 9), activity=self.activity)
        with self.assertRaisesMessage(HoursRefused, "不能晚于现在"):
            later = timezone.now() + dt.timedelta(hours=3)
            do_record_sign_hours(self.team_a, self.team_a_admin, roles, self.wang, later - dt.timedelta(hours=1), later, activity=self.activity)
        with self.assertRaisesMessage(HoursRefused, "谁组织、谁记录"):
            do_record_sign_hours(self.team_a, self.team_b_admin, self.roles(self.team_b_admin), self.wang,
                                 at(self.day, 8), at(self.day, 9), activity=self.activity)
        with self.assertRaisesMessage(HoursRefused, "不是本服务队"):
            do_record_sign_hours(self.team_a, self.team_a_admin, roles, self.zhao, at(self.day, 8), at(self.day, 9), activity=self.activity)
        with self.assertRaisesMessage(HoursRefused, "只能为本队承接的服务单"):
            other = self.to_accepted(via_unit=False)
            do_record_sign_hours(self.team_b, self.team_b_admin, self.roles(self.team_b_admin), self.wang,
                                 at(self.day, 8), at(self.day, 9), order=other)

    def test_it_takes_sign_in_hours_through_the_team_page(self):
        self.login(self.team_a_admin)
        url = reverse("service-team-hours", args=[self.team_a.pk])
        self.assertContains(self.client.get(url), "全国科普日主场活动")
        response = self.client.post(url, {"source": f"activity:{self.activity.pk}", "volunteer": self.li.pk,
                                          "sign_in": f"{self.day}T14:00", "sign_out": f"{self.day}T16:45"})
        self.assertRedirects(response, url)
        self.assertEqual(ServiceHours.objects.get(volunteer=self.li).hours, 2.5)
        response = self.client.post(url, {"source": "", "volunteer": self.li.pk, "sign_in": f"{self.day}T14:00",
                                          "sign_out": f"{self.day}T16:45"})
        self.assertContains(response, "请选择服务单或活动", status_code=400)
        self.login(self.team_b_admin)
        self.assertEqual(self.client.get(url).status_code, 403)


class CertificateTests(ServiceTestCase):
    def test_it_issues_a_pdf_certificate_to_the_office_the_team_and_the_volunteer(self):
        order = self.to_accepted()
        do_record_service(order, self.team_a_admin, self.roles(self.team_a_admin),
                          {"served_on": timezone.localdate(), "start_time": dt.time(9), "duration_hours": 2, "attendees": 20,
                           "summary": "讲座", "volunteers": [self.wang]})
        url = reverse("service-volunteer-certificate", args=[self.wang.pk])
        for user in (self.county_admin, self.team_a_admin):
            self.login(user)
            response = self.client.get(url)
            self.assertEqual(response["Content-Type"], "application/pdf", user.username)
            self.assertTrue(response.content.startswith(b"%PDF"))
            self.assertIn("attachment", response["Content-Disposition"])
        self.login(self.team_c_admin)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.county_admin)
        text = extract_text(io.BytesIO(self.client.get(url).content))
        self.assertIn("志愿服务记录证明", text)
        self.assertIn("王芳", text)
        self.assertIn("110***********4514", text)
        self.assertNotIn("110101199003074514", text, "the certificate prints the ID number masked")

    def test_it_summarises_hours_per_volunteer(self):
        self.assertEqual(volunteer_summary(self.wang).total, 0)
        self.login(self.county_admin)
        page = self.client.get(reverse("service-volunteer", args=[self.wang.pk]))
        self.assertContains(page, "0 小时")

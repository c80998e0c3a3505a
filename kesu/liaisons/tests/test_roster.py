"""The liaison roster: terms with history, masked and encrypted mobiles, recorded reveals and exports, access,
training attendance, and notices reaching the liaison's account."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kesu.domain.refusals import Refused
from kesu.liaisons.actions import do_end_liaison, do_record_training, do_set_liaison
from kesu.liaisons.events import Kind
from kesu.liaisons.models import LiaisonEntry, LiaisonEvent, Training
from kesu.liaisons.roster import training_attendance
from kesu.notices.models import Notice
from kesu.org.access import roles_of
from kesu.org.models import Membership, MemberUnit
from kesu.org.unit_recipients import extra_recipients
from kesu.testing import BaseTestCase, small_plan
from kesu.tracking.actions import do_open_cycle, do_urge_units

TODAY = timezone.localdate()
MOBILE = "13912345678"


def person(name: str, start: dt.date, **extra) -> dict:
    return {"name": name, "title": "办公室主任", "office_phone": "0357-1234567", "mobile": MOBILE,
            "valid_from": start, **extra}


class LiaisonTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.plan = cls.import_plan(cls, small_plan(period={"start": TODAY.year - 1, "end": TODAY.year + 3}))
        cls.kx = MemberUnit.objects.get(jurisdiction=cls.county, name="县科协")
        cls.jky = MemberUnit.objects.get(jurisdiction=cls.county, name="县教科局")
        cls.reporter = cls._user("kx_reporter", cls.county, Membership.Role.UNIT_REPORTER)
        Membership.objects.filter(user=cls.reporter).update(unit=cls.kx)
        cls.liaison_user = get_user_model().objects.create_user("jky_liaison")
        cls.office = roles_of(cls.county_admin)
        cls.old = do_set_liaison(cls.jky, "liaison", person("王明", TODAY - dt.timedelta(days=400)), cls.county_admin,
                                 cls.office)
        cls.new = do_set_liaison(cls.jky, "liaison", person("李红", TODAY - dt.timedelta(days=30), user=cls.liaison_user),
                                 cls.county_admin, cls.office)
        cls.leader = do_set_liaison(cls.kx, "leader", person("赵刚", TODAY - dt.timedelta(days=60)), cls.county_admin,
                                    cls.office)


class TermsTests(LiaisonTestCase):
    def test_a_successor_closes_the_previous_term_and_keeps_it(self):
        self.old.refresh_from_db()
        self.assertEqual(self.old.valid_to, TODAY - dt.timedelta(days=31))
        self.assertIsNone(LiaisonEntry.objects.get(pk=self.new.pk).valid_to)
        self.login(self.county_admin)
        page = self.client.get(reverse("liaisons-unit", args=[self.county.pk, self.jky.pk]))
        self.assertContains(page, "联络员：李红")
        self.assertContains(page, "王明")  # 历任
        kinds = list(LiaisonEvent.objects.filter(unit=self.jky).values_list("kind", flat=True))
        self.assertEqual(kinds, [Kind.LIAISON_SET, Kind.LIAISON_SET])

    def test_a_successor_cannot_start_before_the_incumbent(self):
        with self.assertRaises(Refused):
            do_set_liaison(self.jky, "liaison", person("孙丽", TODAY - dt.timedelta(days=100)), self.county_admin,
                           self.office)

    def test_the_roster_highlights_units_without_a_liaison(self):
        self.login(self.county_admin)
        page = self.client.get(reverse("liaisons-roster", args=[self.county.pk]))
        self.assertContains(page, 'class="liaison-missing"', count=2)  # 县科协 (leader only) and 团县委
        self.assertContains(page, "李红")

    def test_ending_a_term_leaves_the_unit_without_a_liaison(self):
        do_end_liaison(self.new, TODAY, self.county_admin, self.office)
        self.assertFalse(LiaisonEntry.objects.filter(unit=self.jky, post="liaison", valid_to__isnull=True).exists())
        self.assertEqual(extra_recipients(self.jky), [])

    def test_the_office_edits_through_the_form(self):
        self.login(self.county_admin)
        url = reverse("liaisons-edit", args=[self.county.pk, self.kx.pk])
        self.assertContains(self.client.get(url), 'type="date"')
        response = self.client.post(url, {"post": "liaison", "name": "周强", "mobile": "139-0000-1111",
                                           "valid_from": TODAY.isoformat()})
        self.assertRedirects(response, reverse("liaisons-unit", args=[self.county.pk, self.kx.pk]))
        self.assertEqual(LiaisonEntry.objects.get(unit=self.kx, post="liaison").mobile, "13900001111")


class PrivacyTests(LiaisonTestCase):
    def test_the_mobile_is_encrypted_at_rest(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT mobile FROM liaisons_liaisonentry WHERE id = %s", [self.new.pk])
            stored = cursor.fetchone()[0]
        self.assertNotIn(MOBILE, stored)
        self.assertEqual(LiaisonEntry.objects.get(pk=self.new.pk).mobile, MOBILE)

    def test_mobiles_are_masked_even_for_the_office(self):
        self.login(self.county_admin)
        for url in (reverse("liaisons-roster", args=[self.county.pk]),
                    reverse("liaisons-unit", args=[self.county.pk, self.jky.pk])):
            page = self.client.get(url)
            self.assertContains(page, "139****5678")
            self.assertNotContains(page, MOBILE)

    def test_the_office_reveals_one_mobile_and_it_is_recorded(self):
        self.login(self.county_admin)
        page = self.client.post(reverse("liaisons-reveal", args=[self.new.pk]))
        self.assertContains(page, MOBILE)
        self.assertEqual(page["Cache-Control"], "no-store")
        event = LiaisonEvent.objects.get(kind=Kind.MOBILE_REVEALED)
        self.assertEqual(event.actor, self.county_admin)
        self.assertNotIn(MOBILE, event.detail + event.subject)

    def test_only_the_units_own_office_reveals(self):
        for user in (self.city_admin, self.city_leader, self.other_county_admin, self.reporter):
            self.login(user)
            self.assertEqual(self.client.post(reverse("liaisons-reveal", args=[self.new.pk])).status_code, 403)
        self.assertFalse(LiaisonEvent.objects.filter(kind=Kind.MOBILE_REVEALED).exists())

    def test_the_export_is_masked_by_default(self):
        self.login(self.city_leader)
        response = self.client.get(reverse("liaisons-export", args=[self.county.pk]))
        cells = [str(c.value) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row]
        self.assertIn("139****5678", cells)
        self.assertNotIn(MOBILE, cells)

    def test_the_full_export_is_the_offices_recorded_action(self):
        self.login(self.city_leader)
        self.assertEqual(self.client.post(reverse("liaisons-export", args=[self.county.pk])).status_code, 403)
        self.login(self.county_admin)
        response = self.client.post(reverse("liaisons-export", args=[self.county.pk]))
        cells = [str(c.value) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row]
        self.assertIn(MOBILE, cells)
        self.assertEqual(LiaisonEvent.objects.get(kind=Kind.CONTACTS_EXPORTED).actor, self.county_admin)
        self.assertContains(self.client.get(reverse("liaisons-history", args=[self.county.pk])), "导出通讯录（含完整号码）")


class AccessTests(LiaisonTestCase):
    def test_another_jurisdictions_office_neither_sees_nor_edits(self):
        self.login(self.other_county_admin)
        for name in ("liaisons-roster", "liaisons-trainings", "liaisons-history", "liaisons-export"):
            self.assertEqual(self.client.get(reverse(name, args=[self.county.pk])).status_code, 403, name)
        self.assertEqual(self.client.get(reverse("liaisons-unit", args=[self.county.pk, self.jky.pk])).status_code, 403)
        edit = reverse("liaisons-edit", args=[self.county.pk, self.kx.pk])
        response = self.client.post(edit, {"post": "liaison", "name": "冒名", "valid_from": TODAY.isoformat()})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client.post(reverse("liaisons-end", args=[self.new.pk]),
                                          {"valid_to": TODAY.isoformat()}).status_code, 403)
        self.assertFalse(LiaisonEntry.objects.filter(name="冒名").exists())
        with self.assertRaises(Refused):
            do_set_liaison(self.kx, "liaison", person("冒名", TODAY), self.other_county_admin,
                           roles_of(self.other_county_admin))

    def test_the_levels_above_read_but_do_not_edit(self):
        self.login(self.city_leader)
        self.assertContains(self.client.get(reverse("liaisons-roster", args=[self.county.pk])), "李红")
        self.assertEqual(self.client.get(reverse("liaisons-edit", args=[self.county.pk, self.kx.pk])).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.get(reverse("liaisons-roster", args=[self.county.pk])).status_code, 403)

    def test_a_reporter_sees_only_its_own_unit(self):
        self.login(self.reporter)
        page = self.client.get(reverse("liaisons-roster", args=[self.county.pk]))
        self.assertContains(page, "赵刚")
        self.assertNotContains(page, "李红")
        self.assertNotContains(page, "县教科局")
        self.assertEqual(self.client.get(reverse("liaisons-unit", args=[self.county.pk, self.kx.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("liaisons-unit", args=[self.county.pk, self.jky.pk])).status_code, 403)
        self.assertEqual(self.client.get(reverse("liaisons-trainings", args=[self.county.pk])).status_code, 403)
        export = self.client.get(reverse("liaisons-export", args=[self.county.pk]))
        cells = [str(c.value) for row in load_workbook(io.BytesIO(export.content)).active.iter_rows() for c in row]
        self.assertNotIn("李红", cells)


class TrainingTests(LiaisonTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.kx_liaison = do_set_liaison(cls.kx, "liaison", person("钱进", TODAY - dt.timedelta(days=20)),
                                        cls.county_admin, cls.office)

    def test_attendance_rate_counts_liaisons_in_office_that_day(self):
        training = do_record_training(self.county, {"held_on": TODAY - dt.timedelta(days=10), "topic": "联络员业务培训",
                                                    "place": "县科协会议室"}, [self.new], self.county_admin, self.office)
        rate = training_attendance(training)
        self.assertEqual((rate.attended, rate.expected), (1, 2))  # 李红 of 李红 and 钱进; 王明 had left
        self.login(self.city_leader)
        page = self.client.get(reverse("liaisons-trainings", args=[self.county.pk]))
        self.assertContains(page, "1/2（50.0%）")
        self.assertContains(page, "未参训</dt><dd>县科协 钱进</dd>")
        self.assertContains(page, "应到联络员")  # the counting rule is stated

    def test_a_liaison_not_in_office_that_day_cannot_attend(self):
        with self.assertRaises(Refused):
            do_record_training(self.county, {"held_on": TODAY, "topic": "培训"}, [self.old], self.county_admin, self.office)
        self.assertFalse(Training.objects.exists())

    def test_the_office_records_a_training_on_the_form(self):
        self.login(self.county_admin)
        url = reverse("liaisons-training-new", args=[self.county.pk])
        response = self.client.post(url, {"held_on": TODAY.isoformat(), "topic": "年度联络员培训", "place": "",
                                           "attendees": [self.new.pk, self.kx_liaison.pk]})
        self.assertRedirects(response, reverse("liaisons-trainings", args=[self.county.pk]))
        self.assertEqual(training_attendance(Training.objects.get()).rate, 1.0)
        self.login(self.other_county_admin)
        self.assertEqual(self.client.get(url).status_code, 403)


class NoticeTests(LiaisonTestCase):
    def test_the_liaisons_account_is_an_extra_recipient_of_its_unit(self):
        self.assertEqual(extra_recipients(self.jky), [self.liaison_user])
        self.assertEqual(extra_recipients(self.kx), [])  # a 分管领导 without a liaison: nobody extra

    def test_cycle_opening_and_urging_reach_the_liaison(self):
        cycle = do_open_cycle(self.plan, self.county_admin, "quarter", TODAY.year, (TODAY.month - 1) // 3 + 1,
                              TODAY + dt.timedelta(days=10))
        self.assertTrue(Notice.objects.filter(user=self.liaison_user, title__contains="填报已开启").exists())
        do_urge_units(cycle, self.county_admin, [self.jky.pk])
        self.assertTrue(Notice.objects.filter(user=self.liaison_user, title__startswith="催报").exists())

"""Personal data: ID and phone numbers (and order contacts) encrypted at rest, unmasked only for the office
(and the volunteer themself), masked in every list, page and export for anyone else."""

import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from kesu.org.models import Membership
from kesu.volunteering import actions, crypto
from kesu.volunteering.models import ServiceEvent, ServiceRole, Volunteer
from kesu.volunteering.registry import RegistryRefused, do_save_volunteer
from kesu.volunteering.tests.base import ID_LI, ID_WANG, ServiceTestCase


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


class EncryptionTests(ServiceTestCase):
    def test_it_stores_id_and_phone_numbers_encrypted(self):
        stored = raw("services_volunteer", "id_number", self.wang.pk)
        self.assertNotIn(ID_WANG, stored)
        self.assertTrue(stored.startswith("gAAAA"), "a Fernet token")
        self.assertNotIn("13800001111", raw("services_volunteer", "phone", self.wang.pk))
        self.assertEqual(Volunteer.objects.get(pk=self.wang.pk).id_number, ID_WANG)
        order = self.place()
        self.assertNotIn("13912345678", raw("services_serviceorder", "contact_phone", order.pk))
        self.assertNotIn("张建国", raw("services_serviceorder", "contact_name", order.pk))
        self.assertEqual(self.fresh(order).contact_phone, "13912345678")

    def test_it_reads_old_data_after_the_key_is_rotated(self):
        old = Volunteer.objects.get(pk=self.li.pk)
        with override_settings(KESU_FIELD_KEY="new-passphrase," + settings.KESU_FIELD_KEY):
            self.assertEqual(Volunteer.objects.get(pk=old.pk).id_number, ID_LI)
            Volunteer.objects.filter(pk=old.pk).update(phone="13900009999")  # encrypted with the first (new) key
        with override_settings(KESU_FIELD_KEY="new-passphrase"):
            self.assertEqual(Volunteer.objects.filter(pk=old.pk).values_list("phone", flat=True).get(), "13900009999")
            with self.assertRaisesMessage(Exception, "KESU_FIELD_KEY"):
                Volunteer.objects.get(pk=self.wang.pk)

    def test_it_finds_a_registered_id_number_by_its_digest_only(self):
        self.assertEqual(list(Volunteer.objects.filter(id_digest=crypto.digest(ID_WANG))), [self.wang])
        self.assertNotIn(ID_WANG, raw("services_volunteer", "id_digest", self.wang.pk))
        with self.assertRaisesMessage(RegistryRefused, "已登记"):
            do_save_volunteer(self.county, self.county_admin, {"name": "冒名", "id_number": ID_WANG, "phone": "13800000000"})

    def test_it_masks_like_offices_usually_do(self):
        self.assertEqual(crypto.mask_id(ID_WANG), "110***********4514")
        self.assertEqual(crypto.mask_phone("13812345678"), "138****5678")
        self.assertEqual(crypto.mask_name("张建国"), "张**")
        self.assertTrue(crypto.valid_id_number(ID_LI))
        self.assertFalse(crypto.valid_id_number("110101199003074515"))


class MaskingByRoleTests(ServiceTestCase):
    def list_page(self, user):
        self.login(user)
        return self.client.get(reverse("service-volunteers"))

    def test_it_masks_numbers_in_the_list_for_everyone_even_the_office(self):
        for user in (self.county_admin, self.county_viewer, self.city_admin, self.city_leader, self.team_a_admin):
            page = self.list_page(user)
            self.assertEqual(page.status_code, 200, user.username)
            self.assertNotContains(page, ID_WANG, msg_prefix=user.username)
            self.assertNotContains(page, "13800001111", msg_prefix=user.username)
            self.assertContains(page, "110***********4514", msg_prefix=user.username)
            self.assertContains(page, "138****1111", msg_prefix=user.username)

    def test_it_lists_for_a_team_admin_only_their_teams_volunteers(self):
        outside = Volunteer.objects.create(jurisdiction=self.county, name="孙悟", phone="13800004444")
        page = self.list_page(self.team_a_admin)
        names = {v.name for v, _ in page.context["rows"]}
        self.assertIn("王芳", names)
        self.assertNotIn(outside.name, names)
        self.assertEqual(self.list_page(self.outsider).status_code, 403)

    def test_it_masks_the_export_for_everyone_even_the_office(self):
        for user in (self.county_admin, self.county_viewer, self.team_a_admin):
            self.login(user)
            cells = xlsx_cells(self.client.get(reverse("service-volunteers-xlsx")))
            self.assertNotIn(ID_WANG, cells, user.username)
            self.assertNotIn("13800001111", cells, user.username)
            self.assertIn("110***********4514", cells, user.username)
            self.assertIn("138****1111", cells, user.username)
        self.assertFalse(ServiceEvent.objects.filter(kind="contacts_exported").exists(), "a masked export records nothing")

    def test_it_shows_a_volunteer_their_own_numbers(self):
        user = self._service_user("wangfang_user", team=self.team_b)
        ServiceRole.objects.filter(user=user).delete()
        Volunteer.objects.filter(pk=self.wang.pk).update(user=user)
        self.login(user)
        page = self.client.get(reverse("service-volunteer", args=[self.wang.pk]))
        self.assertContains(page, ID_WANG)
        self.assertEqual(self.client.get(reverse("service-volunteer", args=[self.li.pk])).status_code, 404)
        self.login(self.team_a_admin)
        page = self.client.get(reverse("service-volunteer", args=[self.wang.pk]))
        self.assertNotContains(page, ID_WANG)
        self.assertContains(page, "138****1111")

    def test_it_shows_order_contacts_only_to_those_handling_it(self):
        order = self.place()
        actions.do_pool_order(order, self.gucheng_officer, self.roles(self.gucheng_officer))
        self.login(self.team_a_admin)  # a pool team sees the order before taking it, but not the contact
        page = self.client.get(reverse("service-order", args=[order.pk]))
        self.assertContains(page, "139****5678")
        self.assertNotContains(page, "13912345678")
        actions.do_accept_order(order, self.team_a_admin, self.roles(self.team_a_admin), self.team_a)
        page = self.client.get(reverse("service-order", args=[order.pk]))
        self.assertContains(page, "13912345678")
        self.assertContains(page, "张建国")
        for user in (self.county_viewer, self.city_admin):
            self.login(user)
            page = self.client.get(reverse("service-order", args=[order.pk]))
            self.assertNotContains(page, "13912345678", msg_prefix=user.username)


def xlsx_cells(response) -> set[str]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return {str(c.value) for row in sheet.iter_rows() for c in row if c.value}


class FullExportTests(ServiceTestCase):
    """导出（含完整号码）: the office's own volunteers, by POST, each export recorded (the count, never the numbers)."""

    def full_export(self, user, **query):
        self.login(user)
        url = reverse("service-volunteers-xlsx-full")
        return self.client.post(url + "?" + "&".join(f"{k}={v}" for k, v in query.items()), {"j": self.county.pk})

    def test_the_list_offers_the_full_export_to_the_office_only(self):
        self.login(self.county_admin)
        self.assertContains(self.client.get(reverse("service-volunteers")), "导出（含完整号码）")
        for user in (self.county_viewer, self.team_a_admin):
            self.login(user)
            page = self.client.get(reverse("service-volunteers"))
            self.assertNotContains(page, reverse("service-volunteers-xlsx-full"), msg_prefix=user.username)
        self.login(self.city_admin)  # the city's own volunteers only, not the county's
        self.assertEqual(self.client.get(reverse("service-volunteers")).context["offices"], [self.city])

    def test_the_full_export_has_the_numbers_and_records_the_event_without_them(self):
        response = self.full_export(self.county_admin, q="王")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "no-store")
        cells = xlsx_cells(response)
        self.assertIn(ID_WANG, cells)
        self.assertIn("13800001111", cells)
        self.assertNotIn("13800002222", cells, "the list's filters apply")
        event = ServiceEvent.objects.get(kind="contacts_exported")
        self.assertEqual((event.actor, event.jurisdiction, event.details["new"]), (self.county_admin, self.county, 1))
        stored = str(event.details) + event.subject
        self.assertNotIn(ID_WANG, stored)
        self.assertNotIn("13800001111", stored)
        self.login(self.county_admin)
        history = self.client.get(reverse("service-history"), {"j": self.county.pk})
        self.assertContains(history, "导出志愿者完整号码")
        self.assertContains(history, "1 人")

    def test_the_full_export_is_refused_to_anyone_but_the_office_of_the_volunteers(self):
        reporter = get_user_model().objects.create_user("kx_reporter")
        Membership.objects.create(user=reporter, jurisdiction=self.county, role=Membership.Role.UNIT_REPORTER, unit=self.kx)
        for user in (self.county_viewer, self.city_admin, self.city_leader, self.other_county_admin, self.team_a_admin,
                     reporter, self.outsider):
            self.assertEqual(self.full_export(user).status_code, 403, user.username)
        self.login(self.county_admin)
        self.assertEqual(self.client.get(reverse("service-volunteers-xlsx-full")).status_code, 405, "a POST action only")
        self.assertFalse(ServiceEvent.objects.filter(kind="contacts_exported").exists())

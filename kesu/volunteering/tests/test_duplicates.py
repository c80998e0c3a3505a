"""Volunteers are registered once (issue 10, item 8): the same ID or phone number — compared by keyed digest, the
numbers stay encrypted — is refused on create, edit and .xlsx import (against the register and within the file),
naming and linking the volunteer already registered. Numbers are masked on every page, even for the office, which
reveals one record at a time (显示完整号码, recorded in 操作记录)."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kesu.volunteering import crypto
from kesu.volunteering.importing import ImportRefused, check_file, do_import
from kesu.volunteering.models import ServiceEvent, Volunteer
from kesu.volunteering.registry import DuplicateVolunteer, do_save_volunteer
from kesu.volunteering.tests.base import ID_LI, ID_WANG, ServiceTestCase
from kesu.volunteering.tests.test_imports import xlsx

HEADER = ["姓名*", "性别", "身份证号", "手机号*", "专业特长", "服务主题", "所在区域", "工作单位", "注册日期", "服务队"]


def row(name: str, id_number: str, phone: str) -> list[str]:
    return [name, "", id_number, phone, "", "", "", "", "", ""]


class DuplicateImportTests(ServiceTestCase):
    def test_an_import_row_with_a_registered_phone_is_refused_naming_the_volunteer(self):
        """The bug: an .xlsx import created a second volunteer with an existing volunteer's phone number."""
        data = xlsx([HEADER, row("王芳芳", "", "138-0000-1111"), row("新人", "", "13911110000")])
        checked = check_file("volunteers", data, "v.xlsx", self.county)
        [problem] = checked.problems
        self.assertEqual((problem.row, problem.column, problem.volunteer), (2, "手机号", self.wang.pk))
        self.assertIn("王芳", str(problem))
        with self.assertRaises(ImportRefused):  # all or nothing
            do_import("volunteers", data, "v.xlsx", self.county, self.county_admin, set())
        self.assertFalse(Volunteer.objects.filter(name__in=["王芳芳", "新人"]).exists())
        self.assertEqual(Volunteer.objects.filter(phone_digest=crypto.digest("13800001111")).count(), 1)
        self.assertEqual(do_import("volunteers", data, "v.xlsx", self.county, self.county_admin, {2}), 1)  # skipped

    def test_an_import_row_with_a_registered_id_number_is_refused(self):
        checked = check_file("volunteers", xlsx([HEADER, row("冒名", ID_LI, "13911110001")]), "v.xlsx", self.county)
        [problem] = checked.problems
        self.assertEqual((problem.column, problem.volunteer), ("身份证号", self.li.pk))

    def test_rows_repeating_a_number_within_the_file_are_refused(self):
        data = xlsx([HEADER, row("甲", "", "13911112222"), row("乙", "", "139 1111 2222"),
                     row("丙", "320102198001011238", "13911113333"), row("丁", "320102198001011238", "13911114444")])
        problems = [str(p) for p in check_file("volunteers", data, "v.xlsx", self.county).problems]
        self.assertEqual(problems, ["第 3 行「手机号」：与第 2 行的手机号相同：同一人只登记一次",
                                    "第 5 行「身份证号」：与第 4 行的身份证号相同：同一人只登记一次"])

    def test_the_review_page_links_to_the_registered_volunteer(self):
        self.login(self.county_admin)
        data = xlsx([HEADER, row("王芳芳", "", "13800001111")])
        response = self.client.post(reverse("service-import", args=["volunteers"]) + f"?j={self.county.pk}",
                                    {"j": self.county.pk, "file": SimpleUploadedFile("v.xlsx", data)}, follow=True)
        self.assertContains(response, reverse("service-volunteer", args=[self.wang.pk]))
        self.assertContains(response, "查看现有志愿者")


class DuplicateFormTests(ServiceTestCase):
    def test_creating_a_volunteer_with_a_registered_phone_suggests_the_existing_one(self):
        self.login(self.county_admin)
        response = self.client.post(reverse("service-volunteer-new") + f"?j={self.county.pk}", {
            "j": self.county.pk, "name": "王芳", "phone": "138 0000 1111", "registered_on": "2024-01-02"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "手机号与已登记的志愿者“王芳”")
        self.assertContains(response, "合并建议")
        self.assertContains(response, f'href="{reverse("service-volunteer", args=[self.wang.pk])}"')
        self.assertEqual(Volunteer.objects.filter(name="王芳").count(), 1)

    def test_editing_a_volunteer_to_another_ones_number_is_refused(self):
        with self.assertRaises(DuplicateVolunteer) as refusal:
            do_save_volunteer(self.county, self.county_admin, {"name": "李强", "phone": "13800001111"}, self.li)
        self.assertEqual(refusal.exception.existing, self.wang)
        with self.assertRaises(DuplicateVolunteer):
            do_save_volunteer(self.county, self.county_admin, {"name": "李强", "id_number": ID_WANG}, self.li)
        self.li.refresh_from_db()
        self.assertEqual((self.li.phone, self.li.id_number), ("13800002222", ID_LI))

    def test_the_edit_form_never_shows_the_numbers_and_an_empty_field_keeps_them(self):
        self.login(self.county_admin)
        url = reverse("service-volunteer-edit", args=[self.li.pk])
        page = self.client.get(url)
        self.assertNotContains(page, "13800002222")
        self.assertNotContains(page, ID_LI)
        self.assertContains(page, "138****2222")
        response = self.client.post(url, {"name": "李强", "skills": "急救培训", "registered_on": "2023-05-01"})
        self.assertRedirects(response, reverse("service-volunteer", args=[self.li.pk]))
        li = Volunteer.objects.get(pk=self.li.pk)
        self.assertEqual((li.skills, li.phone, li.id_number), ("急救培训", "13800002222", ID_LI))

    def test_existing_volunteers_get_their_phone_digest_from_the_migration(self):
        Volunteer.objects.update(phone_digest="")
        migration = importlib.import_module("kesu.volunteering.migrations.0003_volunteer_phone_digest")
        migration.backfill_phone_digests(apps, None)
        self.assertEqual(Volunteer.objects.get(pk=self.wang.pk).phone_digest, crypto.digest("13800001111"))
        self.assertFalse(Volunteer.objects.filter(phone_digest="").exists())


class RevealTests(ServiceTestCase):
    def detail(self, user):
        self.login(user)
        return self.client.get(reverse("service-volunteer", args=[self.wang.pk]))

    def reveal(self, user):
        self.login(user)
        return self.client.post(reverse("service-volunteer-reveal", args=[self.wang.pk]))

    def test_the_office_sees_masked_numbers_until_it_reveals_one_record_which_is_recorded(self):
        page = self.detail(self.county_admin)
        self.assertNotContains(page, ID_WANG)
        self.assertNotContains(page, "13800001111")
        self.assertContains(page, "138****1111")
        self.assertContains(page, "显示完整号码")
        revealed = self.reveal(self.county_admin)
        self.assertContains(revealed, ID_WANG)
        self.assertContains(revealed, "13800001111")
        self.assertEqual(revealed["Cache-Control"], "no-store")
        event = ServiceEvent.objects.get(kind=ServiceEvent.Kind.CONTACT_REVEALED)
        self.assertEqual((event.actor, event.jurisdiction, event.subject), (self.county_admin, self.county, "王芳"))
        self.assertNotIn("13800001111", str(event.details))
        self.assertNotContains(self.detail(self.county_admin), "13800001111")  # shown once
        history = self.client.get(reverse("service-history") + f"?j={self.county.pk}")
        self.assertContains(history, "查看志愿者完整号码")

    def test_reveal_is_refused_to_anyone_without_rights_and_is_post_only(self):
        for user, status in ((self.county_viewer, 403), (self.team_a_admin, 403), (self.city_admin, 403),
                             (self.other_county_admin, 404), (self.outsider, 404)):
            response = self.reveal(user)
            self.assertEqual(response.status_code, status, user.username)
            self.assertNotContains(response, "13800001111", status_code=status)
        self.login(self.county_admin)
        self.assertEqual(self.client.get(reverse("service-volunteer-reveal", args=[self.wang.pk])).status_code, 405)
        self.assertFalse(ServiceEvent.objects.filter(kind=ServiceEvent.Kind.CONTACT_REVEALED).exists())
        self.assertNotContains(self.detail(self.county_viewer), "显示完整号码")

"""The confirming step of an .xlsx import (bases, volunteers, activities) checks the role again: an office admin
demoted to viewer between uploading and confirming imports nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kesu.org.models import Membership
from kesu.volunteering.importing import ImportRefused, do_import
from kesu.volunteering.models import ImportBatch, ScienceBase
from kesu.volunteering.tests.base import ServiceTestCase
from kesu.volunteering.tests.test_imports import BASE_HEADER, xlsx

GOOD = xlsx([BASE_HEADER, ["县科技馆", "县级", "县科协", "科技场馆类", "常年开放", "古城镇", "人民路1号", 2023, ""]])


class ConfirmStepTests(ServiceTestCase):
    def uploaded(self) -> ImportBatch:
        self.client.force_login(self.county_admin)
        response = self.client.post(f"{reverse('service-import', args=['bases'])}?j={self.county.pk}",
                                    {"file": SimpleUploadedFile("bases.xlsx", GOOD)})
        batch = ImportBatch.objects.get()
        self.assertRedirects(response, reverse("service-import-review", args=[batch.pk]))
        return batch

    def demote(self) -> None:
        Membership.objects.filter(user=self.county_admin, jurisdiction=self.county).update(role=Membership.Role.VIEWER)

    def test_a_demoted_admin_cannot_confirm_the_import(self):
        batch = self.uploaded()
        self.demote()
        response = self.client.post(reverse("service-import-review", args=[batch.pk]), {"skip": ""})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(ScienceBase.objects.exists())
        batch.refresh_from_db()
        self.assertIsNone(batch.imported_at)

    def test_the_admin_still_in_office_confirms(self):
        batch = self.uploaded()
        self.client.post(reverse("service-import-review", args=[batch.pk]), {"skip": ""})
        self.assertTrue(ScienceBase.objects.filter(name="县科技馆").exists())

    def test_the_action_itself_refuses_an_actor_who_is_not_the_office(self):
        with self.assertRaisesMessage(ImportRefused, "襄汾县科协办公室管理员"):
            do_import("bases", GOOD, "bases.xlsx", self.county, self.county_viewer, set())
        self.assertFalse(ScienceBase.objects.exists())

    def test_a_skip_list_with_an_absurd_range_is_refused_with_a_message(self):
        batch = self.uploaded()
        response = self.client.post(reverse("service-import-review", args=[batch.pk]), {"skip": "2-99999999999"})
        self.assertContains(response, "不是行号")
        self.assertFalse(ScienceBase.objects.exists())

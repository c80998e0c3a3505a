"""Every .xlsx import offers 下载示例文件: a sample generated from the importer's own columns with the
jurisdiction's real names and today's dates, which imports unchanged without a problem."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kesu.tracking.models import Activity
from kesu.volunteering.importing import IMPORTERS
from kesu.volunteering.models import ImportBatch, ScienceBase, Team, Volunteer
from kesu.volunteering.tests.base import ServiceTestCase

COUNTS = {"volunteers": lambda: Volunteer.objects.count(), "teams": lambda: Team.objects.count(),
          "bases": lambda: ScienceBase.objects.count(), "activities": lambda: Activity.objects.count()}


class SampleFileTests(ServiceTestCase):
    def import_sample(self, kind: str) -> None:
        self.login(self.county_admin)
        page = self.client.get(reverse("service-import", args=[kind]), {"j": self.county.pk})
        sample_url = f"{reverse('service-import-template', args=[kind])}?j={self.county.pk}"
        self.assertContains(page, "下载示例文件")
        self.assertContains(page, sample_url.replace("&", "&amp;"))
        sample = self.client.get(sample_url)
        self.assertEqual(sample.status_code, 200)
        before = COUNTS[kind]()
        form = {"j": self.county.pk, "file": SimpleUploadedFile("示例.xlsx", sample.content)}
        if kind == "activities":
            form["plan"] = self.plan.pk
        response = self.client.post(reverse("service-import", args=[kind]) + f"?j={self.county.pk}", form)
        batch = ImportBatch.objects.get(kind=kind)
        review = self.client.get(response["Location"])
        self.assertNotContains(review, "问题清单")
        self.assertContains(review, "确认导入 1 条")
        self.assertEqual(self.client.post(response["Location"], {"skip": ""}).status_code, 302)
        self.assertEqual(COUNTS[kind](), before + 1)
        self.assertEqual(ImportBatch.objects.get(pk=batch.pk).imported_count, 1)

    def test_the_volunteer_sample_imports(self):
        self.import_sample("volunteers")
        volunteer = Volunteer.objects.get(name="张三")
        self.assertEqual(volunteer.area, self.gucheng)
        self.assertTrue(volunteer.memberships.exists())

    def test_the_team_sample_imports(self):
        self.import_sample("teams")
        team = Team.objects.get(name="襄汾县科普志愿服务1队")
        self.assertEqual((team.area, team.in_pool), (self.gucheng, True))
        self.assertIsNotNone(team.unit)
        self.assertEqual(team.topics.count(), 2)

    def test_the_team_sample_is_laid_out_by_the_importers_columns(self):
        self.login(self.county_admin)
        sample = self.client.get(f"{reverse('service-import-template', args=['teams'])}?j={self.county.pk}")
        header = [c.value for c in next(load_workbook(io.BytesIO(sample.content)).active.iter_rows())]
        self.assertEqual(header, [f"{c.header}*" if c.required else c.header for c in IMPORTERS["teams"].spec.columns])

    def test_the_base_sample_imports(self):
        self.import_sample("bases")

    def test_the_activity_sample_imports(self):
        self.import_sample("activities")
        activity = Activity.objects.get()
        self.assertEqual((activity.online, activity.participants, activity.audience_text), ("offline", 120, "老年人 40、青少年/学生 80"))

    def test_another_countys_office_cannot_download_this_countys_sample(self):
        self.login(self.other_county_admin)
        url = f"{reverse('service-import-template', args=['volunteers'])}?j={self.county.pk}"
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.team_a_admin)
        self.assertEqual(self.client.get(reverse("service-import-template", args=["bases"])).status_code, 403)
        self.login(self.other_county_admin)
        url = f"{reverse('service-import-template', args=['teams'])}?j={self.county.pk}"
        self.assertEqual(self.client.get(url).status_code, 403)

"""Importing real documents: the CLI command and the upload page, including bad and revised files."""

import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kesu.org.models import Jurisdiction
from kesu.plans.models import PendingImport, Plan, Task
from kesu.testing import BaseTestCase, shared_dir


def seed(index: int) -> Path:
    return sorted((shared_dir() / "seeds").glob("*.txt"))[index]


class ImportCommandTests(BaseTestCase):
    def setUp(self):
        if not (shared_dir() / "seeds").is_dir():
            self.skipTest("shared seeds not found")

    def run_import(self, path: Path, *args: str) -> str:
        out = io.StringIO()
        call_command("import_plan", str(path), *args, stdout=out)
        return out.getvalue()

    def test_it_imports_a_plan_under_a_new_jurisdiction_with_its_parent(self):
        output = self.run_import(seed(0), "--jurisdiction", "晋城市", "--parent", "山西省")
        plan = Plan.objects.get(jurisdiction__name="晋城市")
        self.assertEqual(plan.jurisdiction.parent, self.province)
        self.assertEqual(plan.jurisdiction.level, "city")
        self.assertIn("已导入", output)
        self.assertGreaterEqual(Task.objects.filter(section__plan=plan).count(), 30)

    def test_it_changes_nothing_on_a_second_import(self):
        self.run_import(seed(0), "--jurisdiction", "晋城市")
        output = self.run_import(seed(0), "--jurisdiction", "晋城市")
        self.assertIn("内容相同，未做任何修改", output)
        self.assertEqual(Plan.objects.get().events.count(), 1)

    def test_it_asks_before_applying_a_revised_document(self):
        self.run_import(seed(1), "--jurisdiction", "襄汾县")
        revised = Path(self.id().replace(".", "_") + ".txt")
        tmp = Path("/tmp") / revised
        tmp.write_text(seed(1).read_text(encoding="utf-8").replace("县总工会牵头", "县总工会、县人社局牵头"), encoding="utf-8")
        with self.assertRaises(SystemExit) as exit_info:
            self.run_import(tmp, "--jurisdiction", "襄汾县")
        self.assertEqual(exit_info.exception.code, 3)
        self.assertFalse(Task.objects.filter(responsibilities__written_name="县人社局", responsibilities__role="lead",
                                             title="开展理想信念和职业精神宣传教育").exists())
        output = self.run_import(tmp, "--jurisdiction", "襄汾县", "--yes")
        self.assertIn("已按修订稿更新", output)
        self.assertTrue(Task.objects.filter(responsibilities__written_name="县人社局", responsibilities__role="lead",
                                            title="开展理想信念和职业精神宣传教育").exists())

    def test_it_explains_an_unreadable_file_and_stores_nothing(self):
        broken = Path("/tmp/损坏的方案.docx")
        broken.write_bytes(b"this is not a zip file")
        with self.assertRaises(CommandError) as error:
            self.run_import(broken, "--jurisdiction", "新县")
        self.assertIn("损坏的方案.docx", str(error.exception))
        self.assertFalse(Jurisdiction.objects.filter(name="新县").exists())

    def test_it_refuses_a_document_that_is_not_a_plan(self):
        letter = Path("/tmp/会议通知.txt")
        letter.write_text("关于召开全县安全生产工作会议的通知\n\n各乡镇：定于下周一召开会议。\n", encoding="utf-8")
        with self.assertRaises(CommandError) as error:
            self.run_import(letter, "--jurisdiction", "新县")
        self.assertRegex(str(error.exception), "提升行动|重点工程")
        self.assertFalse(Plan.objects.exists())
        self.assertFalse(Jurisdiction.objects.filter(name="新县").exists())


class ImportUploadTests(BaseTestCase):
    def setUp(self):
        if not (shared_dir() / "seeds").is_dir():
            self.skipTest("shared seeds not found")
        self.login(self.county_admin)

    def upload(self, name: str, data: bytes):
        return self.client.post(reverse("plan-import"), {
            "file": SimpleUploadedFile(name, data), "jurisdiction": self.county.pk,
        })

    def test_it_previews_then_imports_after_confirmation(self):
        response = self.upload("襄汾县方案.txt", seed(1).read_bytes())
        pending = PendingImport.objects.get()
        self.assertRedirects(response, reverse("plan-import-confirm", args=[pending.pk]))
        self.assertFalse(Plan.objects.exists())
        page = self.client.get(reverse("plan-import-confirm", args=[pending.pk]))
        self.assertContains(page, "襄汾县全民科学素质行动规划纲要实施方案")
        response = self.client.post(reverse("plan-import-confirm", args=[pending.pk]))
        plan = Plan.objects.get()
        self.assertRedirects(response, reverse("plan-overview", args=[plan.pk]))
        self.assertEqual(plan.source_name, "襄汾县方案.txt")
        self.assertFalse(PendingImport.objects.exists())

    def test_it_accepts_a_gbk_encoded_text_file(self):
        text = seed(1).read_text(encoding="utf-8")
        self.upload("gbk.txt", text.encode("gb18030"))
        self.client.post(reverse("plan-import-confirm", args=[PendingImport.objects.get().pk]))
        self.assertTrue(Plan.objects.exists())

    def test_it_names_the_file_and_the_problem_for_a_bad_upload(self):
        response = self.upload("方案扫描件.pdf", b"%PDF-1.4 broken")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "方案扫描件.pdf", status_code=400)
        self.assertFalse(PendingImport.objects.exists())
        self.assertFalse(Plan.objects.exists())

    def test_it_refuses_to_import_into_another_jurisdiction(self):
        response = self.client.post(reverse("plan-import"), {
            "file": SimpleUploadedFile("a.txt", seed(1).read_bytes()), "jurisdiction": self.other_county.pk,
        })
        self.assertEqual(response.status_code, 400)
        self.assertFalse(PendingImport.objects.exists())

    def test_it_keeps_another_users_pending_import_private(self):
        self.upload("a.txt", seed(1).read_bytes())
        pending = PendingImport.objects.get()
        self.login(self.city_admin)
        self.assertEqual(self.client.get(reverse("plan-import-confirm", args=[pending.pk])).status_code, 404)

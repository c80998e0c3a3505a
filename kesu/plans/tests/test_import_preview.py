"""The import confirmation lists every section and measure with its units and targets (comparators in words)
and the parser's warnings, before anything is stored; a revision still shows its list of changes."""

from django.urls import reverse

from kesu.plans.import_preview import target_phrase
from kesu.plans.models import PendingImport, Plan
from kesu.testing import BaseTestCase, small_plan


class ImportPreviewTests(BaseTestCase):
    def pending(self, parsed: dict, sha: str = "sha-new") -> PendingImport:
        return PendingImport.objects.create(jurisdiction=self.county, uploaded_by=self.county_admin,
                                            source_name="方案.txt", source_sha256=sha, parsed=parsed)

    def confirm_page(self, parsed: dict):
        self.login(self.county_admin)
        return self.client.get(reverse("plan-import-confirm", args=[self.pending(parsed).pk]))

    def test_it_lists_every_measure_with_its_units_and_targets(self):
        response = self.confirm_page(small_plan())
        for text in ("青少年科学素质提升行动", "提升基础教育阶段科学教育水平", "实施教师科学素质提升工程",
                     "健全基层科普服务体系", "县教科局", "团县委", "各成员单位",
                     "学生科普活动参与率：不低于90%", "科技志愿服务队人数：2025年不低于3000人"):
            self.assertContains(response, text)
        self.assertContains(response, '<details class="section preview"', count=2)
        self.assertNotContains(response, "&gt;=")
        self.assertFalse(Plan.objects.exists())

    def test_it_shows_the_parsers_warnings_and_works_without_them(self):
        response = self.confirm_page(small_plan(warnings=["第 3 章未识别到牵头单位", "<b>原文</b>"]))
        self.assertContains(response, "识别提示")
        self.assertContains(response, "第 3 章未识别到牵头单位")
        self.assertContains(response, "&lt;b&gt;原文&lt;/b&gt;")
        self.assertNotContains(self.confirm_page(small_plan()), "card warnings")

    def test_a_revision_keeps_its_list_of_changes_and_shows_the_measures(self):
        self.import_plan()
        revised = small_plan()
        revised["sections"][0]["tasks"][0]["targets"][0]["value"] = 95
        response = self.confirm_page(revised)
        self.assertContains(response, "处修改")
        self.assertContains(response, "应用以上修改")
        self.assertContains(response, "学生科普活动参与率：不低于95%")

    def test_comparators_and_years_read_in_chinese(self):
        target = {"indicator": "科普讲座", "value": 6.0, "unit": "次", "comparator": ">", "year": None, "annual": True}
        self.assertEqual(target_phrase(target), "科普讲座：每年超过6次")
        self.assertEqual(target_phrase(target | {"comparator": "=", "annual": False, "year": 2025}), "科普讲座：2025年达到6次")

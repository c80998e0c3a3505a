import json

from kesu.org.models import MemberUnit
from kesu.plans.actions import ImportRefused, do_import_plan, preview_import
from kesu.plans.models import Plan, PlanEvent, Target, Task
from kesu.plans.serialize import plan_to_dict
from kesu.testing import BaseTestCase, shared_dir, small_plan


class ImportPlanTests(BaseTestCase):
    def test_it_stores_sections_tasks_responsibilities_targets_and_phases(self):
        plan = self.import_plan()
        self.assertEqual(plan.sections.count(), 2)
        self.assertEqual(Task.objects.filter(section__plan=plan).count(), 3)
        self.assertEqual(Target.objects.filter(task__section__plan=plan).count(), 2)
        self.assertEqual(plan.phases.get().name, "启动实施阶段")
        self.assertEqual((plan.baseline_value, plan.target_value, plan.target_comparator), (9.8, 14.5, ">"))
        self.assertEqual(plan.events.get().kind, PlanEvent.Kind.IMPORTED)

    def test_it_gives_back_what_it_stored(self):
        plan = self.import_plan()
        self.assertEqual(plan_to_dict(plan), small_plan())

    def test_it_round_trips_every_seed_gold_file(self):
        gold_dir = shared_dir() / "seeds-gold"
        if not gold_dir.is_dir():
            self.skipTest(f"shared seeds-gold not found at {gold_dir}")
        for number, path in enumerate(sorted(gold_dir.glob("*.json"))):
            gold = json.loads(path.read_text(encoding="utf-8"))
            jurisdiction = self.province.children.create(name=f"测试{number}", level="city")
            plan = self.import_plan(gold, jurisdiction, sha=path.stem)
            exported = plan_to_dict(plan)
            for section in gold["sections"]:  # names are stored as written, once per list
                for task in section["tasks"]:
                    for role in ("lead", "support"):
                        task[role] = list(dict.fromkeys(task[role]))
            self.assertEqual(exported["sections"], gold["sections"], path.name)

    def test_it_changes_nothing_when_the_same_document_is_imported_again(self):
        plan = self.import_plan()
        before = plan_to_dict(plan)
        outcome = do_import_plan(small_plan(), jurisdiction=self.county, source_name="plan.txt",
                                 source_sha256="sha-1", actor=None, confirm=True)
        self.assertTrue(outcome.unchanged)
        self.assertEqual(plan_to_dict(Plan.objects.get()), before)
        self.assertEqual(PlanEvent.objects.count(), 1)

    def test_it_treats_a_new_file_with_identical_content_as_unchanged(self):
        self.import_plan()
        outcome = do_import_plan(small_plan(), jurisdiction=self.county, source_name="copy.docx",
                                 source_sha256="sha-2", actor=None)
        self.assertTrue(outcome.unchanged)

    def test_it_shows_a_revision_and_applies_it_only_on_confirmation(self):
        plan = self.import_plan()
        task_ids = set(Task.objects.values_list("pk", flat=True))
        revised = small_plan()
        revised["sections"][0]["tasks"][1]["support"] = ["县科协", "县妇联"]
        revised["sections"][0]["tasks"].append({"title": "实施科技创新后备人才培育计划", "lead": ["县教科局"], "support": [], "targets": []})
        preview = preview_import(revised, self.county, "sha-2")
        self.assertEqual([c.field for c in preview.changes], ["配合单位", "新增措施"])
        outcome = do_import_plan(revised, jurisdiction=self.county, source_name="v2.txt", source_sha256="sha-2", actor=None)
        self.assertTrue(outcome.needs_confirmation)
        self.assertEqual(Task.objects.count(), 3)
        outcome = do_import_plan(revised, jurisdiction=self.county, source_name="v2.txt", source_sha256="sha-2",
                                 actor=self.county_admin, confirm=True)
        self.assertTrue(outcome.applied)
        self.assertEqual(plan_to_dict(Plan.objects.get()), revised)
        self.assertTrue(task_ids <= set(Task.objects.values_list("pk", flat=True)), "existing measures keep their identity")
        self.assertTrue(plan.events.filter(kind=PlanEvent.Kind.REVISED, field="新增措施", actor=self.county_admin).exists())

    def test_it_keeps_a_target_identity_when_its_wording_is_revised(self):
        self.import_plan()
        target = Target.objects.get(value=3000)
        revised = small_plan()
        revised["sections"][1]["tasks"][0]["targets"][0]["text"] = "到2025年科技志愿服务队人数达3000人以上"
        do_import_plan(revised, jurisdiction=self.county, source_name="v2.txt", source_sha256="sha-2", actor=None, confirm=True)
        self.assertEqual(Target.objects.get(value=3000).pk, target.pk)

    def test_it_stores_nothing_for_a_parse_without_period_or_sections(self):
        for broken in (small_plan(period={}), small_plan(sections=[])):
            with self.assertRaises(ImportRefused):
                do_import_plan(broken, jurisdiction=self.county, source_name="x.txt", source_sha256="x", actor=None)
        self.assertFalse(Plan.objects.exists())
        self.assertFalse(MemberUnit.objects.exists())


class UnitIdentityTests(BaseTestCase):
    def plan_with_units(self, lead: list[str], support: list[str]) -> dict:
        parsed = small_plan()
        parsed["sections"][0]["tasks"][0].update(lead=lead, support=support)
        return parsed

    def test_it_names_one_unit_for_every_spelling_of_a_department(self):
        self.import_plan(self.plan_with_units(["市教育局"], ["教育局", "市教育局（科技局）", "团市委"]), self.city)
        names = set(MemberUnit.objects.filter(jurisdiction=self.city).values_list("name", flat=True))
        self.assertIn("市教育局", names)
        self.assertIn("团市委", names)
        self.assertNotIn("教育局", names)
        self.assertNotIn("市教育局（科技局）", names)

    def test_it_marks_a_phrase_for_every_member_unit(self):
        self.import_plan()
        self.assertTrue(MemberUnit.objects.get(name="各成员单位").stands_for_all)
        self.assertFalse(MemberUnit.objects.get(name="县科协").stands_for_all)

    def test_it_keeps_units_of_different_jurisdictions_apart(self):
        self.import_plan()
        self.import_plan(small_plan(), self.other_county, sha="other")
        self.assertEqual(MemberUnit.objects.filter(name="县科协").count(), 2)

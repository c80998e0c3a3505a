import io

from django.urls import reverse
from openpyxl import load_workbook

from kesu.plans.models import Plan, PlanEvent, Responsibility, Target, Task
from kesu.testing import BaseTestCase, small_plan


def browser_submission(page: str) -> dict[str, str]:
    """What a browser posts back from the page's form unchanged: each input's value (a date input only when it
    holds an ISO date, as browsers do), the selected option, the textarea's text."""
    import re
    from html import unescape

    data: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name, value, kind = (re.search(rf'{a}="([^"]*)"', tag) for a in ("name", "value", "type"))
        if name:
            raw = unescape(value.group(1)) if value else ""
            if kind and kind.group(1) == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raw = ""
            data[name.group(1)] = raw
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = unescape(chosen.group(1)) if chosen else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = unescape(text).lstrip("\n")
    return data


class PlanPagesTests(BaseTestCase):
    def setUp(self):
        self.plan = self.import_plan()
        self.login(self.county_viewer)

    def test_it_shows_sections_measures_units_and_targets_on_the_overview(self):
        response = self.client.get(reverse("plan-overview", args=[self.plan.pk]))
        for text in ("青少年科学素质提升行动", "提升基础教育阶段科学教育水平", "县教科局", "团县委", "学生科普活动参与率",
                     "9.8% →", "14.5%", "启动实施阶段"):
            self.assertContains(response, text)
        self.assertNotContains(response, "修改</a>")  # a viewer gets no edit links

    def test_it_marks_lead_and_support_per_section_in_the_matrix(self):
        response = self.client.get(reverse("plan-matrix", args=[self.plan.pk]))
        rows = {row.unit.name: row.marks for row in response.context["matrix"].rows}
        self.assertEqual(rows["县教科局"], ["牵头", "配合"])  # 配合 in grassroots through 各成员单位
        self.assertEqual(rows["县科协"], ["配合", "牵头"])
        self.assertNotIn("各成员单位", rows)
        self.assertContains(response, "指全体成员单位")

    def test_it_lists_what_a_unit_leads_and_supports(self):
        unit = Responsibility.objects.get(written_name="县教科局", task__position=0, section__position=0).unit
        response = self.client.get(reverse("plan-unit", args=[self.plan.pk, unit.pk]))
        duties = response.context["duties"]
        self.assertEqual([t.title for t in duties.leads], ["提升基础教育阶段科学教育水平", "实施教师科学素质提升工程"])
        self.assertEqual([t.title for t in duties.through_all_members], ["健全基层科普服务体系"])

    def test_it_exports_the_division_of_labour_to_excel(self):
        response = self.client.get(reverse("plan-export-division", args=[self.plan.pk]))
        self.assertIn("filename*=UTF-8''", response["Content-Disposition"])
        book = load_workbook(io.BytesIO(response.content))
        tasks = [[c.value for c in row] for row in book["任务分工"].iter_rows(min_row=3)]
        self.assertEqual(tasks[0][:4], ["青少年科学素质提升行动", "1. 提升基础教育阶段科学教育水平", "县教科局", "县科协、团县委"])
        matrix = [[c.value for c in row] for row in book["分工矩阵"].iter_rows(min_row=3, max_col=5)]
        self.assertIn(["县教科局", 2, 0, "牵头", "配合"], matrix)

    def test_it_exports_the_target_list_to_excel(self):
        response = self.client.get(reverse("plan-export-targets", args=[self.plan.pk]))
        rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3)]
        self.assertEqual(rows[0][2:5], ["公民具备科学素质的比例", 14.5, "%"])
        self.assertEqual(rows[2][2:7], ["科技志愿服务队人数", 3000, "人", "不低于", 2025])

    def test_it_prints_every_measure_with_its_units(self):
        response = self.client.get(reverse("plan-print", args=[self.plan.pk]))
        self.assertContains(response, "重点任务分工")
        self.assertContains(response, "健全基层科普服务体系")
        self.assertContains(response, '<button class="button" type="button" data-print>打印</button>', html=True)
        self.assertContains(response, "/static/kesu/kesu.js")

    def test_it_exports_the_structure_as_json(self):
        response = self.client.get(reverse("plan-export-json", args=[self.plan.pk]))
        self.assertEqual(response.json(), small_plan())


class PlanCorrectionTests(BaseTestCase):
    def setUp(self):
        self.plan = self.import_plan()
        self.task = Task.objects.get(title="实施教师科学素质提升工程")
        self.login(self.county_admin)

    def post_task(self, **fields):
        data = {"version": self.task.version, "title": self.task.title, "lead": "县教科局", "support": "县科协"} | fields
        return self.client.post(reverse("task-edit", args=[self.plan.pk, self.task.pk]), data)

    def test_it_saves_a_corrected_measure_and_keeps_who_changed_what(self):
        response = self.post_task(title="实施教师科学素质提升计划", support="县科协、团县委")
        self.assertEqual(response.status_code, 302)
        self.task.refresh_from_db()
        self.assertEqual(self.task.title, "实施教师科学素质提升计划")
        names = list(self.task.responsibilities.filter(role="support").values_list("written_name", flat=True))
        self.assertEqual(names, ["县科协", "团县委"])
        events = PlanEvent.objects.filter(kind=PlanEvent.Kind.EDITED, actor=self.county_admin)
        self.assertEqual({(e.field, e.old, e.new) for e in events},
                         {("措施标题", "实施教师科学素质提升工程", "实施教师科学素质提升计划"), ("配合单位", "县科协", "县科协、团县委")})
        history = self.client.get(reverse("plan-history", args=[self.plan.pk]))
        self.assertContains(history, "county_admin")
        self.assertContains(history, "实施教师科学素质提升计划")

    def test_it_refuses_a_save_from_a_stale_page_and_keeps_the_input(self):
        stale_version = self.task.version
        self.post_task(title="第一位同事的修改")
        response = self.post_task(title="第二位同事的修改", version=stale_version)
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "已被其他人修改", status_code=409)
        self.assertContains(response, "第二位同事的修改", status_code=409)
        self.task.refresh_from_db()
        self.assertEqual(self.task.title, "第一位同事的修改")

    def test_it_corrects_plan_metadata_and_phases(self):
        data = {"version": self.plan.version, "title": self.plan.title, "issuer": "襄汾县人民政府办公室",
                "doc_number": "襄政办发〔2022〕24号", "issued_on": "2022-10-21", "baseline_year": 2020,
                "baseline_value": 9.9, "target_year": 2025, "target_value": 15, "target_comparator": ">=",
                "phases": "启动实施阶段 2021-2022\n总结评估阶段 2025"}
        response = self.client.post(reverse("plan-edit", args=[self.plan.pk]), data)
        self.assertEqual(response.status_code, 302)
        plan = Plan.objects.get()
        self.assertEqual((plan.doc_number, plan.target_value, plan.baseline_value), ("襄政办发〔2022〕24号", 15, 9.9))
        self.assertEqual([(p.name, p.start, p.end) for p in plan.phases.all()],
                         [("启动实施阶段", 2021, 2022), ("总结评估阶段", 2025, 2025)])
        self.assertTrue(PlanEvent.objects.filter(field="文号", new="襄政办发〔2022〕24号").exists())

    def test_saving_the_plan_form_unchanged_keeps_its_dates(self):
        """The browser's date picker shows (and sends back) only an ISO date; anything else comes back empty."""
        issued = self.plan.issued_on
        page = self.client.get(reverse("plan-edit", args=[self.plan.pk])).content.decode()
        self.assertIn(f'type="date" name="issued_on" value="{issued:%Y-%m-%d}"', page)
        data = browser_submission(page)
        self.assertEqual(self.client.post(reverse("plan-edit", args=[self.plan.pk]), data).status_code, 302)
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.issued_on, issued)
        self.assertFalse(PlanEvent.objects.filter(field="印发日期").exists())

    def test_it_explains_a_malformed_phase_line(self):
        data = {"version": self.plan.version, "title": self.plan.title, "target_comparator": ">=", "phases": "启动阶段 明年"}
        response = self.client.post(reverse("plan-edit", args=[self.plan.pk]), data)
        self.assertContains(response, "第 1 行“启动阶段 明年”格式不对")

    def test_it_adds_edits_and_deletes_a_target(self):
        url = reverse("target-new", args=[self.plan.pk, self.task.pk])
        data = {"version": 0, "indicator": "科技教师培训", "value": 200, "unit": "人次", "comparator": ">=", "year": 2025, "text": ""}
        self.assertEqual(self.client.post(url, data).status_code, 302)
        target = Target.objects.get(indicator="科技教师培训")
        edit = reverse("target-edit", args=[self.plan.pk, target.pk])
        self.client.post(edit, data | {"version": target.version, "value": 300})
        target.refresh_from_db()
        self.assertEqual(target.value, 300)
        self.client.post(reverse("target-delete", args=[self.plan.pk, target.pk]))
        self.assertFalse(Target.objects.filter(pk=target.pk).exists())
        self.assertEqual(PlanEvent.objects.filter(kind=PlanEvent.Kind.EDITED).count(), 3)

    def test_it_rejects_an_annual_target_with_a_deadline(self):
        url = reverse("target-new", args=[self.plan.pk, self.task.pk])
        data = {"version": 0, "indicator": "培训", "value": 5, "unit": "次", "comparator": ">=", "year": 2025, "annual": "on"}
        response = self.client.post(url, data)
        self.assertContains(response, "年度目标（每年）不设截止年份")

    def test_it_publishes_and_unpublishes(self):
        self.client.post(reverse("plan-status", args=[self.plan.pk]), {"status": "published"})
        self.assertEqual(Plan.objects.get().status, "published")
        self.client.post(reverse("plan-status", args=[self.plan.pk]), {"status": "draft"})
        self.assertEqual(Plan.objects.get().status, "draft")
        self.assertEqual(PlanEvent.objects.filter(kind__in=["published", "unpublished"]).count(), 2)

    def test_it_merges_two_spellings_of_one_unit(self):
        parsed = small_plan()
        parsed["sections"][0]["tasks"][1]["lead"] = ["县教育科技局"]
        plan = self.import_plan(parsed, self.other_county, sha="o")
        self.login(self.other_county_admin)
        units = {u.name: u for u in plan.jurisdiction.units.all()}
        url = reverse("unit-merge", args=[plan.pk, units["县教育科技局"].pk])
        self.client.post(url, {"into": units["县教科局"].pk})
        leads = Responsibility.objects.filter(section__plan=plan, unit=units["县教科局"], role="lead").count()
        self.assertEqual(leads, 2)
        self.assertTrue(plan.jurisdiction.unit_aliases.filter(alias="县教育科技局").exists())


class ComparisonTests(BaseTestCase):
    def test_it_shows_the_counties_plans_side_by_side(self):
        self.import_plan()
        other = small_plan(title="乡宁县全民科学素质行动规划纲要实施方案（2021—2025年）")
        other["sections"] = other["sections"][:1]
        self.import_plan(other, self.other_county, sha="o")
        self.login(self.city_leader)
        response = self.client.get(reverse("compare", args=[self.city.pk]))
        self.assertEqual([s.plan.jurisdiction.name for s in response.context["summaries"]], ["襄汾县", "乡宁县"])
        rows = dict(response.context["rows"])
        self.assertIsNone(rows["基层科普能力"][1])
        self.assertEqual(response.context["summaries"][0].top_leads[0], ("县教科局", 2))


class SectionCorrectionTests(BaseTestCase):
    def test_it_corrects_a_sections_title_group_and_stated_responsibility(self):
        plan = self.import_plan()
        section = plan.sections.get(group="grassroots")
        self.login(self.county_admin)
        response = self.client.post(reverse("section-edit", args=[plan.pk, section.pk]), {
            "version": section.version, "title": "实施基层科普能力提升工程", "kind": "project", "group": "grassroots",
            "lead": "县科协、团县委", "support": "各成员单位",
        })
        self.assertEqual(response.status_code, 302)
        section.refresh_from_db()
        self.assertEqual(section.title, "实施基层科普能力提升工程")
        stated = section.responsibilities.filter(task__isnull=True, role="lead").values_list("written_name", flat=True)
        self.assertEqual(list(stated), ["县科协", "团县委"])
        self.assertEqual(set(PlanEvent.objects.filter(kind="edited").values_list("field", flat=True)), {"标题", "本章牵头单位"})

"""Corrections of a measure's or section's lead/supporting units pick from the jurisdiction's unit list: a
unit or one of its aliases (which stands for its unit); any other name is refused in Chinese, input kept."""

from django.urls import reverse

from kesu.org.models import MemberUnit, UnitAlias
from kesu.plans.models import Task
from kesu.testing import BaseTestCase


class UnitPickerTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = cls.import_plan(cls)
        cls.task = Task.objects.get(title="实施教师科学素质提升工程")
        cls.league = MemberUnit.objects.get(jurisdiction=cls.county, name="团县委")
        UnitAlias.objects.create(unit=cls.league, jurisdiction=cls.county, alias="共青团襄汾县委员会", key="共青团襄汾县委员会")
        MemberUnit.objects.create(jurisdiction=cls.other_county, name="乡宁县文旅局", key="文旅局")

    def post_task(self, **fields):
        self.login(self.county_admin)
        data = {"version": self.task.version, "title": self.task.title, "lead": "县教科局", "support": "县科协"} | fields
        return self.client.post(reverse("task-edit", args=[self.plan.pk, self.task.pk]), data)

    def test_the_form_offers_the_units_and_their_aliases(self):
        self.login(self.county_admin)
        response = self.client.get(reverse("task-edit", args=[self.plan.pk, self.task.pk]))
        self.assertContains(response, '<datalist id="unit-options">')
        self.assertContains(response, '<option value="团县委">共青团襄汾县委员会（即团县委）</option>')
        self.assertContains(response, 'data-unit-add="id_support"')
        self.assertNotContains(response, "乡宁县文旅局")

    def test_an_alias_resolves_to_its_unit(self):
        response = self.post_task(support="县科协、共青团襄汾县委员会")
        self.assertEqual(response.status_code, 302)
        row = self.task.responsibilities.get(role="support", written_name="共青团襄汾县委员会")
        self.assertEqual(row.unit, self.league)

    def test_an_unknown_name_is_refused_and_the_input_kept(self):
        response = self.post_task(title="改过的标题", support="县科协、县人社局")
        self.assertContains(response, "“县人社局”不是襄汾县的成员单位，也不是已登记的别名", status_code=200)
        self.assertContains(response, "县科协、县人社局")
        self.assertContains(response, "改过的标题")
        self.task.refresh_from_db()
        self.assertEqual(self.task.title, "实施教师科学素质提升工程")

    def test_another_jurisdictions_unit_is_refused(self):
        response = self.post_task(lead="乡宁县文旅局")
        self.assertContains(response, "不是襄汾县的成员单位")

    def test_the_section_form_checks_its_units_too(self):
        self.login(self.county_admin)
        section = self.plan.sections.get(group="grassroots")
        response = self.client.post(reverse("section-edit", args=[self.plan.pk, section.pk]), {
            "version": section.version, "title": section.title, "kind": "project", "group": "grassroots",
            "lead": "县科协", "support": "县气象局",
        })
        self.assertContains(response, "“县气象局”不是襄汾县的成员单位")

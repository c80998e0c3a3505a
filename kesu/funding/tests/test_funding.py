"""科普经费: entering a year (bad input refused, nothing stored; stale edits refused), per capita with its rule,
the standard inherited from above, allocation lines typed and imported, spending with evidence, units' own
funding, the dashboard card, the rubric's 经费保障, exports, and who may see and change what."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kesu.domain.funding_rules import FundingRefused
from kesu.domain.scoring_rubric import FUNDING
from kesu.funding import actions
from kesu.funding.figures import rubric_shares, summary
from kesu.funding.importing import sample_workbook
from kesu.funding.models import (
    AllocationImport,
    AllocationLine,
    FundingEvent,
    FundingYear,
    SpendingEntry,
    UnitFunding,
)
from kesu.funding.tests.base import FundingTestCase, xlsx, year_data
from kesu.plans.models import Task
from kesu.tracking.rubric_sources import shares

PDF = b"%PDF-1.4 test evidence"


class YearTests(FundingTestCase):
    def edit_url(self, year: int | None = None) -> str:
        return f"{reverse('funding-edit', args=[self.county.pk])}?year={year or self.year}"

    def post_year(self, **changes):
        return self.client.post(self.edit_url(), {"action": "year", "version": "0", **year_data(**changes)})

    def test_the_office_enters_the_year_and_sees_per_capita_with_its_rule(self):
        self.login(self.county_admin)
        response = self.post_year()
        self.assertEqual(response.status_code, 302)
        row = FundingYear.objects.get(jurisdiction=self.county, year=self.year)
        self.assertEqual((row.population, row.special_received), (400000, Decimal("76.00")))
        page = self.client.get(f"{reverse('funding-year', args=[self.county.pk])}?year={self.year}").content.decode()
        self.assertIn("1.9 元/人", page)  # 76 万元 × 10000 ÷ 400000
        self.assertIn("+26.7%", page)  # 76 against last year's 60
        self.assertIn("人均科普专项经费（元/人）= 本级财政科普专项经费（万元）× 10000 ÷ 常住人口", page)
        self.assertIn("预算到位率 = ", page)
        self.assertTrue(FundingEvent.objects.filter(year=self.year, field="常住人口（人）", new="400000").exists())

    def test_a_negative_amount_is_refused_naming_the_field_and_nothing_is_stored(self):
        self.login(self.county_admin)
        response = self.post_year(special_budgeted="-5")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "“本级财政科普专项经费（预算，万元）”不能为负数", status_code=400)
        self.assertContains(response, 'value="400000"', status_code=400)  # what was typed stays
        self.assertFalse(FundingYear.objects.filter(year=self.year).exists())

    def test_a_population_of_zero_is_refused_and_nothing_is_stored(self):
        self.login(self.county_admin)
        response = self.post_year(population="0")
        self.assertContains(response, "“常住人口”应大于 0", status_code=400)
        self.assertFalse(FundingYear.objects.filter(year=self.year).exists())
        with self.assertRaisesMessage(FundingRefused, "“常住人口”应大于 0"):
            actions.do_save_funding_year(self.county, self.year, self.county_admin, 0, year_data(population=0))
        self.assertFalse(FundingYear.objects.filter(year=self.year).exists())

    def test_special_above_the_government_total_is_refused(self):
        self.login(self.county_admin)
        response = self.post_year(government_total="50")
        self.assertContains(response, "大于“政府拨款”", status_code=400)
        self.assertFalse(FundingYear.objects.filter(year=self.year).exists())

    def test_without_population_per_capita_says_why(self):
        self.login(self.county_admin)
        self.post_year(population="")
        page = self.client.get(f"{reverse('funding-year', args=[self.county.pk])}?year={self.year}")
        self.assertContains(page, "无法计算：缺少常住人口")

    def test_a_stale_edit_is_refused_not_overwritten(self):
        row = actions.do_save_funding_year(self.county, self.year, self.county_admin, 0, year_data())
        actions.do_save_funding_year(self.county, self.year, self.county_admin, row.version, year_data(special_budgeted="90"))
        self.login(self.county_admin)
        response = self.client.post(self.edit_url(), {"action": "year", "version": str(row.version),
                                                      **year_data(special_budgeted="70")})
        self.assertContains(response, "已被他人修改", status_code=409)
        self.assertEqual(FundingYear.objects.get(year=self.year).special_budgeted, Decimal("90.00"))

    def test_who_sees_and_changes_a_countys_funding(self):
        page = reverse("funding-year", args=[self.county.pk])
        for user, status in ((self.county_admin, 200), (self.county_viewer, 200), (self.city_leader, 200),
                             (self.other_county_admin, 403), (self.outsider, 403), (self.edu_reporter, 403)):
            self.login(user)
            self.assertEqual(self.client.get(page).status_code, status, user.username)
        for user in (self.county_viewer, self.city_admin, self.other_county_admin, self.edu_reporter):
            self.login(user)
            self.assertEqual(self.post_year().status_code, 403, user.username)
        self.assertFalse(FundingYear.objects.filter(year=self.year).exists())


class StandardTests(FundingTestCase):
    def test_the_city_standard_is_inherited_and_judged_per_area(self):
        actions.do_save_funding_year(self.county, self.year, self.county_admin, 0, year_data())  # 1.9 元/人
        self.login(self.city_admin)
        url = f"{reverse('funding-edit', args=[self.city.pk])}?year={self.year}"
        self.assertEqual(self.client.post(url, {"action": "standard", "yuan_per_person": "-1"}).status_code, 400)
        self.client.post(url, {"action": "standard", "yuan_per_person": "1.5"})
        found = summary(self.county, self.year)
        self.assertEqual((found.standard, found.standard_verdict.state), (Decimal("1.50"), "met"))
        self.assertEqual(found.standard_source, f"临汾市设定（{self.year}年）")
        self.assertEqual((found.guarantee.done, found.guarantee.due), (2, 2))
        areas = self.client.get(f"{reverse('funding-areas', args=[self.city.pk])}?year={self.year}").content.decode()
        self.assertIn("襄汾县", areas)
        self.assertIn("乡宁县", areas)
        self.assertIn("1.9", areas)
        self.assertIn("达标", areas)
        self.assertIn(">未填写</span>", areas)  # 乡宁县 entered nothing

    def test_a_county_cannot_set_the_citys_standard_and_its_own_overrides_it(self):
        self.login(self.county_admin)
        url = f"{reverse('funding-edit', args=[self.city.pk])}?year={self.year}"
        self.assertEqual(self.client.post(url, {"action": "standard", "yuan_per_person": "1"}).status_code, 403)
        actions.do_set_standard(self.city, self.year, self.city_admin, "1.5")
        actions.do_set_standard(self.county, self.year, self.county_admin, "3")
        self.assertEqual(summary(self.county, self.year).standard, Decimal("3.00"))
        self.assertEqual(summary(self.other_county, self.year).standard, Decimal("1.50"))

    def test_a_stale_standard_is_refused(self):
        actions.do_set_standard(self.city, self.year, self.city_admin, "1.5", 0)
        self.login(self.city_admin)
        url = f"{reverse('funding-edit', args=[self.city.pk])}?year={self.year}"
        response = self.client.post(url, {"action": "standard", "version": "0", "yuan_per_person": "2"})
        self.assertContains(response, "已被他人修改", status_code=409)
        self.assertEqual(summary(self.county, self.year).standard, Decimal("1.50"))


class RubricAndDashboardTests(FundingTestCase):
    def test_guarantee_counts_for_every_lead_unit_and_unknown_conditions_are_not_due(self):
        actions.do_save_funding_year(self.county, self.year, self.county_admin, 0, year_data(special_received="50"))
        by_unit = shares(self.plan, self.year, {FUNDING})[FUNDING]
        self.assertEqual(set(by_unit), {self.edu.pk, self.kx.pk})
        share = by_unit[self.edu.pk]
        self.assertEqual((share.done, share.due), (0, 1))  # no standard: only growth is due, and 50 < 60
        self.assertIn("经费保障", share.counted)
        actions.do_set_standard(self.province, self.year, None, "1")
        self.assertEqual((rubric_shares(self.plan, self.year)[self.kx.pk].done, rubric_shares(self.plan, self.year)[self.kx.pk].due), (1, 2))

    def test_the_plan_dashboard_shows_per_capita(self):
        actions.do_save_funding_year(self.county, self.year, self.county_admin, 0, year_data())
        self.login(self.county_admin)
        page = self.client.get(reverse("tracking-dashboard", args=[self.plan.pk]))
        self.assertContains(page, f"人均科普专项经费（{self.year}年）")
        self.assertContains(page, "1.9 元/人")


class LineTests(FundingTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.task = Task.objects.get(title="提升基础教育阶段科学教育水平")
        cls.line = actions.do_add_line(cls.county, cls.year, cls.county_admin, {
            "project": "青少年科技创新大赛", "content": "", "unit": cls.edu, "task": cls.task, "planned": "30"})

    def lines_url(self) -> str:
        return f"{reverse('funding-lines', args=[self.county.pk])}?year={self.year}"

    def test_the_office_adds_a_line_and_a_bad_amount_is_refused(self):
        self.login(self.county_admin)
        data = {"action": "add", "project": "全国科普日", "unit": self.kx.pk, "task": "", "planned": "-3"}
        self.assertContains(self.client.post(self.lines_url(), data), "不能为负数", status_code=400)
        self.assertEqual(AllocationLine.objects.count(), 1)
        self.assertEqual(self.client.post(self.lines_url(), {**data, "planned": "20"}).status_code, 302)
        page = self.client.get(self.lines_url())
        self.assertContains(page, "全国科普日")
        self.assertContains(page, "计划经费合计 <strong>50</strong> 万元")
        year = self.client.get(f"{reverse('funding-year', args=[self.county.pk])}?year={self.year}").content.decode()
        self.assertIn("青少年科学素质提升行动", year)  # share by section
        self.assertIn("60.0%", year)  # 30 of 50

    def test_a_reporter_or_another_county_cannot_change_lines(self):
        for user in (self.edu_reporter, self.other_county_admin, self.county_viewer):
            self.login(user)
            response = self.client.post(self.lines_url(), {"project": "x", "unit": self.kx.pk, "planned": "1"})
            self.assertEqual(response.status_code, 403, user.username)
            line = reverse("funding-line", args=[self.line.pk])
            self.assertEqual(self.client.post(line, {"action": "remove", "version": self.line.version}).status_code, 403)
        self.assertEqual(AllocationLine.objects.count(), 1)

    def test_spending_with_evidence_and_who_may_download_it(self):
        self.login(self.county_admin)
        url = reverse("funding-line", args=[self.line.pk])
        spent_on = dt.date(self.year, 1, 15)
        bad = SimpleUploadedFile("发票.pdf", b"not a pdf")
        response = self.client.post(url, {"action": "spend", "spent_on": spent_on, "amount": "12", "note": "赛事组织", "files": bad})
        self.assertContains(response, "内容与扩展名 .pdf 不符", status_code=400)
        self.assertFalse(SpendingEntry.objects.exists())
        good = SimpleUploadedFile("发票.pdf", PDF)
        self.assertEqual(self.client.post(url, {"action": "spend", "spent_on": spent_on, "amount": "12", "note": "赛事组织",
                                                "files": good}).status_code, 302)
        entry = SpendingEntry.objects.get()
        stored = entry.files.get()
        page = self.client.get(url)
        self.assertContains(page, "发票.pdf")
        self.assertContains(page, "40.0%")  # 12 of 30
        download = reverse("funding-file", args=[stored.pk])
        self.assertEqual(b"".join(self.client.get(download).streaming_content), PDF)
        for user in (self.other_county_admin, self.edu_reporter):
            self.login(user)
            self.assertEqual(self.client.get(download).status_code, 403)
        self.login(self.city_leader)
        self.assertEqual(self.client.get(download).status_code, 200)

    def test_editing_a_line_records_the_change_and_a_stale_edit_is_refused(self):
        self.login(self.county_admin)
        url = reverse("funding-line", args=[self.line.pk])
        data = {"action": "edit", "version": self.line.version, "project": "青少年科技创新大赛", "content": "",
                "unit": self.edu.pk, "task": self.task.pk, "planned": "35"}
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertTrue(FundingEvent.objects.filter(field="计划经费（万元）", old="30", new="35").exists())
        self.assertContains(self.client.post(url, {**data, "planned": "40"}), "已被他人修改", status_code=409)
        self.assertEqual(AllocationLine.objects.get().planned, Decimal("35.00"))

    def test_a_line_with_spending_cannot_be_removed(self):
        actions.do_record_spending(self.line, self.county_admin, dt.date(self.year, 1, 2), "1", "材料")
        with self.assertRaisesMessage(FundingRefused, "已登记支出，不能删除"):
            actions.do_remove_line(self.line, self.county_admin, self.line.version)


class ImportTests(FundingTestCase):
    HEADER = ["项目*", "内容", "实施单位*", "关联措施", "计划经费（万元）*"]

    def url(self) -> str:
        return f"{reverse('funding-import', args=[self.county.pk])}?year={self.year}"

    def upload(self, rows: list[list]):
        return self.client.post(self.url(), {"action": "upload", "file": SimpleUploadedFile("分配表.xlsx", xlsx([self.HEADER, *rows]))})

    def test_every_problem_is_named_by_row_and_column_and_nothing_is_imported(self):
        self.login(self.county_admin)
        response = self.upload([["科普日", "", "县科协", "", "-5"], ["", "", "市教育局", "", "3"],
                                ["大赛", "", "教科局", "不存在的措施", "abc"], ["讲座", "", "县科协", "", "2"]])
        page = self.client.get(response["Location"]).content.decode()
        self.assertIn("第 2 行「计划经费（万元）」：“计划经费（万元）”不能为负数", page)
        self.assertIn("第 3 行「项目」：必填", page)  # every problem of a row, not only the first
        self.assertIn("第 3 行「实施单位」：“市教育局”不是本地区的成员单位", page)
        self.assertIn("第 4 行「关联措施」", page)
        self.assertIn("第 4 行「计划经费（万元）」：“计划经费（万元）”应为金额（万元），“abc”不是数字", page)
        self.assertNotIn("确认导入", page)
        batch = AllocationImport.objects.get()
        refused = self.client.post(f"{self.url()}&batch={batch.pk}", {"action": "confirm"})
        self.assertContains(refused, "未导入任何数据", status_code=409)
        self.assertFalse(AllocationLine.objects.exists())

    def test_a_good_table_is_confirmed_once(self):
        self.login(self.county_admin)
        response = self.upload([["科普日", "主场活动", "县科协", "健全基层", 20], ["大赛", "", "教科局", "", "12.5"]])
        confirm = f"{response['Location']}"
        self.assertContains(self.client.get(confirm), "计划经费合计 32.5 万元")
        self.assertEqual(self.client.post(confirm, {"action": "confirm"}).status_code, 302)
        self.assertEqual(self.client.post(confirm, {"action": "confirm"}).status_code, 409)
        lines = list(AllocationLine.objects.order_by("position"))
        self.assertEqual([(line.project, line.unit, line.planned) for line in lines],
                         [("科普日", self.kx, Decimal("20.00")), ("大赛", self.edu, Decimal("12.50"))])
        self.assertEqual(lines[0].task.title, "健全基层科普服务体系")

    def test_the_sample_file_imports_unchanged_and_others_cannot_import(self):
        row = actions.ensure_year(self.county, self.year)
        self.login(self.county_admin)
        sample = self.client.get(f"{reverse('funding-sample', args=[self.county.pk])}?year={self.year}").content
        self.assertEqual(cells(sample), cells(sample_workbook(row)))  # the same sheets (the file's own timestamp aside)
        response = self.client.post(self.url(), {"action": "upload", "file": SimpleUploadedFile("示例.xlsx", sample)})
        self.client.post(response["Location"], {"action": "confirm"})
        self.assertEqual(AllocationLine.objects.count(), 2)
        for user in (self.county_viewer, self.edu_reporter, self.other_county_admin):
            self.login(user)
            self.assertEqual(self.upload([["科普日", "", "县科协", "", "1"]]).status_code, 403)

    def test_a_file_that_is_no_xlsx_is_refused(self):
        self.login(self.county_admin)
        response = self.client.post(self.url(), {"action": "upload", "file": SimpleUploadedFile("表.xlsx", b"garbage")})
        self.assertContains(response, "不是有效的 .xlsx 文件", status_code=400)


def cells(book: bytes) -> list[list[tuple]]:
    return [[tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in load_workbook(io.BytesIO(book)).worksheets]


class UnitFundingTests(FundingTestCase):
    def url(self) -> str:
        return f"{reverse('funding-units', args=[self.county.pk])}?year={self.year}"

    def test_a_reporter_fills_only_its_own_units_led_measures(self):
        led = Task.objects.get(title="实施教师科学素质提升工程")
        other = Task.objects.get(title="健全基层科普服务体系")  # led by 县科协
        self.login(self.edu_reporter)
        page = self.client.get(self.url()).content.decode()
        self.assertIn("实施教师科学素质提升工程", page)
        self.assertNotIn("健全基层科普服务体系", page)
        data = {"unit": self.edu.pk, "task": led.pk, "version": 0, "amount": "8", "note": "教师培训"}
        self.assertEqual(self.client.post(self.url(), data).status_code, 302)
        self.assertEqual(UnitFunding.objects.get().amount, Decimal("8.00"))
        self.assertEqual(self.client.post(self.url(), {**data, "task": other.pk, "version": 0}).status_code, 404)
        self.assertEqual(self.client.post(self.url(), {**data, "unit": self.kx.pk, "task": other.pk}).status_code, 403)
        self.assertContains(self.client.post(self.url(), {**data, "version": 0, "amount": "-1"}), "不能为负数", status_code=400)
        self.assertContains(self.client.post(self.url(), {**data, "version": 0}), "已被他人修改", status_code=409)
        self.login(self.kx_reporter)
        self.assertNotIn("教师培训", self.client.get(self.url()).content.decode())
        self.login(self.county_admin)
        self.assertContains(self.client.get(self.url()), "教师培训")
        self.login(self.other_county_admin)
        self.assertEqual(self.client.get(self.url()).status_code, 403)


class ExportTests(FundingTestCase):
    def test_statistics_layout_lists_the_area_and_every_area_below(self):
        actions.do_save_funding_year(self.county, self.year - 1, self.county_admin, 1, year_data(special_received="60"))
        self.login(self.city_admin)
        response = self.client.get(f"{reverse('funding-statistics', args=[self.city.pk])}?year={self.year - 1}")
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertIn("其中：科普专项经费", rows[1])
        county = next(r for r in rows if r[0] and "襄汾县" in str(r[0]))
        self.assertEqual(county[2:8], (135, 120, 60, 5, 10, None))  # 筹集额 = 120 + 5 + 10
        self.assertEqual(county[8], 115)  # 使用额
        self.assertEqual(county[13], 1.5)  # 60 万元 × 10000 ÷ 400000
        self.login(self.other_county_admin)
        self.assertEqual(self.client.get(f"{reverse('funding-statistics', args=[self.county.pk])}").status_code, 403)

    def test_lines_export_has_the_allocation_columns(self):
        actions.do_add_line(self.county, self.year, self.county_admin, {"project": "=HYPERLINK(1)", "content": "", "unit": self.kx,
                                                                        "task": None, "planned": "5"})
        self.login(self.county_viewer)
        response = self.client.get(f"{reverse('funding-lines-xlsx', args=[self.county.pk])}?year={self.year}")
        sheet = load_workbook(io.BytesIO(response.content)).active
        self.assertEqual([c.value for c in sheet[2]][:6], ["序号", "项目", "内容", "实施单位", "关联措施", "计划经费（万元）"])
        self.assertEqual(sheet.cell(3, 2).data_type, "s")

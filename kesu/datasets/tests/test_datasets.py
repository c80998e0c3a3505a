"""统计报表: opening and assigning a round, the pre-filled fill page, refusals that store nothing, review, access
across units and jurisdictions, aggregation up the tree, exports, reminders, target bindings."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.urls import reverse
from django.utils import timezone

from kesu.datasets.actions import (
    RoundRefused,
    StaleEdit,
    do_approve_submission,
    do_assign_respondents,
    do_open_round,
    do_save_values,
    do_send_due_data_reminders,
    do_set_binding,
)
from kesu.datasets.models import DataEvent, Submission
from kesu.datasets.prefill import prefills
from kesu.datasets.tests.base import GOOD, DatasetTestCase, form_post
from kesu.domain.data_sets import DataRefused
from kesu.domain.report_workflow import MoveRefused
from kesu.notices.models import Notice
from kesu.org.models import MemberUnit
from kesu.plans.models import Target
from kesu.tracking.live_values import live_values


class RoundTests(DatasetTestCase):
    def test_the_office_opens_a_round_once_per_form_and_period(self) -> None:
        self.assertEqual(str(self.round), f"{self.last_year}年度科普统计年报")
        with self.assertRaisesMessage(RoundRefused, "不能重复开启"):
            do_open_round(self.county, self.county_admin, "kepu", "year", self.last_year, 1, self.round.deadline)
        self.login(self.county_admin)
        response = self.client.post(reverse("datasets-round-new", args=[self.county.pk]), {
            "template": "school", "period_type": "half", "year": self.last_year + 1, "number": 1,
            "deadline": (timezone.localdate() - dt.timedelta(days=1)).isoformat(), "lock_days": 7, "remind_days": 3})
        self.assertContains(response, "填报截止日期不能早于今天", status_code=400)

    def test_another_jurisdiction_can_neither_open_nor_see_rounds(self) -> None:
        self.login(self.other_county_admin)
        self.assertEqual(self.client.get(reverse("datasets-round-new", args=[self.county.pk])).status_code, 403)
        self.assertEqual(self.client.get(reverse("datasets-round", args=[self.round.pk])).status_code, 403)
        self.assertEqual(self.client.get(reverse("datasets-submission", args=[self.kx_sheet.pk])).status_code, 403)
        self.assertEqual(self.client.get(reverse("datasets-round-export", args=[self.round.pk])).status_code, 403)
        self.login(self.city_leader)  # the city above reads
        self.assertEqual(self.client.get(reverse("datasets-round", args=[self.round.pk])).status_code, 200)

    def test_a_respondent_of_another_jurisdiction_is_refused_and_nothing_changes(self) -> None:
        stranger = MemberUnit.objects.create(jurisdiction=self.other_county, name="乡宁县科协")
        with self.assertRaisesMessage(RoundRefused, "不属于襄汾县"):
            do_assign_respondents(self.round, self.county_admin, [("unit", self.kx.pk), ("unit", stranger.pk)])
        self.assertEqual(Submission.objects.filter(round=self.round).count(), 3)

    def test_the_assign_page_saves_the_picked_respondents(self) -> None:
        self.login(self.county_admin)
        response = self.client.post(reverse("datasets-assign", args=[self.round.pk]),
                                    {"unit": [self.kx.pk, self.edu.pk], "township": [self.gucheng.pk, self.xincheng.pk]})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Submission.objects.filter(round=self.round, area=self.xincheng).exists())
        self.assertTrue(Notice.objects.filter(user=self.xincheng_officer, title__contains="请填报").exists())

    def test_a_filled_respondent_cannot_be_removed(self) -> None:
        do_save_values(self.round, ("unit", self.kx.pk), self.kx_reporter, 1, {"p_total": "3"}, {})
        with self.assertRaisesMessage(RoundRefused, "县科协已填报，不能移除"):
            do_assign_respondents(self.round, self.county_admin, [("unit", self.edu.pk)])


class FillTests(DatasetTestCase):
    def test_the_fill_page_shows_values_kesu_records_marked_as_prefilled(self) -> None:
        found = prefills(self.kx_sheet)
        self.assertEqual(found["a_events"].value, 3)  # last year's activities only
        self.assertEqual(found["a_lectures"].value, 2)
        self.assertEqual(found["a_participants"].value, 150)
        self.assertEqual(found["p_volunteers"].value, 2)  # active members of the unit's teams
        self.login(self.kx_reporter)
        page = self.client.get(reverse("datasets-submission", args=[self.kx_sheet.pk])).content.decode()
        self.assertIn('name="v_a_events" value="3"', page)
        self.assertIn("系统预填", page)
        self.assertIn("进展填报 · 科普活动登记", page)
        self.assertIn("其中：科普（技）讲座", page)

    def test_a_part_larger_than_its_total_is_refused_keeping_what_was_typed(self) -> None:
        self.login(self.kx_reporter)
        typed = dict(GOOD, a_events="3", a_lectures="5")
        response = self.client.post(reverse("datasets-submission", args=[self.kx_sheet.pk]), form_post(typed, "submit"))
        self.assertContains(response, "「科普（技）讲座」（5）是「科普活动举办次数」的其中项，不能大于合计（3）", status_code=400)
        self.assertContains(response, 'name="v_a_lectures" value="5"', status_code=400)
        self.assertContains(response, 'name="v_m_articles" value="40"', status_code=400)
        sheet = Submission.objects.get(pk=self.kx_sheet.pk)
        self.assertEqual((sheet.values, sheet.state, sheet.version), ({}, "draft", 1))

    def test_negative_and_fractional_counts_are_refused_by_name(self) -> None:
        self.login(self.kx_reporter)
        response = self.client.post(reverse("datasets-submission", args=[self.kx_sheet.pk]),
                                    form_post({"p_full": "-2", "m_books": "1.5", "f_raised": "abc"}))
        for words in ("「科普专职人员」不能为负数", "「科普图书出版种数」应为整数（单位：种）", "「年度科普经费筹集额」应填数字"):
            self.assertContains(response, words, status_code=400)
        self.assertFalse(DataEvent.objects.filter(submission=self.kx_sheet).exists())

    def test_a_respondent_outside_the_assignment_is_refused(self) -> None:
        with self.assertRaises(DataRefused) as caught:
            do_save_values(self.round, ("township", self.xincheng.pk), self.xincheng_officer, 1, GOOD, {})
        self.assertIn("“新城镇”不在本轮统计的填报对象中", str(caught.exception))
        self.assertFalse(Submission.objects.filter(round=self.round, area=self.xincheng).exists())

    def test_a_draft_is_saved_submitting_needs_every_value(self) -> None:
        sheet = do_save_values(self.round, ("unit", self.kx.pk), self.kx_reporter, 1, {"p_total": "10"}, prefills(self.kx_sheet))
        self.assertEqual((sheet.state, sheet.values["p_total"], sheet.version), ("draft", 10, 2))
        with self.assertRaisesMessage(DataRefused, "「科普专职人员」未填写（没有的填 0）"):
            do_save_values(self.round, ("unit", self.kx.pk), self.kx_reporter, 2, {"p_total": "10"}, {}, submit=True)
        sheet = do_save_values(self.round, ("unit", self.kx.pk), self.kx_reporter, 2, GOOD, prefills(sheet), submit=True)
        self.assertEqual(sheet.state, "submitted")
        first = DataEvent.objects.get(submission=sheet, field="填写 35 项").new  # what the first save kept from Kesu
        self.assertTrue(first.startswith("其中系统预填 8 项：") and "科普活动举办次数" in first)

    def test_a_changed_value_is_recorded_with_its_old_value(self) -> None:
        sheet = do_save_values(self.round, ("unit", self.kx.pk), self.kx_reporter, 1, {"p_total": "10"}, {})
        do_save_values(self.round, ("unit", self.kx.pk), self.kx_reporter, sheet.version, {"p_total": "12"}, {})
        change = DataEvent.objects.get(submission=sheet, field="科普人员总数")
        self.assertEqual((change.old, change.new), ("10", "12"))

    def test_a_stale_version_is_refused_not_overwritten(self) -> None:
        do_save_values(self.round, ("unit", self.kx.pk), self.kx_reporter, 1, {"p_total": "10"}, {})
        with self.assertRaises(StaleEdit):
            do_save_values(self.round, ("unit", self.kx.pk), self.kx_reporter, 1, {"p_total": "99"}, {})
        self.assertEqual(Submission.objects.get(pk=self.kx_sheet.pk).values["p_total"], 10)

    def test_only_the_units_own_reporter_fills_and_sees_it(self) -> None:
        self.login(self.edu_reporter)
        self.assertEqual(self.client.get(reverse("datasets-submission", args=[self.kx_sheet.pk])).status_code, 403)
        self.assertEqual(self.client.get(reverse("datasets-round", args=[self.round.pk])).status_code, 403)
        with self.assertRaises(MoveRefused):
            do_save_values(self.round, ("unit", self.kx.pk), self.edu_reporter, 1, GOOD, {})
        self.login(self.gucheng_officer)  # the township officer fills the township's sheet
        self.assertContains(self.client.get(reverse("datasets-submission", args=[self.gucheng_sheet.pk])), "保存草稿")
        self.assertEqual(self.client.get(reverse("datasets-submission", args=[self.kx_sheet.pk])).status_code, 403)

    def test_the_office_approves_or_returns_with_a_reason(self) -> None:
        sheet = do_save_values(self.round, ("unit", self.kx.pk), self.kx_reporter, 1, GOOD, {}, submit=True)
        self.login(self.county_admin)
        url = reverse("datasets-submission", args=[sheet.pk])
        self.assertContains(self.client.post(url, {"action": "return", "version": sheet.version, "reason": ""}),
                            "必须填写退回原因", status_code=400)
        self.client.post(url, {"action": "return", "version": sheet.version, "reason": "经费合计有误"})
        sheet = Submission.objects.get(pk=sheet.pk)
        self.assertEqual((sheet.state, sheet.return_reason), ("returned", "经费合计有误"))
        self.assertTrue(Notice.objects.filter(user=self.kx_reporter, title__contains="被退回").exists())
        sheet = do_save_values(self.round, ("unit", self.kx.pk), self.kx_reporter, sheet.version, GOOD, {}, submit=True)
        self.login(self.other_county_admin)
        self.assertEqual(self.client.post(url, {"action": "approve", "version": sheet.version}).status_code, 403)
        self.login(self.county_admin)
        self.client.post(url, {"action": "approve", "version": sheet.version})
        self.assertEqual(Submission.objects.get(pk=sheet.pk).state, "approved")
        self.login(self.kx_reporter)
        response = self.client.post(url, form_post(GOOD, "save", sheet.version + 1))
        self.assertContains(response, "已审核通过并锁定", status_code=400)


class AggregateTests(DatasetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for unit, total in ((cls.kx, "10"), (cls.edu, "20")):
            values = dict(GOOD, p_total=total, p_full="4", p_part=str(int(total) - 4))
            sheet = do_save_values(cls.round, ("unit", unit.pk), cls.kx_reporter if unit == cls.kx else cls.edu_reporter,
                                   1, values, {}, submit=True)
            if unit == cls.kx:
                do_approve_submission(sheet, cls.county_admin, sheet.version)

    def test_the_round_page_sums_approved_sheets_only_and_states_the_rule(self) -> None:
        self.login(self.county_admin)
        response = self.client.get(reverse("datasets-round", args=[self.round.pk]))
        self.assertContains(response, "汇总（已审核通过 1 份）")
        self.assertContains(response, "只计已审核通过的报表")

    def test_the_city_sees_each_county_and_the_total(self) -> None:
        edu_sheet = Submission.objects.get(pk=self.edu_sheet.pk)
        do_approve_submission(edu_sheet, self.county_admin, edu_sheet.version)
        self.login(self.city_admin)
        response = self.client.get(reverse("datasets-rollup", args=[self.city.pk]))
        self.assertContains(response, "襄汾县")
        self.assertContains(response, "乡宁县")
        self.assertContains(response, '<td class="num">30</td>')  # 科普人员总数 10 + 20
        export = self.client.get(reverse("datasets-rollup-export", args=[self.city.pk]))
        sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[1][:3], ("地区", "已审核报表数", "科普人员总数（人）"))
        self.assertIn(("合计", 2, 30), [r[:3] for r in rows])
        self.login(self.other_county_admin)
        self.assertEqual(self.client.get(reverse("datasets-rollup", args=[self.county.pk])).status_code, 403)

    def test_the_round_export_has_the_total_and_each_respondent(self) -> None:
        self.login(self.county_viewer)
        response = self.client.get(reverse("datasets-round-export", args=[self.round.pk]))
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["汇总", "分对象"])
        names = [row[1] for row in book["分对象"].iter_rows(min_row=3, values_only=True)]
        self.assertEqual(set(names), {"古城镇", "县教科局", "县科协"})


class ReminderAndHomeTests(DatasetTestCase):
    def test_due_reminders_reach_each_unsubmitted_respondent_once(self) -> None:
        now = timezone.now() + dt.timedelta(days=19)
        self.assertEqual(do_send_due_data_reminders(now), 3)
        self.assertEqual(do_send_due_data_reminders(now), 0)
        self.assertTrue(Notice.objects.filter(user=self.gucheng_officer, title__contains="即将截止").exists())

    def test_the_office_reminds_every_unsubmitted_respondent_at_once(self) -> None:
        do_save_values(self.round, ("unit", self.kx.pk), self.kx_reporter, 1, GOOD, {}, submit=True)
        self.login(self.county_viewer)
        self.assertEqual(self.client.post(reverse("datasets-remind", args=[self.round.pk])).status_code, 403)
        self.login(self.county_admin)
        self.client.post(reverse("datasets-remind", args=[self.round.pk]))
        self.assertTrue(Notice.objects.filter(user=self.edu_reporter, title__startswith="催报").exists())
        self.assertFalse(Notice.objects.filter(user=self.kx_reporter, title__startswith="催报").exists())

    def test_the_reporter_and_the_office_see_the_work_on_their_home_page(self) -> None:
        self.login(self.kx_reporter)
        self.assertContains(self.client.get(reverse("home")), "统计报表待填报")
        self.login(self.county_admin)
        self.assertContains(self.client.get(reverse("home")), "统计报表 · 襄汾县")


class BindingTests(DatasetTestCase):
    def test_a_target_follows_the_share_of_schools_with_a_science_teacher(self) -> None:
        from kesu.datasets.models import School

        schools = [School.objects.create(jurisdiction=self.county, name=n, kind="primary") for n in ("一小", "二小")]
        school_round = do_open_round(self.county, self.county_admin, "school", "half", self.last_year, 2, self.round.deadline)
        do_assign_respondents(school_round, self.county_admin, [("school", s.pk) for s in schools])
        for school, teachers in zip(schools, ("2", "0"), strict=True):
            values = {"s_students": "500", "s_teachers": teachers, "s_teachers_full": "0", "s_counsellors": "1",
                      "s_science_hours": "36", "s_lectures": "1", "s_trips": "0", "s_participants": "400"}
            sheet = do_save_values(school_round, ("school", school.pk), self.county_admin, 1, values, {}, submit=True)
            do_approve_submission(sheet, self.county_admin, sheet.version)
        target = Target.objects.filter(task__section__plan=self.plan).first()
        self.login(self.county_admin)
        self.client.post(reverse("datasets-binding-save", args=[target.pk]), {"choice": "school:s_with_teacher"})
        value, rule = live_values(self.plan, timezone.localdate())[target.pk]
        self.assertEqual(value, 50)
        self.assertIn("配备科技教师的学校占比", rule)
        do_set_binding(target, self.county_admin, "", "")
        self.assertNotIn(target.pk, live_values(self.plan, timezone.localdate()))
        self.login(self.kx_reporter)
        self.assertEqual(self.client.get(reverse("datasets-bindings", args=[self.plan.pk])).status_code, 403)


class FundingPrefillTests(DatasetTestCase):
    def test_funding_kesu_records_is_prefilled_in_wan_yuan(self) -> None:
        from decimal import Decimal

        from kesu.funding.models import AllocationLine, FundingYear, SpendingEntry

        year = FundingYear.objects.create(jurisdiction=self.county, year=self.last_year)
        line = AllocationLine.objects.create(funding_year=year, project="科普日", unit=self.kx, planned=Decimal("12.50"))
        AllocationLine.objects.create(funding_year=year, project="科普讲座", unit=self.edu, planned=Decimal("3"))
        SpendingEntry.objects.create(line=line, spent_on=dt.date(self.last_year, 9, 20), amount=Decimal("8.25"), note="场地")
        found = prefills(self.kx_sheet)
        self.assertEqual((found["f_government"].value, found["f_spent"].value, found["f_own"].value), (12.5, 8.25, 0))
        self.assertEqual(found["f_government"].source, "科普经费 · 年度经费安排")

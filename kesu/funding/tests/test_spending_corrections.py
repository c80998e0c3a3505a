"""Correcting and removing a spending entry: checked as when recording it, stale edits refused, evidence added and
removed, a reason required for removal, history rows, the line's spent total and 分配执行率 follow, and only the
jurisdiction's office may do it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kesu.domain.funding_rules import FundingRefused
from kesu.funding import actions
from kesu.funding.events import EventKind
from kesu.funding.figures import summary
from kesu.funding.models import FundingEvent, SpendingEntry, SpendingFile
from kesu.funding.tests.base import FundingTestCase

PDF = b"%PDF-1.4 test evidence"


class SpendingCorrectionTests(FundingTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.line = actions.do_add_line(cls.county, cls.year, cls.county_admin, {
            "project": "青少年科技创新大赛", "content": "", "unit": cls.edu, "task": None, "planned": "40"})

    def setUp(self) -> None:
        self.entry = actions.do_record_spending(self.line, self.county_admin, dt.date(self.year, 1, 15), "12", "赛事组织",
                                                [SimpleUploadedFile("发票.pdf", PDF)])
        self.url = reverse("funding-line", args=[self.line.pk])

    def edit_data(self, **changes) -> dict:
        data = {"action": "spend_edit", "fix-entry": self.entry.pk, "fix-version": self.entry.version,
                "fix-spent_on": dt.date(self.year, 2, 1), "fix-amount": "10", "fix-note": "赛事组织和评审"}
        data.update(changes)
        return data

    def test_the_office_corrects_an_entry_and_the_execution_rate_follows(self):
        self.login(self.county_admin)
        self.assertContains(self.client.get(self.url), "30.0%")  # 12 of 40
        form = self.client.get(f"{self.url}?entry={self.entry.pk}")
        self.assertContains(form, "修改支出")
        self.assertContains(form, 'value="赛事组织"')
        response = self.client.post(self.url, self.edit_data())
        self.assertEqual(response.status_code, 302)
        entry = SpendingEntry.objects.get()
        self.assertEqual((entry.amount, entry.spent_on, entry.note, entry.version),
                         (Decimal("10.00"), dt.date(self.year, 2, 1), "赛事组织和评审", 2))
        self.assertContains(self.client.get(self.url), "25.0%")  # 10 of 40
        self.assertEqual(summary(self.county, self.year).spent, Decimal("10.00"))
        changed = FundingEvent.objects.filter(kind=EventKind.SPENDING_CHANGED)
        self.assertEqual({(e.field, e.old, e.new) for e in changed}, {
            ("支出日期", f"{self.year}-01-15", f"{self.year}-02-01"), ("金额（万元）", "12", "10"),
            ("用途说明", "赛事组织", "赛事组织和评审")})

    def test_bad_amounts_are_refused_as_when_recording_and_what_was_typed_is_kept(self):
        self.login(self.county_admin)
        for amount, message in (("-3", "不能为负数"), ("0", "应大于 0"), ("NaN", "不是数字"), ("1e12", "超过")):
            response = self.client.post(self.url, self.edit_data(**{"fix-amount": amount, "fix-note": "改过的说明"}))
            self.assertContains(response, message, status_code=400, msg_prefix=amount)
            self.assertContains(response, "改过的说明", status_code=400)
            with self.assertRaisesMessage(FundingRefused, message):
                actions.do_edit_spending(self.entry, self.county_admin, self.entry.version, self.entry.spent_on, amount,
                                         "x")
        next_year = self.client.post(self.url, self.edit_data(**{"fix-spent_on": dt.date(self.year + 1, 1, 1)}))
        self.assertContains(next_year, "“支出日期”应在", status_code=400)
        self.assertEqual(SpendingEntry.objects.get().amount, Decimal("12.00"))
        self.assertFalse(FundingEvent.objects.filter(kind=EventKind.SPENDING_CHANGED).exists())

    def test_a_stale_correction_or_removal_is_refused_not_overwritten(self):
        actions.do_edit_spending(self.entry, self.county_admin, 1, self.entry.spent_on, "11", "赛事组织")
        self.login(self.county_admin)
        self.assertContains(self.client.post(self.url, self.edit_data()), "已被他人修改", status_code=409)
        removal = {"action": "spend_remove", "drop-entry": self.entry.pk, "drop-version": 1, "drop-reason": "重复登记"}
        self.assertContains(self.client.post(self.url, removal), "已被他人修改", status_code=409)
        self.assertEqual(SpendingEntry.objects.get().amount, Decimal("11.00"))

    def test_evidence_is_added_and_removed_with_history(self):
        old = self.entry.files.get()
        name = old.file.name
        self.login(self.county_admin)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url, self.edit_data(**{
                "fix-remove_files": [old.pk], "fix-files": SimpleUploadedFile("合同.pdf", PDF)}))
        self.assertEqual(response.status_code, 302)
        self.assertEqual([f.original_name for f in SpendingFile.objects.all()], ["合同.pdf"])
        self.assertFalse(default_storage.exists(name))
        fields = set(FundingEvent.objects.filter(field="佐证材料").values_list("old", "new"))
        self.assertEqual(fields, {("发票.pdf", "（已删除）"), ("", "合同.pdf（新增）")})
        bad = self.client.post(self.url, self.edit_data(**{"fix-version": 2, "fix-files": SimpleUploadedFile("x.pdf", b"no")}))
        self.assertContains(bad, "内容与扩展名 .pdf 不符", status_code=400)
        self.assertEqual(SpendingFile.objects.count(), 1)

    def test_removal_needs_a_reason_and_is_recorded(self):
        self.login(self.county_admin)
        removal = {"action": "spend_remove", "drop-entry": self.entry.pk, "drop-version": self.entry.version}
        self.assertContains(self.client.post(self.url, {**removal, "drop-reason": " "}), "请填写删除原因", status_code=400)
        with self.assertRaisesMessage(FundingRefused, "请填写删除原因"):
            actions.do_remove_spending(self.entry, self.county_admin, self.entry.version, "  ")
        self.assertEqual(SpendingEntry.objects.count(), 1)
        self.assertEqual(self.client.post(self.url, {**removal, "drop-reason": "重复登记"}).status_code, 302)
        self.assertFalse(SpendingEntry.objects.exists())
        event = FundingEvent.objects.get(kind=EventKind.SPENDING_REMOVED)
        self.assertEqual((event.old, event.new), (f"{self.year}-01-15 12 万元：赛事组织（佐证 1 份）", "删除原因：重复登记"))
        self.assertEqual(summary(self.county, self.year).spent, Decimal(0))
        page = self.client.get(f"{reverse('funding-year', args=[self.county.pk])}?year={self.year}")
        self.assertContains(page, "删除原因：重复登记")

    def test_only_the_office_of_the_jurisdiction_may_correct_or_remove(self):
        removal = {"action": "spend_remove", "drop-entry": self.entry.pk, "drop-version": 1, "drop-reason": "x"}
        for user in (self.other_county_admin, self.edu_reporter, self.county_viewer, self.city_admin, self.city_leader):
            self.login(user)
            self.assertEqual(self.client.post(self.url, self.edit_data()).status_code, 403, user.username)
            self.assertEqual(self.client.post(self.url, removal).status_code, 403, user.username)
            self.assertNotContains(self.client.get(f"{self.url}?entry={self.entry.pk}"), "修改支出",
                                   status_code=403 if user in (self.other_county_admin, self.edu_reporter) else 200)
        entry = SpendingEntry.objects.get()
        self.assertEqual((entry.amount, entry.version), (Decimal("12.00"), 1))

    def test_an_entry_of_another_line_is_not_found(self):
        other = actions.do_add_line(self.county, self.year, self.county_admin, {
            "project": "全国科普日", "content": "", "unit": self.kx, "task": None, "planned": "5"})
        self.login(self.county_admin)
        other_url = reverse("funding-line", args=[other.pk])
        self.assertEqual(self.client.post(other_url, self.edit_data()).status_code, 404)
        self.assertEqual(self.client.get(f"{other_url}?entry={self.entry.pk}").status_code, 404)
        self.assertEqual(self.client.post(other_url, {"action": "spend_edit"}).status_code, 404)

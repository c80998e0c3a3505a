"""Importing a year's work points: through the plan parser (.txt in UTF-8/GBK, .docx), each point linked to a
measure as proposed or marked 本年新增, unknown units listed, revisions listed and confirmed, access."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from kesu.domain.work_points import NoPointsFound
from kesu.plans.access import PlanEnded
from kesu.plans.models import Plan, Task
from kesu.workpoints.actions import WorkPointRefused, do_stage_work_points
from kesu.workpoints.models import PendingWorkPoints, WorkPlan, WorkPoint, WorkPointEvent
from kesu.workpoints.tests.base import TEXT, WorkPointsTestCase


def docx_bytes(text: str) -> bytes:
    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class ImportTests(WorkPointsTestCase):
    def test_a_txt_document_becomes_points_linked_as_proposed_with_units_resolved(self) -> None:
        self.assertEqual(self.workplan.points.count(), 3)
        self.assertEqual(self.training.task, Task.objects.get(title="提升基础教育阶段科学教育水平"))
        self.assertFalse(self.training.is_new)
        self.assertTrue(self.estation.is_new)  # like no measure closely enough: proposed as 本年新增
        self.assertIsNone(self.estation.task)
        self.assertEqual([u.name for u in self.contest.lead_units.all()], ["县科协"])
        self.assertEqual([u.name for u in self.contest.support_units.all()], ["团县委"])
        self.assertEqual(self.contest.unmatched_units, "县外事办")  # listed, not dropped
        self.assertEqual(self.workplan.source_name, "工作要点.txt")
        self.assertTrue(WorkPointEvent.objects.filter(plan=self.plan, kind="imported").exists())

    def test_gbk_text_and_docx_are_read_alike(self) -> None:
        for name, data in (("要点.txt", TEXT.encode("gbk")), ("要点.docx", docx_bytes(TEXT))):
            staged = do_stage_work_points(self.plan, self.year - 1, self.county_admin, name, data)
            self.assertEqual([p["text"][:6] for p in staged.points], ["提升基础教育", "举办青少年科", "新建社区科普"], name)
            self.assertEqual(staged.points[1]["support"], ["团县委", "县外事办"])

    def test_a_text_without_points_is_refused_and_nothing_is_staged(self) -> None:
        self.login(self.county_admin)
        response = self.client.post(reverse("workpoints-import", args=[self.plan.pk, self.year - 1]), {
            "file": SimpleUploadedFile("通知.txt", "关于召开会议的通知\n\n请各单位准时参加。\n".encode())})
        self.assertContains(response, "没有识别到工作要点", status_code=400)
        self.assertFalse(PendingWorkPoints.objects.exists())
        with self.assertRaises(NoPointsFound):
            do_stage_work_points(self.plan, self.year - 1, self.county_admin, "空.txt", "一、组织保障\n加强领导。\n".encode())

    def test_a_year_outside_the_plan_is_refused(self) -> None:
        with self.assertRaises(WorkPointRefused):
            do_stage_work_points(self.plan, self.plan.period_end + 1, self.county_admin, "要点.txt", TEXT.encode())

    def test_upload_preview_and_confirm_with_the_office_choosing_new_for_a_point(self) -> None:
        self.login(self.county_admin)
        year = self.year - 1
        response = self.client.post(reverse("workpoints-import", args=[self.plan.pk, year]),
                                    {"file": SimpleUploadedFile("要点.txt", TEXT.encode())})
        staged = PendingWorkPoints.objects.get()
        self.assertRedirects(response, reverse("workpoints-confirm", args=[staged.pk]))
        page = self.client.get(response.url)
        self.assertContains(page, "县外事办")  # the unknown unit is named before anything is stored
        self.assertContains(page, "相似度")
        task = Task.objects.get(title="提升基础教育阶段科学教育水平")
        form = {"link_1": str(task.pk), "link_2": "new", "link_3": "new"}
        response = self.client.post(reverse("workpoints-confirm", args=[staged.pk]), form)
        self.assertRedirects(response, reverse("workpoints-year", args=[self.plan.pk, year]))
        points = WorkPoint.objects.filter(workplan__year=year).order_by("position")
        self.assertEqual([p.is_new for p in points], [False, True, True])
        self.assertFalse(PendingWorkPoints.objects.exists())
        again = self.client.post(reverse("workpoints-confirm", args=[staged.pk]), form)  # confirmed once
        self.assertEqual(again.status_code, 404)

    def test_a_revised_document_lists_its_changes_and_keeps_the_reworded_points(self) -> None:
        revised = TEXT.replace("举办青少年科技创新大赛", "举办第十届青少年科技创新大赛").replace(
            "3.新建社区科普e站5个。（牵头单位：县科协）", "3.开展全国科普日活动。（牵头单位：县科协）")
        self.login(self.county_admin)
        self.client.post(reverse("workpoints-import", args=[self.plan.pk, self.year]),
                         {"file": SimpleUploadedFile("修订稿.txt", revised.encode())})
        staged = PendingWorkPoints.objects.get()
        page = self.client.get(reverse("workpoints-confirm", args=[staged.pk]))
        self.assertContains(page, "修订稿带来的改动")
        self.assertContains(page, "新建社区科普e站5个")  # removed
        self.assertContains(page, "举办第十届青少年科技创新大赛")
        links = {f"link_{n}": "new" for n in (1, 2, 3)}
        self.client.post(reverse("workpoints-confirm", args=[staged.pk]), links)
        self.assertEqual(WorkPoint.objects.get(pk=self.contest.pk).text, "举办第十届青少年科技创新大赛")
        self.assertFalse(WorkPoint.objects.filter(pk=self.estation.pk).exists())
        self.assertEqual(WorkPlan.objects.get(pk=self.workplan.pk).points.count(), 3)
        self.assertTrue(WorkPointEvent.objects.filter(kind="revised", new__contains="删除 1").exists())

    def test_only_the_plans_office_imports_and_other_areas_see_nothing(self) -> None:
        url = reverse("workpoints-import", args=[self.plan.pk, self.year])
        for user, status in ((self.edu_reporter, 403), (self.county_viewer, 403), (self.other_county_admin, 404),
                             (self.outsider, 404)):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, status, user)
            self.assertEqual(self.client.get(reverse("workpoints-year", args=[self.plan.pk, self.year])).status_code,
                             200 if status == 403 else 404, user)
        staged = do_stage_work_points(self.plan, self.year - 1, self.county_admin, "要点.txt", TEXT.encode())
        self.login(self.other_county_admin)
        self.assertEqual(self.client.get(reverse("workpoints-confirm", args=[staged.pk])).status_code, 404)

    def test_the_year_page_and_the_export_list_each_point_with_its_link_and_units(self) -> None:
        self.login(self.county_viewer)
        page = self.client.get(reverse("workpoints-year", args=[self.plan.pk, self.year]))
        self.assertContains(page, "举办青少年科技创新大赛")
        self.assertContains(page, "未识别：县外事办")
        export = self.client.get(reverse("workpoints-xlsx", args=[self.plan.pk, self.year]))
        self.assertEqual(export.status_code, 200)
        cells = [c for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True) for c in row]
        self.assertIn("举办青少年科技创新大赛", cells)
        self.assertIn("本年新增", cells)


class HandWrittenTests(WorkPointsTestCase):
    def test_the_office_writes_edits_and_removes_a_point_with_history_and_stale_edits_refused(self) -> None:
        self.login(self.county_admin)
        response = self.client.post(reverse("workpoints-new", args=[self.plan.pk, self.year]), {
            "section": "基层科普能力提升工程", "text": "建设县级科普教育基地2个", "link": "new",
            "lead_units": [self.kx.pk], "support_units": [self.edu.pk]})
        point = WorkPoint.objects.get(text="建设县级科普教育基地2个")
        self.assertRedirects(response, reverse("workpoints-point", args=[point.pk]))
        self.assertEqual(point.position, 4)
        self.assertTrue(point.is_new)
        url = reverse("workpoints-point", args=[point.pk])
        form = {"version": point.version, "section": "", "text": "建设县级科普教育基地3个", "link": "new",
                "lead_units": [self.kx.pk], "support_units": []}
        self.client.post(url, form)
        stale = self.client.post(url, form | {"text": "别人的修改"})
        self.assertContains(stale, "已被他人修改", status_code=409)
        self.assertContains(stale, "别人的修改", status_code=409)  # what was typed stays in the form
        self.assertTrue(WorkPointEvent.objects.filter(point=point, field="内容", new="建设县级科普教育基地3个").exists())
        point.refresh_from_db()
        self.client.post(reverse("workpoints-remove", args=[point.pk]), {"version": point.version})
        self.assertFalse(WorkPoint.objects.filter(pk=point.pk).exists())

    def test_a_point_needs_a_lead_unit_and_only_the_office_writes(self) -> None:
        self.login(self.county_admin)
        response = self.client.post(reverse("workpoints-new", args=[self.plan.pk, self.year]),
                                    {"text": "没有牵头单位的要点", "link": "new"})
        self.assertContains(response, "请至少选择一个牵头单位", status_code=400)
        self.assertContains(response, "没有牵头单位的要点", status_code=400)
        self.login(self.kx_reporter)
        self.assertEqual(self.client.post(reverse("workpoints-point", args=[self.contest.pk]), {"text": "x"}).status_code, 403)
        self.assertEqual(self.client.post(reverse("workpoints-remove", args=[self.contest.pk]), {"version": 1}).status_code, 403)

    def test_an_ended_plan_takes_no_more_work_points(self) -> None:
        Plan.objects.filter(pk=self.plan.pk).update(status=Plan.Status.ENDED)
        self.login(self.county_admin)
        response = self.client.post(reverse("workpoints-new", args=[self.plan.pk, self.year]), {
            "text": "已结束方案的新要点", "link": "new", "lead_units": [self.kx.pk]})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(WorkPoint.objects.filter(text="已结束方案的新要点").exists())
        with self.assertRaises(PlanEnded):
            do_stage_work_points(self.plan, self.year, self.county_admin, "要点.txt", TEXT.encode())

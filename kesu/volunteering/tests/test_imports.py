"""Imports from .xlsx: every row checked by the same form as a single entry, all or nothing, each problem named
by row and column, and the option to skip the rows named."""

import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from kesu.org.models import Membership
from kesu.tracking.models import Activity, TrackingEvent
from kesu.volunteering.importing import ImportRefused, check_file, do_import
from kesu.volunteering.models import ImportBatch, ScienceBase, ServiceEvent, Team, TeamMembership, Volunteer
from kesu.volunteering.tests.base import ID_WANG, ServiceTestCase


def xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


BASE_HEADER = ["基地名称*", "等级*", "依托单位*", "类型*", "开放状态", "所在乡镇", "地址", "命名年份*", "备注"]


class BaseImportTests(ServiceTestCase):
    def test_it_imports_good_rows_and_names_every_problem_by_row_and_column(self):
        data = xlsx([
            BASE_HEADER,
            ["县科技馆", "县级", "县科协", "科技场馆类", "常年开放", "古城镇", "人民路1号", 2023, ""],
            ["陶寺遗址科普基地", "省", "县文旅局", "文化旅游类", "", "", "", 2021, ""],
            ["县科技馆", "县级", "县科协", "科技场馆类", "", "", "", 2023, ""],
            ["气象科普馆", "乡级", "县气象局", "科技场馆类", "", "", "", 2022, ""],
            ["", "市级", "", "科技场馆类", "", "", "", 2099, ""],
            ["农技示范园", "市级", "县农业农村局", "生产设施类", "天天开", "月球镇", "", 2024, ""],
        ])
        checked = check_file("bases", data, "bases.xlsx", self.county)
        self.assertEqual(checked.total, 6)
        problems = [str(p) for p in checked.problems]
        self.assertIn("第 4 行「基地名称」：与第 2 行重复（同名同等级）", problems)
        self.assertTrue(any(p.startswith("第 5 行「等级」：“乡级”不是可选值") for p in problems), problems)
        self.assertIn("第 6 行「基地名称」：这个字段是必填项。", problems)
        self.assertIn("第 6 行「依托单位」：这个字段是必填项。", problems)
        self.assertIn("第 6 行「命名年份」：命名年份不能晚于今年。", problems)
        self.assertTrue(any(p.startswith("第 7 行「开放状态」") for p in problems), problems)
        self.assertTrue(any(p.startswith("第 7 行「所在乡镇」：“月球镇”不在本地区的服务区域中") for p in problems), problems)
        self.assertEqual([n for n, _ in checked.rows], [2, 3])

        with self.assertRaisesMessage(ImportRefused, "未导入任何数据"):
            do_import("bases", data, "bases.xlsx", self.county, self.county_admin, skip={4, 5})
        self.assertFalse(ScienceBase.objects.exists(), "all or nothing")
        self.assertEqual(do_import("bases", data, "bases.xlsx", self.county, self.county_admin, skip={4, 5, 6, 7}), 2)
        base = ScienceBase.objects.get(name="陶寺遗址科普基地")
        self.assertEqual((base.level, base.kind, base.opening), ("province", "culture", "open"))
        self.assertEqual(ScienceBase.objects.get(name="县科技馆").area, self.gucheng)

    def test_it_refuses_files_it_cannot_read_or_whose_header_is_wrong(self):
        with self.assertRaisesMessage(ImportRefused, "不是 .xlsx 文件"):
            check_file("bases", b"a,b", "bases.csv", self.county)
        with self.assertRaisesMessage(ImportRefused, "不是有效的 .xlsx 文件"):
            check_file("bases", b"PK\x03\x04broken", "bases.xlsx", self.county)
        checked = check_file("bases", xlsx([["基地名称", "等级"], ["县科技馆", "县级"]]), "b.xlsx", self.county)
        self.assertIn("缺少必填列：依托单位、类型、命名年份", str(checked.problems[0]))
        checked = check_file("bases", xlsx([BASE_HEADER + ["评分"], ["县科技馆"]]), "b.xlsx", self.county)
        self.assertIn("无法识别的列：评分", str(checked.problems[0]))

    def test_it_walks_the_upload_review_and_skip_pages(self):
        self.login(self.county_admin)
        template = self.client.get(reverse("service-import-template", args=["bases"]))
        header = [c.value for c in next(load_workbook(io.BytesIO(template.content)).active.iter_rows())]
        self.assertEqual(header, BASE_HEADER)
        data = xlsx([BASE_HEADER, ["县科技馆", "县级", "县科协", "科技场馆类", "", "", "", 2023, ""],
                     ["坏行", "乡级", "x", "科技场馆类", "", "", "", 2023, ""]])
        response = self.client.post(reverse("service-import", args=["bases"]) + f"?j={self.county.pk}",
                                    {"j": self.county.pk, "file": SimpleUploadedFile("基地.xlsx", data)})
        batch = ImportBatch.objects.get()
        self.assertRedirects(response, reverse("service-import-review", args=[batch.pk]))
        review = self.client.get(response["Location"])
        self.assertContains(review, "第 3 行「等级」")
        self.assertContains(review, "1 行有问题")
        response = self.client.post(response["Location"], {"skip": ""})
        self.assertContains(response, "未导入任何数据")
        self.assertContains(self.client.post(reverse("service-import-review", args=[batch.pk]), {"skip": "三"}), "不是行号")
        response = self.client.post(reverse("service-import-review", args=[batch.pk]), {"skip": "3"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(ScienceBase.objects.count(), 1)
        self.assertEqual(ImportBatch.objects.get().imported_count, 1)
        self.login(self.team_a_admin)
        self.assertEqual(self.client.get(reverse("service-import", args=["bases"])).status_code, 403)


class ActivityImportTests(ServiceTestCase):
    HEADER = ["活动名称", "类型", "日期", "地点", "组织单位", "参与人数", "对应措施", "简要情况"]

    def test_it_checks_activities_with_trackings_own_form_and_records_them_there(self):
        data = xlsx([
            self.HEADER,
            ["全国科普日主场活动", "全国科普日", "2026-09-20", "文化广场", "县科协", 1200, "健全基层", ""],
            ["科技活动周开幕式", "科技活动周", "2026-05-18", "", "科协", 300, "", ""],
            ["校园讲座", "讲座/报告", "2026-13-01", "", "县教科局", -5, "", ""],
            ["无名单位活动", "培训", "2026-04-01", "", "县气象局", 20, "科学", ""],
            ["", "竞赛", "2026-04-01", "", "", "", "", ""],
        ])
        checked = check_file("activities", data, "a.xlsx", self.county, self.plan)
        problems = [str(p) for p in checked.problems]
        self.assertTrue(any(p.startswith("第 4 行「日期」") for p in problems), problems)
        self.assertTrue(any(p.startswith("第 4 行「参与人数」") for p in problems), problems)
        self.assertIn("第 5 行「组织单位」：“县气象局”不是本地区的成员单位", problems)
        self.assertTrue(any(p.startswith("第 5 行「对应措施」：“科学”对应多项措施") for p in problems), problems)
        self.assertIn("第 6 行「组织单位」：必填", problems)
        self.assertTrue(any(p.startswith("第 6 行「活动名称」") for p in problems), problems)
        count = do_import("activities", data, "a.xlsx", self.county, self.county_admin, {4, 5, 6}, self.plan)
        self.assertEqual(count, 2)
        day = Activity.objects.get(kind="science_day")
        self.assertEqual((day.unit, day.participants, day.task.title), (self.kx, 1200, "健全基层科普服务体系"))
        self.assertEqual(Activity.objects.get(kind="science_week").unit, self.kx, "an alias/short name finds the unit")
        self.assertEqual((day.online, day.audiences.count()), ("offline", 0), "a file without the new columns: 线下, no groups")
        self.assertEqual(TrackingEvent.objects.filter(kind="activity_recorded").count(), 2)

    def test_it_imports_the_form_and_each_audience_groups_participants_checked_by_the_same_rule(self):
        header = ["活动名称", "类型", "日期", "地点", "形式", "组织单位", "参与人数", "对应措施", "简要情况",
                  "老年人人数", "农民人数", "青少年/学生人数", "产业工人人数", "领导干部人数", "公众人数"]
        data = xlsx([
            header,
            ["老年人健康讲座", "讲座/报告", "2026-09-20", "社区", "线上线下结合", "县科协", "", "", "", 60, 30, "", "", "", 10],
            ["农技培训", "培训", "2026-05-18", "", "", "科协", 80, "", "", "", 80, "", "", "", ""],
            ["科普展览", "展览/展示", "2026-05-18", "", "网上", "科协", 100, "", "", 40, "", "", "", "", 50],
            ["校园讲座", "讲座/报告", "2026-05-18", "", "线下", "科协", "", "", "", "", "", -3, "", "", ""],
            ["无人数活动", "竞赛", "2026-05-18", "", "线下", "科协", "", "", "", "", "", "", "", "", ""],
        ])
        checked = check_file("activities", data, "a.xlsx", self.county, self.plan)
        problems = [str(p) for p in checked.problems]
        self.assertTrue(any(p.startswith("第 4 行「形式」：“网上”不是可选值") for p in problems), problems)
        self.assertIn("第 4 行「参与人数」：参与人数 100 与各受众群体人数之和 90 不一致，请核对。", problems)
        self.assertTrue(any(p.startswith("第 5 行「青少年/学生人数」") for p in problems), problems)
        self.assertIn("第 6 行「参与人数」：请填写参与人数，或各受众群体的参与人数。", problems)
        self.assertEqual([n for n, _ in checked.rows], [2, 3])
        with self.assertRaisesMessage(ImportRefused, "未导入任何数据"):
            do_import("activities", data, "a.xlsx", self.county, self.county_admin, {4}, self.plan)
        self.assertFalse(Activity.objects.exists(), "all or nothing")
        self.assertEqual(do_import("activities", data, "a.xlsx", self.county, self.county_admin, {4, 5, 6}, self.plan), 2)
        talk = Activity.objects.get(title="老年人健康讲座")
        self.assertEqual((talk.online, talk.participants, talk.audience_text), ("both", 100, "老年人 60、农民 30、公众 10"))
        training = Activity.objects.get(title="农技培训")
        self.assertEqual((training.online, training.participants, training.audience_text), ("offline", 80, "农民 80"))


class VolunteerImportTests(ServiceTestCase):
    HEADER = ["姓名", "性别", "身份证号", "手机号", "专业特长", "服务主题", "所在区域", "工作单位", "注册日期", "服务队"]

    def test_it_imports_volunteers_encrypted_and_into_their_teams(self):
        data = xlsx([
            self.HEADER,
            ["陈晨", "女", "11010119900307651X", "13911112222", "营养", "健康、农业技术", "古城镇东村", "县医院", "2025-06-01", "科协健康服务队"],
            ["刘洋", "男", "", "13911113333", "", "", "新城镇", "", "", ""],
            ["重复", "男", ID_WANG, "13911114444", "", "", "", "", "", ""],
            ["坏号", "未知", "123", "0", "", "烹饪", "", "", "", "不存在的队"],
            ["同号甲", "男", "320102198001011234", "13911115555", "", "", "", "", "", ""],
            ["同号乙", "男", "320102198001011234", "13911116666", "", "", "", "", "", ""],
        ])
        checked = check_file("volunteers", data, "v.xlsx", self.county)
        problems = [str(p) for p in checked.problems]
        self.assertTrue(any(p.startswith("第 4 行「身份证号」：身份证号与已登记的志愿者“王芳”") for p in problems), problems)
        for column in ("性别", "身份证号", "手机号", "服务主题", "服务队"):
            self.assertTrue(any(p.startswith(f"第 5 行「{column}」") for p in problems), (column, problems))
        self.assertTrue(any(p.startswith("第 6 行「身份证号」") for p in problems) or
                        any(p.startswith("第 7 行「身份证号」：与第 6 行的身份证号相同") for p in problems), problems)
        skip = sorted({p.row for p in checked.problems})
        count = do_import("volunteers", data, "v.xlsx", self.county, self.county_admin, set(skip))
        self.assertEqual(count, 7 - 1 - len(skip))
        chen = Volunteer.objects.get(name="陈晨")
        self.assertEqual((chen.gender, chen.area, str(chen.registered_on)), ("female", self.east, "2025-06-01"))
        self.assertEqual(set(chen.topics.values_list("name", flat=True)), {"健康", "农业技术"})
        self.assertEqual(TeamMembership.objects.get(volunteer=chen).status, "active")
        self.assertNotEqual(chen.id_digest, "")


class TeamImportTests(ServiceTestCase):
    HEADER = ["服务队名称*", "所属部门", "主要服务区域", "服务主题", "参与服务队池接单", "成立日期", "简介"]

    def test_it_imports_teams_with_their_unit_area_and_topics_and_records_each(self):
        data = xlsx([
            self.HEADER,
            ["县农技科普志愿服务队", "科协", "古城镇", "农业技术、防灾减灾", "否", "2025-03-01", "送农技下乡"],
            ["县应急科普服务队", "", "", "", "", "", ""],
        ])
        checked = check_file("teams", data, "t.xlsx", self.county)
        self.assertEqual(checked.problems, [])
        self.assertEqual(do_import("teams", data, "t.xlsx", self.county, self.county_admin, set()), 2)
        team = Team.objects.get(name="县农技科普志愿服务队")
        self.assertEqual((team.jurisdiction, team.unit, team.area, team.in_pool, str(team.founded_on)),
                         (self.county, self.kx, self.gucheng, False, "2025-03-01"))
        self.assertEqual(set(team.topics.values_list("name", flat=True)), {"农业技术", "防灾减灾"})
        plain = Team.objects.get(name="县应急科普服务队")
        self.assertEqual((plain.unit, plain.in_pool, plain.founded_on), (None, True, timezone.localdate()))
        self.assertEqual(ServiceEvent.objects.filter(kind="team_saved", subject="县应急科普服务队").count(), 1)

    def test_it_names_every_bad_row_by_row_and_column_and_imports_nothing(self):
        data = xlsx([
            self.HEADER,
            ["县农技科普志愿服务队", "县科协", "", "", "", "", ""],
            ["", "县气象局", "月球镇", "烹饪", "也许", "2026-13-01", ""],
            ["县健康服务队", "县科协", "东村", "", "", "", ""],
        ])
        checked = check_file("teams", data, "t.xlsx", self.county)
        problems = [str(p) for p in checked.problems]
        self.assertIn("第 3 行「服务队名称」：这个字段是必填项。", problems)
        self.assertIn("第 3 行「所属部门」：“县气象局”不是本地区的成员单位", problems)
        for column in ("主要服务区域", "服务主题", "参与服务队池接单", "成立日期"):
            self.assertTrue(any(p.startswith(f"第 3 行「{column}」") for p in problems), (column, problems))
        self.assertTrue(any(p.startswith("第 4 行「主要服务区域」：“东村”不是本地区启用的乡镇/街道") for p in problems), problems)
        self.assertEqual([n for n, _ in checked.rows], [2])
        before = Team.objects.count()
        with self.assertRaisesMessage(ImportRefused, "未导入任何数据"):
            do_import("teams", data, "t.xlsx", self.county, self.county_admin, set())
        self.assertEqual(Team.objects.count(), before, "all or nothing")

    def test_it_refuses_duplicate_names_against_the_register_and_inside_the_file(self):
        data = xlsx([
            self.HEADER,
            ["科协科普志愿服务队", "", "", "", "", "", ""],
            ["县青少年科普服务队", "", "", "", "", "", ""],
            ["县青少年科普服务队", "", "", "", "", "", ""],
        ])
        problems = [str(p) for p in check_file("teams", data, "t.xlsx", self.county).problems]
        self.assertEqual(problems, ["第 2 行「服务队名称」：本地区已有名为“科协科普志愿服务队”的服务队",
                                    "第 4 行「服务队名称」：与第 3 行重名：同一地区的服务队不能重名"])
        # the same name in another county is another team
        self.assertEqual(check_file("teams", xlsx([self.HEADER, ["科协科普志愿服务队"]]), "t.xlsx", self.other_county).problems, [])

    def test_it_imports_once_through_the_pages_and_only_for_the_countys_office(self):
        self.login(self.county_admin)
        teams_page = self.client.get(reverse("service-teams"))
        self.assertContains(teams_page, f"{reverse('service-import', args=['teams'])}?j={self.county.pk}")
        data = xlsx([self.HEADER, ["县农技科普志愿服务队", "县科协", "古城镇", "", "", "", ""]])
        response = self.client.post(reverse("service-import", args=["teams"]) + f"?j={self.county.pk}",
                                    {"j": self.county.pk, "file": SimpleUploadedFile("服务队.xlsx", data)})
        batch = ImportBatch.objects.get(kind="teams")
        self.assertContains(self.client.get(response["Location"]), "确认导入 1 条")
        self.assertRedirects(self.client.post(response["Location"], {"skip": ""}),
                             f"{reverse('service-teams')}?j={self.county.pk}", fetch_redirect_response=False)
        again = self.client.post(response["Location"], {"skip": ""})
        self.assertContains(again, "不能重复导入")
        self.assertEqual(Team.objects.filter(name="县农技科普志愿服务队").count(), 1)
        self.assertEqual(ServiceEvent.objects.filter(kind="import_confirmed", details__batch=batch.pk).count(), 1)

        reporter = get_user_model().objects.create_user("kx_reporter")
        Membership.objects.create(user=reporter, jurisdiction=self.county, role=Membership.Role.UNIT_REPORTER, unit=self.kx)
        for user in (self.other_county_admin, reporter, self.county_viewer, self.team_a_admin):
            self.login(user)
            upload = self.client.post(reverse("service-import", args=["teams"]) + f"?j={self.county.pk}",
                                      {"j": self.county.pk, "file": SimpleUploadedFile("t.xlsx", data)})
            self.assertEqual(upload.status_code, 403, user.username)
            link = f"{reverse('service-import', args=['teams'])}?j={self.county.pk}"
            self.assertNotIn(link, self.client.get(reverse("service-teams")).content.decode(), user.username)
            self.assertEqual(self.client.post(reverse("service-import-review", args=[batch.pk]), {"skip": ""}).status_code,
                             404, user.username)
        self.assertEqual(ImportBatch.objects.filter(kind="teams").count(), 1)
        with self.assertRaisesMessage(ImportRefused, "只有襄汾县科协办公室管理员"):
            do_import("teams", data, "t.xlsx", self.county, self.other_county_admin, set())

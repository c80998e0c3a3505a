"""Plan succession: the successor carries the units over, Kesu proposes links with baselines, the office confirms
once, and the old plan becomes 已结束 — read-only but still browsable; dashboards and home pages show the new one."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from kesu.api.actions import do_create_api_token
from kesu.evaluation.actions import do_save_evaluation_text
from kesu.evaluation.models import Part
from kesu.org.models import Membership, MemberUnit
from kesu.plans.access import PlanEnded
from kesu.plans.actions import ImportRefused, do_import_plan, do_save_target
from kesu.plans.current import current_plan_of
from kesu.plans.models import Plan, PlanEvent, Responsibility, Target
from kesu.succession.actions import Choices, SuccessionRefused, do_confirm_succession
from kesu.succession.models import Succession
from kesu.succession.proposals import gather
from kesu.succession.tests.base import SuccessionTestCase, successor_plan
from kesu.tracking.actions import do_open_cycle, do_save_report
from kesu.tracking.dashboard import plans_below
from kesu.tracking.models import Report


class ProposalTests(SuccessionTestCase):
    def test_the_successor_follows_the_old_plan_and_its_units_are_the_same_rows(self):
        units_before = set(MemberUnit.objects.filter(jurisdiction=self.county).values_list("pk", flat=True))
        memberships = list(Membership.objects.order_by("pk").values_list("user_id", "jurisdiction_id", "role", "unit_id"))
        plan = self.import_successor()
        self.assertEqual(plan.predecessor, self.old)
        self.assertEqual(set(MemberUnit.objects.filter(jurisdiction=self.county).values_list("pk", flat=True)), units_before)
        new_units = set(Responsibility.objects.filter(section__plan=plan).values_list("unit_id", flat=True))
        self.assertIn(self.edu.pk, new_units)
        self.assertIn(self.kx.pk, new_units)
        self.assertLessEqual(new_units, units_before)
        self.assertEqual(list(Membership.objects.order_by("pk").values_list("user_id", "jurisdiction_id", "role", "unit_id")),
                         memberships)  # the reporters report for the same units in the new plan

    def test_measures_and_targets_are_proposed_with_reasons_and_final_values_as_baselines(self):
        proposals = gather(self.import_successor())
        measures = {row.new.title: (row.old.title, row.reason) for row in proposals.measures}
        self.assertEqual(measures["健全基层科普服务体系"], ("健全基层科普服务体系", "措施名称相同"))
        self.assertTrue(measures["持续提升基础教育阶段科学教育水平"][1].startswith("措施内容相近（相似度 0."))
        self.assertNotIn("建设青少年科技创新实验室", measures)
        targets = {row.new.indicator: row for row in proposals.targets}
        self.assertEqual(set(targets), {"学生科普活动参与率", "科技志愿服务队人数"})  # 科普讲座场次 has no predecessor
        self.assertEqual(targets["科技志愿服务队人数"].baseline, 2600)
        self.assertEqual(targets["科技志愿服务队人数"].baseline_year, self.year - 1)
        self.assertEqual(targets["学生科普活动参与率"].baseline, 93)
        self.assertEqual(targets["学生科普活动参与率"].reason, "指标名称相同，所属措施相衔接")
        self.assertEqual((proposals.headline.value, proposals.headline.year), (12.3, self.year - 1))
        self.assertEqual(proposals.unmatched_targets, 1)

    def test_nothing_is_applied_before_the_office_confirms(self):
        plan = self.import_successor()
        gather(plan)
        self.assertFalse(Target.objects.filter(task__section__plan=plan).exclude(baseline=None).exists())
        self.assertEqual(Plan.objects.get(pk=self.old.pk).status, Plan.Status.PUBLISHED)
        self.assertEqual(Plan.objects.get(pk=plan.pk).baseline_value, 12.0)


class ConfirmationTests(SuccessionTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.new = do_import_plan(successor_plan(), jurisdiction=cls.county, source_name="next.txt",
                                 source_sha256="sha-next", actor=cls.county_admin).plan
        cls.url = reverse("succession", args=[cls.new.pk])

    def keys(self) -> tuple[list[str], dict[str, object]]:
        proposals = gather(self.new)
        return [r.key for r in proposals.measures], {r.new.indicator: r for r in proposals.targets}

    def test_the_office_confirms_on_the_page_with_an_edited_baseline_and_a_rejected_proposal(self):
        measures, targets = self.keys()
        volunteers, rate = targets["科技志愿服务队人数"], targets["学生科普活动参与率"]
        self.login(self.county_admin)
        page = self.client.get(self.url)
        self.assertContains(page, "指标名称相同")
        self.assertContains(page, "确认衔接")
        answer = self.client.post(self.url, {
            "measure": measures, "target": [volunteers.key], f"baseline-{volunteers.key}": "2650",
            f"baseline-{rate.key}": "93", "headline": "on", "headline_value": "12.3", "end_predecessor": "on",
        })
        self.assertRedirects(answer, reverse("plan-targets", args=[self.new.pk]))
        carried = Target.objects.get(pk=volunteers.new.pk)
        self.assertEqual((carried.baseline, carried.baseline_year), (2650, self.year - 1))
        self.assertIsNone(Target.objects.get(pk=rate.new.pk).baseline)  # not ticked: nothing carried
        new = Plan.objects.get(pk=self.new.pk)
        self.assertEqual((new.baseline_value, new.baseline_year), (12.3, self.year - 1))
        old = Plan.objects.get(pk=self.old.pk)
        self.assertEqual(old.status, Plan.Status.ENDED)
        self.assertEqual(old.ended_on, timezone.localdate())
        succession = Succession.objects.get(successor=self.new)
        self.assertEqual(succession.measure_links.count(), len(measures))
        self.assertEqual(succession.target_links.count(), 1)
        self.assertTrue(PlanEvent.objects.filter(plan=self.new, kind="succeeded", field="基线值", new__contains="2,650").exists())
        self.assertTrue(PlanEvent.objects.filter(plan=self.old, kind="ended").exists())
        targets_page = self.client.get(reverse("plan-targets", args=[self.new.pk]))
        self.assertContains(targets_page, f"{self.year - 1}年 2650人")
        self.assertContains(targets_page, f"{self.year - 1}年 12.3%")

    def test_a_confirmation_is_done_once(self):
        do_confirm_succession(self.new, self.county_admin, Choices(frozenset(), {}, None))
        with self.assertRaisesMessage(SuccessionRefused, "已经确认过"):
            do_confirm_succession(self.new, self.county_admin, Choices(frozenset(), {}, None))
        self.login(self.county_admin)
        page = self.client.get(self.url)
        self.assertNotContains(page, "确认衔接</button>")
        self.assertContains(page, "上一方案同时结束并转为只读")

    def test_a_baseline_out_of_range_is_refused_and_the_typed_values_stay(self):
        measures, targets = self.keys()
        volunteers = targets["科技志愿服务队人数"]
        self.login(self.county_admin)
        page = self.client.post(self.url, {"measure": measures[:1], "target": [volunteers.key],
                                           f"baseline-{volunteers.key}": "-5", "end_predecessor": "on"})
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, "科技志愿服务队人数的基线值", status_code=400)
        self.assertContains(page, 'value="-5"', status_code=400)
        self.assertFalse(Succession.objects.exists())
        self.assertEqual(Plan.objects.get(pk=self.old.pk).status, Plan.Status.PUBLISHED)

    def test_a_proposal_that_is_no_longer_proposed_is_refused(self):
        with self.assertRaisesMessage(SuccessionRefused, "已发生变化"):
            do_confirm_succession(self.new, self.county_admin, Choices(frozenset({"1-999999"}), {}, None))

    def test_only_the_plans_office_confirms_and_others_cannot_see_a_draft(self):
        measures, _ = self.keys()
        for user in (self.county_viewer, self.city_admin):
            self.login(user)
            self.assertEqual(self.client.post(self.url, {"measure": measures}).status_code, 403)
        self.login(self.other_county_admin)  # the successor is still a draft: outside its scope
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertFalse(Succession.objects.exists())
        with self.assertRaises(SuccessionRefused):
            do_confirm_succession(self.new, self.other_county_admin, Choices(frozenset(), {}, None))


class EndedPlanTests(SuccessionTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.new = do_import_plan(successor_plan(), jurisdiction=cls.county, source_name="next.txt",
                                 source_sha256="sha-next", actor=cls.county_admin).plan
        do_confirm_succession(cls.new, cls.county_admin, Choices(frozenset(), {}, None))
        cls.old.refresh_from_db()

    def test_writes_on_the_ended_plan_are_refused(self):
        with self.assertRaisesMessage(PlanEnded, "已于"):
            do_open_cycle(self.old, self.county_admin, "quarter", self.year - 1, 4, timezone.localdate() + dt.timedelta(days=9))
        report = Report.objects.filter(cycle=self.final_cycle).first()
        with self.assertRaises(PlanEnded):
            do_save_report(report, self.county_admin, report.version, "completed", "补充", {})
        target = Target.objects.filter(task__section__plan=self.old).first()
        with self.assertRaises(PlanEnded):
            do_save_target(target.task, target, self.county_admin, target.version, {"indicator": "改", "value": 1})
        with self.assertRaises(PlanEnded):  # its evaluation text too (written before the links are confirmed)
            do_save_evaluation_text(self.old, (self.old.period_start, self.old.period_end), Part.EFFECTS, "成效", 0,
                                    self.county_admin)
        with self.assertRaises(PlanEnded):  # a revised document of the ended plan
            do_import_plan(dict(self.old_parsed(), title="修订"), jurisdiction=self.county, source_name="r.txt",
                           source_sha256="sha-r", actor=self.county_admin, confirm=True)

    def test_a_report_left_open_when_the_plan_ended_offers_no_form_to_its_unit_or_the_office(self):
        draft = Report.objects.filter(cycle=self.final_cycle, unit=self.edu).first()
        Report.objects.filter(pk=draft.pk).update(state="draft")  # still a draft on the day the plan ended
        self.login(self.edu_reporter)
        page = self.client.get(reverse("tracking-report", args=[draft.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "提交审核")
        Report.objects.filter(pk=draft.pk).update(state="submitted")
        self.login(self.county_admin)
        self.assertNotContains(self.client.get(reverse("tracking-report", args=[draft.pk])), "审核通过并锁定")

    def old_parsed(self) -> dict:
        from kesu.succession.tests.base import old_plan
        return old_plan()

    def test_pages_keep_working_without_write_buttons_and_say_where_the_current_plan_is(self):
        self.login(self.county_admin)
        for name in ("plan-overview", "plan-targets", "tracking-plan", "evaluation", "tracking-dashboard"):
            page = self.client.get(reverse(name, args=[self.old.pk]))
            self.assertEqual(page.status_code, 200, name)
            self.assertContains(page, "结束，只读；现行方案")
            self.assertContains(page, reverse("plan-overview", args=[self.new.pk]))
        targets = self.client.get(reverse("plan-targets", args=[self.old.pk]))
        self.assertNotContains(targets, 'class="edit"')
        target = Target.objects.filter(task__section__plan=self.old).first()
        refused = self.client.get(reverse("target-edit", args=[self.old.pk, target.pk]))
        self.assertEqual(refused.status_code, 403)
        self.assertContains(refused, "只读", status_code=403)
        self.login(self.outsider)  # it was published: still visible to every signed-in user
        self.assertEqual(self.client.get(reverse("plan-overview", args=[self.old.pk])).status_code, 200)

    def test_dashboards_home_and_rollups_show_the_current_plan(self):
        self.assertEqual(current_plan_of(self.county), self.new)
        self.assertEqual([p.pk for p in plans_below(self.city) if p.jurisdiction_id == self.county.pk], [self.new.pk])
        self.login(self.county_admin)
        home = self.client.get(reverse("home"))
        self.assertContains(home, reverse("tracking-plan", args=[self.new.pk]))
        self.assertNotContains(home, reverse("tracking-plan", args=[self.old.pk]))
        key = do_create_api_token(self.county_admin, self.county_admin, name="测试", scope="read", days=30)[1]
        listed = self.client.get("/api/plans", headers={"Authorization": f"Bearer {key}"}).json()["items"]
        mine = {item["id"]: item for item in listed if item["jurisdiction"]["id"] == self.county.pk}
        self.assertEqual(mine[self.old.pk]["status"], "ended")
        self.assertFalse(mine[self.old.pk]["current"])
        self.assertTrue(mine[self.new.pk]["current"])
        self.assertEqual(mine[self.new.pk]["predecessor_id"], self.old.pk)


class OverlapTests(SuccessionTestCase):
    def test_a_plan_overlapping_another_is_refused_unless_the_office_confirms(self):
        parsed = successor_plan(start=self.year - 1)
        with self.assertRaisesMessage(ImportRefused, "确认两个方案期限重叠"):
            do_import_plan(parsed, jurisdiction=self.county, source_name="o.txt", source_sha256="o",
                           actor=self.county_admin)
        plan = do_import_plan(parsed, jurisdiction=self.county, source_name="o.txt", source_sha256="o",
                              actor=self.county_admin, allow_overlap=True).plan
        self.assertEqual(plan.predecessor, self.old)

    def test_on_the_import_page_the_box_must_be_ticked(self):
        from kesu.plans.models import PendingImport

        pending = PendingImport.objects.create(jurisdiction=self.county, uploaded_by=self.county_admin, source_name="o.txt",
                                               source_sha256="o", parsed=successor_plan(start=self.year - 1))
        url = reverse("plan-import-confirm", args=[pending.pk])
        self.login(self.county_admin)
        self.assertContains(self.client.get(url), "确认两个方案期限重叠")
        refused = self.client.post(url, follow=True)
        self.assertContains(refused, "请勾选")
        self.assertEqual(Plan.objects.filter(jurisdiction=self.county).count(), 1)
        answer = self.client.post(url, {"overlap": "on"})
        plan = Plan.objects.filter(jurisdiction=self.county).exclude(pk=self.old.pk).get()
        self.assertRedirects(answer, reverse("succession", args=[plan.pk]))

"""The office's set-up of the service leaves history (ServiceEvent: who, where, what, old and new values), and an
.xlsx import is confirmed once: a second POST of the same batch imports nothing."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kesu.plans.models import Target
from kesu.tracking.models import Activity
from kesu.volunteering import admin_actions
from kesu.volunteering.hours import do_record_sign_hours
from kesu.volunteering.importing import ImportRefused, do_confirm_import
from kesu.volunteering.models import (
    BaseReview,
    ImportBatch,
    ScienceBase,
    ServiceEvent,
    ServiceRole,
    ServiceSettings,
    TargetBinding,
    TeamMembership,
)
from kesu.volunteering.registry import do_decide_membership, do_review_base, do_save_team, do_save_volunteer
from kesu.volunteering.tests.base import ServiceTestCase
from kesu.volunteering.tests.test_imports import BASE_HEADER, xlsx

Kind = ServiceEvent.Kind
LIMITS = {"review_hours": 24, "claim_hours": 48, "assign_hours": 24, "accept_hours": 72, "serve_hours": 240,
          "confirm_hours": 168}


class RoleHistoryTests(ServiceTestCase):
    def grant(self, username: str = "team_b_admin") -> None:
        self.login(self.county_admin)
        response = self.client.post(f"{reverse('service-roles')}?j={self.county.pk}",
                                    {"username": username, "kind": "team_admin", "team": self.team_a.pk})
        self.assertEqual(response.status_code, 302)

    def test_a_grant_writes_one_row_with_the_actor_and_the_new_role(self):
        self.grant()
        event = ServiceEvent.objects.get()
        self.assertEqual((event.kind, event.actor, event.jurisdiction), (Kind.ROLE_GRANTED, self.county_admin, self.county))
        self.assertEqual(event.details["old"], None)
        self.assertEqual(event.details["new"], "team_b_admin · 服务队管理员 · 科协科普志愿服务队")
        self.assertEqual(event.subject, event.details["new"])

    def test_granting_a_role_twice_is_refused_in_chinese_and_writes_nothing(self):
        self.grant()
        self.login(self.county_admin)
        response = self.client.post(f"{reverse('service-roles')}?j={self.county.pk}",
                                    {"username": "team_b_admin", "kind": "team_admin", "team": self.team_a.pk})
        self.assertContains(response, "该账号已有这个角色")
        self.assertEqual(ServiceEvent.objects.count(), 1)

    def test_a_revoke_writes_one_row_with_the_role_that_was_held(self):
        role = ServiceRole.objects.get(user=self.gucheng_officer)
        self.login(self.county_admin)
        self.client.post(f"{reverse('service-roles')}?j={self.county.pk}", {"revoke": role.pk})
        self.assertFalse(ServiceRole.objects.filter(pk=role.pk).exists())
        event = ServiceEvent.objects.get()
        self.assertEqual((event.kind, event.actor, event.jurisdiction), (Kind.ROLE_REVOKED, self.county_admin, self.county))
        self.assertEqual((event.details["old"], event.details["new"]), ("gucheng_officer · 社区/乡镇工作人员 · 古城镇", None))

    def test_another_countys_office_can_neither_revoke_nor_leave_history(self):
        role = ServiceRole.objects.get(user=self.gucheng_officer)
        self.login(self.other_county_admin)
        response = self.client.post(f"{reverse('service-roles')}?j={self.county.pk}", {"revoke": role.pk})
        self.assertEqual(response.status_code, 403)
        self.assertTrue(ServiceRole.objects.filter(pk=role.pk).exists())
        self.assertFalse(ServiceEvent.objects.exists())


class SettingsHistoryTests(ServiceTestCase):
    def post(self, data: dict):
        self.login(self.county_admin)
        return self.client.post(f"{reverse('service-settings')}?j={self.county.pk}", data)

    def test_changing_time_limits_records_the_limits_before_and_after(self):
        self.assertEqual(self.post({"form": "limits", **LIMITS}).status_code, 302)
        first = ServiceEvent.objects.get()
        self.assertEqual((first.kind, first.actor, first.jurisdiction), (Kind.LIMITS_CHANGED, self.county_admin, self.county))
        self.assertEqual(first.details["new"], LIMITS)
        self.assertTrue(first.details["inherited"], "the limits before were the defaults, not the county's own")
        self.post({"form": "limits", **(LIMITS | {"claim_hours": 12})})
        second = ServiceEvent.objects.exclude(pk=first.pk).get()
        self.assertEqual((second.details["old"]["claim_hours"], second.details["new"]["claim_hours"]), (48, 12))
        self.assertEqual(second.details["changed"], {"claim_hours": [48, 12]})
        self.assertFalse(second.details["inherited"])
        self.assertEqual(ServiceSettings.objects.get(jurisdiction=self.county).claim_hours, 12)

    def test_a_refused_value_changes_nothing_and_leaves_no_history(self):
        response = self.post({"form": "limits", **(LIMITS | {"claim_hours": "NaN"})})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ServiceSettings.objects.exists())
        self.assertFalse(ServiceEvent.objects.exists())

    def test_topics_and_areas_leave_history(self):
        self.post({"form": "topic", "name": "科学育儿", "description": "家庭教育"})
        self.post({"form": "topic", "name": "科学育儿", "description": ""})  # already there: nothing changes
        self.post({"form": "area", "township": "古城镇", "villages": "东村、北村"})
        self.post({"form": "area_toggle", "area": self.south.pk})
        kinds = list(ServiceEvent.objects.order_by("pk").values_list("kind", "subject"))
        self.assertEqual(kinds, [(Kind.TOPIC_ADDED, "科学育儿"), (Kind.AREA_SAVED, "古城镇"), (Kind.AREA_TOGGLED, "新城镇南村")])
        self.assertEqual(ServiceEvent.objects.get(kind=Kind.AREA_SAVED).details["new"], ["北村"])
        toggled = ServiceEvent.objects.get(kind=Kind.AREA_TOGGLED)
        self.assertEqual((toggled.details["old"], toggled.details["new"]), (True, False))


class BindingHistoryTests(ServiceTestCase):
    def setUp(self) -> None:
        self.target = Target.objects.filter(task__section__plan=self.plan).order_by("pk").first()
        self.url = reverse("service-bind-target", args=[self.plan.pk, self.target.pk])

    def test_binding_rebinding_and_unbinding_each_write_one_row_with_old_and_new(self):
        self.login(self.county_admin)
        self.client.post(self.url, {"kind": "volunteers"})
        self.client.post(self.url, {"kind": "bases", "levels": ["county", "city"]})
        self.client.post(self.url, {"kind": ""})
        bound, rebound, unbound = ServiceEvent.objects.order_by("pk")
        self.assertEqual([e.kind for e in (bound, rebound, unbound)], [Kind.TARGET_BOUND, Kind.TARGET_BOUND, Kind.TARGET_UNBOUND])
        self.assertTrue(all(e.actor == self.county_admin and e.jurisdiction == self.county for e in (bound, rebound, unbound)))
        self.assertEqual(bound.subject, self.target.indicator)
        self.assertIsNone(bound.details["old"])
        self.assertEqual(bound.details["new"]["kind"], "volunteers")
        self.assertEqual(rebound.details["old"]["kind"], "volunteers")
        self.assertEqual((rebound.details["new"]["kind"], rebound.details["new"]["levels"]), ("bases", ["county", "city"]))
        self.assertEqual((unbound.details["old"]["kind"], unbound.details["new"]), ("bases", None))
        self.assertFalse(TargetBinding.objects.exists())

    def test_unbinding_an_unbound_target_writes_nothing(self):
        admin_actions.do_unbind_target(self.target, self.county_admin)
        self.assertFalse(ServiceEvent.objects.exists())

    def test_a_viewer_cannot_bind_and_leaves_no_history(self):
        self.login(self.county_viewer)
        self.assertEqual(self.client.post(self.url, {"kind": "volunteers"}).status_code, 403)
        self.login(self.other_county_admin)
        self.assertIn(self.client.post(self.url, {"kind": "volunteers"}).status_code, (403, 404))
        self.assertFalse(TargetBinding.objects.exists())
        self.assertFalse(ServiceEvent.objects.exists())


class DoubleConfirmTests(ServiceTestCase):
    HEADER = ["活动名称", "类型", "日期", "地点", "组织单位", "参与人数", "对应措施", "简要情况"]

    def upload_activities(self) -> ImportBatch:
        day = timezone.localdate().isoformat()
        data = xlsx([self.HEADER, ["科普大篷车进村", "志愿服务", day, "东村", "县科协", 80, "", ""],
                     ["科学讲座", "讲座/报告", day, "西村", "县科协", 40, "", ""]])
        self.login(self.county_admin)
        self.client.post(f"{reverse('service-import', args=['activities'])}?j={self.county.pk}",
                         {"plan": self.plan.pk, "file": SimpleUploadedFile("活动.xlsx", data)})
        return ImportBatch.objects.get()

    def test_a_second_post_of_the_same_batch_imports_nothing_and_says_why(self):
        batch = self.upload_activities()
        url = reverse("service-import-review", args=[batch.pk])
        self.assertEqual(self.client.post(url, {"skip": ""}).status_code, 302)
        self.assertEqual(Activity.objects.count(), 2)
        again = self.client.post(url, {"skip": ""})
        self.assertContains(again, "不能重复导入")
        self.assertContains(again, "已于")
        self.assertEqual(Activity.objects.count(), 2)
        batch.refresh_from_db()
        self.assertEqual(batch.imported_count, 2)
        confirmed = ServiceEvent.objects.filter(kind=Kind.IMPORT_CONFIRMED)
        self.assertEqual([(e.actor, e.details["new"]) for e in confirmed], [(self.county_admin, 2)])
        self.assertTrue(ServiceEvent.objects.filter(kind=Kind.IMPORT_UPLOADED, subject="活动.xlsx").exists())

    def test_the_action_refuses_a_batch_already_imported_even_from_a_stale_copy(self):
        data = xlsx([BASE_HEADER, ["县科技馆", "县级", "县科协", "科技场馆类", "常年开放", "古城镇", "人民路1号", 2023, ""]])
        batch = ImportBatch.objects.create(jurisdiction=self.county, kind="bases", name="b.xlsx", data=data,
                                           uploaded_by=self.county_admin)
        stale = ImportBatch.objects.get(pk=batch.pk)  # what a second request read before the first one committed
        self.assertEqual(do_confirm_import(batch, self.county_admin, set()), 1)
        with self.assertRaisesMessage(ImportRefused, "不能重复导入"):
            do_confirm_import(stale, self.county_admin, set())
        self.assertEqual(ServiceEvent.objects.filter(kind=Kind.IMPORT_CONFIRMED).count(), 1)

    def test_a_refused_import_stays_unconfirmed_so_it_can_be_confirmed_later(self):
        bad = xlsx([BASE_HEADER, ["县科技馆", "乡级", "县科协", "科技场馆类", "", "", "", 2023, ""]])
        batch = ImportBatch.objects.create(jurisdiction=self.county, kind="bases", name="b.xlsx", data=bad,
                                           uploaded_by=self.county_admin)
        with self.assertRaisesMessage(ImportRefused, "未导入任何数据"):
            do_confirm_import(batch, self.county_admin, set())
        batch.refresh_from_db()
        self.assertIsNone(batch.imported_at)
        self.assertEqual(do_confirm_import(batch, self.county_admin, {2}), 0)


class RegistryHistoryTests(ServiceTestCase):
    def test_saving_a_volunteer_records_what_changed_but_never_the_id_or_phone_number(self):
        volunteer = do_save_volunteer(self.county, self.county_admin, {"name": "孙丽", "id_number": "110101199003071234",
                                                                      "phone": "13900001111", "skills": "急救"})
        do_save_volunteer(self.county, self.county_admin, {"name": "孙丽", "phone": "13900002222", "skills": "急救、心理"},
                          volunteer)
        created, changed = ServiceEvent.objects.filter(kind=Kind.VOLUNTEER_SAVED).order_by("pk")
        self.assertEqual((created.actor, created.jurisdiction, created.subject), (self.county_admin, self.county, "孙丽"))
        self.assertIsNone(created.details["old"])
        self.assertEqual((changed.details["old"]["skills"], changed.details["new"]["skills"]), ("急救", "急救、心理"))
        self.assertEqual(changed.details["personal_changed"], ["手机号"])
        stored = str(list(ServiceEvent.objects.values_list("details", "subject")))
        for secret in ("110101199003071234", "13900001111", "13900002222"):
            self.assertNotIn(secret, stored)

    def test_teams_memberships_and_base_reviews_leave_history(self):
        do_save_team(self.county, {"name": "气象科普服务队", "in_pool": True}, actor=self.county_admin)
        membership = TeamMembership.objects.get(team=self.team_a, volunteer=self.zhao)
        do_decide_membership(membership, self.team_a_admin, approve=True)
        base = ScienceBase.objects.create(jurisdiction=self.county, name="县科技馆", level="county", host="县科协",
                                          kind="venue", designated_year=timezone.localdate().year - 2)
        do_review_base(base, self.county_admin, timezone.localdate().year, BaseReview.Outcome.REVOKED, "复核不合格")
        team, decided, reviewed = ServiceEvent.objects.order_by("pk")
        self.assertEqual((team.kind, team.actor, team.subject), (Kind.TEAM_SAVED, self.county_admin, "气象科普服务队"))
        self.assertEqual((decided.kind, decided.actor, decided.details["old"], decided.details["new"]),
                         (Kind.MEMBERSHIP_DECIDED, self.team_a_admin, "pending", "active"))
        self.assertEqual((reviewed.kind, reviewed.details["old"], reviewed.details["new"]),
                         (Kind.BASE_REVIEWED, None, BaseReview.Outcome.REVOKED))


class HistoryPageTests(ServiceTestCase):
    def test_the_office_reads_what_changed_in_words(self):
        self.login(self.county_admin)
        settings_url = f"{reverse('service-settings')}?j={self.county.pk}"
        self.client.post(settings_url, {"form": "limits", **LIMITS})
        self.client.post(settings_url, {"form": "limits", **(LIMITS | {"claim_hours": 12})})
        target = Target.objects.filter(task__section__plan=self.plan).order_by("pk").first()
        self.client.post(reverse("service-bind-target", args=[self.plan.pk, target.pk]), {"kind": "volunteers"})
        do_save_volunteer(self.county, self.county_admin, {"name": "孙丽", "phone": "13900001111", "gender": "female"},
                          self.wang)
        response = self.client.get(f"{reverse('service-history')}?j={self.county.pk}")
        self.assertContains(response, "修改服务时限")
        self.assertContains(response, "部门领单（小时）：48 → 12")
        self.assertContains(response, "此前沿用上级或默认时限")
        self.assertContains(response, "按进展报告填报 → ")
        self.assertContains(response, "姓名：王芳 → 孙丽")
        self.assertContains(response, "手机号已修改（内容不记入记录）")
        self.assertNotContains(response, "13900001111")
        self.assertNotContains(response, "female")
        only_limits = self.client.get(f"{reverse('service-history')}?j={self.county.pk}&kind=limits_changed")
        self.assertContains(only_limits, "修改服务时限")
        self.assertNotContains(only_limits, "姓名：王芳")

    def test_only_the_jurisdictions_office_sees_its_history(self):
        do_save_team(self.county, {"name": "气象科普服务队"}, actor=self.county_admin)
        url = f"{reverse('service-history')}?j={self.county.pk}"
        for user in (self.other_county_admin, self.county_viewer, self.team_a_admin):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 403, user)
        self.login(self.other_county_admin)
        self.assertNotContains(self.client.get(reverse("service-history")), "气象科普服务队")


class ActivityHoursHistoryTests(ServiceTestCase):
    def test_hours_for_an_activity_record_the_hours_before_and_after(self):
        activity = Activity.objects.create(plan=self.plan, unit=self.kx, kind="science_day", title="全国科普日主场活动",
                                           held_on=timezone.localdate() - dt.timedelta(days=2), participants=800)
        roles = self.roles(self.team_a_admin)
        start = timezone.make_aware(dt.datetime.combine(activity.held_on, dt.time(8, 30)))
        do_record_sign_hours(self.team_a, self.team_a_admin, roles, self.wang, start, start + dt.timedelta(hours=4),
                             activity=activity)
        do_record_sign_hours(self.team_a, self.team_a_admin, roles, self.wang, start, start + dt.timedelta(hours=2),
                             activity=activity)
        first, corrected = ServiceEvent.objects.filter(kind=Kind.HOURS_RECORDED).order_by("pk")
        self.assertEqual((first.actor, first.subject, first.details["old"], first.details["new"]),
                         (self.team_a_admin, "王芳 · 全国科普日主场活动", None, 4.0))
        self.assertEqual((corrected.details["old"], corrected.details["new"]), (4.0, 2.0))

"""Correcting and withdrawing a registered campaign activity: the registering unit (or township) and the office
edit it with the registration's checks, a stale edit is refused keeping what was typed, a withdrawal needs a reason
and leaves the figures; another unit or county changes nothing, and an ended plan is read-only."""

from __future__ import annotations

from django.urls import reverse

from kesu.campaigns import actions
from kesu.campaigns import report as campaign_report
from kesu.campaigns.events import EventKind
from kesu.campaigns.models import CampaignActivity
from kesu.campaigns.tests.base import CampaignTestCase, activity_data, png
from kesu.plans.access import PlanEnded
from kesu.plans.models import Plan
from kesu.tracking.models import Activity, Evidence


def edit_post(entry: CampaignActivity, **changes) -> dict:
    """The edit form as submitted unchanged, with `changes`."""
    activity = entry.activity
    data = {"version": entry.version, "held_by": f"u{activity.unit_id}" if activity.unit_id else f"t{entry.township_id}",
            "title": activity.title, "held_on": activity.held_on.isoformat(), "place": activity.place,
            "online": activity.online, "description": activity.description, "participants": "",
            "scientists": entry.scientists, "volunteers": entry.volunteers, "volunteer_hours": entry.volunteer_hours}
    data |= {f"audience_{a.group}": a.participants for a in activity.audiences.all()}
    return data | changes


class EditTests(CampaignTestCase):
    def test_the_unit_corrects_audiences_people_and_photos_and_each_change_is_recorded(self):
        campaign = self.open_campaign()
        entry = self.register(campaign)
        old_photo = entry.activity.evidence.get()
        self.login(self.kx_reporter)
        url = reverse("campaigns-activity-edit", args=[entry.pk])
        page = self.client.get(url)
        self.assertContains(page, "智慧助老手机课堂")
        self.assertContains(page, 'name="audience_elderly" value="30"', html=False)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, edit_post(entry, title="智慧助老手机课堂（第二期）", audience_farmers="",
                                                       audience_elderly="40", audience_youth="10", volunteers="6",
                                                       remove_photos=[old_photo.pk], photos=[png("签到表.png")]))
        self.assertRedirects(response, reverse("campaigns-campaign", args=[campaign.pk]))
        entry.refresh_from_db()
        activity = entry.activity
        self.assertEqual((activity.title, activity.participants, entry.volunteers, entry.version),
                         ("智慧助老手机课堂（第二期）", 50, 6, 2))
        self.assertEqual(dict(activity.audiences.values_list("group", "participants")), {"elderly": 40, "youth": 10})
        self.assertEqual(list(activity.evidence.values_list("original_name", flat=True)), ["签到表.png"])
        self.assertFalse(old_photo.file.storage.exists(old_photo.file.name))
        changed = {e.field: (e.old, e.new) for e in campaign.events.filter(kind=EventKind.ACTIVITY_CHANGED)}
        self.assertEqual(changed["受众群体"], ("老年人 30、农民 12", "老年人 40、青少年/学生 10"))
        self.assertEqual(changed["参与人数"], ("42", "50"))
        self.assertEqual(changed["删除照片"], ("现场.png", ""))
        self.assertEqual(changed["新增照片"], ("", "签到表.png"))
        self.assertEqual(changed["活动名称"], ("智慧助老手机课堂", "智慧助老手机课堂（第二期）"))

    def test_the_registration_checks_apply_and_the_form_keeps_the_input(self):
        campaign = self.open_campaign()
        entry = self.register(campaign)
        self.login(self.kx_reporter)
        response = self.client.post(reverse("campaigns-activity-edit", args=[entry.pk]),
                                    edit_post(entry, title="改过的名称", participants="99"))
        self.assertContains(response, "参与人数 99 与各受众群体人数之和 42 不一致", status_code=400)
        self.assertContains(response, "改过的名称", status_code=400)
        with self.assertRaisesMessage(actions.CampaignRefused, "县教科局不在本次主题活动的参加单位中"):
            other = self.open_campaign(units=[self.kx], townships=[], name="科技活动周")
            actions.do_edit_campaign_activity(self.register(other), self.county_admin, 1, self.edu, None, activity_data(),
                                              {}, actions.Involved(), actions.Photos([], []))
        entry.refresh_from_db()
        self.assertEqual((entry.activity.title, entry.version), ("智慧助老手机课堂", 1))

    def test_a_stale_edit_is_refused_and_what_was_typed_is_kept(self):
        campaign = self.open_campaign()
        entry = self.register(campaign)
        seen = edit_post(entry, title="填报员的改法")
        actions.do_edit_campaign_activity(entry, self.county_admin, 1, self.kx, None, activity_data(title="办公室的改法"),
                                          {"elderly": 30, "farmers": 12}, actions.Involved(2, 5, 12.5), actions.Photos([], []))
        self.login(self.kx_reporter)
        response = self.client.post(reverse("campaigns-activity-edit", args=[entry.pk]), seen)
        self.assertContains(response, "已被他人修改或撤回", status_code=409)
        self.assertContains(response, "填报员的改法", status_code=409)
        entry.refresh_from_db()
        self.assertEqual((entry.activity.title, entry.version), ("办公室的改法", 2))

    def test_the_office_edits_any_and_a_township_officer_its_own(self):
        campaign = self.open_campaign()
        entry = self.register(campaign, township=self.gucheng, user=self.gucheng_officer)
        for user, title in ((self.gucheng_officer, "乡镇改"), (self.county_admin, "办公室改")):
            entry.refresh_from_db()
            self.login(user)
            response = self.client.post(reverse("campaigns-activity-edit", args=[entry.pk]), edit_post(entry, title=title))
            self.assertRedirects(response, reverse("campaigns-campaign", args=[campaign.pk]))
        entry.refresh_from_db()
        self.assertEqual((entry.activity.title, entry.township, entry.version), ("办公室改", self.gucheng, 3))
        self.client.post(reverse("campaigns-activity-edit", args=[entry.pk]), edit_post(entry))  # saved unchanged
        entry.refresh_from_db()
        self.assertEqual(entry.version, 3)
        self.assertEqual(campaign.events.filter(kind=EventKind.ACTIVITY_CHANGED).count(), 2)


class AccessTests(CampaignTestCase):
    def test_another_unit_township_or_county_cannot_edit_or_withdraw_and_a_leader_only_reads(self):
        campaign = self.open_campaign()
        entry = self.register(campaign)
        for user, status in ((self.edu_reporter, 404), (self.gucheng_officer, 404), (self.other_county_admin, 404),
                             (self.outsider, 404), (self.city_leader, 403)):
            self.login(user)
            for name in ("campaigns-activity-edit", "campaigns-activity-withdraw"):
                url = reverse(name, args=[entry.pk])
                self.assertEqual(self.client.get(url).status_code, status, (user.username, name))
                self.assertEqual(self.client.post(url, edit_post(entry, title="篡改", reason="篡改")).status_code, status)
        entry.refresh_from_db()
        self.assertEqual((entry.activity.title, entry.version), ("智慧助老手机课堂", 1))

    def test_the_campaign_page_links_only_what_the_user_may_change(self):
        campaign = self.open_campaign()
        kx_entry = self.register(campaign)
        edu_entry = self.register(campaign, unit=self.edu, user=self.edu_reporter, title="青少年科学实验秀")
        edit = lambda entry: reverse("campaigns-activity-edit", args=[entry.pk])  # noqa: E731
        self.login(self.kx_reporter)
        page = self.client.get(reverse("campaigns-campaign", args=[campaign.pk]))
        self.assertContains(page, edit(kx_entry))
        self.assertContains(page, reverse("campaigns-activity-withdraw", args=[kx_entry.pk]))
        self.assertNotContains(page, edit(edu_entry))
        self.login(self.county_admin)
        page = self.client.get(reverse("campaigns-campaign", args=[campaign.pk]))
        self.assertContains(page, edit(kx_entry))
        self.assertContains(page, edit(edu_entry))
        self.login(self.city_leader)
        self.assertNotContains(self.client.get(reverse("campaigns-campaign", args=[campaign.pk])), "/edit/\">修改</a>")

    def test_an_ended_plan_refuses_edit_and_withdrawal(self):
        campaign = self.open_campaign()
        entry = self.register(campaign)
        Plan.objects.filter(pk=entry.activity.plan_id).update(status=Plan.Status.ENDED)
        self.login(self.kx_reporter)
        for name in ("campaigns-activity-edit", "campaigns-activity-withdraw"):
            response = self.client.post(reverse(name, args=[entry.pk]), edit_post(entry, title="改", reason="重复"))
            self.assertContains(response, "已结束", status_code=403)
        self.assertNotContains(self.client.get(reverse("campaigns-campaign", args=[campaign.pk])), "撤回</a>")
        with self.assertRaises(PlanEnded):
            actions.do_withdraw_campaign_activity(entry, self.county_admin, 1, "重复登记")
        self.assertTrue(CampaignActivity.objects.filter(pk=entry.pk).exists())


class WithdrawTests(CampaignTestCase):
    def test_withdrawing_needs_a_reason_and_the_figures_no_longer_count_it(self):
        campaign = self.open_campaign()
        kept = self.register(campaign, audiences={"youth": 80})
        entry = self.register(campaign, title="重复登记的讲座")
        photo = entry.activity.evidence.get()
        self.assertEqual(campaign_report.build(campaign).totals.participants, 122)
        self.login(self.kx_reporter)
        url = reverse("campaigns-activity-withdraw", args=[entry.pk])
        self.assertContains(self.client.get(url), "重复登记的讲座")
        self.assertContains(self.client.post(url, {"version": 1, "reason": "  "}), "撤回原因", status_code=400)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {"version": 1, "reason": "与上一条重复"})
        self.assertRedirects(response, reverse("campaigns-campaign", args=[campaign.pk]))
        self.assertFalse(Activity.objects.filter(title="重复登记的讲座").exists())
        self.assertFalse(Evidence.objects.filter(pk=photo.pk).exists())
        self.assertFalse(photo.file.storage.exists(photo.file.name))
        figures = campaign_report.build(campaign)
        self.assertEqual((figures.totals.activities, figures.totals.participants), (1, 80))
        self.assertEqual([line.entry for line in figures.lines], [kept])
        event = campaign.events.get(kind=EventKind.ACTIVITY_WITHDRAWN)
        self.assertEqual((event.subject, event.new, event.actor), ("县科协：重复登记的讲座", "与上一条重复", self.kx_reporter))
        self.login(self.county_admin)
        page = self.client.get(reverse("campaigns-campaign", args=[campaign.pk]))
        self.assertContains(page, "撤回活动“县科协：重复登记的讲座”")
        self.assertContains(page, "与上一条重复")

    def test_a_withdrawal_after_an_edit_meanwhile_is_refused(self):
        campaign = self.open_campaign()
        entry = self.register(campaign)
        actions.do_edit_campaign_activity(entry, self.county_admin, 1, self.kx, None, activity_data(place="县科技馆"),
                                          {"elderly": 30, "farmers": 12}, actions.Involved(2, 5, 12.5), actions.Photos([], []))
        with self.assertRaises(actions.StaleActivity):
            actions.do_withdraw_campaign_activity(entry, self.kx_reporter, 1, "重复")
        self.assertTrue(CampaignActivity.objects.filter(pk=entry.pk).exists())

"""Theme campaigns: the office opens one, invited units and townships register activities with audiences and photos,
the office sees who did nothing and urges them; another unit or county sees and changes nothing."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kesu.campaigns import actions
from kesu.campaigns.models import Campaign, CampaignActivity
from kesu.campaigns.scoring import campaign_shares
from kesu.campaigns.tests.base import CampaignTestCase, activity_data, campaign_data, png
from kesu.notices.models import Notice
from kesu.tracking.models import Activity, ActivityAudience


class OpeningTests(CampaignTestCase):
    def test_the_office_opens_a_campaign_and_the_invited_are_told(self):
        self.login(self.county_admin)
        data = campaign_data()
        response = self.client.post(reverse("campaigns-new", args=[self.county.pk]), {
            **data, "starts_on": data["starts_on"].isoformat(), "ends_on": data["ends_on"].isoformat(),
            "invited_units": [self.kx.pk], "townships": [self.gucheng.pk]})
        campaign = Campaign.objects.get()
        self.assertRedirects(response, reverse("campaigns-campaign", args=[campaign.pk]))
        self.assertEqual(list(campaign.invited_units.all()), [self.kx])
        told = set(Notice.objects.filter(title__contains="全国科普日").values_list("user__username", flat=True))
        self.assertEqual(told, {"kx_reporter", "gucheng_officer"})
        self.assertEqual(campaign.events.get().kind, "opened")

    def test_a_window_running_backwards_is_refused_and_the_form_keeps_the_input(self):
        self.login(self.county_admin)
        today = timezone.localdate()
        response = self.client.post(reverse("campaigns-new", args=[self.county.pk]), {
            **campaign_data(name="科技活动周"), "starts_on": today.isoformat(), "ends_on": (today - dt.timedelta(days=3)).isoformat()})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "结束日期不能早于开始日期", status_code=400)
        self.assertContains(response, "科技活动周", status_code=400)
        self.assertFalse(Campaign.objects.exists())

    def test_another_county_and_a_unit_reporter_cannot_open_or_change(self):
        campaign = self.open_campaign()
        for user in (self.other_county_admin, self.kx_reporter):
            self.login(user)
            self.assertEqual(self.client.get(reverse("campaigns-new", args=[self.county.pk])).status_code, 403)
            self.assertIn(self.client.get(reverse("campaigns-edit", args=[campaign.pk])).status_code, (403, 404))
        self.login(self.other_county_admin)
        self.assertEqual(self.client.get(reverse("campaigns-campaign", args=[campaign.pk])).status_code, 404)

    def test_a_stale_edit_is_refused(self):
        campaign = self.open_campaign()
        actions.do_edit_campaign(campaign, self.county_admin, 1, campaign_data(theme="新主题"), actions.Invited([self.kx], [], []))
        with self.assertRaises(actions.StaleCampaign):
            actions.do_edit_campaign(campaign, self.county_admin, 1, campaign_data(theme="旧页面"), actions.Invited([self.kx], [], []))
        campaign.refresh_from_db()
        self.assertEqual((campaign.theme, campaign.version), ("新主题", 2))

    def test_a_city_campaign_cascades_to_each_county(self):
        city_campaign = actions.do_open_campaign(self.city, self.city_admin, campaign_data(), actions.Invited([], [], []), cascade=True)
        children = Campaign.objects.filter(parent=city_campaign).order_by("jurisdiction__name")
        self.assertEqual({c.jurisdiction for c in children}, {self.county, self.other_county})
        self.assertTrue(Notice.objects.filter(user=self.county_admin, title__contains="临汾市下发主题活动").exists())
        self.login(self.city_leader)  # the city sees its counties' progress
        response = self.client.get(reverse("campaigns-campaign", args=[city_campaign.pk]))
        self.assertContains(response, "下发到各县")
        self.assertContains(response, "乡宁县")


class RegistrationTests(CampaignTestCase):
    def test_an_invited_unit_registers_an_activity_with_audiences_and_a_photo(self):
        campaign = self.open_campaign()
        self.login(self.kx_reporter)
        data = activity_data()
        response = self.client.post(reverse("campaigns-register", args=[campaign.pk]), {
            **data, "held_on": data["held_on"].isoformat(), "held_by": f"u{self.kx.pk}", "participants": "",
            "audience_elderly": "30", "audience_farmers": "12", "scientists": "2", "volunteers": "5",
            "volunteer_hours": "12.5", "photos": [png()]})
        self.assertRedirects(response, reverse("campaigns-campaign", args=[campaign.pk]))
        entry = CampaignActivity.objects.get()
        activity = entry.activity
        self.assertEqual((activity.unit, activity.participants, activity.kind), (self.kx, 42, "science_day"))
        self.assertEqual(dict(activity.audiences.values_list("group", "participants")), {"elderly": 30, "farmers": 12})
        self.assertEqual(activity.evidence.get().content_type, "image/png")
        self.assertEqual((entry.scientists, entry.volunteers, entry.volunteer_hours), (2, 5, 12.5))

    def test_a_head_count_that_contradicts_the_groups_is_refused_keeping_the_input(self):
        campaign = self.open_campaign()
        self.login(self.kx_reporter)
        data = activity_data(title="防灾减灾知识讲座")
        response = self.client.post(reverse("campaigns-register", args=[campaign.pk]), {
            **data, "held_on": data["held_on"].isoformat(), "held_by": f"u{self.kx.pk}", "participants": "50",
            "audience_elderly": "30", "scientists": "0", "volunteers": "0", "volunteer_hours": "0"})
        self.assertContains(response, "参与人数 50 与各受众群体人数之和 30 不一致", status_code=400)
        self.assertContains(response, "防灾减灾知识讲座", status_code=400)
        self.assertFalse(Activity.objects.exists())

    def test_a_township_officer_registers_for_the_township(self):
        campaign = self.open_campaign()
        entry = self.register(campaign, township=self.gucheng, user=self.gucheng_officer)
        self.assertIsNone(entry.activity.unit)
        self.assertEqual(entry.held_by, "古城镇")
        self.login(self.gucheng_officer)
        page = self.client.get(reverse("campaigns-campaign", args=[campaign.pk]))
        self.assertContains(page, "本单位登记的活动")
        self.assertContains(page, "智慧助老手机课堂")

    def test_units_not_invited_cannot_register_or_see(self):
        campaign = self.open_campaign(units=[self.kx], townships=[])
        self.register(campaign)
        self.login(self.edu_reporter)
        self.assertEqual(self.client.get(reverse("campaigns-register", args=[campaign.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("campaigns-campaign", args=[campaign.pk])).status_code, 404)
        self.login(self.xincheng_officer)
        self.assertEqual(self.client.get(reverse("campaigns-register", args=[campaign.pk])).status_code, 404)
        with self.assertRaisesMessage(actions.CampaignRefused, "县教科局不在本次主题活动的参加单位中"):
            actions.do_register_activity(campaign, self.county_admin, self.edu, None, activity_data(), {}, [], actions.Involved())

    def test_invited_units_see_only_their_own_activities_and_photos(self):
        campaign = self.open_campaign()
        kx_entry = self.register(campaign)
        edu_entry = self.register(campaign, unit=self.edu, user=self.edu_reporter, title="青少年科学实验秀", audiences={"youth": 80})
        self.login(self.edu_reporter)
        page = self.client.get(reverse("campaigns-campaign", args=[campaign.pk]))
        self.assertContains(page, "青少年科学实验秀")
        self.assertNotContains(page, "智慧助老手机课堂")
        self.assertEqual(self.client.get(reverse("campaigns-photo", args=[kx_entry.activity.evidence.get().pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("campaigns-photo", args=[edu_entry.activity.evidence.get().pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("campaigns-docx", args=[campaign.pk])).status_code, 403)

    def test_a_future_date_is_refused(self):
        campaign = self.open_campaign()
        with self.assertRaisesMessage(actions.CampaignRefused, "活动日期不能晚于今天"):
            self.register(campaign, held_on=timezone.localdate() + dt.timedelta(days=1))


class OfficeTests(CampaignTestCase):
    def test_the_office_sees_who_did_nothing_and_urges_only_them(self):
        campaign = self.open_campaign()
        self.register(campaign)
        self.login(self.county_admin)
        page = self.client.get(reverse("campaigns-campaign", args=[campaign.pk]))
        self.assertContains(page, "尚未登记：县教科局；古城镇")
        self.client.post(reverse("campaigns-campaign", args=[campaign.pk]))
        urged = set(Notice.objects.filter(title__startswith="催报").values_list("user__username", flat=True))
        self.assertEqual(urged, {"edu_reporter", "gucheng_officer"})
        self.assertEqual(campaign.events.filter(kind="urged").count(), 1)

    def test_the_rubric_counts_campaigns_with_a_photo_inside_the_window(self):
        campaign = self.open_campaign()
        self.register(campaign)  # 县科协: inside the window, with a photo
        self.register(campaign, unit=self.edu, user=self.edu_reporter, photos=0)  # 县教科局: no photo
        shares = campaign_shares(self.plan, campaign.year)
        self.assertEqual((shares[self.kx.pk].done, shares[self.kx.pk].due), (1, 1))
        self.assertEqual((shares[self.edu.pk].done, shares[self.edu.pk].due), (0, 1))
        self.assertEqual(shares[self.kx.pk].counted, "次主题活动按时参加（窗口内、有照片）")

    def test_the_rubric_editor_offers_the_campaign_item(self):
        from kesu.tracking.rubric_sources import available_kinds

        self.assertEqual(available_kinds()["campaigns"], "参加主题活动")

    def test_home_pages_ask_the_invited_to_register_and_show_the_office_who_is_missing(self):
        campaign = self.open_campaign()
        self.register(campaign)
        self.login(self.edu_reporter)
        home = self.client.get(reverse("home"))
        self.assertContains(home, "主题活动：请登记活动")
        self.assertContains(home, reverse("campaigns-register", args=[campaign.pk]))
        self.login(self.kx_reporter)  # registered already: nothing to ask
        self.assertNotContains(self.client.get(reverse("home")), "主题活动：请登记活动")
        self.login(self.county_admin)
        self.assertContains(self.client.get(reverse("home")), "2 个单位/乡镇尚未登记")

    def test_the_report_downloads_hold_the_tables_and_the_photos(self):
        campaign = self.open_campaign()
        self.register(campaign)
        self.register(campaign, township=self.gucheng, user=self.gucheng_officer, title="乡村振兴农技讲座", audiences={"farmers": 60})
        self.login(self.city_leader)  # a supervisor above reads the report
        docx = self.client.get(reverse("campaigns-docx", args=[campaign.pk]))
        self.assertEqual(docx.status_code, 200)
        archive = zipfile.ZipFile(io.BytesIO(docx.content))
        text = archive.read("word/document.xml").decode()
        self.assertEqual(text.count("<pic:pic"), 2)  # one photo of each activity, embedded
        self.assertTrue(any(n.startswith("word/media/") for n in archive.namelist()))
        for words in ("各单位开展情况", "县教科局", "乡村振兴农技讲座", "附：活动照片"):
            self.assertIn(words, text)
        book = load_workbook(io.BytesIO(self.client.get(reverse("campaigns-xlsx", args=[campaign.pk])).content))
        self.assertEqual(book.sheetnames, ["按单位", "按乡镇", "按受众群体", "未登记", "活动清单"])
        audience = {row[0]: row[1:] for row in book["按受众群体"].iter_rows(min_row=3, values_only=True) if row[0]}
        self.assertEqual(audience["农民"], (2, 72))
        self.assertEqual(audience["老年人"], (1, 30))
        idle = [row[1] for row in book["未登记"].iter_rows(min_row=3, values_only=True)]
        self.assertEqual(idle, ["县教科局"])


class PublicCalendarTests(CampaignTestCase):
    def test_anyone_sees_dates_and_places_but_no_people(self):
        campaign = self.open_campaign()
        self.register(campaign, description="联系人：张三 13912345678")
        page = self.client.get(reverse("campaigns-calendar"))
        self.assertContains(page, "智慧助老手机课堂")
        self.assertContains(page, "县老年大学")
        for private in ("张三", "13912345678", "kx_reporter", "现场.png"):
            self.assertNotContains(page, private)

    def test_malformed_years_answer_400(self):
        self.assertEqual(self.client.get(reverse("campaigns-calendar"), {"year": "abc"}).status_code, 400)


class AudienceBindingTests(CampaignTestCase):
    def test_a_target_bound_to_activities_for_the_elderly_counts_only_those(self):
        from kesu.volunteering.admin_actions import do_bind_target
        from kesu.volunteering.binding import bound_target_values

        campaign = self.open_campaign()
        self.register(campaign)  # elderly 30 + farmers 12
        self.register(campaign, unit=self.edu, user=self.edu_reporter, audiences={"youth": 80})
        target = self.plan.sections.first().tasks.first().targets.first()
        do_bind_target(target, self.county_admin, "activities", [], [], ["elderly"])
        value, rule = bound_target_values(self.plan)[target.pk]
        self.assertEqual(value, 1)
        self.assertIn("面向老年人的科普活动场次", rule)
        do_bind_target(target, self.county_admin, "activity_participants", [], [], ["elderly", "youth"])
        value, rule = bound_target_values(self.plan)[target.pk]
        self.assertEqual(value, 110)
        self.assertIn("中老年人、青少年/学生的参与人数之和", rule)
        self.assertEqual(ActivityAudience.objects.count(), 3)

    def test_an_elderly_target_suggests_the_elderly_and_the_page_offers_the_groups(self):
        from kesu.volunteering.binding import suggest_audiences

        target = self.plan.sections.first().tasks.first().targets.first()
        target.indicator, target.text = "[智慧助老]科普活动场次", "[智慧助老]每年组织科普活动不少于5次"
        target.save()
        self.assertEqual(suggest_audiences(target), ["elderly"])
        self.login(self.county_admin)
        page = self.client.get(reverse("service-bindings", args=[self.plan.pk]))
        self.assertContains(page, 'name="audiences" value="elderly" checked')
        self.assertContains(page, "受众群体（只计面向所选群体的活动及其人数）")
        self.client.post(reverse("service-bind-target", args=[self.plan.pk, target.pk]),
                         {"kind": "activities", "audiences": ["elderly", "nobody"]})
        self.assertEqual(target.service_binding.audiences, ["elderly"])
        self.assertContains(self.client.get(reverse("service-bindings", args=[self.plan.pk])), "面向老年人的科普活动场次")

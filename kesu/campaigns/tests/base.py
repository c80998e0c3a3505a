"""Campaign tests start from the service world (襄汾县 with its plan, 古城镇/新城镇 and their officers, 县科协 and
县教科局) plus a reporter for each of the two units; photos are tiny PNGs made with Pillow."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from kesu.campaigns import actions
from kesu.campaigns.models import Campaign
from kesu.org.models import Membership
from kesu.volunteering.tests.base import ServiceTestCase


def png(name: str = "现场.png", colour: str = "#3a7bd5") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def campaign_data(**changes) -> dict:
    today = timezone.localdate()
    data = {"name": "全国科普日", "year": today.year, "kind": "science_day", "starts_on": today - dt.timedelta(days=10),
            "ends_on": today + dt.timedelta(days=5), "theme": "弘扬科学家精神", "notes": ""}
    return data | changes


def activity_data(**changes) -> dict:
    data = {"title": "智慧助老手机课堂", "held_on": timezone.localdate() - dt.timedelta(days=1), "place": "县老年大学",
            "online": "offline", "participants": None, "description": ""}
    return data | changes


class CampaignTestCase(ServiceTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        users = get_user_model().objects
        cls.kx_reporter = users.create_user("kx_reporter")
        Membership.objects.create(user=cls.kx_reporter, jurisdiction=cls.county, role=Membership.Role.UNIT_REPORTER, unit=cls.kx)
        cls.edu_reporter = users.create_user("edu_reporter")
        Membership.objects.create(user=cls.edu_reporter, jurisdiction=cls.county, role=Membership.Role.UNIT_REPORTER, unit=cls.edu)

    def open_campaign(self, units=None, townships=None, **changes) -> Campaign:
        units = [self.kx, self.edu] if units is None else units
        townships = [self.gucheng] if townships is None else townships
        return actions.do_open_campaign(self.county, self.county_admin, campaign_data(**changes),
                                        actions.Invited(units, townships, []))

    def register(self, campaign: Campaign, unit=None, township=None, audiences=None, photos=1, user=None, **changes):
        return actions.do_register_activity(
            campaign, user or self.kx_reporter, unit if unit or township else self.kx, township, activity_data(**changes),
            {"elderly": 30, "farmers": 12} if audiences is None else audiences, [png() for _ in range(photos)],
            actions.Involved(2, 5, 12.5))

"""`load_demo_campaigns`: 晋城市's 全国科普日 and 襄汾县's 科技活动周, dated from today, with activities, audiences and
photos by several units and townships and one unit that did nothing; loaded once."""

from __future__ import annotations

from django.utils import timezone

from kesu.campaigns.models import Campaign, CampaignActivity
from kesu.campaigns.report import build
from kesu.demo.campaigns import load_demo_campaigns
from kesu.org.models import Jurisdiction
from kesu.testing import BaseTestCase
from kesu.tracking.tests.base import current_plan
from kesu.volunteering.models import ServiceArea


class CampaignsDemoTests(BaseTestCase):
    def test_two_campaigns_with_units_townships_photos_and_an_idle_unit_once(self) -> None:
        jincheng = Jurisdiction.objects.create(name="晋城市", level="city", parent=self.province)
        self._user("jincheng", jincheng, "office_admin")
        self.import_plan(current_plan() | {"jurisdiction": {"name": "晋城市", "level": "city"}}, jincheng, sha="j")
        self.import_plan(current_plan())  # 襄汾县
        for position, name in enumerate(["新城镇", "古城镇", "襄陵镇"]):  # as the service demo makes them
            ServiceArea.objects.create(jurisdiction=self.county, kind="township", name=name, position=position)
        campaigns = load_demo_campaigns()
        self.assertEqual({(c.jurisdiction.name, c.name) for c in campaigns}, {("晋城市", "全国科普日"), ("襄汾县", "科技活动周")})
        today = timezone.localdate()
        for campaign in campaigns:
            self.assertLessEqual(campaign.starts_on, today)
            self.assertIn(campaign.year, (today.year, today.year - 1))
            report = build(campaign)
            self.assertGreaterEqual(report.totals.activities, 2)
            self.assertTrue(report.photos)
            self.assertEqual(len(report.idle_units), 1)
            self.assertTrue(report.by_audience)
        week = next(c for c in campaigns if c.name == "科技活动周")
        self.assertEqual([r.name for r in build(week).by_township if r.activities], ["新城镇", "古城镇"])
        count = CampaignActivity.objects.count()
        load_demo_campaigns()
        self.assertEqual((Campaign.objects.count(), CampaignActivity.objects.count()), (2, count))

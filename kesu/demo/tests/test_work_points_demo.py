"""`load_demo_work_points`: 晋城市's made-up yearly work points imported through the parser into its newest plan, linked
as proposed, and reported in an open cycle with the leading group's decisions; loaded once."""

from __future__ import annotations

from django.utils import timezone

from kesu.demo.meetings import load_demo_meetings
from kesu.demo.work_points import REPORTER, load_demo_work_points
from kesu.org.models import Jurisdiction, Membership
from kesu.plans.importing import parse_path
from kesu.testing import BaseTestCase, shared_dir
from kesu.tracking.models import ItemReport
from kesu.workpoints.models import WorkPoint


class WorkPointsDemoTests(BaseTestCase):
    def test_it_imports_links_and_reports_the_work_points_once(self) -> None:
        parsed, sha = parse_path(shared_dir() / "seeds" / "000_723ff2c0e97ff852.txt")
        year = timezone.localdate().year
        parsed["period"] = {"start": year, "end": year + 4}  # as the successor plan starting this year
        jincheng = Jurisdiction.objects.create(name="晋城市", level="city", parent=self.province)
        self.import_plan(parsed, jincheng, sha)
        office = self._user("jincheng", jincheng, Membership.Role.OFFICE_ADMIN)
        load_demo_meetings(jincheng, office)
        workplan = load_demo_work_points(jincheng, office)
        self.assertEqual(workplan.year, year)
        points = WorkPoint.objects.filter(workplan=workplan)
        self.assertEqual(points.count(), 12)
        self.assertGreaterEqual(points.filter(task__isnull=False).count(), 9)
        self.assertTrue(points.filter(is_new=True).exists())
        self.assertFalse(points.exclude(unmatched_units="").exists())  # every unit of the file is a unit of the plan
        reports = ItemReport.objects.filter(cycle__plan=workplan.plan)
        self.assertEqual(set(reports.values_list("source", flat=True)), {"workpoint", "decision"})
        states = set(reports.filter(unit__name="市教育局").values_list("state", flat=True))
        self.assertEqual(states, {"approved", "returned", "submitted"})
        self.assertEqual(load_demo_work_points(jincheng, office).pk, workplan.pk)
        self.assertEqual(ItemReport.objects.filter(cycle__plan=workplan.plan).count(), reports.count())
        self.login(Membership.objects.get(user__username=REPORTER).user)
        self.assertContains(self.client.get("/"), "待填年度工作要点")

"""Shared set-up of the statistics tests: ServiceTestCase's county (units 县科协 and 县教科局, townships, teams and
volunteers), a reporter per unit, a 科普统计 round for last year assigned to both units and 古城镇."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from kesu.datasets.actions import do_assign_respondents, do_open_round, do_save_values
from kesu.datasets.models import Submission
from kesu.org.models import Membership
from kesu.tracking.models import Activity
from kesu.volunteering.tests.base import ServiceTestCase

GOOD = {"p_total": "10", "p_full": "4", "p_part": "6", "p_women": "5", "p_volunteers": "2", "v_venues": "0",
        "v_area": "0", "v_bases": "0", "v_galleries": "3", "v_vehicles": "0", "f_raised": "12.5", "f_government": "10",
        "f_special": "8", "f_donations": "0", "f_own": "2.5", "f_other": "0", "f_spent": "11", "m_books": "0",
        "m_periodicals": "0", "m_av": "0", "m_tv_hours": "0", "m_websites": "0", "m_accounts": "1", "m_articles": "40",
        "a_events": "3", "a_lectures": "2", "a_exhibitions": "0", "a_contests": "0", "a_participants": "150",
        "a_volunteer_services": "0", "e_clubs": "0", "e_club_members": "0", "e_camps": "0", "e_camp_members": "0",
        "e_open_days": "0", "e_visitors": "0"}


def form_post(values: dict, action: str = "save", version: int = 1) -> dict:
    return {"action": action, "version": version, **{f"v_{code}": value for code, value in values.items()}}


class DatasetTestCase(ServiceTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        users = get_user_model().objects
        cls.kx_reporter = users.create_user("kx_reporter")
        Membership.objects.create(user=cls.kx_reporter, jurisdiction=cls.county, role=Membership.Role.UNIT_REPORTER, unit=cls.kx)
        cls.edu_reporter = users.create_user("edu_reporter")
        Membership.objects.create(user=cls.edu_reporter, jurisdiction=cls.county, role=Membership.Role.UNIT_REPORTER, unit=cls.edu)
        today = timezone.localdate()
        cls.last_year = today.year - 1
        for day, kind, people in ((dt.date(cls.last_year, 3, 12), "lecture", 80), (dt.date(cls.last_year, 9, 20), "science_day", 70),
                                  (dt.date(cls.last_year, 10, 8), "lecture", 0), (dt.date(today.year, 1, 5), "lecture", 999)):
            Activity.objects.create(plan=cls.plan, unit=cls.kx, kind=kind, title="科普活动", held_on=day, participants=people)
        cls.round = do_open_round(cls.county, cls.county_admin, "kepu", "year", cls.last_year, 1, today + dt.timedelta(days=20))
        do_assign_respondents(cls.round, cls.county_admin, [("unit", cls.kx.pk), ("unit", cls.edu.pk), ("township", cls.gucheng.pk)])
        cls.kx_sheet = Submission.objects.get(round=cls.round, unit=cls.kx)
        cls.edu_sheet = Submission.objects.get(round=cls.round, unit=cls.edu)
        cls.gucheng_sheet = Submission.objects.get(round=cls.round, area=cls.gucheng)


def shared_world(county, office, reporter, unit, township) -> dict[str, int]:
    """A round with a submitted sheet and a staged school list, for the shared URL and phone tests: path values."""
    from kesu.datasets.importing import do_stage_school_import
    from kesu.datasets.samples import sample_workbook

    today = timezone.localdate()
    round_ = do_open_round(county, office, "kepu", "year", today.year - 1, 1, today + dt.timedelta(days=20))
    do_assign_respondents(round_, office, [("unit", unit.pk), ("township", township.pk)])
    sheet = Submission.objects.get(round=round_, unit=unit)
    do_save_values(round_, ("unit", unit.pk), reporter, sheet.version, GOOD, {}, submit=True)
    batch = do_stage_school_import(county, office, "学校.xlsx", sample_workbook(county))
    return {"round_id": round_.pk, "submission_id": sheet.pk, "import_id": batch.pk}

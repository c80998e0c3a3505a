"""Plan targets bound to live counts: values update themselves, with the counting rule shown."""

import datetime as dt
from dataclasses import replace

from django.urls import reverse
from django.utils import timezone

from kesu.domain.target_progress import Status, assess
from kesu.plans.models import Target
from kesu.tracking.assessment import spec_of
from kesu.tracking.live_values import apply_live_series
from kesu.tracking.models import Activity
from kesu.volunteering.binding import bound_target_series, bound_target_values, suggest
from kesu.volunteering.models import (
    BaseReview,
    ScienceBase,
    ServiceOrder,
    ServiceRecord,
    TargetBinding,
    TeamMembership,
    Volunteer,
)
from kesu.volunteering.registry import do_review_base
from kesu.volunteering.tests.base import ServiceTestCase


class BindingTests(ServiceTestCase):
    def setUp(self) -> None:
        self.members_target = Target.objects.get(task__section__plan=self.plan, indicator="科技志愿服务队人数")
        self.today = timezone.localdate()

    def bind(self, target: Target, kind: str, **filters) -> TargetBinding:
        return TargetBinding.objects.create(target=target, kind=kind, **filters)

    def new_target(self, indicator: str, value: float, unit: str, annual: bool = False, year: int | None = None) -> Target:
        return Target.objects.create(task=self.members_target.task, position=9, indicator=indicator, value=value, unit=unit,
                                     annual=annual, year=year)

    def test_it_counts_team_members_once_each_and_updates_itself(self):
        self.bind(self.members_target, "team_members")
        value, rule = bound_target_values(self.plan)[self.members_target.pk]
        self.assertEqual(value, 2)
        self.assertIn("襄汾县及下辖地区科技志愿服务队在队队员人数", rule)
        TeamMembership.objects.create(team=self.team_b, volunteer=self.wang, status="active", joined_on=dt.date(2024, 1, 1))
        self.assertEqual(bound_target_values(self.plan)[self.members_target.pk][0], 2, "one person in two teams counts once")
        TeamMembership.objects.filter(volunteer=self.zhao).update(status="active", joined_on=self.today)
        self.assertEqual(bound_target_values(self.plan)[self.members_target.pk][0], 3)

    def test_it_counts_registered_volunteers_as_they_stood_on_each_day(self):
        target = self.new_target("注册科技志愿者", 100, "人")
        self.bind(target, "volunteers")
        start = self.plan.period_start
        Volunteer.objects.filter(pk=self.li.pk).update(left_on=dt.date(start, 6, 1))
        series, _ = bound_target_series(self.plan)[target.pk]
        by_day = {o.as_of: o.value for o in series}
        self.assertEqual(by_day[dt.date(start, 3, 31)], 3)
        self.assertEqual(by_day[dt.date(start, 6, 30)], 2, "李强 left in June")
        self.assertEqual(by_day[self.today], 2)
        self.assertEqual(series[-1].as_of, self.today)

    def test_it_counts_bases_by_level_and_drops_revoked_ones(self):
        target = self.new_target("市级科普教育基地", 5, "家")
        self.assertEqual(suggest(target), ("bases", ["city"], []))
        self.bind(target, "bases", levels=["city"])
        base = ScienceBase.objects.create(jurisdiction=self.county, name="农技园", level="city", host="县农业农村局",
                                          kind="production", designated_year=self.today.year - 1)
        ScienceBase.objects.create(jurisdiction=self.county, name="科技馆", level="county", host="县科协", kind="venue",
                                   designated_year=self.today.year - 1)
        ScienceBase.objects.create(jurisdiction=self.other_county, name="外县基地", level="city", host="x", kind="venue",
                                   designated_year=self.today.year - 1)
        value, rule = bound_target_values(self.plan)[target.pk]
        self.assertEqual(value, 1)
        self.assertIn("市级科普教育基地数", rule)
        do_review_base(base, self.county_admin, self.today.year, BaseReview.Outcome.REVOKED, "复核不合格")
        self.assertEqual(bound_target_values(self.plan)[target.pk][0], 0)

    def test_it_counts_activities_by_type_within_the_year_for_a_yearly_target(self):
        target = self.new_target("每年开展科普日活动", 10, "场", annual=True)
        self.assertEqual(suggest(target)[2], ["science_day"])
        self.bind(target, "activities", activity_kinds=["science_day"])
        for day, kind in ((self.today, "science_day"), (self.today, "lecture"), (self.today.replace(year=self.today.year - 1), "science_day")):
            Activity.objects.create(plan=self.plan, unit=self.kx, kind=kind, title="活动", held_on=day, participants=100)
        value, rule = bound_target_values(self.plan)[target.pk]
        self.assertEqual(value, 1, "only this year's 科普日 activities")
        self.assertIn("当年1月1日以来", rule)
        series, _ = bound_target_series(self.plan)[target.pk]
        self.assertTrue(all(o.as_of.year == self.today.year for o in series))
        people = self.new_target("科普活动参与人次", 1000, "人次")
        self.bind(people, "activity_participants")
        self.assertEqual(bound_target_values(self.plan)[people.pk][0], 300)

    def test_it_counts_completed_orders_and_the_people_they_served(self):
        orders = self.new_target("志愿服务单", 10, "单")
        people = self.new_target("服务群众", 100, "人次")
        self.bind(orders, "orders_completed")
        self.bind(people, "order_participants")
        order = self.to_accepted()
        ServiceRecord.objects.create(order=order, team=self.team_a, served_on=self.today, start_time=dt.time(9),
                                     duration_hours=2, attendees=45, summary="讲座")
        self.assertEqual(bound_target_values(self.plan)[orders.pk][0], 0, "not closed yet")
        ServiceOrder.objects.filter(pk=order.pk).update(state="closed", closed_at=timezone.now())
        values = bound_target_values(self.plan)
        self.assertEqual((values[orders.pk][0], values[people.pk][0]), (1, 45))

    def test_it_stops_counting_at_the_targets_deadline(self):
        first_year = self.plan.period_start
        target = self.new_target("累计科普活动", 3, "场", year=first_year)
        self.bind(target, "activities")
        for year in (first_year, self.today.year):
            Activity.objects.create(plan=self.plan, unit=self.kx, kind="lecture", title="讲座", held_on=dt.date(year, 6, 1))
        value, _ = bound_target_values(self.plan)[target.pk]
        self.assertEqual(value, 1, "an activity after the deadline year does not count towards it")
        series, _ = bound_target_series(self.plan)[target.pk]
        self.assertEqual(series[-1].as_of, dt.date(first_year, 12, 31))

    def test_it_feeds_trackings_targets_progress_through_the_hook(self):
        self.bind(self.members_target, "team_members")
        series: dict = {self.members_target.pk: []}
        rules = apply_live_series(self.plan, self.today, series)
        progress = assess(spec_of(self.members_target), series[self.members_target.pk], self.plan.period_start, self.today)
        progress = replace(progress, basis=f"{rules[self.members_target.pk]}{progress.basis}")
        self.assertNotEqual(progress.status, Status.NO_DATA)
        self.assertEqual(progress.latest.value, 2)
        self.assertTrue(progress.basis.startswith("实时统计："))

    def test_it_shows_the_live_count_in_targets_progress_and_the_city_rollup(self):
        from kesu.tracking.assessment import targets_progress
        from kesu.tracking.dashboard import summed_targets

        self.bind(self.members_target, "team_members")
        progress = {t.pk: p for t, _, p in targets_progress(self.plan)}[self.members_target.pk]
        self.assertEqual((progress.latest.value, progress.basis[:5]), (2, "实时统计："))
        other = self.import_plan(jurisdiction=self.other_county, sha="other-county")
        summed = {t.indicator: t for t in summed_targets([self.plan, other], {})}["科技志愿服务队人数"]
        self.assertEqual((len(summed.areas), summed.current_total), (2, 2))

    def test_it_lets_the_office_bind_and_unbind_on_the_page(self):
        self.login(self.county_admin)
        url = reverse("service-bindings", args=[self.plan.pk])
        page = self.client.get(url)
        self.assertContains(page, "科技志愿服务队人数")
        row = next(r for r in page.context["rows"] if r["target"].pk == self.members_target.pk)
        self.assertEqual(row["suggestion"][0], "team_members")
        bind = reverse("service-bind-target", args=[self.plan.pk, self.members_target.pk])
        self.client.post(bind, {"kind": "team_members"})
        self.assertEqual(TargetBinding.objects.get().kind, "team_members")
        page = self.client.get(url)
        self.assertContains(page, "实时统计")
        self.client.post(bind, {"kind": ""})
        self.assertFalse(TargetBinding.objects.exists())
        self.login(self.county_viewer)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.post(bind, {"kind": "teams"}).status_code, 403)
        self.login(self.other_county_admin)
        self.assertEqual(self.client.get(url).status_code, 404)

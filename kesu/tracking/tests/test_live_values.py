"""tracking asks its own registry for live target values; whichever app counts them registers a source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from unittest import mock

from django.utils import timezone

from kesu.domain.target_progress import Observation, Status
from kesu.plans.models import Plan, Target
from kesu.tracking import live_values, readcache
from kesu.tracking.assessment import targets_progress
from kesu.tracking.tests.base import TrackingTestCase

RULE = "实时统计：测试计数。"


class FixedSource:
    """Counts one target as `value` on every day."""

    def __init__(self, target: Target, value: float) -> None:
        self.target, self.value = target, value

    def live_plan_ids(self, plan_ids: Iterable[int]) -> set[int]:
        plan_id = self.target.task.section.plan_id
        return {plan_id} & set(plan_ids)

    def values(self, plan: Plan, as_of: dt.date) -> dict[int, tuple[float, str]]:
        return {self.target.pk: (self.value, RULE)} if plan.pk in self.live_plan_ids([plan.pk]) else {}

    def series(self, plan: Plan, as_of: dt.date) -> dict[int, tuple[list[Observation], str]]:
        return {pk: ([Observation(as_of, value)], rule) for pk, (value, rule) in self.values(plan, as_of).items()}


class LiveValuesTests(TrackingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.target = Target.objects.filter(task__section__plan=self.plan).order_by("pk").first()

    def progress_of_target(self):
        return next(progress for target, _, progress in targets_progress(self.plan) if target.pk == self.target.pk)

    def test_without_a_source_targets_keep_their_reported_values(self):
        with mock.patch.dict(live_values._SOURCES, clear=True):
            progress = self.progress_of_target()
            self.assertEqual(progress.status, Status.NO_DATA)
            self.assertEqual(live_values.live_plan_ids([self.plan.pk]), set())

    def test_a_registered_source_replaces_the_reported_values_and_states_its_rule(self):
        with mock.patch.dict(live_values._SOURCES, clear=True):
            live_values.register_live_source("test", FixedSource(self.target, self.target.value))
            progress = self.progress_of_target()
            self.assertEqual(progress.latest.value, self.target.value)
            self.assertTrue(progress.basis.startswith(RULE))
            self.assertEqual(live_values.live_values(self.plan, timezone.localdate()), {self.target.pk: (self.target.value, RULE)})

    def test_a_plan_with_live_targets_is_never_served_from_the_read_cache(self):
        with mock.patch.dict(live_values._SOURCES, clear=True):
            self.assertFalse(readcache._live([self.plan]))
            live_values.register_live_source("test", FixedSource(self.target, 1))
            self.assertTrue(readcache._live([self.plan]))

    def test_services_registers_its_target_bindings_when_the_app_is_ready(self):
        self.assertIn("service_bindings", live_values._SOURCES)

"""Time limits of the dispatch steps are whole hours from 1 to 720: a limit of 2·10⁹ hours is refused with a
message naming the step, and one stored before the bound existed no longer breaks the county's public orders."""

from django.urls import reverse

from kesu.domain.dispatch import State
from kesu.volunteering.models import ServiceSettings
from kesu.volunteering.tests.base import ServiceTestCase

LIMITS = {"review_hours": 24, "claim_hours": 24, "assign_hours": 24, "accept_hours": 48, "serve_hours": 240,
          "confirm_hours": 72}


class TimeLimitTests(ServiceTestCase):
    def post_limits(self, **changes):
        self.client.force_login(self.county_admin)
        return self.client.post(f"{reverse('service-settings')}?j={self.county.pk}",
                                {"form": "limits", **LIMITS, **changes})

    def test_an_absurd_or_non_numeric_limit_is_refused_naming_the_step(self):
        for bad in ("2000000000", "0", "-3", "nan", "1e400", "1.5"):
            response = self.post_limits(review_hours=bad)
            self.assertContains(response, "“社区/乡镇审核派单”应为 1 至 720 之间的整数（小时）。", msg_prefix=bad)
        self.assertFalse(ServiceSettings.objects.exists())

    def test_a_sensible_limit_is_saved(self):
        self.assertEqual(self.post_limits(review_hours="720").status_code, 302)
        self.assertEqual(ServiceSettings.objects.get(jurisdiction=self.county).review_hours, 720)

    def test_a_limit_stored_before_the_bound_does_not_break_public_orders(self):
        ServiceSettings.objects.create(jurisdiction=self.county, **LIMITS | {"review_hours": 2_000_000_000})
        order = self.place()
        self.assertEqual(order.state, State.SUBMITTED)
        self.assertLess((order.due_at - order.submitted_at).total_seconds(), 721 * 3600)

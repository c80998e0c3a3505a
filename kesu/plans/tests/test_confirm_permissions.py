"""The confirming step of a plan import or revision checks the role again: an office admin demoted to viewer
after uploading can no longer confirm, and nothing is stored."""

from django.urls import reverse

from kesu.org.models import Membership
from kesu.plans.actions import ImportRefused, do_import_plan
from kesu.plans.models import PendingImport, Plan, PlanEvent
from kesu.testing import BaseTestCase, small_plan


class ConfirmStepTests(BaseTestCase):
    def pending(self, parsed: dict, sha: str = "sha-new") -> PendingImport:
        return PendingImport.objects.create(jurisdiction=self.county, uploaded_by=self.county_admin,
                                            source_name="方案.txt", source_sha256=sha, parsed=parsed)

    def demote(self) -> None:
        Membership.objects.filter(user=self.county_admin, jurisdiction=self.county).update(role=Membership.Role.VIEWER)

    def test_a_demoted_admin_cannot_confirm_a_new_plan(self):
        pending = self.pending(small_plan())
        self.login(self.county_admin)
        self.assertEqual(self.client.get(reverse("plan-import-confirm", args=[pending.pk])).status_code, 200)
        self.demote()
        response = self.client.post(reverse("plan-import-confirm", args=[pending.pk]))
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "科协办公室管理员", status_code=403)
        self.assertFalse(Plan.objects.exists())

    def test_a_demoted_admin_cannot_confirm_a_revision(self):
        plan = self.import_plan()
        pending = self.pending(small_plan(title="襄汾县全民科学素质行动方案（修订稿）"))
        self.login(self.county_admin)
        self.demote()
        self.assertEqual(self.client.post(reverse("plan-import-confirm", args=[pending.pk])).status_code, 403)
        plan.refresh_from_db()
        self.assertEqual(plan.title, small_plan()["title"])
        self.assertFalse(PlanEvent.objects.filter(plan=plan, kind=PlanEvent.Kind.REVISED).exists())

    def test_the_admin_still_in_office_confirms(self):
        pending = self.pending(small_plan())
        self.login(self.county_admin)
        response = self.client.post(reverse("plan-import-confirm", args=[pending.pk]))
        self.assertRedirects(response, reverse("plan-overview", args=[Plan.objects.get().pk]))

    def test_the_action_itself_refuses_an_actor_who_is_not_the_office(self):
        with self.assertRaisesMessage(ImportRefused, "襄汾县科协办公室管理员"):
            do_import_plan(small_plan(), jurisdiction=self.county, source_name="a.txt", source_sha256="s",
                           actor=self.county_viewer, confirm=True)
        self.assertFalse(Plan.objects.exists())

    def test_the_operators_command_line_only_records_the_actor(self):
        outcome = do_import_plan(small_plan(), jurisdiction=self.county, source_name="a.txt", source_sha256="s",
                                 actor=self.outsider, confirm=True, trusted=True)
        self.assertTrue(outcome.created)

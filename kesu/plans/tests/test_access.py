"""Who can see and change a plan, checked through every page, export and form by direct URL."""

from django.urls import reverse

from kesu.plans.models import Plan, Target, Task
from kesu.testing import BaseTestCase

READ_PAGES = ["plan-overview", "plan-matrix", "plan-units", "plan-targets", "plan-print", "plan-history",
              "plan-export-division", "plan-export-targets", "plan-export-json"]


class PlanAccessTests(BaseTestCase):
    def setUp(self):
        self.plan = self.import_plan()  # a draft of 襄汾县

    def urls(self):
        return [reverse(name, args=[self.plan.pk]) for name in READ_PAGES]

    def test_it_sends_anonymous_visitors_to_the_login_page(self):
        for url in self.urls():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn(reverse("login"), response["Location"])

    def test_it_hides_a_county_draft_from_another_county(self):
        self.login(self.other_county_admin)
        for url in self.urls():
            self.assertEqual(self.client.get(url).status_code, 404, url)
        self.assertNotContains(self.client.get(reverse("home")), self.plan.title)

    def test_it_hides_a_draft_from_a_user_without_membership(self):
        self.login(self.outsider)
        for url in self.urls():
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_it_shows_a_published_plan_to_another_county(self):
        Plan.objects.filter(pk=self.plan.pk).update(status=Plan.Status.PUBLISHED)
        self.login(self.other_county_admin)
        for url in self.urls():
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_it_shows_county_drafts_to_the_city_above(self):
        self.login(self.city_leader)
        for url in self.urls():
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_it_lets_only_the_own_office_admin_correct_the_plan(self):
        task = Task.objects.first()
        target = Target.objects.first()
        edit_urls = [
            reverse("plan-edit", args=[self.plan.pk]),
            reverse("section-edit", args=[self.plan.pk, task.section_id]),
            reverse("task-edit", args=[self.plan.pk, task.pk]),
            reverse("target-edit", args=[self.plan.pk, target.pk]),
            reverse("target-new", args=[self.plan.pk, task.pk]),
        ]
        for user in (self.city_admin, self.city_leader, self.county_viewer):
            self.login(user)
            for url in edit_urls:
                self.assertEqual(self.client.get(url).status_code, 403, (user, url))
                self.assertEqual(self.client.post(url, {"title": "x", "version": 1}).status_code, 403, (user, url))
            self.assertEqual(self.client.post(reverse("plan-status", args=[self.plan.pk]), {"status": "published"}).status_code, 403)
            self.assertEqual(self.client.post(reverse("target-delete", args=[self.plan.pk, target.pk])).status_code, 403)
        self.login(self.county_admin)
        for url in edit_urls:
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_it_refuses_objects_of_another_plan_through_this_plans_url(self):
        other = self.import_plan(jurisdiction=self.other_county, sha="other")
        foreign_task = Task.objects.filter(section__plan=other).first()
        self.login(self.county_admin)
        url = reverse("task-edit", args=[self.plan.pk, foreign_task.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_lets_only_office_admins_open_the_import_page(self):
        for user in (self.county_viewer, self.outsider):
            self.login(user)
            self.assertEqual(self.client.get(reverse("plan-import")).status_code, 403)
        self.login(self.county_admin)
        self.assertEqual(self.client.get(reverse("plan-import")).status_code, 200)

    def test_it_limits_the_comparison_to_the_users_own_area(self):
        self.login(self.county_admin)
        self.assertEqual(self.client.get(reverse("compare", args=[self.city.pk])).status_code, 404)
        self.login(self.city_leader)
        self.assertEqual(self.client.get(reverse("compare", args=[self.city.pk])).status_code, 200)

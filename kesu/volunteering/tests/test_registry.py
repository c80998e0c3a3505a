"""Teams and volunteers: the office registers them; volunteers join teams on the team admin's approval."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.urls import reverse

from kesu.volunteering.models import Team, TeamMembership, Volunteer
from kesu.volunteering.tests.base import ServiceTestCase


class TeamTests(ServiceTestCase):
    def test_it_lets_the_office_register_a_team(self):
        self.login(self.county_admin)
        response = self.client.post(reverse("service-team-new") + f"?j={self.county.pk}", {
            "j": self.county.pk, "name": "古城镇农技服务队", "unit": self.kx.pk, "area": self.gucheng.pk,
            "topics": [self.farming.pk], "in_pool": "on", "founded_on": "2025-03-01", "description": "果树、蔬菜"})
        team = Team.objects.get(name="古城镇农技服务队")
        self.assertRedirects(response, reverse("service-team", args=[team.pk]))
        self.assertEqual(list(team.topics.values_list("name", flat=True)), ["农业技术"])
        response = self.client.post(reverse("service-team-new"), {"j": self.county.pk, "name": "古城镇农技服务队",
                                                                  "founded_on": "2025-03-01"})
        self.assertContains(response, "已有名为")
        self.login(self.team_a_admin)
        self.assertEqual(self.client.get(reverse("service-team-new")).status_code, 403)
        self.assertEqual(self.client.get(reverse("service-team-edit", args=[self.team_a.pk])).status_code, 403)

    def test_it_lists_teams_with_their_members_and_pending_requests(self):
        self.login(self.county_admin)
        page = self.client.get(reverse("service-teams"))
        row = next(t for t in page.context["teams"] if t.pk == self.team_a.pk)
        self.assertEqual((row.members, row.pending), (2, 1))

    def test_it_lets_a_volunteer_ask_to_join_and_the_team_admin_decide(self):
        user = get_user_model().objects.create_user("zhaomin")
        Volunteer.objects.filter(pk=self.zhao.pk).update(user=user)
        TeamMembership.objects.filter(volunteer=self.zhao).delete()
        self.login(user)
        page = self.client.get(reverse("service-teams"))
        self.assertIn(self.team_b, page.context["joinable"])
        self.client.post(reverse("service-team-members", args=[self.team_b.pk]), {"action": "join"})
        self.client.post(reverse("service-team-members", args=[self.team_a.pk]), {"action": "join"})
        self.assertEqual(set(TeamMembership.objects.filter(volunteer=self.zhao).values_list("status", flat=True)), {"pending"})
        response = self.client.post(reverse("service-team-members", args=[self.team_b.pk]), {"action": "join"}, follow=True)
        self.assertContains(response, "已经申请过")
        membership = TeamMembership.objects.get(volunteer=self.zhao, team=self.team_b)
        response = self.client.post(reverse("service-team-members", args=[self.team_b.pk]),
                                    {"action": "approve", "membership": membership.pk})
        self.assertEqual(response.status_code, 403, "a volunteer cannot approve themself")
        self.login(self.team_a_admin)
        response = self.client.post(reverse("service-team-members", args=[self.team_b.pk]),
                                    {"action": "approve", "membership": membership.pk})
        self.assertEqual(response.status_code, 403, "nor can another team's admin")
        self.login(self.team_b_admin)
        self.client.post(reverse("service-team-members", args=[self.team_b.pk]), {"action": "approve", "membership": membership.pk})
        membership.refresh_from_db()
        self.assertEqual((membership.status, membership.decided_by), ("active", self.team_b_admin))
        self.assertIsNotNone(membership.joined_on)
        self.login(self.team_a_admin)
        other = TeamMembership.objects.get(volunteer=self.zhao, team=self.team_a)
        self.client.post(reverse("service-team-members", args=[self.team_a.pk]), {"action": "reject", "membership": other.pk})
        self.assertEqual(TeamMembership.objects.get(pk=other.pk).status, "rejected")
        self.assertEqual(self.zhao.memberships.filter(status="active").count(), 1, "a volunteer may belong to several teams")

    def test_it_lets_a_team_admin_add_and_remove_members(self):
        self.login(self.team_b_admin)
        url = reverse("service-team-members", args=[self.team_b.pk])
        self.client.post(url, {"action": "add", "volunteer": self.wang.pk})
        membership = TeamMembership.objects.get(team=self.team_b, volunteer=self.wang)
        self.assertEqual(membership.status, "active")
        self.client.post(url, {"action": "remove", "membership": membership.pk})
        membership.refresh_from_db()
        self.assertEqual((membership.status, membership.left_on is not None), ("left", True))
        self.assertEqual(TeamMembership.objects.filter(team=self.team_a, volunteer=self.wang, status="active").count(), 1)


class VolunteerTests(ServiceTestCase):
    def test_it_lets_the_office_register_a_volunteer_with_checked_numbers(self):
        self.login(self.county_admin)
        url = reverse("service-volunteer-new") + f"?j={self.county.pk}"
        data = {"j": self.county.pk, "name": "周杰", "gender": "male", "id_number": "110101199003074515",
                "phone": "1380000", "registered_on": "2026-01-05", "topics": [self.health.pk]}
        response = self.client.post(url, data)
        self.assertContains(response, "校验位不正确")
        self.assertContains(response, "手机号格式不正确")
        response = self.client.post(url, data | {"id_number": "11010119900307651x", "phone": "139-0000-1234"})
        volunteer = Volunteer.objects.get(name="周杰")
        self.assertRedirects(response, reverse("service-volunteer", args=[volunteer.pk]))
        self.assertEqual((volunteer.id_number, volunteer.phone), ("11010119900307651X", "13900001234"))
        response = self.client.post(url, data | {"name": "周杰二", "id_number": "11010119900307651X", "phone": "13900001235"})
        self.assertContains(response, "身份证号与已登记的志愿者“周杰”")
        self.login(self.team_a_admin)
        self.assertEqual(self.client.get(reverse("service-volunteer-edit", args=[volunteer.pk])).status_code, 403)

    def test_it_links_a_volunteer_to_an_account(self):
        user = get_user_model().objects.create_user("lq")
        self.login(self.county_admin)
        self.client.post(reverse("service-volunteer-edit", args=[self.li.pk]), {
            "name": "李强", "phone": "13800002222", "registered_on": "2023-05-01", "username": "lq"})
        self.assertEqual(Volunteer.objects.get(pk=self.li.pk).user, user)
        response = self.client.post(reverse("service-volunteer-edit", args=[self.wang.pk]), {
            "name": "王芳", "phone": "13800001111", "registered_on": "2023-03-01", "username": "nobody"})
        self.assertContains(response, "没有账号")
        self.login(user)
        self.assertRedirects(self.client.get(reverse("service-volunteer-me")), reverse("service-volunteer", args=[self.li.pk]))

    def test_it_filters_the_list_by_team_and_topic_and_hides_those_who_left(self):
        self.wang.topics.add(self.farming)
        Volunteer.objects.filter(pk=self.li.pk).update(left_on=dt.date(2025, 1, 1))
        self.login(self.county_admin)
        names = lambda **q: {v.name for v, _ in self.client.get(reverse("service-volunteers"), q).context["rows"]}  # noqa: E731
        self.assertEqual(names(), {"王芳", "赵敏"})
        self.assertEqual(names(all="1"), {"王芳", "李强", "赵敏"})
        self.assertEqual(names(team=self.team_a.pk), {"王芳"})
        self.assertEqual(names(topic=self.farming.pk), {"王芳"})
        self.assertEqual(names(q="果树"), {"王芳"})

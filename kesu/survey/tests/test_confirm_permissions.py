"""Each step of the survey upload wizard checks the role again: an office admin demoted to viewer between
uploading and confirming cannot start the estimation, and nothing is stored."""

from kesu.org.models import Membership
from kesu.survey import actions
from kesu.survey.models import SurveyRun, SurveyUpload
from kesu.survey.tests.base import SurveyTestCase


class ConfirmStepTests(SurveyTestCase):
    def setUp(self) -> None:
        self.login(self.county_admin)
        self.assertEqual(self.post_wizard().status_code, 302)
        self.upload = self.staged()
        self.assertEqual(self.upload.status, SurveyUpload.Status.READY)

    def demote(self) -> None:
        Membership.objects.filter(user=self.county_admin, jurisdiction=self.county).update(role=Membership.Role.VIEWER)

    def test_a_demoted_admin_cannot_confirm_the_upload(self):
        self.demote()
        self.assertEqual(self.confirm(self.upload).status_code, 404)
        self.assertFalse(SurveyRun.objects.exists())

    def test_a_demoted_admin_cannot_see_the_preview_any_more(self):
        self.demote()
        self.assertEqual(self.client.get(f"/survey/uploads/{self.upload.pk}/").status_code, 404)

    def test_the_action_itself_refuses_an_actor_who_is_not_the_office(self):
        with self.assertRaisesMessage(actions.SurveyRefused, "科协办公室管理员"):
            actions.do_confirm_upload(self.upload, self.county_viewer, skip_rows=False)
        self.assertFalse(SurveyRun.objects.exists())
        self.assertTrue(SurveyUpload.objects.filter(pk=self.upload.pk).exists())

    def test_the_admin_still_in_office_confirms(self):
        response = self.confirm(self.upload)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(SurveyRun.objects.exists())

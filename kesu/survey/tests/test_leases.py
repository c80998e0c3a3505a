"""Survey work survives faults: leases on claimed runs and upload checks, retry after a dead worker, and the
office's retry and cancel buttons (with their history)."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from kesu.survey.jobs import claim_run, do_run_queued_estimates, do_validate_queued_uploads, execute_run
from kesu.survey.models import SurveyEvent, SurveyRun, SurveyUpload
from kesu.survey.tests.base import SurveyTestCase

REASON = "处理进程中断，已尝试3次仍未完成。可以重试；如仍失败，请联系系统管理员。"


def left_running(model, pk: int, attempts: int, lease_until: dt.datetime) -> None:
    """As a worker killed mid-job leaves the row."""
    model.objects.filter(pk=pk).update(status="running", attempts=attempts, lease_until=lease_until,
                                       worker="dead-host:4242:0000", progress=45, stage="加权（迭代比例拟合）")


def ago(minutes: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=minutes)


class RunLeaseTests(SurveyTestCase):
    def setUp(self) -> None:
        self.run = self.finished_run()
        SurveyRun.objects.filter(pk=self.run.pk).update(status="queued", result=None, attempts=0)

    def test_a_run_whose_worker_died_is_computed_by_the_next_pass(self) -> None:
        left_running(SurveyRun, self.run.pk, attempts=2, lease_until=ago(1))
        self.assertContains(self.client.get(reverse("survey-run", args=[self.run.pk])), "处理进程已无响应")
        with self.assertLogs("kesu.infra.leases", "WARNING"):
            self.assertEqual(do_run_queued_estimates(), 1)
        self.run.refresh_from_db()
        self.assertEqual((self.run.status, self.run.attempts, self.run.progress), ("done", 3, 100))

    def test_after_the_last_attempt_the_run_is_failed_with_the_reason_and_its_files_kept(self) -> None:
        left_running(SurveyRun, self.run.pk, attempts=3, lease_until=ago(1))
        with self.assertLogs("kesu.infra.leases", "ERROR"):
            self.assertEqual(do_run_queued_estimates(), 0)
        self.run.refresh_from_db()
        self.assertEqual((self.run.status, self.run.error, self.run.result), ("failed", REASON, None))
        self.assertTrue(self.run.responses_file.storage.exists(self.run.responses_file.name))
        self.assertEqual(SurveyEvent.objects.filter(kind="run_failed", detail=REASON).count(), 1)
        page = self.client.get(reverse("survey-run", args=[self.run.pk]))
        self.assertContains(page, "处理进程中断")
        self.assertContains(page, reverse("survey-run-requeue", args=[self.run.pk]))

    def test_a_run_with_a_live_lease_is_left_alone(self) -> None:
        until = timezone.now() + dt.timedelta(minutes=10)
        left_running(SurveyRun, self.run.pk, attempts=3, lease_until=until)
        self.assertEqual(do_run_queued_estimates(), 0)
        self.run.refresh_from_db()
        self.assertEqual((self.run.status, self.run.lease_until, self.run.worker), ("running", until, "dead-host:4242:0000"))
        self.assertNotContains(self.client.get(reverse("survey-run", args=[self.run.pk])), "处理进程已无响应")

    def test_the_office_cancels_a_queued_run_then_queues_it_again(self) -> None:
        page = self.client.get(reverse("survey-run", args=[self.run.pk]))
        self.assertContains(page, reverse("survey-run-cancel", args=[self.run.pk]))
        self.client.post(reverse("survey-run-cancel", args=[self.run.pk]))
        self.run.refresh_from_db()
        self.assertEqual(self.run.status, "cancelled")
        self.assertEqual(do_run_queued_estimates(), 0, "a cancelled run is not computed")
        page = self.client.get(reverse("survey-run", args=[self.run.pk]))
        self.assertContains(page, "已取消")
        self.assertContains(page, "重新排队计算")
        self.client.post(reverse("survey-run-requeue", args=[self.run.pk]))
        self.run.refresh_from_db()
        self.assertEqual((self.run.status, self.run.attempts), ("queued", 0))
        kinds = list(SurveyEvent.objects.filter(actor=self.county_admin).order_by("id").values_list("kind", flat=True))
        self.assertEqual(kinds[-2:], ["run_cancelled", "run_requeued"])
        self.assertEqual(do_run_queued_estimates(), 1)

    def test_a_run_cancelled_while_computing_stops_at_its_next_step_and_keeps_no_result(self) -> None:
        lease = claim_run(self.run.pk)
        self.client.post(reverse("survey-run-cancel", args=[self.run.pk]))
        run = execute_run(lease)
        self.assertEqual((run.status, run.result, run.stage), ("cancelled", None, "已取消"))
        self.assertEqual(SurveyEvent.objects.filter(kind__in=["run_done", "run_failed"]).count(), 1, "only the first run")

    def test_a_done_run_cannot_be_cancelled(self) -> None:
        self.assertEqual(do_run_queued_estimates(), 1)
        response = self.client.post(reverse("survey-run-cancel", args=[self.run.pk]), follow=True)
        self.assertContains(response, "只有排队中或计算中的估计可以取消")
        self.assertEqual(SurveyRun.objects.get(pk=self.run.pk).status, "done")


@override_settings(KESU_SURVEY_CHECK_INLINE=0)
class UploadLeaseTests(SurveyTestCase):
    def setUp(self) -> None:
        self.login(self.county_admin)
        self.post_wizard()
        self.upload = self.staged()
        self.page = reverse("survey-upload-preview", args=[self.upload.pk])

    def test_a_check_whose_worker_died_is_done_by_the_next_pass(self) -> None:
        left_running(SurveyUpload, self.upload.pk, attempts=1, lease_until=ago(1))
        with self.assertLogs("kesu.infra.leases", "WARNING"):
            self.assertEqual(do_validate_queued_uploads(), 1)
        self.upload.refresh_from_db()
        self.assertEqual((self.upload.status, self.upload.attempts), ("ready", 2))

    def test_after_the_last_attempt_the_office_can_retry_or_cancel(self) -> None:
        left_running(SurveyUpload, self.upload.pk, attempts=3, lease_until=ago(1))
        with self.assertLogs("kesu.infra.leases", "ERROR"):
            self.assertEqual(do_validate_queued_uploads(), 0)
        self.upload.refresh_from_db()
        self.assertEqual((self.upload.status, self.upload.errors), ("failed", [REASON]))
        self.assertEqual(len(self.media_files()), 2, "the files are kept for a retry")
        page = self.client.get(self.page)
        self.assertContains(page, "检查没有完成")
        self.assertContains(page, "重新检查")

        self.client.post(self.page, {"action": "retry"})
        self.upload.refresh_from_db()
        self.assertEqual((self.upload.status, self.upload.attempts, self.upload.errors), ("queued", 0, []))
        self.assertEqual(do_validate_queued_uploads(), 1)
        self.upload.refresh_from_db()
        self.assertEqual(self.upload.status, "ready")
        self.assertEqual(list(SurveyEvent.objects.order_by("id").values_list("kind", flat=True)),
                         ["upload_failed", "upload_retried"])

    def test_a_queued_check_can_be_cancelled_and_nothing_is_kept(self) -> None:
        self.assertContains(self.client.get(self.page), "取消检查（删除上传的文件）")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.page, {"action": "cancel"})
        self.assertNothingStored()
        self.assertEqual(do_validate_queued_uploads(), 0)
        event = SurveyEvent.objects.get()
        self.assertEqual((event.kind, event.actor), ("upload_cancelled", self.county_admin))

    def test_a_retry_of_a_check_that_did_not_fail_is_refused(self) -> None:
        response = self.client.post(self.page, {"action": "retry"}, follow=True)
        self.assertContains(response, "只有检查中断的文件可以重新检查")
        self.assertEqual(SurveyUpload.objects.get().status, "queued")

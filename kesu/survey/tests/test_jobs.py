"""The background job: claims queued runs atomically, reports progress by stage, stores the domain's report."""

from __future__ import annotations

import json
from unittest import mock

from django.urls import reverse

from kesu.domain.survey import analyse
from kesu.domain.survey.inputs import Inputs, analyse_inputs
from kesu.domain.survey.instrument import PRESETS_DIR
from kesu.domain.survey.report import analysis_dict
from kesu.infra.leases import Lease
from kesu.survey import actions
from kesu.survey.jobs import claim_run, do_run_queued_estimates, execute_run
from kesu.survey.models import SurveyEvent, SurveyRun
from kesu.survey.pipeline import plain, result_json
from kesu.survey.tests.base import FIXTURES, SurveyTestCase, upload


class JobTests(SurveyTestCase):
    def test_it_runs_a_queued_estimate_to_done_with_the_domains_numbers(self) -> None:
        self.login(self.county_admin)
        self.post_wizard(
            responses=upload("demo_responses.csv"), margins=upload("demo_margins.csv"),
            covariates=upload("demo_covariates.csv"), by=("gender", "urban", "age_group", "education"),
            ci_method="kg", trim_upper="4",
        )
        self.confirm(self.staged())
        run = SurveyRun.objects.get()
        status = self.client.get(reverse("survey-run-status", args=[run.pk])).json()
        self.assertEqual((status["status"], status["progress"], status["done"]), ("queued", 0, False))

        self.assertEqual(do_run_queued_estimates(), 1)
        self.assertEqual(do_run_queued_estimates(), 0)
        run.refresh_from_db()
        self.assertEqual((run.status, run.progress, run.stage, run.error), ("done", 100, "完成", ""))
        self.assertIsNotNone(run.finished_at)

        from kesu.domain.survey import Trim

        expected = analysis_dict(analyse(
            FIXTURES / "demo_responses.csv", PRESETS_DIR / "demo.yaml", margins=FIXTURES / "demo_margins.csv",
            by=["gender", "urban", "age_group", "education"], ci_method="kg", trim=Trim(upper=4.0),
            sae_area="region", covariates=FIXTURES / "demo_covariates.csv",
        ))
        self.assertEqual(run.result, json.loads(json.dumps(plain(expected))))
        self.assertIsNotNone(run.result["raking"]["trim"])
        self.assertEqual(len(run.result["sae"]["areas"]), 6)
        self.assertEqual(
            list(SurveyEvent.objects.order_by("id").values_list("kind", flat=True)), ["run_queued", "run_done"]
        )
        status = self.client.get(reverse("survey-run-status", args=[run.pk])).json()
        self.assertEqual((status["status"], status["progress"], status["done"]), ("done", 100, True))

    def test_it_reports_each_stage_in_order(self) -> None:
        stages: list[tuple[str, float]] = []
        inputs = Inputs(
            responses=FIXTURES / "demo_responses.csv", responses_name="r.csv", instrument_preset="demo",
            margins=FIXTURES / "demo_margins.csv", covariates=FIXTURES / "demo_covariates.csv",
            options={"by": ["gender"], "sae_area": "region"},
        )
        analysis = analyse_inputs(inputs, lambda stage, fraction: stages.append((stage, fraction)))
        names = [s for s, _ in stages]
        self.assertEqual(names[0], "读取文件")
        self.assertTrue(names[1].startswith("检查 2,636 行答卷"))
        self.assertTrue(names[2].startswith("为 2,636 位受访者计分"))
        self.assertEqual(names[3:], ["加权（迭代比例拟合）", "估计比例、标准误与置信区间", "小区域估计"])
        self.assertEqual([f for _, f in stages], sorted(f for _, f in stages))
        self.assertEqual(result_json(analysis)["estimates"][0]["n"], 2636)

    def test_the_run_page_shows_each_stage_the_job_reached(self) -> None:
        run = self.finished_run()
        SurveyRun.objects.filter(pk=run.pk).update(status="queued", result=None)
        lease = claim_run(run.pk)
        seen: list[tuple[int, str]] = []
        renew = Lease.renew

        def watch(self, **fields) -> None:
            seen.append((fields["progress"], fields["stage"]))
            renew(self, **fields)

        with mock.patch.object(Lease, "renew", watch):
            self.assertEqual(execute_run(lease).status, "done")
        self.assertEqual([p for p, _ in seen], [3, 12, 35, 45, 60, 97])  # no small areas here
        self.assertEqual(seen[-1][1], "保存结果")

    def test_it_claims_a_run_only_once(self) -> None:
        run = self.finished_run()
        SurveyRun.objects.filter(pk=run.pk).update(status="queued")
        self.assertTrue(claim_run(run.pk))
        self.assertFalse(claim_run(run.pk))  # a second worker finds it taken
        self.assertEqual(SurveyRun.objects.get(pk=run.pk).status, "running")

    def test_it_records_a_failure_on_the_page_and_can_queue_it_again(self) -> None:
        run = self.finished_run()
        run.responses_file.storage.delete(run.responses_file.name)
        actions.SurveyRun.objects.filter(pk=run.pk).update(status="queued", result=None)
        self.assertEqual(do_run_queued_estimates(), 1)
        run.refresh_from_db()
        self.assertEqual(run.status, "failed")
        self.assertIn("找不到文件", run.error)
        self.assertTrue(run.stage.startswith("失败"))
        self.assertIsNone(run.result)
        self.assertEqual(SurveyEvent.objects.filter(kind="run_failed").count(), 1)
        page = self.client.get(reverse("survey-run", args=[run.pk]))
        self.assertContains(page, "估计失败")
        self.assertContains(page, "找不到文件")
        self.assertContains(page, "重新排队计算")

        self.client.post(reverse("survey-run-requeue", args=[run.pk]))
        run.refresh_from_db()
        self.assertEqual((run.status, run.error, run.progress), ("queued", "", 0))
        self.assertEqual(SurveyEvent.objects.filter(kind="run_requeued").count(), 1)

    def test_it_shows_progress_while_running(self) -> None:
        run = self.finished_run()
        SurveyRun.objects.filter(pk=run.pk).update(status="running", progress=45, stage="加权（迭代比例拟合）")
        page = self.client.get(reverse("survey-run", args=[run.pk]))
        self.assertContains(page, 'style="width:45%"')
        self.assertContains(page, "加权（迭代比例拟合）")
        self.assertContains(page, reverse("survey-run-status", args=[run.pk]))
        self.assertContains(page, "survey/survey.js")
        self.assertContains(page, '<meta http-equiv="refresh" content="3">')

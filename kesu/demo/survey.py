"""The demo survey for `make demo`: the committed synthetic survey (tests/fixtures/survey, 晋城市 and its six
counties, questionnaire preset `demo`) goes through the real wizard actions and the real job, and its overall
rate is recorded as the year's estimate. The plan's baseline is entered as the official figure of its year.

    from kesu.demo.survey import load_demo_survey
    load_demo_survey(jincheng, jincheng_admin)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from kesu.domain.survey.inputs import Inputs, check
from kesu.org.models import Jurisdiction
from kesu.survey import actions
from kesu.survey.jobs import claim_run, execute_run
from kesu.survey.models import LiteracyFigure, SurveyRun

DEMO_TITLE = "公民科学素质抽样调查（演示数据）"
DEMO_BY = ["gender", "urban", "age_group", "education", "region"]


def demo_files(folder: Path | None = None) -> dict[str, Path]:
    """The committed fixture; regenerated from the same seed when the tests folder is not installed."""
    fixtures = Path(settings.PROJECT_DIR) / "tests" / "fixtures" / "survey"
    names = {"responses": "demo_responses.csv", "margins": "demo_margins.csv", "covariates": "demo_covariates.csv"}
    if all((fixtures / n).exists() for n in names.values()):
        return {kind: fixtures / n for kind, n in names.items()}
    from kesu.domain.survey.synthetic import write_demo

    return write_demo(folder or Path(tempfile.mkdtemp(prefix="kesu-demo-survey-")))


def demo_year() -> int:
    """The demo survey is last year's: the latest a real office would have finished by now."""
    return timezone.localdate().year - 1


def load_demo_survey(jurisdiction: Jurisdiction, user, *, year: int | None = None) -> SurveyRun:
    """A finished run of the demo survey for `jurisdiction` (once: an existing demo run is returned), with its
    overall rate recorded as the year's estimate (last year unless given); `user` should be an office admin."""
    year = demo_year() if year is None else year
    existing = SurveyRun.objects.filter(jurisdiction=jurisdiction, title=DEMO_TITLE, status=SurveyRun.Status.DONE).first()
    if existing is not None:
        return existing
    with tempfile.TemporaryDirectory(prefix="kesu-demo-survey-") as tmp:
        paths = demo_files(Path(tmp))
        options = {"by": DEMO_BY, "ci_method": "logit", "lonely_psu": "adjust", "trim_lower": None,
                   "trim_upper": None, "sae_area": "region", "skip_rows": []}
        inputs = Inputs(
            responses=paths["responses"], responses_name="晋城市演示答卷.csv", instrument_preset="demo",
            margins=paths["margins"], margins_name="晋城市总体控制数.csv",
            covariates=paths["covariates"], covariates_name="晋城市地区协变量.csv", options=options,
        )
        preview = check(inputs)
        staged = actions.do_stage_upload(
            jurisdiction, user, year=year, title=DEMO_TITLE, instrument_preset="demo", instrument_name="",
            instrument_text="", options=options, preview=preview,
            files={"responses": (inputs.responses, inputs.responses_name),
                   "margins": (inputs.margins, inputs.margins_name),
                   "covariates": (inputs.covariates, inputs.covariates_name)},
        )
    run = actions.do_confirm_upload(staged, user, skip_rows=bool(preview["skip_rows"]))
    lease = claim_run(run.pk)
    if lease is not None:
        run = execute_run(lease)
    if run.status == SurveyRun.Status.DONE:
        actions.do_record_estimate(run, user)
    _record_plan_baseline(jurisdiction, user)
    return run


def _record_plan_baseline(jurisdiction: Jurisdiction, user) -> None:
    from kesu.plans.models import Plan

    plan = (
        Plan.objects.filter(jurisdiction=jurisdiction).exclude(baseline_value=None).exclude(baseline_year=None)
        .order_by("-period_end").first()
    )
    if plan is None or LiteracyFigure.objects.filter(
        jurisdiction=jurisdiction, year=plan.baseline_year, kind=LiteracyFigure.Kind.OFFICIAL
    ).exists():
        return
    actions.do_record_official(
        jurisdiction, user, year=plan.baseline_year, value=plan.baseline_value, se=None, ci_low=None, ci_high=None,
        source=f"《{plan.title}》所载{plan.baseline_year}年基线值",
    )

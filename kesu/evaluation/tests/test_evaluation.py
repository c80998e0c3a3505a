"""The evaluation (终期/中期评估): figures year by year, targets' verdicts, the headline, the office's text and access."""

from __future__ import annotations

import datetime as dt
import io
import time

from django.urls import reverse
from django.utils import timezone
from docx import Document
from pdfminer.high_level import extract_text

from kesu.evaluation.actions import StaleEvaluationText, do_save_evaluation_text
from kesu.evaluation.content import gather
from kesu.evaluation.models import EvaluationEvent, EvaluationText, Part
from kesu.evaluation.outline import narrative_chapters
from kesu.plans.models import Plan
from kesu.survey.models import LiteracyFigure, SurveyRun
from kesu.testing import small_plan
from kesu.tracking.actions import do_approve_report, do_open_cycle, do_save_report, do_submit_report
from kesu.tracking.models import Report
from kesu.tracking.tests.base import TrackingTestCase


class EvaluationTestCase(TrackingTestCase):
    """Last year: an annual cycle, every measure approved 已完成 (the participation rate 95%); this year: the
    open quarter, the grassroots measure approved 滞后 with 1500 volunteers (goal 3000, due in two years)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.year = timezone.localdate().year
        last = do_open_cycle(cls.plan, cls.county_admin, "year", cls.year - 1, 1, timezone.localdate() + dt.timedelta(days=10))
        reporters = {cls.edu.pk: cls.edu_reporter, cls.kx.pk: cls.kx_reporter}
        for report in Report.objects.filter(cycle=last).select_related("task"):
            values = {t.pk: 95 if t.unit == "%" else 800 for t in report.task.targets.all()}
            cls.approve(report, reporters[report.unit_id], "completed", f"{cls.year - 1}年完成", values)
        report = Report.objects.get(cycle=cls.cycle, unit=cls.kx)
        cls.approve(report, cls.kx_reporter, "behind", "进度滞后", {report.task.targets.get().pk: 1500})

    @classmethod
    def approve(cls, report: Report, reporter, progress: str, summary: str, values: dict) -> None:
        report = do_save_report(report, reporter, report.version, progress, summary, values)
        report = do_submit_report(report, reporter, report.version)
        do_approve_report(report, cls.county_admin)

    def page(self, user, **params):
        self.login(user)
        return self.client.get(reverse("evaluation", args=[self.plan.pk]), params)


class ContentTests(EvaluationTestCase):
    def test_each_measure_has_the_status_of_its_latest_approved_report_of_each_year(self):
        content = gather(self.plan, self.year - 1, self.year)
        self.assertEqual(content.kind, "中期评估")
        rows = {(m.title, m.unit): m.statuses for s in content.sections for m in s.measures}
        self.assertEqual(rows[("健全基层科普服务体系", "县科协")], ["已完成", "滞后"])
        self.assertEqual(rows[("实施教师科学素质提升工程", "县教科局")], ["已完成", "—"])
        grassroots = content.sections[1]
        self.assertEqual(grassroots.year_texts(), ["已完成1", "滞后1"])

    def test_the_whole_period_is_the_end_of_term_evaluation(self):
        content = gather(self.plan, self.plan.period_start, self.plan.period_end)
        self.assertEqual(content.kind, "终期评估")
        self.assertEqual(len(content.years), 5)

    def test_every_target_has_baseline_goal_final_value_verdict_and_rule(self):
        targets = {t.indicator: t for t in gather(self.plan, self.year - 1, self.year).targets}
        rate = targets["学生科普活动参与率"]
        self.assertEqual(rate.status, "已达成")
        self.assertTrue(rate.final.startswith("95%"))
        self.assertTrue(rate.baseline.startswith("95%"))
        volunteers = targets["科技志愿服务队人数"]
        self.assertEqual(volunteers.goal, f"{self.year + 2}年不低于3000人")
        self.assertTrue(volunteers.final.startswith("1,500人"), volunteers.final)
        self.assertEqual(volunteers.status, "尚未到期（目前未达成）")
        self.assertIn("终值不低于3,000人即为达成", volunteers.rule)
        self.assertTrue(volunteers.baseline.startswith("0（"))

    def test_the_headline_shows_a_survey_estimate_with_its_confidence_interval_and_run(self):
        run = SurveyRun.objects.create(jurisdiction=self.county, year=self.year - 1, title="全县公民科学素质抽样调查",
                                       responses_file="r.csv", responses_name="r.csv", status="done")
        LiteracyFigure.objects.create(jurisdiction=self.county, year=self.year - 1, value=13.2, ci_low=12.1,
                                      ci_high=14.3, kind="estimate", source="本平台估计", survey_run=run)
        headline = gather(self.plan, self.year - 1, self.year).headline
        self.assertEqual(headline.baseline, "2020年 9.8%")
        self.assertEqual(headline.latest, f"{self.year - 1}年 13.2%（95%置信区间 12.1%—14.3%）")
        self.assertIn("全县公民科学素质抽样调查", headline.source)
        self.assertEqual(headline.goal, "2025年超过14.5%")
        self.assertEqual(headline.status, "未达到目标")

    def test_an_official_figure_of_the_same_year_comes_before_the_estimate(self):
        LiteracyFigure.objects.create(jurisdiction=self.county, year=self.year - 1, value=13.2, ci_low=12.1,
                                      ci_high=14.3, kind="estimate", source="本平台估计")
        LiteracyFigure.objects.create(jurisdiction=self.county, year=self.year - 1, value=15.1, kind="official",
                                      source="市科协公布")
        headline = gather(self.plan, self.year - 1, self.year).headline
        self.assertEqual(headline.latest, f"{self.year - 1}年 15.1%")
        self.assertEqual(headline.source, "正式公布数：市科协公布")
        self.assertEqual(headline.status, "已达到目标")
        self.login(self.county_viewer)  # the dashboard's card takes the same figure, with its source and rule
        dashboard = self.client.get(reverse("tracking-dashboard", args=[self.plan.pk]))
        self.assertContains(dashboard, "公民具备科学素质的比例（最新）")
        self.assertContains(dashboard, f"{self.year - 1}年 15.1%")
        self.assertContains(dashboard, "同一年既有正式公布数又有调查估计时，取正式公布数")

    def test_volunteer_and_service_totals_come_through_the_registry(self):
        labels = [t.label for t in gather(self.plan, self.year - 1, self.year).totals]
        for label in ("在册科技志愿者人数", "科技志愿服务队数", "科普教育基地数", "科普活动场次", "志愿服务时长"):
            self.assertIn(label, labels)

    def test_each_years_assessment_is_listed(self):
        scores = gather(self.plan, self.year - 1, self.year).scores
        self.assertEqual([s.year for s in scores], [self.year - 1, self.year])
        self.assertEqual({unit for _, unit, _ in scores[0].rows}, {"县教科局", "县科协"})

    def test_a_citys_evaluation_lists_its_counties_side_by_side(self):
        city_plan = self.import_plan(small_plan(jurisdiction={"name": "临汾市", "level": "city"},
                                                period={"start": self.year - 2, "end": self.year + 2}),
                                     jurisdiction=self.city, sha="sha-city")
        LiteracyFigure.objects.create(jurisdiction=self.county, year=self.year - 1, value=13.2, kind="official", source="公布")
        areas = gather(city_plan, self.year - 1, self.year).areas
        self.assertEqual([a.name for a in areas], ["襄汾县"])
        self.assertEqual(areas[0].headline, f"{self.year - 1}年 13.2%")
        # 县教科局's two measures keep last year's 已完成 (沿用); 县科协's is 滞后 this year
        self.assertEqual(areas[0].on_track, "2/3（66.7%）")
        chapters = [heading for heading, _ in narrative_chapters(gather(city_plan, self.year - 1, self.year))]
        self.assertEqual(chapters, ["八、主要成效", "九、存在的问题", "十、下一步建议"])  # after 七、下辖地区主要指标


class NarrativeTests(EvaluationTestCase):
    def save(self, user, text: str, version: int, part: str = "effects"):
        self.login(user)
        return self.client.post(reverse("evaluation-text", args=[self.plan.pk]), {
            "start": self.year - 1, "end": self.year, "part": part, "text": text, "version": version})

    def test_the_office_saves_a_part_with_a_history_row(self):
        response = self.save(self.county_admin, "科普阵地覆盖全部乡镇", 0)
        self.assertEqual(response.status_code, 302)
        self.save(self.county_admin, "科普阵地覆盖全部乡镇和80%的村", 1)
        text = EvaluationText.objects.get(plan=self.plan, part="effects")
        self.assertEqual((text.text, text.version), ("科普阵地覆盖全部乡镇和80%的村", 2))
        events = list(EvaluationEvent.objects.filter(plan=self.plan).order_by("pk").values_list("old", "new"))
        self.assertEqual(events, [("", "科普阵地覆盖全部乡镇"), ("科普阵地覆盖全部乡镇", "科普阵地覆盖全部乡镇和80%的村")])
        page = self.page(self.county_admin, start=self.year - 1, end=self.year)
        self.assertContains(page, "科普阵地覆盖全部乡镇和80%的村")
        self.assertContains(page, "修改记录")

    def test_a_stale_version_is_refused_and_both_texts_are_shown(self):
        do_save_evaluation_text(self.plan, (self.year - 1, self.year), Part.PROBLEMS, "对方的文字", 0, self.county_admin)
        with self.assertRaises(StaleEvaluationText):
            do_save_evaluation_text(self.plan, (self.year - 1, self.year), Part.PROBLEMS, "我的", 0, self.county_admin)
        response = self.save(self.county_admin, "我的文字", 0, part="problems")
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "对方的文字", status_code=409)
        self.assertContains(response, "我的文字", status_code=409)
        self.assertContains(response, "您的内容未保存", status_code=409)
        self.assertEqual(EvaluationText.objects.get(part="problems").text, "对方的文字")

    def test_text_is_kept_per_range_of_years(self):
        do_save_evaluation_text(self.plan, (self.year - 1, self.year), Part.NEXT, "中期建议", 0, self.county_admin)
        whole = gather(self.plan, self.plan.period_start, self.plan.period_end)
        self.assertEqual(dict(whole.narrative())["下一步建议"], "")


class AccessTests(EvaluationTestCase):
    def test_the_office_its_leaders_and_the_city_read(self):
        for user in (self.county_admin, self.county_viewer, self.city_admin, self.city_leader):
            self.assertEqual(self.page(user).status_code, 200, user.username)

    def test_another_county_and_a_unit_reporter_cannot_read(self):
        self.assertEqual(self.page(self.other_county_admin).status_code, 404)  # a draft plan is not even shown
        Plan.objects.filter(pk=self.plan.pk).update(status="published")
        self.assertEqual(self.page(self.other_county_admin).status_code, 403)
        self.assertEqual(self.page(self.kx_reporter).status_code, 403)
        self.login(self.other_county_admin)
        self.assertEqual(self.client.get(reverse("evaluation-file", args=[self.plan.pk, "pdf"])).status_code, 403)

    def test_a_leader_and_the_city_cannot_edit(self):
        for user in (self.county_viewer, self.city_admin):
            self.login(user)
            response = self.client.post(reverse("evaluation-text", args=[self.plan.pk]),
                                        {"part": "effects", "text": "改", "version": 0})
            self.assertEqual(response.status_code, 403, user.username)
        self.assertFalse(EvaluationText.objects.exists())
        self.assertNotContains(self.page(self.county_viewer), "<textarea")

    def test_bad_years_answer_400(self):
        self.assertEqual(self.page(self.county_admin, start=self.year + 1, end=self.year).status_code, 400)
        self.assertEqual(self.page(self.county_admin, start=1900).status_code, 400)


class DocumentTests(EvaluationTestCase):
    def download(self, kind: str) -> bytes:
        self.login(self.county_admin)
        started = time.monotonic()
        response = self.client.get(reverse("evaluation-file", args=[self.plan.pk, kind]))
        self.assertLess(time.monotonic() - started, 2, "generated while the user waits")
        self.assertEqual(response.status_code, 200)
        return response.content

    def test_the_word_document_has_every_section(self):
        do_save_evaluation_text(self.plan, (self.plan.period_start, self.plan.period_end), Part.EFFECTS,
                                "第一段\x0b第二段", 0, self.county_admin)
        doc = Document(io.BytesIO(self.download("docx")))
        text = "\n".join(p.text for p in doc.paragraphs)
        cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
        for heading in ("一、总体情况", "三、量化目标完成情况", "四、公民具备科学素质的比例", "五、科技志愿服务与科普阵地",
                        "六、年度考核结果", "七、主要成效", "八、存在的问题", "九、下一步建议"):
            self.assertIn(heading, text)
        self.assertIn("终期评估", text)
        self.assertIn("第一段\n第二段", text)
        self.assertIn("健全基层科普服务体系", cells)
        self.assertIn("尚未到期（目前未达成）", cells)

    def test_the_pdf_has_every_section_and_prints_markup_as_written(self):
        do_save_evaluation_text(self.plan, (self.plan.period_start, self.plan.period_end), Part.PROBLEMS,
                                '覆盖率a<b & <img src="/etc/passwd"/>', 0, self.county_admin)
        pdf = self.download("pdf")
        self.assertNotIn(b"/Subtype /Image", pdf)
        text = extract_text(io.BytesIO(pdf)).replace("\n", "")
        for heading in ("二、重点任务逐年推进情况", "六、年度考核结果", "八、存在的问题"):
            self.assertIn(heading, text)
        self.assertIn('覆盖率a<b & <img src="/etc/passwd"/>', text)

"""Demo 科普经费, dated from today: 山西省's per-capita standard, and for a city and a county last year's and this
year's funding (so growth shows), allocation lines tied to the plan's measures, some spending with an evidence file
and a unit's own funding. Loaded once per jurisdiction (a second call changes nothing)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kesu.funding.actions import (
    do_add_line,
    do_record_spending,
    do_save_funding_year,
    do_save_unit_funding,
    do_set_standard,
)
from kesu.funding.models import FundingStandard, FundingYear
from kesu.funding.queries import led_tasks, plan_for, tasks_of, units_of
from kesu.org.models import Jurisdiction

# 元/人: the province's standard, both years.
STANDARD = "2"
# (population, special budgeted and received last year / this year in 万元) per demo jurisdiction.
FIGURES = {
    "晋城市": (2_190_000, ("430", "420"), ("500", "480")),
    "襄汾县": (415_000, ("70", "68"), ("90", "88")),
}
LINES = [  # 项目, 内容, unit keyword, measure keyword, share of the special funding
    ("全国科普日主场活动", "主场活动、科普展览和各成员单位系列活动", "科协", "科普", Decimal("0.25")),
    ("青少年科技创新大赛", "组织参赛、培训辅导和优秀作品展评", "教", "青少年", Decimal("0.2")),
    ("农村科技培训和科技特派员服务", "送科技下乡、农民田间学校", "农业", "农民", Decimal("0.2")),
    ("基层科普阵地建设", "社区科普e站、农村科普活动室提质", "科协", "基层", Decimal("0.2")),
    ("科普信息化宣传", "新媒体科普作品、应急科普", "", "信息化", Decimal("0.15")),
]
INVOICE = b"%PDF-1.4\n% demo invoice\n"


def _unit(units: list, keyword: str):
    return next((u for u in units if keyword and keyword in u.name), units[0])


def _task(tasks: list, keyword: str):
    return next((t for t in tasks if keyword in t.title or keyword in t.section.title), None)


def load_demo_funding(jurisdiction: Jurisdiction, office: AbstractBaseUser) -> FundingYear | None:
    figures = FIGURES.get(jurisdiction.name)
    year = timezone.localdate().year
    units = list(units_of(jurisdiction))
    if figures is None or not units or FundingYear.objects.filter(jurisdiction=jurisdiction, year=year).exists():
        return None
    province = next((a for a in jurisdiction.ancestors() if a.level == Jurisdiction.Level.PROVINCE), None)
    if province is not None and not FundingStandard.objects.filter(jurisdiction=province).exists():
        for standard_year in (year - 1, year):
            do_set_standard(province, standard_year, None, STANDARD)
    population, *amounts = figures
    row = None
    for offset, (budgeted, received) in zip((1, 0), amounts, strict=True):
        row = _load_year(jurisdiction, office, year - offset, population - offset * 3000, budgeted, received, units)
    return row


def _load_year(jurisdiction: Jurisdiction, office: AbstractBaseUser, year: int, population: int, budgeted: str,
               received: str, units: list) -> FundingYear:
    special = Decimal(received)
    row = do_save_funding_year(jurisdiction, year, office, 0, {
        "population": population, "special_budgeted": budgeted, "special_received": received,
        "government_total": special + 40, "donation": "12", "self_raised": "25", "other_income": "3",
        "use_activities": special * Decimal("0.55"), "use_venues": special * Decimal("0.25"),
        "use_exhibits": special * Decimal("0.15"), "use_other": "8",
        "note": "本级财政科普专项经费已列入年度预算，按季度拨付。",
    })
    plan = plan_for(jurisdiction, year)
    tasks = list(tasks_of(plan))
    today = timezone.localdate()
    current = year == today.year
    for position, (project, content, unit_word, task_word, share) in enumerate(LINES):
        line = do_add_line(jurisdiction, year, office, {
            "project": project, "content": content, "unit": _unit(units, unit_word), "task": _task(tasks, task_word),
            "planned": (special * share).quantize(Decimal("0.01"))})
        spent_share = Decimal("0.5") if current else Decimal("0.95")
        if current and position > 2:
            continue  # this year's later lines have no spending yet
        spent_on = min(today, today.replace(year=year, month=6, day=15)) if current else today.replace(year=year, month=9, day=20)
        do_record_spending(line, office, spent_on, (line.planned * spent_share).quantize(Decimal("0.01")),
                           f"{project}经费支出", [SimpleUploadedFile("支出凭证.pdf", INVOICE)] if position == 0 else [])
    lead = next((u for u in units if led_tasks(plan, [u.pk]).exists()), None)
    if lead is not None:
        for task in list(led_tasks(plan, [lead.pk]))[:2]:
            do_save_unit_funding(lead, task, year, office, 0, "15", "本单位部门预算安排")
    return row

"""晋城市's next plan for the demo: the made-up 2026–2030 document (fixtures/jincheng_2026_2030.txt) imported as the
successor of the 2021–2025 seed plan, its reporting this year, and — once the old plan's evaluation is written — the
office's confirmation of every proposed link, which ends the old plan.

The seed document states no measure targets, so the demo first gives four of its measures the targets its annual
work plans tracked (as the office would through 量化目标 › 新增); their reported final values become the new plan's
baselines."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser

from kesu.demo.province import build_history
from kesu.org.models import Jurisdiction
from kesu.plans.actions import do_import_plan, do_save_target, do_set_plan_status
from kesu.plans.importing import parse_path
from kesu.plans.models import Plan, Task
from kesu.succession.actions import Choices, do_confirm_succession
from kesu.succession.models import Succession
from kesu.succession.proposals import gather

FIXTURE = Path(__file__).with_name("fixtures") / "jincheng_2026_2030.txt"

OLD_TARGETS = [  # (measure of the 2021–2025 plan, target)
    ("提升基础教育阶段科学教育水平", {"indicator": "学生科普活动参与率", "value": 90, "unit": "%", "comparator": ">=",
                                        "text": "学生科普活动参与率达90%以上"}),
    ("实施高素质农民培育计划", {"indicator": "高素质农民", "value": 10000, "unit": "人次", "comparator": ">=",
                                  "year": 2025, "text": "“十四五”期间，累计培育高素质农民1万人次以上"}),
    ("强化科普基地建设", {"indicator": "市级科普教育基地", "value": 30, "unit": "家", "comparator": ">=", "year": 2025,
                         "text": "到2025年，争创市级科普教育基地30家以上"}),
    ("健全基层科普服务体系", {"indicator": "科技志愿服务队人数", "value": 4000, "unit": "人", "comparator": ">=",
                              "year": 2025, "text": "科技志愿服务队人数达4000人以上"}),
]


def add_old_targets(plan: Plan) -> None:
    """The seed plan's measure targets (before its reporting history is built, so that they have values)."""
    for title, target in OLD_TARGETS:
        task = Task.objects.filter(section__plan=plan, title=title).first()
        if task is not None and not task.targets.filter(indicator=target["indicator"]).exists():
            do_save_target(task, None, None, 0, {"year": None, "annual": False, **target})


def import_successor(jurisdiction: Jurisdiction, office: AbstractBaseUser) -> Plan | None:
    """The 2026–2030 plan, published, with this year's quarterly reporting (as the seed plans have)."""
    if Plan.objects.filter(jurisdiction=jurisdiction, predecessor__isnull=False).exists():
        return None
    parsed, sha = parse_path(FIXTURE)
    outcome = do_import_plan(parsed, jurisdiction=jurisdiction, source_name=FIXTURE.name, source_sha256=sha,
                             actor=office)
    do_set_plan_status(outcome.plan, office, Plan.Status.PUBLISHED)
    build_history([outcome.plan], years=1)
    return outcome.plan


def confirm_successor(plan: Plan, office: AbstractBaseUser) -> Succession | None:
    """The office accepts every proposal with its baseline as proposed; the old plan ends."""
    proposals = gather(plan)
    if proposals is None or Succession.objects.filter(successor=plan).exists():
        return None
    choices = Choices(frozenset(r.key for r in proposals.measures), {r.key: r.baseline for r in proposals.targets},
                      proposals.headline.value if proposals.headline else None)
    return do_confirm_succession(plan, office, choices)

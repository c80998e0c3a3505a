"""Demo statistics (统计报表) of one county (襄汾县), dated from today: last year's 科普统计 round with its member units
and townships — values pre-filled from the registered activities, some submitted, one returned, some approved —,
an imported school list with the school sheet of last year's autumn semester, and the plan's "每所学校至少配备1名专（兼）职科技教师"
counted from it. Loaded once (a second call changes nothing)."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from kesu.datasets.actions import (
    do_approve_submission,
    do_assign_respondents,
    do_open_round,
    do_return_submission,
    do_save_values,
    do_set_binding,
)
from kesu.datasets.importing import do_import_schools, do_stage_school_import
from kesu.datasets.models import Round, Submission
from kesu.datasets.prefill import prefills
from kesu.datasets.respondents import candidates
from kesu.domain.data_set_templates import KEPU
from kesu.domain.refusals import Refused
from kesu.infra.xlsx import Workbook, append_row, save_workbook
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.plans.actions import do_save_target
from kesu.plans.models import Plan, Task

PASSWORD = "kesu2026"
REPORTER = "xiangfen-kx"  # the demo reporter of 县科协
SCHOOLS = [("襄汾县第一小学", "小学", "新城镇"), ("襄汾县第二小学", "小学", "新城镇"), ("古城镇中心小学", "小学", "古城镇"),
           ("汾城镇中心小学", "小学", "汾城镇"), ("襄汾县第二初级中学", "初中", "新城镇"), ("古城镇初级中学", "初中", "古城镇"),
           ("襄汾中学", "高中", "新城镇"), ("襄汾县职业中学", "中等职业学校", "新城镇")]


def _kepu_values(found: dict, rng: random.Random) -> dict[str, str]:
    """A consistent filled 科普统计: the pre-filled values kept, the rest made up within the form's rules."""
    full, part = rng.randint(1, 6), rng.randint(3, 30)
    events = int(found["a_events"].value) if "a_events" in found else rng.randint(4, 20)
    lectures = int(found["a_lectures"].value) if "a_lectures" in found else min(events, rng.randint(1, 5))
    government, own = rng.randint(2, 30), rng.randint(0, 8)
    values = {code: 0 for code in (i.code for i in KEPU.indicators)}
    values |= {"p_total": full + part, "p_full": full, "p_part": part, "p_women": rng.randint(0, full + part),
               "p_volunteers": int(found["p_volunteers"].value) if "p_volunteers" in found else rng.randint(0, part),
               "v_galleries": rng.randint(0, 6), "v_bases": int(found["v_bases"].value) if "v_bases" in found else 0,
               "f_raised": government + own, "f_government": government, "f_special": rng.randint(0, government),
               "f_own": own, "f_spent": government + own - rng.randint(0, 2), "m_accounts": rng.randint(0, 2),
               "m_articles": rng.randint(0, 120), "a_events": events, "a_lectures": lectures,
               "a_exhibitions": min(events - lectures, int(found["a_exhibitions"].value) if "a_exhibitions" in found else 1),
               "a_participants": int(found["a_participants"].value) if "a_participants" in found else events * rng.randint(30, 90),
               "a_volunteer_services": int(found["a_volunteer_services"].value) if "a_volunteer_services" in found else 0,
               "e_clubs": rng.randint(0, 3)}
    values["p_volunteers"] = min(values["p_volunteers"], part)
    values["p_part"] = part
    return {code: str(max(0, value)) for code, value in values.items()}


def _reporter(unit: MemberUnit) -> AbstractBaseUser:
    user, created = get_user_model().objects.get_or_create(username=REPORTER)
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, jurisdiction=unit.jurisdiction, role=Membership.Role.UNIT_REPORTER, unit=unit)
    return user


def _kepu_round(jurisdiction: Jurisdiction, office: AbstractBaseUser, rng: random.Random, today: dt.date) -> Round:
    round_ = do_open_round(jurisdiction, office, "kepu", "year", today.year - 1, 1, today + dt.timedelta(days=12))
    offered = candidates(round_)
    units = [key for key in offered if key[0] == "unit"]
    do_assign_respondents(round_, office, units + [key for key in offered if key[0] == "township"])
    kx = MemberUnit.objects.filter(jurisdiction=jurisdiction, name="县科协").first()
    if kx is not None:
        _reporter(kx)
    sheets = list(Submission.objects.filter(round=round_, kind="unit").exclude(unit=kx).order_by("name"))
    for position, sheet in enumerate(sheets[:7]):  # 县科协 (the demo reporter's own) is left to fill
        found = prefills(sheet)
        sheet = do_save_values(round_, sheet.respondent, _acting(sheet), sheet.version,
                               _kepu_values(found, rng), found, submit=position < 6)
        if position in (0, 1, 2):
            do_approve_submission(sheet, office, sheet.version)
        elif position == 3:
            do_return_submission(sheet, office, sheet.version, "“年度科普经费筹集额”与财政拨款文件不一致，请核对后重新提交。")
    return round_


def _acting(sheet: Submission) -> AbstractBaseUser:
    """A reporter account of the sheet's unit (created for the demo), who fills it."""
    user, created = get_user_model().objects.get_or_create(username=f"xiangfen-u{sheet.unit_id}")
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        Membership.objects.create(user=user, jurisdiction=sheet.round.jurisdiction, role=Membership.Role.UNIT_REPORTER,
                                  unit=sheet.unit)
    return user


def _schools(jurisdiction: Jurisdiction, office: AbstractBaseUser) -> None:
    wb = Workbook()
    for row in [["学校名称*", "学段类型*", "所在乡镇"], *SCHOOLS]:
        append_row(wb.active, row)
    batch = do_stage_school_import(jurisdiction, office, "襄汾县中小学名单.xlsx", save_workbook(wb))
    do_import_schools(batch, office)


def _school_round(jurisdiction: Jurisdiction, office: AbstractBaseUser, rng: random.Random, today: dt.date) -> Round:
    round_ = do_open_round(jurisdiction, office, "school", "half", today.year - 1, 2, today + dt.timedelta(days=10))
    do_assign_respondents(round_, office, [key for key in candidates(round_) if key[0] == "school"])
    for position, sheet in enumerate(Submission.objects.filter(round=round_).order_by("name")):
        if position >= 7:
            break
        students = rng.randint(300, 2400)
        teachers = 0 if position == 2 else rng.randint(1, 4)
        values = {"s_students": students, "s_teachers": teachers, "s_teachers_full": min(teachers, rng.randint(0, 1)),
                  "s_counsellors": rng.randint(0, 3), "s_science_hours": rng.randint(18, 40), "s_lectures": rng.randint(0, 3),
                  "s_trips": rng.randint(0, 2), "s_participants": int(students * rng.uniform(0.5, 0.98))}
        sheet = do_save_values(round_, sheet.respondent, office, sheet.version, {k: str(v) for k, v in values.items()}, {},
                               submit=position < 6)
        if position < 5:
            do_approve_submission(sheet, office, sheet.version)
    return round_


def _bind_teacher_target(jurisdiction: Jurisdiction, office: AbstractBaseUser) -> None:
    plan = Plan.objects.filter(jurisdiction=jurisdiction).order_by("-period_start").first()
    task = Task.objects.filter(section__plan=plan, title__contains="教师").first() if plan else None
    if task is None:
        return
    target = task.targets.filter(indicator__contains="科技教师").first()
    try:
        if target is None:
            target = do_save_target(task, None, office, 0, {
                "indicator": "配备专（兼）职科技教师的学校占比", "value": 100, "unit": "%", "comparator": ">=",
                "year": plan.period_end, "annual": False, "text": "每所学校至少配备1名专（兼）职科技教师"})
        do_set_binding(target, office, "school", "s_with_teacher")
    except Refused:
        return


def load_demo_statistics(jurisdiction: Jurisdiction, office: AbstractBaseUser) -> Round | None:
    if not MemberUnit.objects.filter(jurisdiction=jurisdiction, stands_for_all=False).exists():
        return None
    today = timezone.localdate()
    existing = Round.objects.filter(jurisdiction=jurisdiction, template="kepu", year=today.year - 1).first()
    if existing:
        return existing
    rng = random.Random(2026)
    round_ = _kepu_round(jurisdiction, office, rng, today)
    _schools(jurisdiction, office)
    _school_round(jurisdiction, office, rng, today)
    _bind_teacher_target(jurisdiction, office)
    return round_

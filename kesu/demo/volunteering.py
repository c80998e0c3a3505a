"""Demo data for the grassroots service of one county (default 襄汾县): townships and villages, topics, time
limits, teams with admins, volunteers, bases, activities, and a year of orders in every state — moved through
the same workflow rules (kesu.volunteering.actions._apply) with back-dated times, so the board, the dashboard and
the step durations have something real to show. Deterministic (seeded)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kesu.domain.dispatch import Move, State
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.plans.models import Plan, Target
from kesu.tracking.models import Activity
from kesu.volunteering import actions
from kesu.volunteering.access import Roles, roles_of
from kesu.volunteering.models import (
    OrderEvent,
    ScienceBase,
    ServiceArea,
    ServiceHours,
    ServiceOrder,
    ServiceRecord,
    ServiceRole,
    ServiceSettings,
    TargetBinding,
    Team,
    TeamMembership,
    Topic,
    Volunteer,
)

PASSWORD = "kesu2026"
TOWNSHIPS = {
    "新城镇": ["东关村", "西关村", "南关村", "北关村", "城南社区"], "古城镇": ["古城村", "东街村", "西街村", "南贾村"],
    "襄陵镇": ["襄陵村", "北街村", "南街村", "黄崖村"], "邓庄镇": ["邓庄村", "燕村", "北李村", "南李村"],
    "汾城镇": ["汾城村", "尉村", "南高村", "北高村"], "赵康镇": ["赵康村", "史威村", "东汾阳村"],
    "南辛店乡": ["南辛店村", "西中黄村", "东中黄村"], "大邓乡": ["大邓村", "小邓村", "南小张村"],
    "景毛乡": ["景毛村", "北王村", "南王村"],
}
TOPICS = ["农业技术", "健康", "防灾减灾", "智能手机使用", "青少年科学教育", "应急救护"]
TEAMS = [  # name, unit, topics, admin
    ("县科协科普志愿服务队", "县科协", ["智能手机使用", "青少年科学教育"], "xf-team-kx"),
    ("县农技科普志愿服务队", "县农业农村局", ["农业技术"], "xf-team-nong"),
    ("县卫体局健康科普服务队", "县卫体局", ["健康", "应急救护"], "xf-team-wei"),
    ("县应急局防灾减灾服务队", "县应急局", ["防灾减灾", "应急救护"], "xf-team-ying"),
    ("县教科局科学教育服务队", "县教科局", ["青少年科学教育"], "xf-team-jiao"),
    ("县气象局气象科普服务队", "县气象局", ["防灾减灾", "农业技术"], "xf-team-qx"),
]
CLAIMERS = [("xf-kx", "县科协"), ("xf-nong", "县农业农村局"), ("xf-wei", "县卫体局"), ("xf-ying", "县应急局"), ("xf-jiao", "县教科局"),
            ("xf-qx", "县气象局")]
OFFICERS = [("xf-xincheng", "新城镇"), ("xf-gucheng", "古城镇"), ("xf-xiangling", "襄陵镇")]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = ["芳", "强", "敏", "静", "磊", "娟", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平", "刚", "丽", "建国", "秀英",
         "志强", "海燕", "晓东", "春梅", "红霞", "建华", "文博", "雅琴", "国栋", "玉兰"]
SKILLS = ["果树栽培", "设施蔬菜", "畜牧养殖", "全科医生", "护理", "急救培训", "气象观测", "中学物理", "信息技术", "心理咨询", "农机维修",
          "植保", "营养配餐", "地质灾害防治", "消防"]
BASES = [  # name, level, host, kind, designated
    ("陶寺遗址科普教育基地", "province", "县文旅局", "culture", 2019), ("襄汾县科技馆", "city", "县科协", "venue", 2020),
    ("县现代农业示范园", "city", "县农业农村局", "production", 2021), ("县气象科普馆", "city", "县气象局", "venue", 2022),
    ("县人民医院健康科普基地", "county", "县卫体局", "health", 2022), ("汾河湿地自然学校", "city", "县林业局", "nature", 2023),
    ("县应急安全体验馆", "county", "县应急局", "venue", 2023), ("县职业中学创客空间", "county", "县教科局", "education", 2024),
    ("县融媒体中心科普频道", "county", "县融媒体中心", "online", 2024), ("县农机科普示范点", "county", "县农业农村局", "production", 2025),
]


@dataclass
class Cast:
    office: object
    officers: dict[str, object]
    claimers: dict[str, object]
    team_admins: dict[str, object]


def _user(username: str):
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_password(PASSWORD)
        user.save()
    return user


def _id_number(rng: random.Random, born: dt.date) -> str:
    body = f"141023{born:%Y%m%d}{rng.randint(100, 999)}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


@transaction.atomic
def do_create_service_demo(jurisdiction: Jurisdiction, seed: int = 2026) -> dict[str, int]:
    if ServiceArea.objects.filter(jurisdiction=jurisdiction).exists():
        return {"skipped": 1}
    rng = random.Random(seed)
    today = timezone.localdate()
    office = Membership.objects.filter(jurisdiction=jurisdiction, role="office_admin").select_related("user").first()
    office_user = office.user if office else _user("xf-office")
    if office is None:
        Membership.objects.create(user=office_user, jurisdiction=jurisdiction, role="office_admin")
    townships, villages = {}, {}
    for position, (name, names) in enumerate(TOWNSHIPS.items()):
        township = ServiceArea.objects.create(jurisdiction=jurisdiction, kind="township", name=name, position=position)
        townships[name] = township
        villages[name] = [ServiceArea.objects.create(jurisdiction=jurisdiction, kind="village", name=v, parent=township, position=i)
                          for i, v in enumerate(names)]
    topics = {name: Topic.objects.create(jurisdiction=jurisdiction, name=name, position=i) for i, name in enumerate(TOPICS)}
    ServiceSettings.objects.create(jurisdiction=jurisdiction, review_hours=24, claim_hours=48, assign_hours=24, accept_hours=48,
                                   serve_hours=24 * 21, confirm_hours=24 * 7, updated_by=office_user)
    units = {u.name: u for u in MemberUnit.objects.filter(jurisdiction=jurisdiction)}
    for unit_name in {t[1] for t in TEAMS} | {c[1] for c in CLAIMERS}:
        if unit_name not in units:
            units[unit_name] = MemberUnit.objects.create(jurisdiction=jurisdiction, name=unit_name, key=unit_name)
    teams, admins = {}, {}
    for i, (name, unit, team_topics, admin) in enumerate(TEAMS):
        team = Team.objects.create(jurisdiction=jurisdiction, name=name, unit=units[unit], in_pool=i != 4,
                                   founded_on=dt.date(today.year - 5 + i % 3, 3, 1), area=list(townships.values())[i % 3])
        team.topics.set([topics[t] for t in team_topics])
        teams[name] = team
        admins[name] = _user(admin)
        ServiceRole.objects.create(user=admins[name], kind="team_admin", team=team, granted_by=office_user)
    claimers = {}
    for username, unit in CLAIMERS:
        claimers[unit] = _user(username)
        ServiceRole.objects.create(user=claimers[unit], kind="claimer", unit=units[unit], granted_by=office_user)
    officers = {}
    for username, township in OFFICERS:
        officers[township] = _user(username)
        ServiceRole.objects.create(user=officers[township], kind="officer", area=townships[township], granted_by=office_user)
    cast = Cast(office_user, officers, claimers, admins)

    volunteers = []
    for i in range(72):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
        born = dt.date(1960 + rng.randint(0, 40), rng.randint(1, 12), rng.randint(1, 28))
        id_number = _id_number(rng, born)
        township = rng.choice(list(townships))
        volunteer = Volunteer.objects.create(
            jurisdiction=jurisdiction, name=name, gender="male" if i % 2 else "female", id_number=id_number,
            phone=f"13{rng.randint(4, 9)}{rng.randint(10000000, 99999999)}", skills=rng.choice(SKILLS),
            area=rng.choice(villages[township]), affiliation=rng.choice(["县人民医院", "县农业农村局", "县职业中学", "村委会", "县气象局", "退休"]),
            registered_on=dt.date(today.year - 5, 6, 1) + dt.timedelta(days=rng.randint(0, (today - dt.date(today.year - 5, 6, 1)).days)), created_by=office_user,
        )
        volunteer.topics.set(rng.sample(list(topics.values()), k=rng.randint(1, 2)))
        for team in rng.sample(list(teams.values()), k=1 if i % 5 else 2):
            TeamMembership.objects.create(team=team, volunteer=volunteer, status="active",
                                          joined_on=max(volunteer.registered_on, team.founded_on), decided_by=office_user)
        volunteers.append(volunteer)
    for volunteer in volunteers[:4]:  # join requests waiting for the team admin
        team = next(t for t in teams.values() if not t.memberships.filter(volunteer=volunteer).exists())
        TeamMembership.objects.create(team=team, volunteer=volunteer, status="pending")
    for name, level, host, kind, year in BASES:
        ScienceBase.objects.create(jurisdiction=jurisdiction, name=name, level=level, host=host, kind=kind, designated_year=year,
                                   opening=rng.choice(["open", "open", "appointment"]), area=rng.choice(list(townships.values())))

    plan = Plan.objects.filter(jurisdiction=jurisdiction).order_by("-period_start").first()
    if plan is not None:
        _activities(plan, units, rng, today)
        _bind_targets(plan)
    orders = _orders(jurisdiction, cast, townships, villages, topics, teams, rng, today)
    ServiceOrder.objects.filter(pk__in=[o.pk for o in orders if o.state in ("submitted", "pooled", "dispatched")][:5]).update(
        due_at=timezone.now() - dt.timedelta(hours=6))
    escalated = actions.do_escalate_overdue_orders()
    return {"townships": len(townships), "teams": len(teams), "volunteers": len(volunteers), "orders": len(orders),
            "escalated": escalated}


def _activities(plan: Plan, units: dict, rng: random.Random, today: dt.date) -> None:
    kinds = [("science_day", "全国科普日主题活动", 800), ("science_week", "科技活动周科普集市", 600), ("lecture", "乡村振兴科普讲座", 80),
             ("training", "高素质农民培训", 60), ("exhibition", "防灾减灾科普展", 300), ("volunteer", "科技志愿服务进村", 120)]
    organisers = [units[n] for n in ("县科协", "县农业农村局", "县卫体局", "县应急局") if n in units]
    for year in range(max(plan.period_start, today.year - 2), today.year + 1):
        for kind, title, size in kinds:
            for n in range(2 if kind in ("lecture", "training") else 1):
                month = {"science_day": 9, "science_week": 5}.get(kind, rng.randint(1, 12))
                day = dt.date(year, month, rng.randint(1, 28))
                if day > today:
                    continue
                Activity.objects.create(plan=plan, unit=rng.choice(organisers), kind=kind, title=f"{year}年{title}{'（二）' if n else ''}",
                                        held_on=day, place="县文化广场" if size > 200 else "村委会", participants=int(size * rng.uniform(0.7, 1.3)))


def _bind_targets(plan: Plan) -> None:
    for target in Target.objects.filter(task__section__plan=plan):
        text = target.indicator
        if "志愿服务队人数" in text:
            TargetBinding.objects.get_or_create(target=target, defaults={"kind": "team_members"})
        elif text.startswith("市级科普教育基地"):
            TargetBinding.objects.get_or_create(target=target, defaults={"kind": "bases", "levels": ["city"]})
        elif text.startswith("省级科普教育基地"):
            TargetBinding.objects.get_or_create(target=target, defaults={"kind": "bases", "levels": ["province"]})


def _orders(jurisdiction, cast: Cast, townships, villages, topics, teams, rng: random.Random, today: dt.date) -> list[ServiceOrder]:
    tz = timezone.get_default_timezone()
    roles: dict[int, Roles] = {}

    def as_(user) -> tuple[object, Roles]:
        if user.pk not in roles:
            roles[user.pk] = roles_of(user)
        return user, roles[user.pk]

    office = as_(cast.office)
    team_by_topic = {name: [t for t in teams.values() if t.topics.filter(name=name).exists()] for name in topics}
    results = []
    now = timezone.now()
    for i in range(96):
        age_days = rng.uniform(0.2, 330) if i >= 16 else rng.uniform(0.05, 3)
        stop = ["submitted", "routed", "claimed", "assigned", "accepted", "served"][i % 6] if i < 16 else None
        t = now - dt.timedelta(days=age_days)
        township = rng.choice(list(townships))
        topic = rng.choice(list(topics.values()))
        preferred = timezone.localtime(t).date() + dt.timedelta(days=rng.randint(2, 10))
        order = actions.do_submit_order({
            "township": townships[township], "village": rng.choice(villages[township] + [None]), "place": "村委会活动室",
            "topic": topic, "description": f"希望开展{topic.name}方面的科普服务", "preferred_from": preferred,
            "preferred_until": preferred + dt.timedelta(days=rng.randint(0, 14)), "audience": rng.choice(["villagers", "farmers", "elderly", "students"]),
            "audience_size": rng.randint(15, 120), "requester_kind": rng.choice(["resident", "village", "school"]), "requester_org": "村委会",
            "contact_name": rng.choice(SURNAMES) + rng.choice(GIVEN), "contact_phone": f"139{rng.randint(10000000, 99999999)}",
        }, client_digest="demo", now=t)
        dispatcher = as_(cast.officers.get(township, cast.office))
        fate = rng.random()
        clock = [t]

        def advance(low: float, high: float, clock=clock) -> dt.datetime:
            clock[0] = min(clock[0] + dt.timedelta(hours=rng.uniform(low, high)), now - dt.timedelta(minutes=5))
            return clock[0]

        if stop == "submitted" or (stop is None and fate < 0.06):
            if fate < 0.03 and age_days > 1:
                actions._apply(order, Move.REJECT, user=dispatcher[0], roles=dispatcher[1], reason="不属于科普服务范围，已转相关部门", now=advance(2, 20))
            results.append(order)
            continue
        candidates = team_by_topic.get(topic.name) or list(teams.values())
        team = rng.choice(candidates)
        via_unit = rng.random() < 0.6 and team.unit_id is not None
        if via_unit:
            unit = team.unit
            claimer = as_(cast.claimers[unit.name])
            actions._apply(order, Move.DISPATCH, user=dispatcher[0], roles=dispatcher[1], new_unit=unit, detail=f"派单至{unit.name}", now=advance(1, 10))
            if stop == "routed":
                results.append(order)
                continue
            actions._apply(order, Move.CLAIM, user=claimer[0], roles=claimer[1], detail=f"{unit.name}领单", now=advance(1, 10))
            if stop == "claimed":
                results.append(order)
                continue
            actions._apply(order, Move.ASSIGN, user=claimer[0], roles=claimer[1], new_team=team, detail=f"指派给{team.name}", now=advance(0.5, 10))
            if stop == "assigned":
                results.append(order)
                continue
        else:
            if not team.in_pool:
                team = next(x for x in teams.values() if x.in_pool)
            actions._apply(order, Move.POOL, user=dispatcher[0], roles=dispatcher[1], detail="派至服务队池", now=advance(1, 10))
            if stop in ("routed", "claimed", "assigned"):
                results.append(order)
                continue
        admin = as_(cast.team_admins[team.name])
        actions._apply(order, Move.ACCEPT, user=admin[0], roles=admin[1], new_team=team, now=advance(1, 50))
        if fate < 0.1:
            actions._apply(order, Move.CANCEL, user=office[0], roles=office[1], reason="申请人电话告知活动取消", now=advance(2, 48))
            results.append(order)
            continue
        if stop == "accepted" or (stop is None and age_days < 12):
            results.append(order)
            continue
        served_at = advance(2, 20) if stop else max(advance(24, 24 * 10), dt.datetime.combine(order.preferred_from, dt.time(15), tz))
        served_at = min(served_at, now - dt.timedelta(hours=1))
        clock[0] = served_at
        duration = rng.choice([1.5, 2, 2.5, 3])
        start = timezone.localtime(served_at - dt.timedelta(hours=rng.randint(4, 30))).replace(minute=0, second=0, microsecond=0)
        start = start.replace(hour=rng.choice([9, 10, 14, 15]))
        if start + dt.timedelta(hours=duration) > served_at:
            start = timezone.localtime(served_at - dt.timedelta(hours=duration + 1)).replace(second=0, microsecond=0)
        attendees = int(order.audience_size * rng.uniform(0.7, 1.2))
        order = actions._apply(order, Move.RECORD, user=admin[0], roles=admin[1], now=served_at,
                               detail=f"{team.name}：{start:%Y-%m-%d}，{duration:g} 小时，服务 {attendees} 人")
        record = ServiceRecord.objects.create(order=order, team=team, served_on=start.date(), start_time=start.time(),
                                              duration_hours=duration, attendees=attendees,
                                              summary=f"{team.name}开展{topic.name}科普服务，现场答疑", recorded_by=admin[0])
        members = list(Volunteer.objects.filter(memberships__team=team, memberships__status="active")[:20])
        for volunteer in rng.sample(members, k=min(len(members), rng.randint(2, 4))):
            if ServiceHours.objects.filter(volunteer=volunteer, start__lt=start + dt.timedelta(hours=record.duration_hours),
                                           end__gt=start).exists():
                continue
            ServiceHours.objects.create(volunteer=volunteer, team=team, order=order, served_on=record.served_on, start=start,
                                        end=start + dt.timedelta(hours=record.duration_hours), hours=record.duration_hours,
                                        method="record", recorded_by=admin[0])
        if stop == "served" or (stop is None and age_days < 20 and fate > 0.5):
            results.append(order)
            continue
        rating = rng.choices([5, 4, 3, 2], weights=[60, 28, 9, 3])[0]
        actions._apply(order, Move.CONFIRM, user=None, roles=None, requester=True, rating=rating, now=advance(2, 96),
                       detail=f"评分 {rating}", extra={"comment": rng.choice(["讲得很实用", "希望多来几次", "老人们很喜欢", "", "时间有点短"])})
        results.append(order)
    OrderEvent.objects.filter(order__in=results, kind=OrderEvent.Kind.SUBMITTED).update(role="申请人")
    return [ServiceOrder.objects.get(pk=o.pk) for o in results]


def state_counts() -> dict[str, int]:
    return {s.value: ServiceOrder.objects.filter(state=s).count() for s in State}

"""A province-sized demo data set: jurisdictions, plans from the seed documents, five years of reporting.

    build_province(seed_dir)            1 province, 14 cities, 100 counties, 40 units each, 5 years quarterly
    build_province(seed_dir, **SMALL)   1 province, 2 cities, 4 counties, 1 year (tests)

Plans go through the real import (each seed is parsed once, then rewritten for every city/county: its name,
the name stem in unit names, title and issuer; supporting units are added up to ~40 per jurisdiction).
Everything after that — cycles, reports, target values, evidence metadata, activities, tracking events — is
written in bulk with historical timestamps (COPY on PostgreSQL, bulk_create in batches elsewhere), year by
year: the province (142k reports, 437k events) builds in about 75 s on PostgreSQL with 2 cores, most of it
the 114 plan imports. Nothing here is used by the site itself.

The build runs in one transaction and refuses to run twice (the province already exists). All evidence rows
point to a few tiny real files under MEDIA_ROOT/evidence/demo/ so that downloads work; reports a reporter could
still change (not approved) get their own copy, since deleting evidence deletes its file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import random
import re
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from struct import pack

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from kesu.demo.accounts import DEMO_PASSWORD, DemoAccount
from kesu.domain.jurisdiction_names import level_from_name
from kesu.domain.refusals import Refused
from kesu.domain.reporting_periods import Period, PeriodType
from kesu.domain.rollup_rules import Kind, kind_of
from kesu.domain.unit_names import clean_name, jurisdiction_stems, unit_key
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.plans.actions import do_ensure_jurisdiction, do_import_plan, do_set_plan_status
from kesu.plans.importing import DocumentError, parse_path
from kesu.plans.models import Plan, Responsibility, Target, Task
from kesu.tracking.models import Activity, Evidence, Report, ReportingCycle, TargetValue, TrackingEvent

__all__ = ["SMALL", "DemoDataExists", "Summary", "build_history", "build_province"]

PROVINCE_NAME = "示范省"
PROVINCE_LOGIN = "shifan"
SMALL = {"cities": 2, "counties": 4, "years": 1}
BATCH = 2000
DEADLINE_DAYS = 10  # a quarter's report is due on the 10th of the following month
EVIDENCE_DIR = "evidence/demo"

# Invented place names: a first and a second character (with pinyin for the login names).
_FIRST = {
    "安": "an", "宝": "bao", "长": "chang", "丹": "dan", "德": "de", "东": "dong", "丰": "feng", "福": "fu",
    "广": "guang", "海": "hai", "和": "he", "华": "hua", "怀": "huai", "嘉": "jia", "建": "jian", "江": "jiang",
    "金": "jin", "景": "jing", "康": "kang", "乐": "le", "龙": "long", "罗": "luo", "梅": "mei", "明": "ming",
    "南": "nan", "宁": "ning", "平": "ping", "庆": "qing", "青": "qing", "清": "qing", "仁": "ren", "瑞": "rui",
    "寿": "shou", "顺": "shun", "松": "song", "泰": "tai", "天": "tian", "通": "tong", "万": "wan", "文": "wen",
    "武": "wu", "西": "xi", "祥": "xiang", "新": "xin", "兴": "xing", "秀": "xiu", "宜": "yi", "永": "yong",
    "玉": "yu", "元": "yuan", "云": "yun", "泽": "ze", "昭": "zhao", "中": "zhong",
}
_SECOND = {
    "安": "an", "昌": "chang", "城": "cheng", "川": "chuan", "丰": "feng", "峰": "feng", "阜": "fu", "谷": "gu",
    "河": "he", "湖": "hu", "江": "jiang", "津": "jin", "康": "kang", "乐": "le", "林": "lin", "陵": "ling",
    "宁": "ning", "平": "ping", "浦": "pu", "泉": "quan", "山": "shan", "水": "shui", "台": "tai", "田": "tian",
    "溪": "xi", "阳": "yang", "源": "yuan", "远": "yuan", "岳": "yue", "州": "zhou",
}
# Departments a county or city leading group often has besides those the plan names (padding to ~40 units).
EXTRA_DEPARTMENTS = [
    "统计局", "审计局", "司法局", "水利局", "自然资源局", "生态环境局", "气象局", "医保局", "退役军人事务局",
    "市场监管局", "住建局", "交通运输局", "商务局", "融媒体中心", "图书馆", "档案馆", "供销社", "残联", "工商联",
    "税务局", "消防救援大队", "公安局", "林业局", "粮食和物资储备局", "信访局", "机关事务服务中心",
    "行政审批服务局", "疾病预防控制中心", "人民医院", "中医院", "职业中学", "第一中学", "实验小学",
    "农业技术推广中心", "畜牧兽医服务中心", "地震局", "科技馆", "老干部局", "关工委", "红十字会", "计生协",
    "邮政分公司", "电信分公司", "移动分公司", "广播电视台", "民宗局", "城市管理局", "应急管理局", "能源局",
]
RETURN_REASONS = [
    "佐证材料不完整，请补充活动照片和签到表。",
    "目标值与上期相比下降，请核实后重新填报。",
    "工作进展描述过于简略，请补充具体数据（场次、人次）。",
    "请说明滞后原因和下一步措施。",
]
SUMMARIES = [
    "{q}，{u}围绕“{t}”组织开展专题活动{n}场，覆盖群众约{m}人次。",
    "{q}，{u}按照分工推进“{t}”，召开工作推进会{k}次，开展宣传活动{n}场，参与{m}人次。",
    "{q}，{u}制定“{t}”年度工作要点，完成培训{n}期、受益{m}人次，工作按计划推进。",
    "{q}，{u}联合配合单位落实“{t}”，开展进社区、进学校、进农村活动{n}场，惠及{m}人次。",
]
ACTIVITY_TITLES = {
    Activity.Kind.LECTURE: "科普大讲堂：{topic}",
    Activity.Kind.TRAINING: "{topic}专题培训班",
    Activity.Kind.EXHIBITION: "{topic}科普展览",
    Activity.Kind.CONTEST: "青少年{topic}知识竞赛",
    Activity.Kind.SCIENCE_DAY: "全国科普日主场活动：{topic}",
    Activity.Kind.SCIENCE_WEEK: "科技活动周：{topic}",
    Activity.Kind.VOLUNTEER: "科技志愿服务进乡村：{topic}",
}
TOPICS = ["防灾减灾", "健康生活", "人工智能", "节约用水", "食品安全", "乡村振兴新技术", "碳达峰碳中和", "应急救护",
          "反电诈", "科学用药", "航天科技", "智慧农业"]
PLACES = ["文化广场", "科技馆", "县职业中学", "新时代文明实践中心", "农业产业园", "社区活动中心", "第一中学"]


class DemoDataExists(Refused):
    """The province is already there: the demo data was built before (in this database)."""


@dataclass
class Summary:
    province: str
    jurisdictions: int = 0
    plans: int = 0
    units: int = 0
    cycles: int = 0
    reports: int = 0
    report_states: Counter = field(default_factory=Counter)
    target_values: int = 0
    evidence: int = 0
    activities: int = 0
    events: int = 0
    accounts: list[DemoAccount] = field(default_factory=list)
    seconds: float = 0.0
    province_id: int | None = None

    def lines(self) -> list[str]:
        states = "，".join(f"{k} {v}" for k, v in sorted(self.report_states.items()))
        return [
            f"行政区划 {self.jurisdictions}，方案 {self.plans}，成员单位 {self.units}",
            f"填报周期 {self.cycles}，报告 {self.reports}（{states}）",
            f"目标填报值 {self.target_values}，佐证材料 {self.evidence}，活动 {self.activities}，跟踪记录 {self.events}",
            f"账号 {len(self.accounts)}，用时 {self.seconds:.1f} 秒",
        ]


# ---------------------------------------------------------------------------- names


def _invent_names(rng: random.Random, count: int, suffixes: list[str], taken: set[str]) -> list[tuple[str, str]]:
    """`count` new (name, pinyin) pairs such as (云阳市, yunyang), none of them in `taken`."""
    firsts, seconds = list(_FIRST), list(_SECOND)
    names: list[tuple[str, str]] = []
    attempts = 0
    while len(names) < count:
        attempts += 1
        if attempts > 100_000:
            raise RuntimeError("无法生成足够多的不重复地名")
        a, b = rng.choice(firsts), rng.choice(seconds)
        suffix = rng.choice(suffixes)
        stem = a + b
        if a == b or (b == "州" and suffix != "市") or stem in taken:
            continue
        taken.add(stem)
        taken.add(stem + suffix)
        names.append((stem + suffix, _FIRST[a] + _SECOND[b]))
    return names


_YEAR_IN_TEXT = re.compile(r"(?<![\d.])(20\d\d)(?=\s*[年—–\-－])")


def _shift_years(data: dict, shift: int) -> dict:
    """The plan moved `shift` years later: its period, target and phase years, and years written in its text."""
    if not shift:
        return data
    first, last = data["period"]["start"] - 2, data["period"]["end"] + 1

    def moved(match: re.Match) -> str:
        year = int(match.group(1))
        return str(year + shift) if first <= year <= last else match.group(1)

    data = json.loads(_YEAR_IN_TEXT.sub(moved, json.dumps(data, ensure_ascii=False)))

    def move(entry: dict | None, *keys: str) -> None:
        for key in keys:
            if entry and isinstance(entry.get(key), int):
                entry[key] += shift

    move(data["period"], "start", "end")
    for entry in (data.get("headline") or {}).values():
        move(entry, "year")
    targets = [t for s in data.get("sections") or [] for task in s.get("tasks") or [] for t in task.get("targets") or []]
    for target in targets:
        move(target, "year")
    for phase in data.get("phases") or []:
        move(phase, "start", "end")
    return data


def _rewrite(parsed: dict, old_name: str, new_name: str, *, ends_in: int | None = None) -> dict:
    """The seed's parse as if it were written by `new_name`: its name and name stem replaced everywhere; with
    `ends_in`, its years moved so that its period ends in that year (a plan current on today's clock)."""
    if ends_in is not None and (parsed.get("period") or {}).get("end"):
        parsed = _shift_years(parsed, ends_in - parsed["period"]["end"])
    text = json.dumps(parsed, ensure_ascii=False)
    old_stems, new_stems = jurisdiction_stems(old_name), jurisdiction_stems(new_name)
    text = text.replace(old_name, new_name)
    if len(old_stems) > 1 and len(new_stems) > 1:
        text = text.replace(old_stems[1], new_stems[1])
    data = json.loads(text)
    data["jurisdiction"] = {"name": new_name, "level": level_from_name(new_name)}
    return data


def _written_names(parsed: dict) -> Iterator[str]:
    for section in parsed.get("sections") or []:
        yield from section.get("lead") or []
        yield from section.get("support") or []
        for task in section.get("tasks") or []:
            yield from task.get("lead") or []
            yield from task.get("support") or []


def _pad_units(parsed: dict, jurisdiction_name: str, wanted: int, rng: random.Random) -> int:
    """Add supporting units to measures until the plan names `wanted` distinct units; returns how many it names."""
    keys = {unit_key(clean_name(n), jurisdiction_name) for n in _written_names(parsed) if n.strip()}
    prefix = "县" if level_from_name(jurisdiction_name) == "county" else "市"
    tasks = [t for s in parsed.get("sections") or [] for t in s.get("tasks") or []]
    extras = EXTRA_DEPARTMENTS[:]
    rng.shuffle(extras)
    for department in extras:
        if len(keys) >= wanted or not tasks:
            break
        name = prefix + department
        key = unit_key(name, jurisdiction_name)
        if any(k.startswith(key[:2]) for k in keys):  # 应急管理局 when the plan has 应急局, 交通运输局 / 交通局 …
            continue
        keys.add(key)
        for task in rng.sample(tasks, k=min(len(tasks), rng.randint(1, 3))):
            task.setdefault("support", []).append(name)
    return len(keys)


# ---------------------------------------------------------------------------- placeholder evidence files


def _tiny_pdf() -> bytes:
    content = b"BT /F1 18 Tf 72 720 Td (Kesu demo evidence) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _tiny_png(width: int = 16, height: int = 12) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return pack(">I", len(data)) + kind + data + pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in (40 + x * 10, 120, 200 - y * 8)) for y in range(height)
    )
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _tiny_jpeg() -> bytes | None:
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with reportlab
        return None
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (70, 130, 180)).save(buffer, format="JPEG", quality=60)
    return buffer.getvalue()


@dataclass
class _EvidenceFile:
    name: str  # storage name
    suffix: str
    content_type: str
    size: int
    data: bytes


def _evidence_files() -> list[_EvidenceFile]:
    """The placeholder files (photo, PDF summary), written once under MEDIA_ROOT if missing."""
    jpeg = _tiny_jpeg()
    kinds = [(".pdf", "application/pdf", _tiny_pdf())]
    kinds.append((".jpg", "image/jpeg", jpeg) if jpeg else (".png", "image/png", _tiny_png()))
    files = []
    for suffix, content_type, data in kinds:
        name = f"{EVIDENCE_DIR}/kesu-demo{suffix}"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(data))
        files.append(_EvidenceFile(name, suffix, content_type, len(data), data))
    return files


# ---------------------------------------------------------------------------- timestamps


@contextmanager
def _given_timestamps() -> Iterator[None]:
    """Let bulk_create keep the historical times we set on auto_now/auto_now_add fields (restored after)."""
    fields = [
        ReportingCycle._meta.get_field("opened_at"), Report._meta.get_field("updated_at"),
        Activity._meta.get_field("created_at"), Evidence._meta.get_field("uploaded_at"),
        TrackingEvent._meta.get_field("at"),
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _at(day: dt.date, rng: random.Random, tz: dt.tzinfo, start_hour: int = 8, end_hour: int = 19) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(start_hour, end_hour - 1), rng.randint(0, 59)), tzinfo=tz)


# ---------------------------------------------------------------------------- writing many rows

REPORT_COLUMNS = [
    "cycle_id", "task_id", "unit_id", "progress", "summary", "state", "return_reason", "first_submitted_at",
    "submitted_at", "reviewed_at", "reviewed_by_id", "updated_at", "version", "next_reminder_at",
]
VALUE_COLUMNS = ["report_id", "target_id", "value"]
EVIDENCE_COLUMNS = [
    "report_id", "activity_id", "unit_id", "file", "original_name", "content_type", "size", "is_public",
    "uploaded_by_id", "uploaded_at",
]
ACTIVITY_COLUMNS = [
    "plan_id", "task_id", "unit_id", "kind", "title", "held_on", "place", "participants", "description",
    "reported_by_id", "created_at",
]
EVENT_COLUMNS = ["plan_id", "report_id", "actor_id", "at", "kind", "subject", "field", "old", "new"]


def _write(model: type[Model], columns: list[str], rows: list[tuple], *, ids: bool = False) -> list[int]:
    """Insert rows (tuples in `columns` order, attnames); with ids=True return their new primary keys in order.

    On PostgreSQL, when the rows give every column, this is a COPY with keys drawn from the table's sequence
    (several times faster than bulk_create at this size); otherwise bulk_create in batches.
    """
    if not rows:
        return []
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if connection.vendor == "postgresql" and {f.attname for f in fields} == set(columns):
        table = model._meta.db_table
        column_of = {f.attname: f.column for f in fields}
        names = [column_of[c] for c in columns]
        keys: list[int] = []
        with connection.cursor() as cursor:
            if ids:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, model._meta.pk.column, len(rows)],
                )
                keys = [row[0] for row in cursor.fetchall()]
                names = [model._meta.pk.column, *names]
            quoted = ", ".join(connection.ops.quote_name(n) for n in names)
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                if ids:
                    for key, row in zip(keys, rows, strict=True):
                        copy.write_row((key, *row))
                else:
                    for row in rows:
                        copy.write_row(row)
        return keys
    objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
    model.objects.bulk_create(objects, batch_size=BATCH)
    return [o.pk for o in objects]


# ---------------------------------------------------------------------------- the build


@dataclass
class _PlanInfo:
    plan: Plan
    jurisdiction: Jurisdiction
    admin_id: int | None
    reporters: dict[int, int]  # unit id -> user id
    leads: list[tuple[int, int]] = field(default_factory=list)  # (task id, unit id)


@dataclass
class _Course:
    """One lead unit's course on one measure: when it starts, whether it completes, whether it falls behind."""

    start: float
    complete: float
    behind_from: float
    behind_to: float
    punctual: float


class _Builder:
    def __init__(self, seed_dir: Path, *, cities: int, counties: int, units_per_county: int, years: int,
                 rng_seed: int, province_name: str, province_login: str, last_year: int | None,
                 log: Callable[[str], None]) -> None:
        self.seed_dir = seed_dir
        self.n_cities, self.n_counties, self.units_wanted, self.years = cities, counties, units_per_county, years
        self.rng = random.Random(rng_seed)
        self.province_name, self.province_login = province_name, province_login
        self.last_year = last_year
        self.log = log
        self.tz = timezone.get_default_timezone()
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.summary = Summary(province_name)
        self.users: dict[str, int] = {}
        self.password = make_password(DEMO_PASSWORD)

    # -- seeds and jurisdictions

    def read_seeds(self) -> tuple[list[tuple[Path, dict]], list[tuple[Path, dict]]]:
        paths = sorted(p for p in self.seed_dir.iterdir() if p.suffix.lower() in {".txt", ".docx", ".pdf"})
        city_seeds, county_seeds = [], []
        for path in paths:
            try:
                parsed, _ = parse_path(path)
            except DocumentError as error:
                self.log(f"  跳过 {path.name}：{error}")
                continue
            if not (parsed.get("period") or {}).get("start") or not parsed.get("sections"):
                self.log(f"  跳过 {path.name}：未识别到实施期或章节")
                continue
            name = parsed["jurisdiction"]["name"]
            level = parsed["jurisdiction"].get("level") or level_from_name(name)
            (county_seeds if level == "county" else city_seeds).append((path, parsed))
        if not city_seeds and not county_seeds:
            raise DocumentError(f"{self.seed_dir} 中没有可用的示例方案")
        return city_seeds or county_seeds, county_seeds or city_seeds

    def jurisdictions(self) -> tuple[Jurisdiction, list[tuple[Jurisdiction, str]], list[tuple[Jurisdiction, str]]]:
        if Jurisdiction.objects.filter(name=self.province_name).exists():
            raise DemoDataExists(
                f"“{self.province_name}”已存在：演示数据已在这个数据库中建立过，不会重复建立。"
                "如需重建，请换一个空数据库（DATABASE_URL），或先删除该数据库后重新迁移。"
            )
        taken = set(Jurisdiction.objects.values_list("name", flat=True))
        for name in taken.copy():
            taken.update(jurisdiction_stems(name))
        province = do_ensure_jurisdiction(self.province_name, Jurisdiction.Level.PROVINCE)
        city_names = _invent_names(self.rng, self.n_cities, ["市"], taken)
        county_names = _invent_names(self.rng, self.n_counties, ["县", "县", "县", "县", "区"], taken)
        cities = [(do_ensure_jurisdiction(name, Jurisdiction.Level.CITY, province), login) for name, login in city_names]
        sizes = [self.n_counties // self.n_cities + (i < self.n_counties % self.n_cities) for i in range(self.n_cities)]
        for _ in range(self.n_cities * 2):  # some cities have more counties than others
            a, b = self.rng.randrange(self.n_cities), self.rng.randrange(self.n_cities)
            if sizes[a] > 2:
                sizes[a] -= 1
                sizes[b] += 1
        parents = [city for city, size in zip(cities, sizes, strict=True) for _ in range(size)]
        counties = [
            (do_ensure_jurisdiction(name, Jurisdiction.Level.COUNTY, parent[0]), login)
            for (name, login), parent in zip(county_names, parents, strict=True)
        ]
        self.summary.jurisdictions = 1 + len(cities) + len(counties)
        self.summary.province_id = province.pk
        return province, cities, counties

    # -- plans

    def import_plan(self, jurisdiction: Jurisdiction, seed: tuple[Path, dict]) -> Plan:
        path, parsed = seed
        # The demo province's plans run over the current years (they end next year), so a cycle is open today.
        data = _rewrite(parsed, parsed["jurisdiction"]["name"], jurisdiction.name, ends_in=self.today.year + 1)
        _pad_units(data, jurisdiction.name, self.units_wanted, self.rng)
        sha = hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
        outcome = do_import_plan(data, jurisdiction=jurisdiction, source_name=f"{jurisdiction.name}（示范数据，据{path.name}）",
                                 source_sha256=sha, actor=None, confirm=True)
        do_set_plan_status(outcome.plan, None, Plan.Status.PUBLISHED)
        return outcome.plan

    # -- accounts

    def _login(self, wanted: str) -> str:
        name, n = wanted, 1
        while name in self.users or name in self.existing_logins:
            n += 1
            name = f"{wanted}{n}"
        self.users[name] = 0
        return name

    def accounts(self, province: Jurisdiction, cities, counties, plans: dict[int, _PlanInfo]) -> None:
        User = get_user_model()
        self.existing_logins = set(User.objects.values_list("username", flat=True))
        wanted: list[tuple[str, Jurisdiction, str, int | None]] = []
        wanted.append((self._login(self.province_login), province, Membership.Role.OFFICE_ADMIN, None))
        wanted.append((self._login(f"{self.province_login}-leader"), province, Membership.Role.VIEWER, None))
        for city, login in cities:
            wanted.append((self._login(login), city, Membership.Role.OFFICE_ADMIN, None))
            wanted.append((self._login(f"{login}-leader"), city, Membership.Role.VIEWER, None))
        for county, login in counties:
            wanted.append((self._login(login), county, Membership.Role.OFFICE_ADMIN, None))
        # Unit reporters for a few counties and the first city: the units leading the most measures.
        by_jurisdiction = {info.jurisdiction.pk: info for info in plans.values()}
        for jurisdiction, login in [*counties[:3], *cities[:1]]:
            info = by_jurisdiction[jurisdiction.pk]
            busiest = Counter(unit for _, unit in info.leads).most_common(3)
            for i, (unit_id, _) in enumerate(busiest, start=1):
                wanted.append((self._login(f"{login}-r{i}"), jurisdiction, Membership.Role.UNIT_REPORTER, unit_id))
        User.objects.bulk_create([User(username=w[0], password=self.password) for w in wanted], batch_size=BATCH)
        ids = dict(User.objects.filter(username__in=[w[0] for w in wanted]).values_list("username", "pk"))
        Membership.objects.bulk_create(
            [Membership(user_id=ids[u], jurisdiction=j, role=role, unit_id=unit) for u, j, role, unit in wanted],
            batch_size=BATCH,
        )
        units = MemberUnit.objects.in_bulk([w[3] for w in wanted if w[3]])
        for username, jurisdiction, role, unit_id in wanted:
            self.users[username] = ids[username]
            info = by_jurisdiction.get(jurisdiction.pk)
            if info is None:
                continue
            if role == Membership.Role.OFFICE_ADMIN:
                info.admin_id = ids[username]
            elif role == Membership.Role.UNIT_REPORTER:
                info.reporters[unit_id] = ids[username]
        for username, jurisdiction, role, unit_id in wanted:
            label = Membership.Role(role).label + (f"（{units[unit_id].name}）" if unit_id else "")
            self.summary.accounts.append(DemoAccount(username, jurisdiction.name, label))

    # -- tracking

    def periods(self, plan: Plan) -> list[Period]:
        """The plan's quarters of its last `years` years up to this quarter (open now); for a plan that has ended,
        its final annual report (终期总结), open now, since a cycle after the plan's years would be refused."""
        today = self.today
        last = self.last_year or min(plan.period_end, today.year)
        first = max(last - self.years + 1, plan.period_start)
        periods = [
            Period(PeriodType.QUARTER, year, q)
            for year in range(first, last + 1) for q in range(1, 5)
            if Period(PeriodType.QUARTER, year, q).starts_on <= today
        ]
        if plan.period_end < today.year:
            periods.append(Period(PeriodType.YEAR, plan.period_end, 1))
        return periods

    def schedule(self, period: Period) -> tuple[dt.date, dt.date]:
        """When the office opened the cycle and its deadline: the usual ten days after the period, or for a final
        report opened after its period, a few weeks from the day it was opened. Always opened before today."""
        rng, today = self.rng, self.today
        opened = period.ends_on - dt.timedelta(days=rng.randint(5, 12))
        deadline = period.ends_on + dt.timedelta(days=DEADLINE_DAYS)
        if period.type == PeriodType.YEAR and deadline < today:
            opened = today - dt.timedelta(days=rng.randint(7, 14))
            deadline = today + dt.timedelta(days=rng.randint(14, 21))
        return min(opened, today - dt.timedelta(days=3)), deadline

    def age(self, cycle: ReportingCycle, period: Period) -> int:
        """0 for a cycle still open, else 1 + how many quarters ago its period ended (older: nearly all approved)."""
        if cycle.deadline >= self.today:
            return 0
        return 1 + max(0, (self.today - period.ends_on).days) // 91

    def course(self, unit: int, punctual_by_unit: dict[int, float]) -> _Course:
        rng = self.rng
        if unit not in punctual_by_unit:
            punctual_by_unit[unit] = rng.choice([0.97, 0.93, 0.9, 0.85, 0.75, 0.6])
        behind_from = rng.uniform(0.2, 0.8) if rng.random() < 0.25 else 2.0
        return _Course(
            start=rng.uniform(-0.1, 0.25), complete=rng.uniform(0.55, 1.4), behind_from=behind_from,
            behind_to=behind_from + rng.uniform(0.1, 0.3), punctual=punctual_by_unit[unit],
        )

    @staticmethod
    def progress_at(course: _Course, t: float) -> str:
        if t < course.start:
            return Report.Progress.NOT_STARTED
        if t >= course.complete:
            return Report.Progress.COMPLETED
        if course.behind_from <= t < course.behind_to:
            return Report.Progress.BEHIND
        return Report.Progress.IN_PROGRESS

    def state_for(self, age: int) -> str:
        """Open cycles (age 0) part filled, part reviewed; closed ones mostly approved, the older the more."""
        weights = {0: (20, 30, 10, 40), 1: (85, 7, 3, 5), 2: (96, 2, 1, 1)}.get(age, (998, 0, 0, 2))
        return self.rng.choices(["approved", "submitted", "returned", "draft"], weights=weights)[0]

    def value_of(self, target: dict, t: float, quarter: int) -> float:
        goal = target["value"] or 1.0
        rng = self.rng
        if target["annual"]:
            value = goal * quarter / 4 * rng.uniform(0.75, 1.25)
        else:
            base = target["baseline"]
            value = base + (goal - base) * max(0.0, min(1.15, t * rng.uniform(0.85, 1.15)))
        if target["unit"] == "%":
            return round(min(value, 100.0), 1)
        if kind_of(target["indicator"], target["unit"]) is Kind.COUNT:  # 9 bases, never 9.2
            return float(round(value))
        return round(value, 1)

    @staticmethod
    def load_leads(plans: dict[int, _PlanInfo]) -> None:
        """The (measure, lead unit) pairs of each plan: one report each per cycle, as do_open_cycle makes them."""
        for plan_id, task_id, unit_id in (
            Responsibility.objects.filter(section__plan_id__in=list(plans), task__isnull=False, role=Responsibility.Role.LEAD)
            .exclude(unit__stands_for_all=True).values_list("section__plan_id", "task_id", "unit_id")
            .distinct().order_by("section__plan_id", "task_id", "unit_id")
        ):
            plans[plan_id].leads.append((task_id, unit_id))

    def build_tracking(self, plans: dict[int, _PlanInfo]) -> None:
        rng, tz = self.rng, self.tz
        plan_ids = list(plans)
        task_titles = dict(Task.objects.filter(section__plan_id__in=plan_ids).values_list("pk", "title"))
        unit_names = dict(MemberUnit.objects.filter(jurisdiction__plans__in=plan_ids).values_list("pk", "name"))
        targets: dict[int, list[dict]] = defaultdict(list)
        for pk, task_id, value, unit, annual, indicator in Target.objects.filter(task__section__plan_id__in=plan_ids).values_list(
            "pk", "task_id", "value", "unit", "annual", "indicator"
        ):
            baseline = 0.0 if unit != "%" and value >= 10 else value * rng.uniform(0.4, 0.7)
            targets[task_id].append({"pk": pk, "value": value, "unit": unit, "annual": annual, "baseline": baseline,
                                     "indicator": indicator})
        files = _evidence_files()
        courses: dict[tuple[int, int], _Course] = {}
        punctual: dict[int, float] = {}

        # Cycles are created in chronological order, so that a later cycle of a plan has a larger id.
        schedule = {pid: self.periods(info.plan) for pid, info in plans.items()}
        all_periods = sorted({p for periods in schedule.values() for p in periods},
                             key=lambda p: (p.ends_on, p.type == PeriodType.YEAR))
        by_year: dict[int, list[Period]] = defaultdict(list)
        for p in all_periods:
            by_year[p.year].append(p)
        for year, periods in sorted(by_year.items()):
            started = time.monotonic()
            cycles: list[tuple[ReportingCycle, Period, _PlanInfo]] = []
            events: list[tuple] = []
            for period in periods:
                for pid, info in plans.items():
                    if period not in schedule[pid]:
                        continue
                    opened, deadline = self.schedule(period)
                    cycle = ReportingCycle(
                        plan_id=pid, period_type=period.type.value, year=period.year, number=period.number,
                        deadline=deadline, lock_days=7, remind_days=3, opened_by_id=info.admin_id,
                        opened_at=_at(opened, rng, tz),
                    )
                    cycle.locks_at = cycle.compute_locks_at()
                    cycles.append((cycle, period, info))
                    events.append((pid, None, info.admin_id, cycle.opened_at, "cycle_opened", period.label, "", "",
                                   f"截止 {deadline:%Y-%m-%d}，{len(info.leads)} 份报告"))
            ReportingCycle.objects.bulk_create([c for c, _, _ in cycles], batch_size=BATCH)
            self.summary.cycles += len(cycles)

            reports: list[dict] = []
            for cycle, period, info in cycles:
                plan = info.plan
                span = max(1, (dt.date(plan.period_end, 12, 31) - dt.date(plan.period_start, 1, 1)).days)
                t = (period.ends_on - dt.date(plan.period_start, 1, 1)).days / span
                age = self.age(cycle, period)
                for task_id, unit_id in info.leads:
                    course = courses.get((task_id, unit_id))
                    if course is None:
                        course = courses[(task_id, unit_id)] = self.course(unit_id, punctual)
                    reports.append(self.report(cycle, period, info, task_id, unit_id, course, t, age,
                                               unit_names[unit_id], task_titles[task_id]))
            ids = _write(Report, REPORT_COLUMNS, [tuple(r[c] for c in REPORT_COLUMNS) for r in reports], ids=True)
            self.summary.reports += len(reports)

            values: list[tuple] = []
            evidence: list[tuple] = []
            for report_id, r in zip(ids, reports, strict=True):
                self.summary.report_states[r["state"]] += 1
                plan_id, subject = r["plan_id"], r["subject"]
                for kind, at, actor, new in r["events"]:
                    events.append((plan_id, report_id, actor, at, kind, subject, "", "", new))
                if r["with_values"]:
                    for target in targets.get(r["task_id"], []):
                        values.append((report_id, target["pk"], self.value_of(target, r["t"], r["quarter"])))
                for i in range(r["evidence"]):
                    placeholder = files[0] if i == 0 and rng.random() < 0.5 else files[-1]
                    label = "工作总结" if placeholder.suffix == ".pdf" else f"活动照片{i + 1}"
                    name = placeholder.name
                    if r["state"] != "approved":  # a reporter may still delete it, and deleting removes the file
                        name = default_storage.save(f"{EVIDENCE_DIR}/r{report_id}-{i}{placeholder.suffix}",
                                                    ContentFile(placeholder.data))
                    original = f"{r['label']}{r['unit_name']}{label}{placeholder.suffix}"
                    at = r["evidence_at"] - dt.timedelta(minutes=rng.randint(5, 600))
                    evidence.append((report_id, None, r["unit_id"], name, original, placeholder.content_type,
                                     placeholder.size, rng.random() < 0.2, r["reporter"], at))
                    events.append((plan_id, report_id, r["reporter"], at, "evidence_added", subject, "", "", original))
            _write(TargetValue, VALUE_COLUMNS, values)
            self.summary.target_values += len(values)

            activities = self.activities(year, plans, task_titles, unit_names)
            activity_ids = _write(Activity, ACTIVITY_COLUMNS, [a[:-1] for a in activities], ids=True)
            photo = files[-1]
            for activity_id, a in zip(activity_ids, activities, strict=True):
                row = dict(zip(ACTIVITY_COLUMNS, a, strict=False))
                events.append((row["plan_id"], None, row["reported_by_id"], row["created_at"], "activity_recorded",
                               f"{unit_names[row['unit_id']]}：{row['title']}"[:300], "", "", ""))
                if a[-1]:
                    evidence.append((None, activity_id, row["unit_id"], photo.name, f"{row['title']}{photo.suffix}",
                                     photo.content_type, photo.size, True, row["reported_by_id"], row["created_at"]))
            _write(Evidence, EVIDENCE_COLUMNS, evidence)
            _write(TrackingEvent, EVENT_COLUMNS, events)
            self.summary.activities += len(activities)
            self.summary.evidence += len(evidence)
            self.summary.events += len(events)
            self.log(f"  {year}年：{len(cycles)} 个周期，{len(reports)} 份报告，{len(values)} 个目标值，"
                     f"{len(evidence)} 份佐证，{len(events)} 条记录（{time.monotonic() - started:.1f} 秒）")

    def report(self, cycle: ReportingCycle, period: Period, info: _PlanInfo, task_id: int, unit_id: int,
               course: _Course, t: float, age: int, unit: str, title: str) -> dict:
        """One report's row (REPORT_COLUMNS) and its story: events, evidence count, whether it has values."""
        rng, tz, now = self.rng, self.tz, self.now
        reporter, admin = info.reporters.get(unit_id), info.admin_id
        state = self.state_for(age)
        progress = self.progress_at(course, t)
        r = {
            "cycle_id": cycle.pk, "task_id": task_id, "unit_id": unit_id, "progress": progress, "summary": "",
            "state": state, "return_reason": "", "first_submitted_at": None, "submitted_at": None,
            "reviewed_at": None, "reviewed_by_id": None, "version": 1, "next_reminder_at": None,
        }
        events: list[tuple[str, dt.datetime, int | None, str]] = []
        # When it was (first) submitted: in a cycle still open, since it opened; else most units on time,
        # the unpunctual ones late.
        if age == 0:
            first = cycle.opened_at + (now - cycle.opened_at) * rng.uniform(0.05, 0.8)
        elif rng.random() < course.punctual:
            first = _at(period.ends_on + dt.timedelta(days=rng.randint(0, DEADLINE_DAYS)), rng, tz)
        else:
            first = _at(cycle.deadline + dt.timedelta(days=rng.randint(1, 25)), rng, tz)
        if state != "draft" and first >= now:
            state = "draft"
        touched = first
        if state == "draft":
            started = rng.random() < 0.5
            r["summary"] = self.summary_text(period, unit, title) if started else ""
            r["progress"] = progress if started else Report.Progress.NOT_STARTED
            touched = min(_at(cycle.opened_at.date() + dt.timedelta(days=rng.randint(1, 15)), rng, tz), now)
            if started:
                events.append(("report_saved", touched, reporter, ""))
                r["version"] += 1
        else:
            r["summary"] = self.summary_text(period, unit, title)
            r["first_submitted_at"] = r["submitted_at"] = first
            events.append(("report_submitted", first, reporter, ""))
            r["version"] += 1
            if state in ("approved", "returned"):
                reviewed = first + (dt.timedelta(hours=rng.randint(4, 24 * 6)) if age else (now - first) * rng.uniform(0.1, 1.1))
                if state == "approved" and rng.random() < 0.05:  # returned once, then resubmitted (all before now)
                    resubmitted = reviewed + dt.timedelta(hours=rng.randint(3, 72))
                    again = resubmitted + dt.timedelta(hours=rng.randint(4, 24 * 4))
                    if again < now:
                        events.append(("report_returned", reviewed, admin, rng.choice(RETURN_REASONS)))
                        events.append(("report_submitted", resubmitted, reporter, ""))
                        r["submitted_at"], reviewed = resubmitted, again
                        r["version"] += 2
                if reviewed >= now:  # not reviewed yet
                    state = "submitted"
                else:
                    r["reviewed_at"], r["reviewed_by_id"] = reviewed, admin
                    touched = reviewed
                    if state == "returned":
                        r["return_reason"] = rng.choice(RETURN_REASONS)
                        events.append(("report_returned", reviewed, admin, r["return_reason"]))
                    else:
                        events.append(("report_approved", reviewed, admin, ""))
                    r["version"] += 1
        r["state"], r["updated_at"] = state, touched
        if state in ("draft", "returned") and cycle.locks_at > now:
            r["next_reminder_at"] = max(cycle.due_at - dt.timedelta(days=cycle.remind_days), now)
        n_evidence = 0
        if state != "draft" or rng.random() < 0.3:
            n_evidence = rng.choices([0, 1, 2, 3], weights=[30, 45, 20, 5])[0]
        r.update({
            "events": events, "t": t, "quarter": period.number * period.months // 3, "reporter": reporter, "evidence": n_evidence,
            "evidence_at": r["first_submitted_at"] or touched, "with_values": state != "draft" or bool(r["summary"]),
            "subject": f"{period.label} · {unit} · {title}"[:300], "plan_id": info.plan.pk, "label": period.label,
            "unit_name": unit,
        })
        return r

    def summary_text(self, period: Period, unit: str, title: str) -> str:
        rng = self.rng
        short = title if len(title) <= 24 else title[:24] + "…"
        return rng.choice(SUMMARIES).format(q=period.label, u=unit, t=short, n=rng.randint(2, 30),
                                            m=rng.randint(3, 400) * 10, k=rng.randint(1, 4))

    def activities(self, year: int, plans: dict[int, _PlanInfo], task_titles: dict, unit_names: dict) -> list[tuple]:
        """Rows (ACTIVITY_COLUMNS + whether it has a photo) of the activities units recorded in `year`."""
        rng, tz = self.rng, self.tz
        today = timezone.localdate(self.now)
        rows: list[tuple] = []
        for info in plans.values():
            if not info.leads or not (info.plan.period_start <= year <= info.plan.period_end):
                continue
            lead_units = sorted({u for _, u in info.leads})
            for _ in range(rng.randint(3, 8)):
                kind = rng.choice(list(ACTIVITY_TITLES))
                month = {Activity.Kind.SCIENCE_DAY: 9, Activity.Kind.SCIENCE_WEEK: 5}.get(kind, rng.randint(1, 12))
                held = dt.date(year, month, rng.randint(1, 28))
                if held > today:
                    continue
                unit_id = rng.choice(lead_units)
                task_id = rng.choice([t for t, u in info.leads if u == unit_id])
                title = ACTIVITY_TITLES[kind].format(topic=rng.choice(TOPICS))
                created = min(_at(held + dt.timedelta(days=rng.randint(0, 5)), rng, tz), self.now)
                row = {
                    "plan_id": info.plan.pk, "task_id": task_id, "unit_id": unit_id, "kind": kind.value, "title": title,
                    "held_on": held, "place": f"{info.jurisdiction.name}{rng.choice(PLACES)}",
                    "participants": rng.randint(3, 200) * 10,
                    "description": f"{unit_names[unit_id]}围绕“{task_titles[task_id][:30]}”开展，现场发放科普资料，群众反响良好。",
                    "reported_by_id": info.reporters.get(unit_id), "created_at": created,
                }
                rows.append((*(row[c] for c in ACTIVITY_COLUMNS), rng.random() < 0.7))
        return rows

    # -- all of it

    def run(self) -> Summary:
        started = time.monotonic()
        city_seeds, county_seeds = self.read_seeds()
        self.log(f"示例方案：市级 {len(city_seeds)} 份，县级 {len(county_seeds)} 份")
        with transaction.atomic(), _given_timestamps():
            province, cities, counties = self.jurisdictions()
            self.log(f"行政区划：{province.name}，{len(cities)} 个市，{len(counties)} 个县（区）")
            plans: dict[int, _PlanInfo] = {}
            step = time.monotonic()
            for i, (jurisdiction, _) in enumerate(cities):
                plan = self.import_plan(jurisdiction, city_seeds[i % len(city_seeds)])
                plans[plan.pk] = _PlanInfo(plan, jurisdiction, None, {})
            for i, (jurisdiction, _) in enumerate(counties):
                plan = self.import_plan(jurisdiction, county_seeds[i % len(county_seeds)])
                plans[plan.pk] = _PlanInfo(plan, jurisdiction, None, {})
            self.summary.plans = len(plans)
            self.summary.units = MemberUnit.objects.filter(jurisdiction__path__startswith=province.path).count()
            self.log(f"导入方案 {len(plans)} 份，成员单位 {self.summary.units} 个（{time.monotonic() - step:.1f} 秒）")
            self.load_leads(plans)
            self.accounts(province, cities, counties, plans)
            self.build_tracking(plans)
        self.summary.seconds = time.monotonic() - started
        return self.summary



def build_province(
    seed_dir: Path, *, cities: int = 14, counties: int = 100, units_per_county: int = 40, years: int = 5,
    rng_seed: int = 1, province_name: str = PROVINCE_NAME, province_login: str = PROVINCE_LOGIN,
    last_year: int | None = None, log: Callable[[str], None] | None = None,
) -> Summary:
    """Build the demo province in one transaction; DemoDataExists if it is already there.

    Reporting covers the `years` years up to `last_year` (default: the plans' last year, or this year if
    earlier), quarterly, within each plan's period, and only quarters that have already (nearly) ended.
    """
    if cities < 1 or counties < cities:
        raise ValueError("至少需要 1 个市，且县的数量不少于市的数量")
    builder = _Builder(
        Path(seed_dir), cities=cities, counties=counties, units_per_county=units_per_county, years=years,
        rng_seed=rng_seed, province_name=province_name, province_login=province_login, last_year=last_year,
        log=log or (lambda _message: None),
    )
    return builder.run()



def build_history(plans: list[Plan], *, years: int = 2, rng_seed: int = 1,
                  log: Callable[[str], None] | None = None) -> Summary:
    """Reporting history for plans already imported (the seed plans of `kesu demo`), by their office admins:
    the quarters of their last `years` years, reviewed, and — on today's clock — one cycle open now (this
    quarter, or for a plan that has ended its final annual report, 终期总结). Plans with cycles are left alone."""
    builder = _Builder(
        Path(), cities=0, counties=0, units_per_county=0, years=years, rng_seed=rng_seed, province_name="",
        province_login="", last_year=None, log=log or (lambda _message: None),
    )
    started = time.monotonic()
    infos: dict[int, _PlanInfo] = {}
    for plan in plans:
        if plan.cycles.exists():
            continue
        admin = (Membership.objects.filter(jurisdiction=plan.jurisdiction, role=Membership.Role.OFFICE_ADMIN)
                 .order_by("pk").values_list("user_id", flat=True).first())
        infos[plan.pk] = _PlanInfo(plan, plan.jurisdiction, admin, {})
    with transaction.atomic(), _given_timestamps():
        builder.load_leads(infos)
        builder.build_tracking(infos)
    builder.summary.plans = len(infos)
    builder.summary.seconds = time.monotonic() - started
    return builder.summary

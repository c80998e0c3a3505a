"""Demo theme campaigns (主题活动), dated from today: 晋城市's 全国科普日 (September) and 襄汾县's 科技活动周 (May), each
this year's if already past, else last year's, with activities of several units and townships, audience groups,
scientists and volunteers, photos drawn with Pillow at demo time, and one invited unit that registered nothing.
Loaded once (a second call changes nothing)."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from kesu.campaigns.actions import Invited, Involved, do_open_campaign, do_register_activity
from kesu.campaigns.models import Campaign
from kesu.domain.campaign_rules import recurring_day
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.plans.models import Plan
from kesu.volunteering.models import ScienceBase, ServiceArea, ServiceRole

DAY = dt.timedelta(days=1)
# title, place, online, audience groups → participants, scientists, volunteers, hours, photos
SCIENCE_DAY = [
    ("智慧助老：手机防诈骗课堂", "市老年大学", "offline", {"elderly": 86}, 3, 6, 18.0, 2),
    ("院士专家进校园科普报告会", "市第一中学", "both", {"youth": 620, "public": 40}, 5, 12, 30.0, 1),
    ("食品安全科普进社区", "城区文化广场", "offline", {"public": 310, "elderly": 95}, 4, 10, 36.0, 1),
    ("乡村振兴农技直播课", "线上直播", "online", {"farmers": 1280}, 2, 3, 9.0, 1),
    ("领导干部科学素质专题讲座", "市委党校", "offline", {"cadres": 150}, 1, 2, 4.0, 0),
]
SCIENCE_WEEK = [
    ("科技活动周科普集市", "县文化广场", "offline", {"public": 520, "youth": 180, "elderly": 75}, 6, 20, 80.0, 2),
    ("青少年科学实验秀", "县科技馆", "both", {"youth": 360}, 2, 8, 24.0, 1),
    ("企业职工安全生产科普", "县经济开发区", "offline", {"workers": 210}, 2, 3, 6.0, 0),
    ("设施蔬菜种植技术培训", "新城镇东关村", "offline", {"farmers": 95}, 2, 4, 12.0, 1),  # the townships' (新城镇, 古城镇)
    ("智慧助老手机课堂", "古城镇古城村", "offline", {"elderly": 48}, 1, 5, 10.0, 1),
]
PALETTE = ["#2e7d32", "#1565c0", "#ef6c00", "#6a1b9a", "#00838f", "#c62828"]


def _photo(rng: random.Random, index: int) -> SimpleUploadedFile:
    """A small made-up 'photo': a sky, a ground and some people-like dots (no text, no real person)."""
    image = Image.new("RGB", (480, 320), "#bbdefb")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 200, 480, 320), fill=PALETTE[index % len(PALETTE)])
    draw.rectangle((150, 90, 330, 200), fill="#fafafa", outline="#455a64", width=3)  # a stage or a board
    for _ in range(30):
        x, y = rng.randint(10, 470), rng.randint(215, 305)
        draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=rng.choice(PALETTE))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"活动照片{index + 1}.png", buffer.getvalue(), content_type="image/png")


def _office(jurisdiction: Jurisdiction):
    membership = Membership.objects.filter(jurisdiction=jurisdiction, role=Membership.Role.OFFICE_ADMIN).select_related("user").first()
    return membership.user if membership else None


def _reporter(unit: MemberUnit, fallback):
    membership = Membership.objects.filter(unit=unit, role=Membership.Role.UNIT_REPORTER).select_related("user").first()
    return membership.user if membership else fallback


def _officer(township: ServiceArea, fallback):
    role = ServiceRole.objects.filter(kind=ServiceRole.Kind.OFFICER, area=township).select_related("user").first()
    return role.user if role else fallback


def _units(jurisdiction: Jurisdiction, count: int) -> list[MemberUnit]:
    """The plan's lead units first (科协, 教育, 农业… when present): they are the ones a campaign invites."""
    units = list(MemberUnit.objects.filter(jurisdiction=jurisdiction, stands_for_all=False).order_by("name"))
    wanted = ("科协", "教育", "教科", "农业", "卫", "科技局", "应急", "委宣传部", "总工会", "妇联", "团")
    units.sort(key=lambda u: next((i for i, w in enumerate(wanted) if w in u.name), len(wanted)))
    return units[:count]


def _load(jurisdiction: Jurisdiction, name: str, kind: str, starts_on: dt.date, days: int, theme: str, rows: list,
          townships: list[ServiceArea], rng: random.Random) -> Campaign | None:
    office = _office(jurisdiction)
    if office is None or not Plan.objects.filter(jurisdiction=jurisdiction).exists():
        return None
    existing = Campaign.objects.filter(jurisdiction=jurisdiction, name=name, year=starts_on.year).first()
    if existing:
        return existing
    today = timezone.localdate()
    ends_on = starts_on + (days - 1) * DAY
    units = _units(jurisdiction, len(rows) - len(townships) + 1)  # one unit more than those holding activities
    bases = list(ScienceBase.objects.filter(jurisdiction=jurisdiction, revoked_year__isnull=True)[:3])
    campaign = do_open_campaign(jurisdiction, office, {
        "name": name, "year": starts_on.year, "kind": kind, "starts_on": starts_on, "ends_on": ends_on, "theme": theme,
        "notes": "各单位结合职能组织线上线下结合的系列活动，活动结束后三日内登记并上传现场照片。",
    }, Invited(units, townships, bases))
    hosts = [("unit", u) for u in units[:-1]] + [("township", t) for t in townships]  # the last unit does nothing
    photo_index = 0
    for position, ((kind_of_host, host), row) in enumerate(zip(hosts, rows, strict=False)):
        title, place, online, audiences, scientists, volunteers, hours, photos = row
        held_on = min(starts_on + (position % days) * DAY, today)
        uploads = [_photo(rng, photo_index + i) for i in range(photos)]
        photo_index += photos
        unit, township = (host, None) if kind_of_host == "unit" else (None, host)
        actor = _reporter(host, office) if unit else _officer(host, office)
        do_register_activity(campaign, actor, unit, township, {
            "title": title, "held_on": held_on, "place": place, "online": online, "participants": None,
            "description": f"{title}，现场发放科普资料，开展互动体验。"}, audiences, uploads, Involved(scientists, volunteers, hours))
    return campaign


def load_demo_campaigns(seed: int = 2026) -> list[Campaign]:
    """晋城市's 全国科普日 and 襄汾县's 科技活动周 (each when its jurisdiction, office and plan exist)."""
    rng = random.Random(seed)
    today = timezone.localdate()
    made = []
    jincheng = Jurisdiction.objects.filter(name="晋城市").first()
    if jincheng:
        made.append(_load(jincheng, "全国科普日", "science_day", recurring_day(today, 9, 15), 7, "弘扬科学家精神 激发全民创新活力",
                          SCIENCE_DAY, [], rng))
    xiangfen = Jurisdiction.objects.filter(name="襄汾县").first()
    if xiangfen:
        townships = list(ServiceArea.objects.filter(jurisdiction=xiangfen, parent__isnull=True, name__in=["新城镇", "古城镇"])
                         .order_by("position"))
        made.append(_load(xiangfen, "科技活动周", "science_week", recurring_day(today, 5, 17), 8, "科技创新 美好生活",
                          SCIENCE_WEEK, townships, rng))
    return [c for c in made if c is not None]

"""科普经费: what is checked when funding is entered and how its figures are computed, each rule also in words.

Amounts are in 万元 as `Decimal` with two places (to the 100 元), never float: the allocation lines of a year must
add up to exactly what was budgeted, and sums of binary floats drift (0.1 + 0.2 ≠ 0.3) — a table whose total is off
by 0.01 万元 is a table an auditor returns. Per capita is in 元/人 with two places.

Which 专项 a figure uses: the 本级财政科普专项经费 received (到位数) when it is recorded, otherwise the budgeted one
(预算数); every figure says which it used (`Special.basis`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kesu.domain.refusals import Refused

CENT = Decimal("0.01")
WAN = Decimal(10000)
MAX_AMOUNT = Decimal(10**8)  # 万元: one trillion yuan, beyond any jurisdiction's budget
MAX_POPULATION = 2 * 10**9
MAX_STANDARD = Decimal(100000)  # 元/人

NO_POPULATION = "无法计算：缺少常住人口"
NO_SPECIAL = "无法计算：尚未填写本级财政科普专项经费"

PER_CAPITA_RULE = "人均科普专项经费（元/人）= 本级财政科普专项经费（万元）× 10000 ÷ 常住人口；专项经费取到位数，未填到位数时取预算数。"
GROWTH_RULE = "较上年增长 = （本年专项经费 − 上年专项经费）÷ 上年专项经费；两年都取到位数，未填到位数时取预算数。"
RECEIVED_RULE = "预算到位率 = 本级财政科普专项经费到位数 ÷ 预算数。"
EXECUTION_RULE = "分配执行率 = 各分配项目已登记支出之和 ÷ 计划经费之和。"
SHARE_RULE = "各章占比 = 关联到该章措施的分配项目计划经费之和 ÷ 全部计划经费；未关联措施的项目单列。"
STANDARD_RULE = ("人均经费标准由省、市科协办公室按年设定（县也可自定更高标准），各地区采用本级或最近一级上级的设定，"
                 "当年未设定时沿用最近一年的设定；人均科普专项经费不低于标准为达标。")


class FundingRefused(Refused):
    pass


def amount(label: str, value: object, *, required: bool = False) -> Decimal | None:
    """An amount in 万元 rounded to 0.01, or FundingRefused naming the field; None when blank and not required."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise FundingRefused(f"请填写“{label}”。", field=label)
        return None
    if isinstance(value, bool):
        raise FundingRefused(f"“{label}”应为金额（万元）。", field=label)
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise FundingRefused(f"“{label}”应为金额（万元），“{value}”不是数字。", field=label) from None
    if not number.is_finite():
        raise FundingRefused(f"“{label}”应为金额（万元），“{value}”不是数字。", field=label)
    if number < 0:
        raise FundingRefused(f"“{label}”不能为负数（填写的是 {value} 万元）。", field=label)
    if number > MAX_AMOUNT:
        raise FundingRefused(f"“{label}”超过 {MAX_AMOUNT:,.0f} 万元，请检查单位是否为万元。", field=label)
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def population(value: object) -> int | None:
    """常住人口 in persons: blank is allowed (per capita then cannot be computed), 0 or less is refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise FundingRefused(f"“常住人口”应为人数（整数），“{value}”不是数字。", field="常住人口") from None
    if isinstance(value, bool) or not number.is_finite() or number != number.to_integral_value():
        raise FundingRefused(f"“常住人口”应为人数（整数），“{value}”不是整数。", field="常住人口")
    if number <= 0:
        raise FundingRefused("“常住人口”应大于 0：人均经费要除以常住人口（不知道时请留空）。", field="常住人口")
    if number > MAX_POPULATION:
        raise FundingRefused("“常住人口”超过 20 亿人，请检查单位是否为“人”。", field="常住人口")
    return int(number)


def standard(value: object) -> Decimal:
    """The per-capita standard in 元/人 (0 to 100000)."""
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise FundingRefused("“人均经费标准”应为金额（元/人）。", field="人均经费标准") from None
    if not number.is_finite() or number < 0 or number > MAX_STANDARD:
        raise FundingRefused(f"“人均经费标准”应为 0 至 {MAX_STANDARD:,.0f} 之间的金额（元/人）。", field="人均经费标准")
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Sources:
    """One year's funding as the 科普统计 layout counts it (万元; None = not entered)."""

    government_total: Decimal | None = None  # 政府拨款
    special_received: Decimal | None = None  # 其中：本级财政科普专项经费（到位）


def check_sources(sources: Sources) -> None:
    """其中专项 ≤ 政府拨款: the special funding is part of the government's money."""
    if (sources.government_total is not None and sources.special_received is not None
            and sources.special_received > sources.government_total):
        raise FundingRefused(
            f"“其中：本级财政科普专项经费（到位）”{sources.special_received} 万元大于“政府拨款”"
            f"{sources.government_total} 万元：专项经费是政府拨款的一部分。", field="政府拨款（合计）")


@dataclass(frozen=True)
class Special:
    """The 专项 a figure uses, and in words which one it is."""

    value: Decimal | None
    basis: str  # 到位数 / 预算数 / 未填写


def special_of(budgeted: Decimal | None, received: Decimal | None) -> Special:
    if received is not None:
        return Special(received, "到位数")
    if budgeted is not None:
        return Special(budgeted, "预算数")
    return Special(None, "未填写")


@dataclass(frozen=True)
class Figure:
    """A computed figure: its value (None when it cannot be computed) and the reason when it cannot."""

    value: Decimal | None
    missing: str = ""

    @property
    def known(self) -> bool:
        return self.value is not None


def per_capita(special: Decimal | None, people: int | None) -> Figure:
    """元/人 = 专项（万元）× 10000 ÷ 常住人口, two decimals."""
    if not people:
        return Figure(None, NO_POPULATION)
    if special is None:
        return Figure(None, NO_SPECIAL)
    return Figure((special * WAN / Decimal(people)).quantize(CENT, rounding=ROUND_HALF_UP))


def growth(this_year: Decimal | None, last_year: Decimal | None) -> Figure:
    """Year-on-year change as a fraction (0.125 = 12.5%)."""
    if this_year is None:
        return Figure(None, NO_SPECIAL)
    if last_year is None:
        return Figure(None, "无法计算：缺少上年专项经费")
    if last_year == 0:
        return Figure(None, "无法计算：上年专项经费为 0")
    return Figure(((this_year - last_year) / last_year).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def ratio(part: Decimal | None, whole: Decimal | None, missing: str) -> Figure:
    """part ÷ whole as a fraction; `missing` says why when there is nothing to divide by."""
    if part is None or not whole:
        return Figure(None, missing)
    return Figure((part / whole).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def received_rate(budgeted: Decimal | None, received: Decimal | None) -> Figure:
    """预算到位率 = 到位 ÷ 预算."""
    return ratio(received, budgeted, "无法计算：缺少预算数或到位数")


def execution_rate(spent: Decimal, planned: Decimal) -> Figure:
    """分配执行率 = 已登记支出 ÷ 计划经费."""
    return ratio(spent, planned, "无法计算：尚无计划经费")


@dataclass(frozen=True)
class SectionShare:
    section: str
    planned: Decimal
    share: Figure


def shares_by_section(lines: Iterable[tuple[str, Decimal]], unlinked: str = "未关联措施") -> list[SectionShare]:
    """(section title or "" for a line tied to no measure, planned) → each section's sum and share, in first-seen
    order with the unlinked lines last."""
    sums: dict[str, Decimal] = {}
    for section, planned in lines:
        sums[section or ""] = sums.get(section or "", Decimal(0)) + planned
    total = sum(sums.values(), Decimal(0))
    order = [s for s in sums if s] + ([""] if "" in sums else [])
    return [SectionShare(s or unlinked, sums[s], ratio(sums[s], total, "无法计算：计划经费合计为 0")) for s in order]


@dataclass(frozen=True)
class Verdict:
    state: str  # met / not_met / unknown
    text: str  # 达标 / 未达标 / 无法判断：…

    @property
    def met(self) -> bool:
        return self.state == "met"


def standard_verdict(per_person: Figure, standard_value: Decimal | None) -> Verdict:
    if standard_value is None:
        return Verdict("unknown", "无法判断：尚未设定人均经费标准")
    if not per_person.known:
        return Verdict("unknown", f"无法判断：{per_person.missing.removeprefix('无法计算：')}")
    if per_person.value >= standard_value:
        return Verdict("met", f"达标（{wan_text(per_person.value)} ≥ {wan_text(standard_value)} 元/人）")
    return Verdict("not_met", f"未达标（{wan_text(per_person.value)} < {wan_text(standard_value)} 元/人）")


def growth_verdict(this_year: Decimal | None, last_year: Decimal | None) -> Verdict:
    """Funding grows (or holds) year on year: this year's 专项 ≥ last year's."""
    if this_year is None or last_year is None:
        return Verdict("unknown", "无法判断：缺少本年或上年专项经费")
    if this_year >= last_year:
        return Verdict("met", f"不低于上年（{wan_text(this_year)} ≥ {wan_text(last_year)} 万元）")
    return Verdict("not_met", f"低于上年（{wan_text(this_year)} < {wan_text(last_year)} 万元）")


@dataclass(frozen=True)
class Guarantee:
    """The rubric's 经费保障 for one jurisdiction and year: conditions due (those that can be judged) and met."""

    done: int
    due: int
    conditions: list[tuple[str, Verdict]]


GUARANTEE_COUNTED = "项经费保障条件（人均达标、较上年增长）"


def guarantee(per_capita_verdict: Verdict, growth_check: Verdict) -> Guarantee:
    """Two conditions: the per-capita standard is met; special funding ≥ last year's. A condition that cannot
    be judged (no standard set, no figures) is not due."""
    conditions = [("人均经费达标", per_capita_verdict), ("专项经费较上年增长", growth_check)]
    judged = [v for _, v in conditions if v.state != "unknown"]
    return Guarantee(sum(1 for v in judged if v.met), len(judged), conditions)


def total(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def wan_text(value: Decimal | None) -> str:
    """12.50 → "12.5"; None → "—"."""
    if value is None:
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text or "0"

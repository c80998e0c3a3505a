"""Data-collection forms (统计报表), a small DHIS2-style data set: pure rules, no database.

A form is a set of numeric indicators (code, name, unit, integer or not, an optional "其中" parent), with sum
rules ("A = B + C"), rates computed from two indicators (参与率 = 参加人数 / 学生数) and shares of respondents
(配备科技教师的学校占比 = 科技教师 ≥ 1 的学校 / 填报学校). This module checks a filled form (every problem named
by its indicator, in Chinese), merges values pre-filled from what Kesu already records (marked 系统预填, still
editable) and aggregates respondents' values: sums of counts; rates and shares recomputed from the summed
numerators and denominators, never averaged.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from kesu.domain.number_bounds import as_number
from kesu.domain.number_text import number_text
from kesu.domain.refusals import Refused

MAX_VALUE = 10**10  # larger than any count or amount a county's unit reports


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    integer: bool = True
    parent: str | None = None  # "其中": part of this indicator
    high: float = MAX_VALUE


@dataclass(frozen=True)
class SumRule:
    """total = sum of parts (or, when not `exact`, total ≥ sum of parts: the parts do not overlap but need not
    cover the total), checked over the parts that are filled once the total is."""

    total: str
    parts: tuple[str, ...]
    exact: bool = True


@dataclass(frozen=True)
class Ratio:
    """A rate in percent: sum of numerators / sum of denominators over the respondents that filled both."""

    code: str
    name: str
    numerator: str
    denominator: str


@dataclass(frozen=True)
class Share:
    """Share of respondents whose `indicator` is at least `at_least`, out of those that filled it."""

    code: str
    name: str
    indicator: str
    at_least: float


@dataclass(frozen=True)
class Section:
    title: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class FormDefinition:
    key: str
    name: str
    respondent_kinds: tuple[str, ...]  # unit, township, base, school
    sections: tuple[Section, ...]
    indicators: tuple[Indicator, ...]
    sums: tuple[SumRule, ...] = ()
    ratios: tuple[Ratio, ...] = ()
    shares: tuple[Share, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        codes = [i.code for i in self.indicators]
        if len(set(codes)) != len(codes):
            raise ValueError(f"{self.key}: duplicate indicator codes")
        known = set(codes)
        used = [i.parent for i in self.indicators if i.parent] + [c for s in self.sections for c in s.codes]
        used += [c for rule in self.sums for c in (rule.total, *rule.parts)]
        used += [c for r in self.ratios for c in (r.numerator, r.denominator)] + [s.indicator for s in self.shares]
        if set(used) - known:
            raise ValueError(f"{self.key}: unknown indicator codes {sorted(set(used) - known)}")
        if sorted(c for s in self.sections for c in s.codes) != sorted(codes):
            raise ValueError(f"{self.key}: every indicator belongs to exactly one section")

    def indicator(self, code: str) -> Indicator:
        return self._by_code[code]

    @cached_property
    def _by_code(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.indicators}

    def depth(self, code: str) -> int:
        """0 for a total, 1 for its 其中, 2 for a 其中 of a 其中."""
        depth, parent = 0, self.indicator(code).parent
        while parent:
            depth, parent = depth + 1, self.indicator(parent).parent
        return depth

    def children(self, code: str) -> list[Indicator]:
        return [i for i in self.indicators if i.parent == code]

    def value_codes(self) -> set[str]:
        """Every code a value can be looked up by: indicators, rates and shares."""
        return {i.code for i in self.indicators} | {r.code for r in self.ratios} | {s.code for s in self.shares}

    def label(self, code: str) -> str:
        """What a code is called (indicator, rate or share), for bindings and exports."""
        if code in self._by_code:
            indicator = self.indicator(code)
            return f"{indicator.name}（{indicator.unit}）"
        named = {r.code: r.name for r in self.ratios} | {s.code: s.name for s in self.shares}
        return f"{named[code]}（%）"


# ------------------------------------------------------------------------- checking a filled form


@dataclass(frozen=True)
class Problem:
    code: str  # the indicator the problem is about ("" for the whole form)
    message: str

    def __str__(self) -> str:
        return self.message


class DataRefused(Refused):
    """A filled form that cannot be stored: every problem, each naming its indicator."""

    status = 400

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("；".join(p.message for p in self.problems) + "。未保存任何内容。")


Values = dict[str, float | None]


def _quoted(definition: FormDefinition, code: str) -> str:
    return f"「{definition.indicator(code).name}」"


def parse_values(definition: FormDefinition, raw: Mapping[str, object]) -> tuple[Values, list[Problem]]:
    """Typed text (or numbers) → values; blanks are None. Problems: not a number, negative, not an integer
    where the indicator counts whole things, absurdly large."""
    values: Values = {}
    problems: list[Problem] = []
    for indicator in definition.indicators:
        text = raw.get(indicator.code)
        text = "" if text is None else str(text).strip().replace(",", "").replace("，", "")
        name = _quoted(definition, indicator.code)
        if text == "":
            values[indicator.code] = None
            continue
        number = as_number(text)
        if number is None:
            problems.append(Problem(indicator.code, f"{name}应填数字，“{text[:20]}”不是数字"))
        elif number < 0:
            problems.append(Problem(indicator.code, f"{name}不能为负数（填写了 {number_text(number)}）"))
        elif indicator.integer and number != int(number):
            problems.append(Problem(indicator.code, f"{name}应为整数（单位：{indicator.unit}），填写了 {number_text(number)}"))
        elif number > indicator.high:
            problems.append(Problem(indicator.code, f"{name}不能超过 {number_text(indicator.high)}{indicator.unit}"))
        else:
            values[indicator.code] = float(number)
            continue
        values[indicator.code] = None
    return values, problems


def check_rules(definition: FormDefinition, values: Mapping[str, float | None]) -> list[Problem]:
    """其中 ≤ 合计 for each part, and the sum rules, over the values that are filled."""
    problems: list[Problem] = []
    for indicator in definition.indicators:
        total = values.get(indicator.code)
        children = definition.children(indicator.code)
        if total is None or not children:
            continue
        for child in children:
            value = values.get(child.code)
            if value is not None and value > total:
                problems.append(Problem(child.code, f"{_quoted(definition, child.code)}（{number_text(value)}）是"
                                        f"{_quoted(definition, indicator.code)}的其中项，不能大于合计（{number_text(total)}）"))
    for rule in definition.sums:
        total = values.get(rule.total)
        filled = [c for c in rule.parts if values.get(c) is not None]
        if total is None or (rule.exact and len(filled) < len(rule.parts)) or not filled:
            continue
        together = sum(values[c] for c in filled)  # type: ignore[misc]
        parts = "＋".join(_quoted(definition, c) for c in filled)
        head = f"{_quoted(definition, rule.total)}（{number_text(total)}）"
        if rule.exact and abs(together - total) > 1e-6:
            problems.append(Problem(rule.total, f"{head}应等于{parts}（{number_text(together)}）"))
        elif not rule.exact and together > total + 1e-6:
            problems.append(Problem(rule.total, f"其中项{parts}之和（{number_text(together)}）不能大于{head}"))
    return problems


def validate(definition: FormDefinition, raw: Mapping[str, object], *, complete: bool = False) -> Values:
    """The values of a filled form, or DataRefused naming every problem. `complete`: every indicator must be
    filled (submitting; a draft may leave blanks)."""
    values, problems = parse_values(definition, raw)
    problems += check_rules(definition, values)
    if complete:
        blank = [i for i in definition.indicators if values.get(i.code) is None
                 and not any(p.code == i.code for p in problems)]
        problems += [Problem(i.code, f"{_quoted(definition, i.code)}未填写（没有的填 0）") for i in blank]
    if problems:
        raise DataRefused(problems)
    return values


def check_respondent(assigned: Collection[tuple[str, int]], respondent: tuple[str, int], name: str) -> None:
    """A value set belongs to one of the round's assigned respondents, else it is refused."""
    if respondent not in assigned:
        raise DataRefused([Problem("", f"“{name}”不在本轮统计的填报对象中，不能填报")])


# ------------------------------------------------------------------------- pre-fill


@dataclass(frozen=True)
class Prefill:
    value: float
    source: str  # where it comes from: 科普活动登记
    rule: str  # how it is counted, in words


@dataclass(frozen=True)
class Cell:
    """One line of the fill page: the indicator, its depth (其中 indented), the text shown and its pre-fill."""

    indicator: Indicator
    depth: int
    text: str
    prefill: Prefill | None = None

    @property
    def prefilled(self) -> bool:
        """The value shown is the system's (系统预填) and has not been changed."""
        return self.prefill is not None and self.text == number_text(self.prefill.value, exact=True)

    @property
    def changed(self) -> bool:
        """A pre-filled value the respondent changed (the system's value is still shown beside it)."""
        return self.prefill is not None and not self.prefilled


@dataclass(frozen=True)
class SectionCells:
    title: str
    cells: list[Cell] = field(default_factory=list)


def _text(value: object) -> str:
    if value is None:
        return ""
    return number_text(value, exact=True) if isinstance(value, (int, float)) else str(value)


def merge_prefill(definition: FormDefinition, stored: Mapping[str, float | None], prefills: Mapping[str, Prefill],
                  typed: Mapping[str, str] | None = None) -> list[SectionCells]:
    """What the fill page shows per section: what was just typed (a refused form keeps it), else the stored
    value, else the pre-filled value. Pre-filled values stay editable; each keeps its source and rule."""
    sections = []
    for section in definition.sections:
        cells = []
        for code in section.codes:
            if typed is not None:
                text = str(typed.get(code, ""))
            elif stored.get(code) is not None:
                text = _text(stored[code])
            else:
                text = _text(prefills[code].value) if code in prefills else ""
            cells.append(Cell(definition.indicator(code), definition.depth(code), text, prefills.get(code)))
        sections.append(SectionCells(section.title, cells))
    return sections


# ------------------------------------------------------------------------- aggregation


@dataclass(frozen=True)
class Fraction:
    done: float
    due: float

    @property
    def rate(self) -> float | None:
        return self.done / self.due if self.due else None


@dataclass(frozen=True)
class Aggregate:
    respondents: int
    totals: dict[str, float]  # indicator → sum over the respondents that filled it
    reported: dict[str, int]  # indicator → how many respondents filled it
    fractions: dict[str, Fraction]  # rate or share code → numerator and denominator

    def value(self, code: str) -> float | None:
        """An indicator's sum, or a rate/share in percent (None when there is nothing to divide)."""
        if code in self.fractions:
            rate = self.fractions[code].rate
            return None if rate is None else rate * 100
        return self.totals.get(code)


def aggregate(definition: FormDefinition, rows: Sequence[Mapping[str, float | None]]) -> Aggregate:
    """Respondents' values summed; rates from summed numerators and denominators; shares counted over
    respondents — never an average of rates."""
    totals: dict[str, float] = {}
    reported: dict[str, int] = {}
    for row in rows:
        for indicator in definition.indicators:
            value = row.get(indicator.code)
            if value is not None:
                totals[indicator.code] = totals.get(indicator.code, 0.0) + value
                reported[indicator.code] = reported.get(indicator.code, 0) + 1
    fractions: dict[str, Fraction] = {}
    for ratio in definition.ratios:
        both = [r for r in rows if r.get(ratio.numerator) is not None and r.get(ratio.denominator) is not None]
        fractions[ratio.code] = Fraction(sum(r[ratio.numerator] for r in both), sum(r[ratio.denominator] for r in both))
    for share in definition.shares:
        filled = [r[share.indicator] for r in rows if r.get(share.indicator) is not None]
        fractions[share.code] = Fraction(sum(1 for v in filled if v >= share.at_least), len(filled))
    return Aggregate(len(rows), totals, reported, fractions)


def fraction_rule(definition: FormDefinition, code: str) -> str:
    """How a rate or share is counted, in words (shown beside every percentage)."""
    for ratio in definition.ratios:
        if ratio.code == code:
            return (f"{ratio.name} = {_quoted(definition, ratio.numerator)}之和 ÷ {_quoted(definition, ratio.denominator)}之和"
                    "（只计两项都已填报的对象，不取各对象比率的平均）")
    for share in definition.shares:
        if share.code == code:
            indicator = definition.indicator(share.indicator)
            return (f"{share.name} = {_quoted(definition, share.indicator)}不少于 {number_text(share.at_least)}"
                    f"{indicator.unit}的填报对象数 ÷ 填报了该项的对象数")
    raise KeyError(code)

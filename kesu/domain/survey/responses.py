"""Survey responses: one row per respondent, design columns, demographics and one column per item.

Columns (English names, or the Chinese aliases in `ALIASES`):

* `id` — respondent id (unique);
* design: `stratum`, `psu` (nested within stratum), `weight` (design weight, > 0);
* demographics: `region`, `gender`, `age` (whole years, grouped into `age_group`) or `age_group`, `urban`,
  `education`, `occupation`;
* one column per item of the questionnaire, holding the answer ("B", "AC", "A,C" …; blank = no answer).

`read_responses` validates everything and either returns the data or raises `ResponsesError` naming every
bad row (as numbered in the file, header = row 1) and column, in Chinese: an import with errors stores
nothing unless the user chooses to skip the named rows (`skip_rows=` or `skip_bad_rows=True`). Problems in
the header (an unknown item column, a missing design column) cannot be skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import Problem, ResponsesError, SurveyError
from .instrument import Instrument
from .tables import Table, read_table

DESIGN_COLUMNS = ("id", "stratum", "psu", "weight")
GROUP_COLUMNS = ("region", "gender", "age_group", "urban", "education", "occupation")
KNOWN_COLUMNS = frozenset(DESIGN_COLUMNS + GROUP_COLUMNS + ("age",))
GROUP_NAMES = {
    "region": "地区",
    "gender": "性别",
    "age_group": "年龄组",
    "urban": "城乡",
    "education": "文化程度",
    "occupation": "职业",
}
ALIASES = {
    "编号": "id",
    "样本编号": "id",
    "问卷编号": "id",
    "层": "stratum",
    "分层": "stratum",
    "抽样层": "stratum",
    "初级抽样单元": "psu",
    "抽样单元": "psu",
    "权重": "weight",
    "设计权重": "weight",
    "地区": "region",
    "区县": "region",
    "县区": "region",
    "性别": "gender",
    "年龄": "age",
    "年龄组": "age_group",
    "年龄段": "age_group",
    "城乡": "urban",
    "文化程度": "education",
    "受教育程度": "education",
    "学历": "education",
    "职业": "occupation",
}
# Age groups of the national survey (respondents aged 18–69); ages outside get their own group.
AGE_GROUPS: tuple[tuple[int, int, str], ...] = (
    (0, 17, "18岁以下"),
    (18, 29, "18-29岁"),
    (30, 39, "30-39岁"),
    (40, 49, "40-49岁"),
    (50, 59, "50-59岁"),
    (60, 69, "60-69岁"),
    (70, 200, "70岁及以上"),
)


def age_group(age: int) -> str:
    for low, high, label in AGE_GROUPS:
        if low <= age <= high:
            return label
    raise ValueError(age)


@dataclass(frozen=True)
class Categorical:
    """Integer codes into `labels` (a factor)."""

    codes: np.ndarray
    labels: tuple[str, ...]

    @classmethod
    def from_values(
        cls, values: Sequence[str] | np.ndarray, order: Sequence[str] | None = None
    ) -> Categorical:
        array = np.asarray(values, dtype=object).astype(str)
        labels, codes = np.unique(array, return_inverse=True)
        labels = [str(x) for x in labels]
        if order is not None:
            ranked = [x for x in order if x in set(labels)] + sorted(set(labels) - set(order))
            remap = np.array([ranked.index(x) for x in labels], dtype=np.int32)
            return cls(remap[codes].astype(np.int32), tuple(ranked))
        return cls(codes.astype(np.int32), tuple(labels))

    def __len__(self) -> int:
        return len(self.codes)

    def values(self) -> np.ndarray:
        return np.asarray(self.labels, dtype=object)[self.codes]

    def take(self, index: np.ndarray) -> Categorical:
        return Categorical(self.codes[index], self.labels)


@dataclass
class Responses:
    """Respondents in memory, vectorised: answers as small integer codes per item (item-major)."""

    ids: np.ndarray  # object (str)
    rows: np.ndarray  # int: row number in the source file (header = 1)
    stratum: Categorical
    psu: Categorical  # nested: labels are "stratum/psu"
    weight: np.ndarray  # float64 > 0
    groups: dict[str, Categorical]
    item_ids: tuple[str, ...]
    answer_codes: np.ndarray  # (items, n) unsigned ints
    answer_sets: list[tuple[frozenset[str], ...]]  # per item: the answer set of each code
    warnings: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    encoding: str = ""

    @property
    def n(self) -> int:
        return len(self.weight)

    def take(self, index: np.ndarray) -> Responses:
        return Responses(
            self.ids[index],
            self.rows[index],
            self.stratum.take(index),
            self.psu.take(index),
            self.weight[index],
            {k: v.take(index) for k, v in self.groups.items()},
            self.item_ids,
            self.answer_codes[:, index],
            self.answer_sets,
            list(self.warnings),
            list(self.skipped),
            self.encoding,
        )

    @classmethod
    def from_columns(
        cls,
        *,
        instrument: Instrument,
        stratum: Sequence[str] | np.ndarray,
        psu: Sequence[str] | np.ndarray,
        weight: Sequence[float] | np.ndarray,
        answers: Mapping[str, Sequence[str] | np.ndarray],
        groups: Mapping[str, Sequence[str] | np.ndarray] | None = None,
        ids: Sequence[str] | np.ndarray | None = None,
        rows: np.ndarray | None = None,
    ) -> Responses:
        """Build from already valid columns (no validation beyond shapes; use `read_responses` for files)."""
        weight = np.asarray(weight, dtype=np.float64)
        n = len(weight)
        stratum_values = np.asarray(stratum, dtype=object).astype(str)
        psu_values = np.char.add(np.char.add(stratum_values, "/"), np.asarray(psu, dtype=object).astype(str))
        codes, sets = [], []
        for item in instrument.items:
            raw = np.asarray(answers[item.id], dtype=object).astype(str)
            uniq, inverse = np.unique(raw, return_inverse=True)
            codes.append(inverse)
            sets.append(tuple(item.parse(u) for u in uniq))
        width = max((len(s) for s in sets), default=1)
        dtype = np.uint8 if width <= 256 else np.uint16 if width <= 65536 else np.uint32
        answer_codes = np.vstack(codes).astype(dtype) if codes else np.zeros((0, n), dtype=np.uint8)
        return cls(
            ids=np.asarray(ids if ids is not None else [str(i + 1) for i in range(n)], dtype=object),
            rows=np.asarray(rows if rows is not None else np.arange(2, n + 2)),
            stratum=Categorical.from_values(stratum_values),
            psu=Categorical.from_values(psu_values),
            weight=weight,
            groups={k: Categorical.from_values(v) for k, v in (groups or {}).items()},
            item_ids=instrument.item_ids,
            answer_codes=answer_codes,
            answer_sets=sets,
        )


def _canonical(name: str) -> str:
    stripped = name.strip()
    if stripped in ALIASES:
        return ALIASES[stripped]
    lowered = stripped.lower()
    return lowered if lowered in KNOWN_COLUMNS else stripped


def _parse_rows(spec: Iterable[int] | str | None) -> set[int]:
    if spec is None:
        return set()
    if isinstance(spec, str):
        out: set[int] = set()
        for part in spec.replace("，", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if "-" in part:
                a, b = part.split("-", 1)
                out.update(range(int(a), int(b) + 1))
            else:
                out.add(int(part))
        return out
    return {int(x) for x in spec}


def read_responses(
    path: str | Path,
    instrument: Instrument,
    *,
    skip_rows: Iterable[int] | str | None = None,
    skip_bad_rows: bool = False,
) -> Responses:
    """Read and validate a responses file (.csv in UTF-8/GBK/GB18030, or .xlsx)."""
    return validate_table(read_responses_table(path), instrument, skip_rows=skip_rows, skip_bad_rows=skip_bad_rows)


def read_responses_table(path: str | Path) -> Table:
    """The responses file as a table, not yet validated; a file that cannot be read is a ResponsesError."""
    try:
        return read_table(path)
    except SurveyError as error:
        raise ResponsesError([Problem(None, None, str(error))]) from error


def validate_table(
    table: Table,
    instrument: Instrument,
    *,
    skip_rows: Iterable[int] | str | None = None,
    skip_bad_rows: bool = False,
) -> Responses:
    skip = _parse_rows(skip_rows)
    header_problems: list[Problem] = []
    warnings: list[str] = []
    columns: dict[str, int] = {}
    items = {it.id: it for it in instrument.items}
    items_lower = {k.lower(): k for k in items}
    for index, raw_name in enumerate(table.header):
        if not raw_name:
            if any(index < len(cells) and cells[index] for _, cells in table.rows):
                header_problems.append(Problem(1, f"第 {index + 1} 列", "表头为空，但该列有数据"))
            continue
        name = _canonical(raw_name)
        if name not in KNOWN_COLUMNS and name not in items:
            name = items_lower.get(name.lower(), name)
        if name in columns:
            header_problems.append(Problem(1, raw_name, "列名重复"))
            continue
        if name not in KNOWN_COLUMNS and name not in items:
            header_problems.append(Problem(1, raw_name, f"未知的题目列：问卷“{instrument.name}”中没有这道题"))
            continue
        columns[name] = index
    for name in ("stratum", "psu", "weight"):
        if name not in columns:
            header_problems.append(Problem(1, name, "缺少必需的设计变量列"))
    for item_id in items:
        if item_id not in columns:
            header_problems.append(Problem(1, item_id, "问卷中的这道题在答卷中没有对应的列"))
    if "id" not in columns:
        warnings.append("答卷没有 id 列：以行号作为样本编号")
    for name in GROUP_COLUMNS:
        if name not in columns and not (name == "age_group" and "age" in columns):
            warnings.append(f"答卷没有“{name}”（{GROUP_NAMES[name]}）列：不能按它分组或加权")
    if header_problems:
        raise ResponsesError(header_problems)

    width = len(table.header)
    problems: dict[int, list[Problem]] = {}
    kept_rows: list[tuple[int, list[str]]] = []
    seen_ids: dict[str, int] = {}

    def bad(row: int, column: str | None, message: str) -> None:
        problems.setdefault(row, []).append(Problem(row, column, message))

    parsed_answers: dict[str, list[str]] = {i: [] for i in items}
    for number, cells in table.rows:
        if len(cells) > width and any(cells[width:]):
            bad(number, None, f"有 {len(cells)} 个单元格，多于表头的 {width} 列")
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))

        def get(name: str, cells: list[str] = cells) -> str:
            return cells[columns[name]].strip() if name in columns else ""

        rid = get("id") if "id" in columns else str(number)
        if not rid:
            bad(number, "id", "缺少样本编号")
        elif rid in seen_ids:
            bad(number, "id", f"样本编号“{rid}”与第 {seen_ids[rid]} 行重复")
        else:
            seen_ids[rid] = number
        for name, label in (("stratum", "分层"), ("psu", "初级抽样单元")):
            if not get(name):
                bad(number, name, f"缺少设计变量值（{label}）")
        text = get("weight")
        if not text:
            bad(number, "weight", "缺少设计变量值（权重）")
        else:
            try:
                value = float(text)
            except ValueError:
                bad(number, "weight", f"权重不是数值（读到“{text}”）")
            else:
                if not np.isfinite(value) or value <= 0:
                    bad(number, "weight", f"权重必须为正数（读到“{text}”）")
        for name in GROUP_COLUMNS:
            if name in columns and not get(name):
                bad(number, name, f"缺少{GROUP_NAMES[name]}")
        if "age" in columns:
            text = get("age")
            if not text:
                if "age_group" not in columns:
                    bad(number, "age", "缺少年龄")
            else:
                try:
                    age = float(text)
                    if not age.is_integer() or not 0 <= age <= 120:
                        raise ValueError
                except ValueError:
                    bad(number, "age", f"年龄应为 0 到 120 之间的整数（读到“{text}”）")
        for item_id, item in items.items():
            raw = get(item_id)
            if raw and item.options is not None:
                extra = item.outside_options(item.parse(raw))
                if extra:
                    bad(
                        number,
                        item_id,
                        f"答案“{raw}”中的“{'、'.join(sorted(extra))}”不在选项 {'、'.join(item.options)} 之中",
                    )
        kept_rows.append((number, cells))

    skipped: list[Problem] = []
    remaining: list[Problem] = []
    drop = set(skip)
    if skip_bad_rows:
        drop |= set(problems)
    for row, found in sorted(problems.items()):
        (skipped if row in drop else remaining).extend(found)
    if remaining:
        raise ResponsesError(remaining)
    unknown_skips = skip - {n for n, _ in table.rows}
    if unknown_skips:
        warnings.append(f"要跳过的行 {'、'.join(str(x) for x in sorted(unknown_skips))} 在文件中不存在")
    rows = [(n, c) for n, c in kept_rows if n not in drop]
    if not rows:
        raise ResponsesError([Problem(None, None, "没有可用的答卷行")])
    for number in sorted(drop & {n for n, _ in table.rows}):
        if number not in problems:
            skipped.append(Problem(number, None, "按要求跳过"))

    def column(name: str) -> list[str]:
        return [cells[columns[name]].strip() for _, cells in rows]

    groups: dict[str, list[str]] = {}
    for name in GROUP_COLUMNS:
        if name in columns:
            groups[name] = column(name)
    if "age" in columns:
        ages = column("age")
        derived = [age_group(int(float(a))) if a else "" for a in ages]
        if "age_group" in groups:
            groups["age_group"] = [g or d for g, d in zip(groups["age_group"], derived, strict=True)]
        else:
            groups["age_group"] = derived
    for item_id in items:
        parsed_answers[item_id] = column(item_id)
    responses = Responses.from_columns(
        instrument=instrument,
        stratum=column("stratum"),
        psu=column("psu"),
        weight=np.array([float(x) for x in column("weight")]),
        answers=parsed_answers,
        groups=groups,
        ids=column("id") if "id" in columns else [str(n) for n, _ in rows],
        rows=np.array([n for n, _ in rows]),
    )
    responses.groups = {
        name: Categorical.from_values(values.values(), _natural_order(name, values.labels))
        for name, values in responses.groups.items()
    }
    responses.warnings = warnings
    responses.skipped = skipped
    responses.encoding = table.encoding
    return responses


NATURAL_ORDER = {
    "age_group": [label for _, _, label in AGE_GROUPS],
    "gender": ["男", "女"],
    "urban": ["城镇", "乡村"],
    "education": [
        "小学及以下",
        "初中",
        "高中（含中专）",
        "高中",
        "中专",
        "大专及以上",
        "大专",
        "本科",
        "本科及以上",
        "研究生",
    ],
}


def _natural_order(name: str, labels: Sequence[str]) -> list[str] | None:
    known = NATURAL_ORDER.get(name)
    return None if known is None else [x for x in known if x in labels]

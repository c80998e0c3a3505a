"""The questionnaire (测评工具): dimensions with their points, items, cumulative levels and the headline level.

File format `kesu-instrument/1` (YAML or JSON)::

    format: kesu-instrument/1
    name: 某市公民科学素质调查问卷
    scheme: national-2022          # optional: take dimensions/levels/headline from a preset
    dimensions:                    # id, name, points
      - {id: knowledge, name: 科学知识, points: 40}
    items:                         # id, dimension, answer (one option or a set), points, options (optional)
      - id: K01
        dimension: knowledge
        text: 光速比声速快。
        options: {A: 对, B: 错}
        answer: A
        points: 2
    levels:                        # reached at or above `min`; cumulative
      - {id: literate, name: 具备科学素质, min: 70}
    headline: literate

An answer is compared as a set: ``"AC"``, ``"A,C"``, ``"C、A"`` and ``[A, C]`` are the same answer when the
options are single characters. Presets live in ``presets/*.yaml`` (``national-2022`` is the scheme of the
national civic science literacy survey since 2022; ``demo`` is a small demonstration questionnaire).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InstrumentError

FORMAT = "kesu-instrument/1"
PRESETS_DIR = Path(__file__).with_name("presets")
RESERVED_COLUMNS = frozenset(
    {
        "id",
        "stratum",
        "psu",
        "weight",
        "region",
        "gender",
        "age",
        "age_group",
        "urban",
        "education",
        "occupation",
    }
)
_SEPARATORS = re.compile(r"[\s,，、;；|/+]+")
_BRACKETS = "[]【】()（）{}"
_ID = re.compile(r"^[A-Za-z0-9_\-.\u4e00-\u9fff]+$")


def _norm_token(token: str) -> str:
    token = token.strip()
    return token.upper() if token.isascii() else token


def split_answer(text: str, mode: str = "letters") -> frozenset[str]:
    """The set of options in a written answer (blank → empty set).

    mode "chars": every character is an option (the options are single characters, so "AC" = {A, C});
    "letters": runs of ASCII letters are split into letters, other tokens are kept whole (options not listed);
    "tokens": only separators split (options with longer names).
    """
    text = str(text).strip().strip(_BRACKETS).strip()
    if not text:
        return frozenset()
    tokens: list[str] = []
    for part in _SEPARATORS.split(text):
        part = part.strip(_BRACKETS + "'\"")
        if not part:
            continue
        if len(part) > 1 and (mode == "chars" or (mode == "letters" and part.isascii() and part.isalpha())):
            tokens.extend(part)
        else:
            tokens.append(part)
    return frozenset(_norm_token(t) for t in tokens if t.strip())


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    points: float


@dataclass(frozen=True)
class Level:
    id: str
    name: str
    min: float


@dataclass(frozen=True)
class Item:
    id: str
    dimension: str
    answer: frozenset[str]
    points: float
    options: tuple[str, ...] | None = None
    text: str = ""
    option_texts: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def split_mode(self) -> str:
        if self.options is None:
            return "letters"
        return "chars" if all(len(t) == 1 for t in self.options) else "tokens"

    def parse(self, raw: str) -> frozenset[str]:
        return split_answer(raw, self.split_mode)

    def outside_options(self, answer: frozenset[str]) -> frozenset[str]:
        """Tokens of an answer that are not among the listed options (empty when options are not listed)."""
        if self.options is None:
            return frozenset()
        return answer - frozenset(self.options)

    def is_correct(self, raw: str) -> bool:
        return self.parse(raw) == self.answer


@dataclass(frozen=True)
class Instrument:
    name: str
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    levels: tuple[Level, ...]  # sorted by `min`, highest first
    headline: str
    source: str = ""

    @property
    def total_points(self) -> float:
        return float(sum(d.points for d in self.dimensions))

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def level(self, level_id: str) -> Level:
        for lv in self.levels:
            if lv.id == level_id:
                return lv
        raise KeyError(level_id)

    @property
    def headline_level(self) -> Level:
        return self.level(self.headline)

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "total_points": self.total_points,
            "dimensions": [{"id": d.id, "name": d.name, "points": d.points} for d in self.dimensions],
            "levels": [{"id": lv.id, "name": lv.name, "min": lv.min} for lv in self.levels],
            "headline": self.headline,
            "items": len(self.items),
        }


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESETS_DIR.glob("*.yaml"))


def _read_mapping(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InstrumentError([f"无法读取问卷文件 {path}：{error.strerror or error}"]) from error
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise InstrumentError([f"问卷文件 {path.name} 的编码无法识别（请使用 UTF-8）"])
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception as error:  # yaml.YAMLError / json.JSONDecodeError
        raise InstrumentError([f"问卷文件 {path.name} 不是有效的 YAML/JSON：{error}"]) from error
    if not isinstance(data, dict):
        raise InstrumentError([f"问卷文件 {path.name} 的顶层应为键值对象"])
    return data


def load_instrument(source: str | Path) -> Instrument:
    """Load a questionnaire from a .yaml/.yml/.json file, or a preset by name (see `preset_names()`)."""
    path = Path(source)
    is_file_name = path.suffix.lower() in {".yaml", ".yml", ".json"} or len(path.parts) > 1
    if not is_file_name and str(source) in preset_names():  # a bare preset name never means a local file
        path = PRESETS_DIR / f"{source}.yaml"
    if not path.exists():
        raise InstrumentError(
            [f"找不到问卷文件或预置方案“{source}”（预置方案：{'、'.join(preset_names())}）"]
        )
    data = _read_mapping(path)
    if path.parent == PRESETS_DIR and not data.get("items"):
        raise InstrumentError(
            [f"预置方案“{path.stem}”只规定维度、分值和水平：请在问卷文件中写 scheme: {path.stem} 并列出题目"]
        )
    return parse_instrument(data, source=str(path))


def _keyed_entries(raw_list: Any, field: str, noun: str, problems: list[str]) -> Iterator[tuple[dict, str]]:
    """The objects of a list that each carry a unique id; every malformed or repeated entry is a named problem."""
    if not isinstance(raw_list, list) or not raw_list:
        problems.append(f"{field}（{noun}）应为非空列表")
        return
    seen: set[str] = set()
    for n, raw in enumerate(raw_list, start=1):
        if not isinstance(raw, dict):
            problems.append(f"第 {n} 个{noun}应为对象")
            continue
        key = _text(raw.get("id"), f"第 {n} 个{noun}的 id", problems)
        if not key:
            problems.append(f"第 {n} 个{noun}缺少 id")
            continue
        if key in seen:
            problems.append(f"{noun} id“{key}”重复")
            continue
        seen.add(key)
        yield raw, key


def _text(value: Any, what: str, problems: list[str]) -> str | None:
    if isinstance(value, bool):
        problems.append(f"{what} 被解析为布尔值 {value}，请给它加上引号")
        return None
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(value: Any, what: str, problems: list[str], *, positive: bool = True) -> float | None:
    if isinstance(value, bool) or value is None:
        problems.append(f"{what} 缺少或不是数值")
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        problems.append(f"{what} 不是数值（读到“{value}”）")
        return None
    if positive and not number > 0:
        problems.append(f"{what} 必须大于 0（读到 {value}）")
        return None
    return number


def parse_instrument(data: dict[str, Any], *, source: str = "") -> Instrument:
    """Validate a questionnaire mapping; raises InstrumentError listing every problem found."""
    problems: list[str] = []
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        problems.append(f"format 应为 {FORMAT}（读到“{fmt}”）")
    scheme_name = data.get("scheme")
    base: dict[str, Any] = {}
    if scheme_name is not None:
        if str(scheme_name) not in preset_names():
            problems.append(f"scheme“{scheme_name}”不是预置方案（可用：{'、'.join(preset_names())}）")
        else:
            base = _read_mapping(PRESETS_DIR / f"{scheme_name}.yaml")
    merged = {**{k: base[k] for k in ("dimensions", "levels", "headline") if k in base}, **data}
    name = _text(merged.get("name"), "name", problems) or (Path(source).stem if source else "问卷")

    dimensions: list[Dimension] = []
    for raw, did in _keyed_entries(merged.get("dimensions"), "dimensions", "维度", problems):
        points = _number(raw.get("points"), f"维度“{did}”的分值 points", problems)
        dimensions.append(Dimension(did, _text(raw.get("name"), "name", problems) or did, points or 0.0))
    dim_ids = {d.id for d in dimensions}

    items: list[Item] = []
    raw_items = merged.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        problems.append("items（题目）应为非空列表")
        raw_items = []
    for n, raw in enumerate(raw_items, start=1):
        if not isinstance(raw, dict):
            problems.append(f"第 {n} 道题应为对象")
            continue
        iid = _text(raw.get("id"), f"第 {n} 道题的 id", problems)
        if not iid:
            problems.append(f"第 {n} 道题缺少 id")
            continue
        label = f"题目“{iid}”"
        if not _ID.match(iid):
            problems.append(f"{label} 的 id 只能含字母、数字、汉字、下划线、连字符和点")
        if iid.lower() in RESERVED_COLUMNS:
            problems.append(f"{label} 的 id 与答卷的保留列名相同，请换一个")
        if any(it.id == iid for it in items):
            problems.append(f"题目 id“{iid}”重复")
            continue
        dim = _text(raw.get("dimension"), f"{label} 的 dimension", problems)
        if dim not in dim_ids:
            problems.append(f"{label} 的维度“{dim}”未在 dimensions 中定义")
        points = _number(raw.get("points"), f"{label} 的分值 points", problems)
        options: tuple[str, ...] | None = None
        option_texts: dict[str, str] = {}
        raw_options = raw.get("options")
        if raw_options is not None:
            if isinstance(raw_options, dict):
                pairs = list(raw_options.items())
            elif isinstance(raw_options, list):
                pairs = [(o, "") for o in raw_options]
            else:
                problems.append(f"{label} 的 options 应为列表或对象")
                pairs = []
            keys = []
            for key, text in pairs:
                k = _text(key, f"{label} 的选项", problems)
                if k:
                    keys.append(_norm_token(k))
                    option_texts[_norm_token(k)] = "" if text is None else str(text)
            if len(set(keys)) != len(keys):
                problems.append(f"{label} 的选项有重复")
            if raw_options is not None and not keys:
                problems.append(f"{label} 的 options 为空")
            options = tuple(keys) if keys else None
        raw_answer = raw.get("answer")
        mode = "letters" if options is None else ("chars" if all(len(t) == 1 for t in options) else "tokens")
        if isinstance(raw_answer, list):
            tokens = [_text(a, f"{label} 的答案", problems) for a in raw_answer]
            answer = frozenset(_norm_token(t) for t in tokens if t)
        else:
            answer = split_answer(_text(raw_answer, f"{label} 的答案", problems) or "", mode)
        if not answer:
            problems.append(f"{label} 缺少正确答案 answer")
        elif options is not None and not answer <= set(options):
            extra = "、".join(sorted(answer - set(options)))
            problems.append(f"{label} 的正确答案“{extra}”不在选项 {'、'.join(options)} 之中")
        items.append(
            Item(
                iid,
                dim or "",
                answer,
                points or 0.0,
                options,
                _text(raw.get("text"), "text", problems) or "",
                option_texts,
            )
        )

    for d in dimensions:
        got = sum(it.points for it in items if it.dimension == d.id)
        if items and abs(got - d.points) > 1e-9:
            problems.append(f"维度“{d.name}”定义为 {d.points:g} 分，但其题目分值合计 {got:g} 分")

    total = sum(d.points for d in dimensions)
    if "total" in data:
        declared = _number(data.get("total"), "total", problems)
        if declared is not None and abs(declared - total) > 1e-9:
            problems.append(f"total 为 {declared:g} 分，但各维度分值合计 {total:g} 分")

    levels: list[Level] = []
    for raw, lid in _keyed_entries(merged.get("levels"), "levels", "水平", problems):
        lmin = _number(raw.get("min"), f"水平“{lid}”的最低分 min", problems)
        if lmin is not None and total > 0 and lmin > total:
            problems.append(f"水平“{lid}”的最低分 {lmin:g} 超过满分 {total:g}")
        if lmin is not None and any(lv.min == lmin for lv in levels):
            problems.append(f"水平“{lid}”的最低分 {lmin:g} 与另一水平相同")
        levels.append(Level(lid, _text(raw.get("name"), "name", problems) or lid, lmin or 0.0))
    levels.sort(key=lambda lv: -lv.min)

    headline = _text(merged.get("headline"), "headline", problems)
    if not headline:
        problems.append("缺少 headline（作为“公民具备科学素质比例”的水平）")
    elif levels and headline not in {lv.id for lv in levels}:
        problems.append(f"headline“{headline}”不是已定义的水平")

    if problems:
        raise InstrumentError(problems)
    return Instrument(name, tuple(dimensions), tuple(items), tuple(levels), headline or "", source)


def load_scheme(name: str = "national-2022") -> dict[str, Any]:
    """The raw mapping of a preset scheme (dimensions, levels, headline), e.g. to build an instrument."""
    if name not in preset_names():
        raise InstrumentError([f"没有名为“{name}”的预置方案"])
    return _read_mapping(PRESETS_DIR / f"{name}.yaml")

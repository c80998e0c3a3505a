"""Quantitative commitments inside a measure: 到2025年创建省级科普基地2处, 每年培训2000人, 每周2节科学课.

Each target: indicator (a label), value, unit, comparator, year (deadline; None for yearly or standing
commitments), annual, and text (the clause it came from, as written).
"""

from __future__ import annotations

import re

from .numerals import CN_NUMERAL_CHARS, as_number, digitize_years, parse_cn_integer, parse_number

_UNITS = (
    "人次", "场次", "个次", "批次", "期次", "平方米", "平米", "平方公里", "课时", "学时", "小时", "元", "人", "名", "个", "家", "处", "所",
    "座", "支", "项", "场", "次", "期", "篇", "部", "件", "套", "台", "本", "册", "种", "条", "节", "门",
    "户", "间", "亩", "份", "幅", "集", "位", "辆", "块", "堂", "讲", "万字",
)
_NUM = r"\d+(?:\.\d+)?|[" + CN_NUMERAL_CHARS + r"]+"
_TARGET = re.compile(
    r"(?P<num>" + _NUM + r")\s*(?P<mult>[万亿千](?=\s*(?:" + "|".join(_UNITS) + r")))?\s*"
    r"(?:(?P<range>至|到|-|—|～|~)\s*(?:" + _NUM + r")\s*[万亿千]?\s*)?"
    r"(?P<unit>%|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")"
)
_PERCENT_CN = re.compile(r"百分之(?P<cn>[零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?)")
_SENTENCE = re.compile(r"[^。！？；;!?]+[。！？；;!?]?")
_CLAUSE_BREAK = "，,；;：:。、"
_CLAUSE_END = re.compile(r"[，,；;。！？!?、]")
_JOINT = re.compile(r"以及|和|及|与|并")
# names and slogans that contain numbers but are not commitments
_MASK = re.compile(
    r"“[^”]{0,30}”|\"[^\"]{0,30}\"|《[^》]{0,60}》|两个一百年|四个全面|五位一体|四个自信|四个意识|两个维护|两个确立|"
    r"一带一路|三下乡|三农|三长|双减|双创|一老一小|[一二三四五六]级|两级|三区|\d+G|(?:\d{1,2}|[一二三四五六七八九十]+)(?:大|项)[^，,。；;、\d]{0,16}?(?:行动|工程|任务)|"
    r"第[" + CN_NUMERAL_CHARS + r"\d]+|[一二三四五六七八九十]+个(?:方面|环节|领域|层次|全面|结合|一百年)|十[三四五六]五"
)
_DEADLINE = re.compile(
    r"(?:(?:力争|争取)?(?:到|至|在|于|截至)\s*)?(?P<year>(?:19|20)\d\d)\s*年\s*(?:底|末|前|年底|年末|以前)?"
)
_FIVE_YEAR = re.compile(r"“?十(?P<n>[三四五六七])五”?\s*(?:期间|期末|末|时期|内|以来)?")
_PERIOD = re.compile(r"五年(?:内|间|来|累计)?|规划期(?:内|末|间)?|方案实施期(?:内|间)?|实施期(?:内|末)")
_ANNUAL = re.compile(r"每年(?:度)?|年均|全年|逐年|每一年")
_ANNUAL_HEAD = re.compile(r"(?:^|[^\u4e00-\u9fff\d\s])\s*年(?![度底末前内])[\u4e00-\u9fff]")
_PER_PERIOD = re.compile(r"每(?:个)?(周|学年|学期|月|季度|天|日|半年)")
_PER_ENTITY = re.compile(r"每(?:所|个|一个|家|一所)?(?:行政)?(学校|校|乡镇|街道|村|社区|县|区|园区|企业|单位)")
_GREATER = re.compile(r"超过|突破|多于|高于")
_AT_LEAST = re.compile(r"不少于|不低于|至少|达到|以上|提高到|提升到|提高至|提升至|增加到|增至|升至|力争达")
_AT_LEAST_NEAR = re.compile(r"达\s*$")
_AT_MOST = re.compile(r"不超过|不高于|以下|以内|控制在")
_GUARANTEE = re.compile(r"保障|确保|保证")
_PAST = re.compile(r"已|十三五|过去|此前|目前|现有|共有")
# a unit character that starts a longer word is not a unit: 12部门, 10场所, 3家庭, 5名单
_NOT_UNIT = ("部门", "场所", "场馆", "场景", "处理", "门户", "家庭", "家长", "名单", "名称", "件事", "期间", "台账", "条件",
             "本地", "本土", "个人", "人员", "人才", "人群", "位置", "次数", "项目", "种类", "所属", "所在", "座谈", "支持",
             "支撑", "集中", "集团", "户外", "门类", "节日", "节点", "份额", "间隔", "块状", "堂课")
_HEADLINE = re.compile(r"科学素质(?:的)?(?:比例|水平)")
_FILLER = re.compile(
    r"^(?:力争|争取|努力|累计|全县|全市|全省|全区|全旗|实现|创建|争创|建成|建设|新建|培育|发展|完成|开展|组织|举办|"
    r"培训|达到|达|安排|配备|打造|推出|新增|创作|遴选|建立|组建|保障|确保|每年|年均|[，,、\s])+"
)


# Reading a sentence's targets looks back and ahead within the sentence for every number in it: a run of
# text longer than this without a full stop is read in pieces cut after a comma (a real sentence has a few
# hundred characters), so that the time stays linear in the length of the text.
MAX_SENTENCE = 2000


def extract_targets(text: str, period_start: int | None, period_end: int | None) -> list[dict]:
    """The targets of one measure's text (responsibility statements already removed)."""
    out: list[dict] = []
    for found in _SENTENCE.finditer(text):
        for piece in _pieces(found.group(0)):
            out += _sentence_targets(piece, period_start, period_end)
    return out


def _pieces(sentence: str) -> list[str]:
    pieces = []
    start = 0
    while len(sentence) - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cut = max(sentence.rfind(mark, start, limit) for mark in "，,、") + 1
        cut = cut if cut > start else limit
        pieces.append(sentence[start:cut])
        start = cut
    return [*pieces, sentence[start:]]


def _masked(sentence: str) -> str:
    return digitize_years(_MASK.sub(lambda m: "□" * len(m.group(0)), sentence))


def _sentence_targets(sentence: str, period_start: int | None, period_end: int | None) -> list[dict]:
    masked = _masked(sentence)
    matches = [m for m in _TARGET.finditer(masked) if _acceptable(masked, m)]
    matches += [m for m in _PERCENT_CN.finditer(masked)]
    matches.sort(key=lambda m: m.start())
    out: list[dict] = []
    previous_end = 0  # where the previous target's clause ends
    previous_match = 0  # where the previous number+unit ends
    used_dating = -1
    guarantee = bool(_GUARANTEE.search(masked[: matches[0].start()])) if matches else False
    for n, m in enumerate(matches):
        if m.start() < previous_end:
            if "或" in masked[previous_match:m.start()]:
                continue  # 1次科普讲座或1次研学活动: one commitment
            previous_end = previous_match  # 建成科技馆1座和科普基地5个: two in one clause
        previous_match = m.end()
        start = _clause_start(masked, m.start(), previous_end)
        clause_prefix = masked[start:m.start()]
        if _PAST.search(clause_prefix) or _HEADLINE.search(masked[start:_clause_end(masked, m.end())]):
            previous_end = _clause_end(masked, m.end())
            continue
        year, dating_at = _deadline(masked[:m.start()], sentence[:m.start()], period_end)
        if year is not None and period_start and year < period_start:
            previous_end = _clause_end(masked, m.end())
            continue  # a past figure
        if dating_at is not None and dating_at > used_dating and dating_at >= previous_end - 1:
            text_start = dating_at
            used_dating = dating_at
        else:
            text_start = start
        end = _clause_end(masked, m.end())
        if n + 1 < len(matches) and matches[n + 1].start() < end:
            joint = list(_JOINT.finditer(masked[m.end():matches[n + 1].start()]))
            if joint and "或" not in masked[m.end():matches[n + 1].start()]:
                end = m.end() + joint[-1].start()  # 建成科技馆1座和科普基地5个: each its own part
        start = _skip_joint(masked, start)
        text_start = _skip_joint(masked, text_start)
        target = _target(sentence, masked, m, text_start, start, end, year, period_end, guarantee)
        if target:
            out.append(target)
        previous_end = end
    return out


def _acceptable(masked: str, m: re.Match[str]) -> bool:
    before = masked[max(0, m.start() - 1):m.start()]
    if before and (before.isascii() and before.isalnum() or before in "第."):
        return False
    number = m.group("num")
    after = masked[m.end():m.end() + 4]
    if (m.group("unit") + after[:1]) in _NOT_UNIT or (m.group("unit")[-1:] + after[:1]) in _NOT_UNIT:
        return False
    if m.group("unit") == "项" and re.match(r"(?:重点|提升|专项|主要)?(?:行动|工程|任务)", after):
        return False
    if m.group("unit") == "个" and after.startswith("百分点"):
        return False
    if re.fullmatch(r"[一]", number) and not m.group("range") and m.group("unit") not in ("座", "处", "所", "家"):
        context = masked[max(0, m.start() - 6):m.start()]
        if not (re.search(r"至少|不少于|不低于|每", context) or after.startswith("以上")):
            return False  # 一批, 一支队伍, 一个平台: an article, not a number
    if not re.match(r"\d", number) and (parse_cn_integer(number) is None or not re.search(r"[一二两三四五六七八九十〇零]", number)):
        return False  # 万家, 千人: a figure of speech
    return True


def _clause_start(masked: str, at: int, floor: int) -> int:
    start = at
    if floor < at:
        start = max(floor, max(masked.rfind(mark, floor, at) for mark in _CLAUSE_BREAK) + 1)
    while start < at and masked[start] in " ":
        start += 1
    return start


def _skip_joint(masked: str, at: int) -> int:
    found = _JOINT.match(masked, at)
    return found.end() if found else at


def _clause_end(masked: str, at: int) -> int:
    found = _CLAUSE_END.search(masked, at)
    return found.start() if found else len(masked)


def _deadline(prefix: str, raw_prefix: str, period_end: int | None) -> tuple[int | None, int | None]:
    """The deadline stated before a number in its sentence, and where its clause starts.

    Years are read from the masked prefix (not inside titles); “十四五” from the text as written."""
    best: tuple[int | None, int | None] = (None, None)
    best_at = -1
    for m in _DEADLINE.finditer(prefix):
        if m.start() > best_at:
            best, best_at = (int(m.group("year")), m.start()), m.start()
    for m in _FIVE_YEAR.finditer(raw_prefix):
        if m.start() > best_at:
            year = {"三": 2020, "四": 2025, "五": 2030, "六": 2035, "七": 2040}[m.group("n")]
            best, best_at = (year, m.start()), m.start()
    for m in _PERIOD.finditer(prefix):
        if m.start() > best_at and period_end:
            best, best_at = (period_end, m.start()), m.start()
    year, at = best
    if at is None:
        return None, None
    clause = at
    while clause > 0 and prefix[clause - 1] not in _CLAUSE_BREAK:
        clause -= 1
    return year, clause


def _value(m: re.Match[str]) -> float | None:
    if "cn" in m.groupdict():
        text = m.group("cn")
        whole, _, frac = text.partition("点")
        value = parse_cn_integer(whole)
        if value is None:
            return None
        if frac:
            value = float(f"{value}.{''.join(str(parse_cn_integer(ch) or 0) for ch in frac)}")
        return float(value)
    number = parse_number(m.group("num") + (m.group("mult") or ""))
    return number


def _target(sentence: str, masked: str, m: re.Match[str], text_start: int, clause_start: int, end: int,
            year: int | None, period_end: int | None, guarantee: bool) -> dict | None:
    value = _value(m)
    if value is None or value <= 0:
        return None
    is_percent = "cn" in m.groupdict() or m.group("unit") == "%"
    unit = "%" if is_percent else m.group("unit")
    before = masked[clause_start:m.start()]
    after = masked[m.end():end]
    comparator = "="
    if re.search(r"不超过|不高于", before) or _AT_MOST.match(after.strip()):
        comparator = "<="
    elif _GREATER.search(before):
        comparator = ">"
    elif (_AT_LEAST.search(before[-12:]) or _AT_LEAST_NEAR.search(before) or re.match(r"\s*(?:以上|及以上|多)", after)
          or ("range" in m.groupdict() and m.group("range")) or guarantee):
        comparator = ">="
    per_period = _PER_PERIOD.search(before)
    per_entity = _PER_ENTITY.search(before)
    annual = bool(_ANNUAL.search(before) or _ANNUAL_HEAD.search(before) or re.match(r"\s*/\s*年", after))
    if per_period:
        unit = f"{unit}/{per_period.group(1)}"
        year, annual = None, False
    elif annual:
        year = None
    elif per_entity:
        unit = f"{unit}/{'校' if per_entity.group(1) == '学校' else per_entity.group(1)}"
    if not per_period and not annual and year is None and not per_entity and not is_percent:
        year = period_end
    text = sentence[text_start:end].strip(" ，,、")
    return {
        "indicator": _indicator(sentence, masked, clause_start, m, end),
        "value": as_number(value),
        "unit": unit,
        "comparator": comparator,
        "year": year,
        "annual": annual,
        "text": text,
    }


def _indicator(sentence: str, masked: str, start: int, m: re.Match[str], end: int) -> str:
    """A short label for the target: the clause's noun phrase without dates, numbers and verbs."""
    before = sentence[start:m.start()]
    before = _DEADLINE.sub("", before)
    before = _PERIOD.sub("", _FIVE_YEAR.sub("", before))
    before = re.sub(r"每年(?:度)?|年均|每(?:个)?(?:周|学期|月)|每(?:所|个)?学校|不少于|不低于|至少|达到|超过|为$|达$", "", before)
    before = _FILLER.sub("", before.strip(" ，,"))
    after = sentence[m.end():end]
    after = re.sub(r"^(?:以上|及以上|左右)?的?", "", after.strip())
    label = before.strip(" ，,") or after.strip(" ，,")
    if not label:  # 改造提升农村科普活动室，到2025年达到50个: the clause before names what is counted
        previous = re.split(r"[，,；;：:]", sentence[:start].rstrip(" ，,"))[-1]
        label = _FILLER.sub("", re.sub(r"^[一二三四五六七八九十]+是", "", previous.strip()))
    if len(label) < 3 and after.strip():
        label = (label + after.strip(" ，,")).strip()
    return label[:40]

"""The plan's own title, jurisdiction, the notice around it (issuer, 文号, date), its period, the headline
figure (公民具备科学素质的比例) and its schedule (进度安排)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..jurisdiction_names import MUNICIPALITIES, level_from_name
from .numerals import CN_DIGITS, as_number, digitize_years, parse_cn_integer
from .patterns import clean_title, numbering, split_first_sentence, squeeze, strip_bold

_DASHES = "-—–―─－~～‒"
_YEAR_RANGE = re.compile(r"((?:19|20)\d\d)\s*年?\s*(?:\d{1,2}\s*月\s*)?[" + _DASHES + r"至到]+\s*((?:19|20)\d\d)")
_DRAFT = re.compile(r"[（(【\[]\s*(?:征求意见稿|送审稿|讨论稿|草案|草稿|试行|代拟稿|初稿|修改稿|审议稿)\s*[）)】\]]")
_TITLE_WORDS = re.compile(r"实施方案|行动方案|工作方案|实施计划|行动计划|规划纲要|行动纲要|方案")
_TITLE_START = re.compile(r"^(?:实施方案|行动方案|工作方案|方案|实施计划|行动计划|[（(]\s*(?:19|20)\d\d)")
_NOT_TITLE = re.compile(r"关于|通知|印发|^《|[。；！？]|各有关|如下|现将|已经|给你们|^经|^根据|^为|《[^》]*$")
_DOC_NUMBER = re.compile(
    r"^([\u4e00-\u9fff]{1,16}\s*[〔\[【（(﹝［]\s*(?:19|20)\d\d\s*[〕\]】）)﹞］]\s*\d*\s*号)"
)
_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DATE = re.compile(r"([二〇○零一三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
_ORG_END = re.compile(r"(?:办公室|人民政府|政府|委员会|科学技术协会|科协|领导小组|协会|局|厅|委|办|党委|县委|市委)$")
_HEADLINE = re.compile(
    r"(?:公民)?具备(?:基本)?科学素质(?:的)?(?:公民)?(?:的)?比例|公民科学素质(?:的)?(?:比例|水平|达标率)|"
    r"公民(?:的)?科学素质比例"
)
_HEADLINE_VALUE = re.compile(
    r"^(?:(?:将|要|力争|争取|稳步|预计|由[^，。]{0,16}?)?(?:与[^，。；]{1,10}?(?:同步|持平|一致))?(?:达到|达|为|是|超过|提高到|提升到|提高至|提升至|上升到|上升至|"
    r"增长到|增加到|突破|不低于|不少于|稳定在|保持在)\s*(?:了)?\s*)"
    r"(?:(?P<year>(?:19|20)\d\d)\s*年\s*(?:底|末)?\s*的?\s*)?(?P<value>\d+(?:\.\d+)?)\s*(%|％)?\s*(以上)?"
)
_PHASE_NAME_CUT = re.compile(r"[（(][^（）()]*(?:19|20)\d\d[^（）()]*[）)]")


@dataclass
class Metadata:
    title: str | None
    jurisdiction: dict
    issuer: str | None
    doc_number: str | None
    issued_on: str | None
    period: dict


# Fields of a government website's record of the document (标题|…, 发文字号：…), and what each gives.
_FIELD = re.compile(
    r"^(?P<label>标\s*题|发文标题|文件标题|公文标题|文件名称|发文机关|发文单位|发布机构|发文机构|发布机关|制发机关|"
    r"发文文号|发文字号|发文号|文\s*号|成文日期|发文日期|发布日期|印发日期)\s*[|｜:：]\s*"
)
_FIELD_KIND = {"题": "title", "称": "title", "关": "issuer", "位": "issuer", "构": "issuer", "号": "doc_number",
               "期": "issued_on"}


_FIELD_LINES = 80  # a record's fields stand above the document's text
def _fields(lines: list[str]) -> dict[str, str]:
    """The labelled record fields among the first lines: title, issuer, doc_number, issued_on."""
    out: dict[str, str] = {}
    for line in lines[:_FIELD_LINES]:
        found = _FIELD.match(line)
        if found and line[found.end():].strip():
            out.setdefault(_FIELD_KIND[squeeze(found.group("label"))[-1]], squeeze(line[found.end():]))
    return out


def read_metadata(lines: list[str], paragraphs: list[str]) -> Metadata:
    lines = [strip_bold(line).strip(" \t") for line in lines]
    fields = _fields(lines)
    lines[:_FIELD_LINES] = [line[found.end():] if (found := _FIELD.match(line)) else line for line in lines[:_FIELD_LINES]]
    title, title_at = find_title(lines)
    if title is None:
        title = _title_from_notice([fields.get("title", "")] + lines)
        title_at = len(lines)
    notice = lines[:title_at]
    period = _period(title or "", paragraphs)
    name = _jurisdiction_name(title or "", notice)
    issuer = _issuer(notice) if notice else None
    issuer = _organisation(fields.get("issuer")) or issuer
    issued_on = (_date(fields.get("issued_on", "")) or _issued_on([fields.get("doc_number", "")], [])
                 or _issued_on(notice, lines[title_at:]))
    if issuer is None and issued_on is not None:
        issuer = _signatory(lines[title_at:])  # a plan signed at its end (XX县科学技术协会 / 2022年5月10日)
    if name is None and issuer:
        name = _name_from_org(issuer)
    doc_number = _doc_number([fields.get("doc_number", "")]) or _doc_number(notice)
    return Metadata(
        title=title,
        jurisdiction={"name": name, "level": _level(name, notice, lines) if name else None},
        issuer=issuer,
        doc_number=doc_number,
        issued_on=issued_on,
        period=period,
    )


def _organisation(text: str | None) -> str | None:
    return text if text and _ORG_END.search(text) and len(text) <= 40 else None


_NATIONAL = re.compile(r"^(?:国务院)?全民科学素质行动(?:规划|计划)?纲要")


def find_title(lines: list[str]) -> tuple[str | None, int]:
    """The plan's own heading (joined when split over two lines), without draft marks, and its line."""
    nonempty = [(i, squeeze(line)) for i, line in enumerate(lines[:_TITLE_LINES]) if line.strip()]
    for k, (i, text) in enumerate(nonempty):
        if len(text) > 70 or _NOT_TITLE.search(text) or "科学素质" not in text and "科普" not in text:
            continue
        if _NATIONAL.match(text):
            continue  # the national outline cited in the body, not this plan
        if not _TITLE_WORDS.search(text) and k + 1 >= len(nonempty):
            continue
        joined = text
        for following in (_DRAFT.sub("", line) for _, line in nonempty[k + 1:k + 3]):
            if _TITLE_END.search(_DRAFT.sub("", joined)) and not _TITLE_START.match(following):
                break
            opened = joined.count("（") + joined.count("(") > joined.count("）") + joined.count(")")
            if not following or _NOT_TITLE.search(following) or len(following) >= 40:
                break
            if not (_TITLE_START.match(following) or _TITLE_END.search(following)
                    or (opened and re.match(r"^[\d年—\-－至]*[）)]$", following))):
                break  # a title wrapped anywhere (…全民科学素质行动 / 规划纲要实施方案（2021—2025年）)
            joined += following
        joined = _DRAFT.sub("", joined)
        if _TITLE_WORDS.search(joined) and _TITLE_END.search(joined):
            return joined, i
    return None, 0


_TITLE_LINES = 3000  # the plan's heading stands near the top, after the notice at most
_TITLE_END = re.compile(r"(?:方案|计划|纲要)(?:[（(][^）)]*[）)])?$")


def _title_from_notice(lines: list[str]) -> str | None:
    text = squeeze("".join(lines[:40]))
    candidates = [*re.finditer(r"关于印发《?([^《》]{4,60}?)》?的通知", text),
                  *re.finditer(r"《([^《》]{4,60}(?:方案|计划))》", text)]
    for found in candidates:
        if not _NATIONAL.match(found.group(1)):
            return _DRAFT.sub("", found.group(1))
    return None


def _period(title: str, paragraphs: list[str]) -> dict:
    ranges = list(_YEAR_RANGE.finditer(digitize_years(title)))
    found = ranges[-1] if ranges else None  # the plan's own years come last (…《纲要（2021—2035年）》实施方案（2021—2025年）)
    if not found:
        for text in paragraphs[:60]:
            found = re.search(r"(?:方案|计划)\s*[（(]\s*" + _YEAR_RANGE.pattern, digitize_years(text))
            if found:
                break
    if found:
        start, end = int(found.group(1)), int(found.group(2))
        if start <= end:
            return {"start": start, "end": end}
    if any("十四五" in text for text in paragraphs):
        return {"start": 2021, "end": 2025}
    return {"start": None, "end": None}


_LEVEL_SUFFIX = r"(?:特别行政区|自治区|自治州|自治县|自治旗|省|市|州|盟|地区|县|区|旗)"


_PLACE = re.compile(
    r"^((?:[\u4e00-\u9fff]{1,10}?" + _LEVEL_SUFFIX + r")+?)"
    r"(?=全民|公民|贯彻|落实|关于|科学素质|科普|《|实施|人民政府|政府|委员会|科学技术协会|科协|党委|委员会)"
)


def _jurisdiction_name(title: str, notice: list[str]) -> str | None:
    for source in [title, *[squeeze(line) for line in notice if "关于" in line]]:
        found = _PLACE.match(re.sub(r"^(?:中共|《)", "", squeeze(source)))
        if found and len(found.group(1)) >= 2:
            return found.group(1)
    return None


def _name_from_org(org: str) -> str | None:
    found = re.match(r"^(?:中共)?([\u4e00-\u9fff]{1,20}?" + _LEVEL_SUFFIX + r")(?:人民政府|政府|委|科学技术协会|科协)", org)
    return found.group(1) if found else None


def _level(name: str, notice: list[str], lines: list[str]) -> str:
    """province / city / county. A 市 addressing its towns (各镇、街道) rather than counties is county-level when
    the document names a city or prefecture above it; with none above but the province (儋州市, 东莞市) it is
    a prefecture-level city without counties."""
    level = level_from_name(name)
    if name.endswith("市") and name not in MUNICIPALITIES and not name.endswith(("自治区", "省")):
        text = squeeze("".join(notice))
        counties = re.search(r"各县[（(]市|县[（(]市、?区|各县区|各区县|县[、，](?:市、)?区|各县市区|各区[、，]?县|各区政府|各区人民政府", text)
        towns = re.search(r"各镇|乡[（(]镇|各乡镇|镇人民政府|镇[（(]街道|各街道", text)
        if towns and not counties and _names_a_parent(name, lines):
            return "county"
    return level


_PARENT = re.compile(
    r"(?:^|[《、，,。；;：:（(]|根据|按照|落实|对照|和|及|与)([\u4e00-\u9fff]{2,6}?(?:市|州|盟|地区))"
    r"(?=全民|公民|委|人民政府|政府|科协|科学技术协会|党委)"
)
_NOT_PARENT = re.compile(r"^(?:全|我|本|各|该|省|市|县|州|城|都|已|经|由|县级|地级)")


def _names_a_parent(name: str, lines: list[str]) -> bool:
    """Does the document name a city or prefecture other than `name` (the one above a county-level city)?"""
    for line in lines[:400]:
        for found in _PARENT.finditer(squeeze(line)):
            other = found.group(1)
            if other != name and name not in other and other not in name and not _NOT_PARENT.match(other):
                return True
    return False


def _issuer(notice: list[str]) -> str | None:
    for i, line in enumerate(notice):
        text = line.strip()
        if "关于" not in text or not re.search(r"通知|印发|的意见|方案", "".join(notice[i:i + 4])):
            continue
        before = _orgs(text.split("关于")[0])
        if before and _ORG_END.search(before):
            return before
        for previous in reversed(notice[:i]):
            candidate = _orgs(previous)
            if candidate:
                candidate = re.sub(r"文件$", "", candidate)
                return candidate if _ORG_END.search(candidate) else None
    for i, line in enumerate(notice):
        if _is_date_line(line):
            for previous in reversed(notice[:i]):
                candidate = squeeze(previous)
                if candidate:
                    return candidate if _ORG_END.search(candidate) else None
    for line in notice[:5]:
        candidate = squeeze(line)
        if candidate.endswith("文件"):
            return candidate[:-2]
    return None


def _orgs(text: str) -> str:
    """Issuing bodies as written; two bodies set apart by blanks (a joint notice) are joined with 、."""
    parts = [squeeze(part) for part in re.split(r"\s{2,}|\u3000", text.strip()) if part.strip()]
    if len(parts) > 1 and all(_ORG_END.search(part) for part in parts):
        return "、".join(parts)
    return squeeze(text)


def _signatory(lines: list[str]) -> str | None:
    """The body signing above the last date line (a plan published without a notice)."""
    for i in range(len(lines) - 1, 0, -1):
        if _is_date_line(lines[i]):
            for previous in reversed(lines[max(0, i - 3):i]):
                candidate = _orgs(previous)
                if candidate:
                    return candidate if _ORG_END.search(candidate) and len(candidate) <= 40 else None
    return None


def _doc_number(notice: list[str]) -> str | None:
    for line in notice:
        found = _DOC_NUMBER.match(line.strip())
        if found:
            return found.group(1).strip()
    return None


def _date(text: str) -> str | None:
    found = _DATE.search(text)
    if found:
        year, month, day = (int(g) for g in found.groups())
    else:
        found = _CN_DATE.search(text)
        if not found:
            return None
        year = int("".join(str(CN_DIGITS[ch]) if ch in CN_DIGITS else "0" for ch in found.group(1)))
        month, day = parse_cn_integer(found.group(2)) or 0, parse_cn_integer(found.group(3)) or 0
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _is_date_line(line: str) -> bool:
    text = squeeze(line)
    return bool(text) and bool(re.fullmatch(r"(?:" + _DATE.pattern + r"|" + _CN_DATE.pattern + r")", text))


def _issued_on(notice: list[str], rest: list[str]) -> str | None:
    for line in notice:
        if _is_date_line(line):
            return _date(squeeze(line))
    for line in notice:
        found = _DOC_NUMBER.match(line.strip())
        if found and _is_date_line(line.strip()[found.end():]):
            return _date(line.strip()[found.end():])  # 某府办〔2022〕41号2022年7月8日
    for line in rest:
        text = squeeze(line)
        if text.endswith("印发") and _date(text):
            return _date(text)
    for i, line in enumerate(rest):
        if _is_date_line(line) and i > 0 and any(_ORG_END.search(squeeze(p)) for p in rest[max(0, i - 3):i] if p.strip()):
            return _date(squeeze(line))
    return None


# --------------------------------------------------------------------------------------------------
# headline


def read_headline(paragraphs: list[str], period: dict) -> dict:
    baseline = target = None
    start, end = period.get("start"), period.get("end")
    for text in map(digitize_years, paragraphs):
        previous_end = 0
        for found in _HEADLINE.finditer(text):
            after = text[found.end():found.end() + 30]
            value = _HEADLINE_VALUE.match(after)
            if not value:
                continue
            sentence_start = max(text.rfind(mark, 0, found.start()) for mark in "。；！？") + 1
            before = text[max(sentence_start, previous_end):found.start()]
            previous_end = found.end() + value.end()
            number = as_number(float(value.group("value")))
            dated = list(re.finditer(r"((?<!截)到|(?<!截)至|力争|争取|预计)?\s*((?:19|20)\d\d)\s*年", before))
            if value.group("year"):  # 由2015年的3.2%提高到2020年的8.1%
                dated = list(re.finditer(r"()((?:19|20)\d\d)", value.group("year")))
            years = [int(m.group(2)) for m in dated]
            if dated:
                future = bool(dated[-1].group(1)) or bool(end and years[-1] >= end)
            else:
                future = bool(re.search(r"(?<!截)到|(?<!截)至|力争|争取|预计|目标|十四五", before))
            if "十四五" in before and not years:
                years = [2025] if future or re.search(r"末|期末|底", before) else years
            if future and target is None:
                phrase = after[: value.end()]
                if re.search(r"超过|突破", phrase):
                    comparator = ">"
                elif re.search(r"达|以上|不低于|不少于|提高|提升|上升|增长|增加", phrase):
                    comparator = ">="
                else:
                    comparator = "="
                target = {"year": years[-1] if years else end, "value": number, "comparator": comparator}
            elif not future and baseline is None and (years or re.search(r"十三五|目前|现阶段|当前", before)):
                year = years[-1] if years else (2020 if "十三五" in before else (start - 1 if start else None))
                baseline = {"year": year, "value": number}
                if target is None:  # …比例为8.1%，到2025年力争达到11.6%
                    target = _following_target(text[found.end() + value.end():])
            if future and baseline is None:  # …达到10%，较2020年的7.36%提高2.64个百分点
                compared = _COMPARED.match(text[found.end() + value.end():])
                if compared:
                    baseline = {"year": int(compared.group(1)), "value": as_number(float(compared.group(2)))}
    return {"baseline": baseline, "target": target}


_COMPARED = re.compile(r"^[，,]?\s*(?:较|比)\s*((?:19|20)\d\d)\s*年(?:底|末)?\s*(?:的)?\s*(\d+(?:\.\d+)?)\s*%")


_FOLLOWING = re.compile(
    r"^[，,；;]\s*(?:力争|争取)?(?:到|至)\s*((?:19|20)\d\d)\s*年(?:底|末)?\s*[，,]?\s*(?:力争|争取|要|将)?\s*"
    r"(?:与[^，。；]{1,10}?(?:同步|持平|一致))?(达到|超过|突破|提高到|提升到|提高至|提升至|达)\s*(\d+(?:\.\d+)?)\s*%\s*(以上)?"
)


def _following_target(text: str) -> dict | None:
    """A target stated right after the baseline in the same sentence, without repeating the indicator."""
    found = _FOLLOWING.match(text)
    if not found:
        return None
    comparator = ">" if found.group(2) in ("超过", "突破") else ">="
    return {"year": int(found.group(1)), "value": as_number(float(found.group(3))), "comparator": comparator}


# --------------------------------------------------------------------------------------------------
# phases


def read_phases(paragraphs: list[str]) -> list[dict]:
    """Named stages with years from the schedule (进度安排 / 实施步骤)."""
    from .structure import PHASE_HEADING

    phases: list[dict] = []
    heading_rank: int | None = None
    inside = False
    for text in map(digitize_years, paragraphs):
        found = numbering(strip_bold(text))
        rank = found[1] if found else None
        body = clean_title(found[2] if found else strip_bold(text))
        if not inside:
            if len(squeeze(body)) <= 16 and PHASE_HEADING.search(body) and not re.search(r"\d{4}", body):
                inside, heading_rank = True, rank
            continue
        if rank is not None and heading_rank is not None and rank <= heading_rank:
            break
        if rank is not None and rank <= 1 or body.startswith(("抄送", "附件", "印发")):
            break
        items = [part for part in re.split(r"[；;]", body) if part.strip()] if body.count("阶段") > 1 else [body]
        for item in items:
            phase = _phase(item)
            if phase:
                phases.append(phase)
        if not phases and len(body) > 10 and not _YEAR_RANGE.search(body) and not re.search(r"\d{4}", body):
            continue
    return phases


def _phase(text: str) -> dict | None:
    intro, colon, rest = re.split(r"([：:])", text, maxsplit=1) if re.search(r"[：:]", text) else (text, "", "")
    if colon and not re.search(r"\d{4}", intro) and re.search(r"\d{4}", rest):
        text = rest  # 本方案分三个阶段实施：2021年为启动部署阶段…
    years = _YEAR_RANGE.search(text)
    if years:
        start, end = int(years.group(1)), int(years.group(2))
    else:
        single = re.search(r"((?:19|20)\d\d)\s*年", text)
        if not single:
            return None
        start = end = int(single.group(1))
    head = re.sub(r"^第[一二三四五六七八九十]+阶段\s*[:：]?", "", _PHASE_NAME_CUT.sub("", text))
    first, _ = split_first_sentence(head, "。：:；;")
    name = ""
    for part in re.split(r"[，,、]", first):
        part = clean_title(re.sub(r"^(?:第[一二三四五六七八九十]+阶段)?[:：]?", "", part.strip()))
        if part and not re.search(r"\d", part) and len(part) <= 16:
            name = part
            break
    named = re.search(r"(?:^|[\d年月为是：:，,（(\s])([^\d\s年月为是：:，,。（()）]{2,10}阶段)", text)
    if named and (not name or "阶段" not in name):
        name = named.group(1)
    if not name:
        return None
    return {"name": name, "start": start, "end": end}

"""Sections (提升行动 / 重点工程) and their measures (tasks).

A plan numbers its headings in its own way — （一）/1./——, unnumbered heading lines, measures that are
unnumbered paragraphs opening with a short heading sentence — so sections are found by what their
headings say (…科学素质提升行动, …工程) and checked against the heading levels around them; the measures
of a section are its items at the first numbering level used inside it, or else its paragraphs that
open with a heading sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .normalize import Block, Table
from .numerals import parse_cn_integer
from .patterns import (
    LABEL_START,
    clean_title,
    commas,
    first_clause,
    numbering,
    split_first_sentence,
    squeeze,
    strip_bold,
)
from .responsibility import Duty, is_unit_statement, split_duty

ACTION_GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("youth", ("青少年", "未成年人", "中小学生", "学生")),
    ("farmers", ("农民", "农村居民", "农区居民", "农牧民", "农村牧区居民", "农村")),
    ("workers", ("产业工人", "城镇劳动者", "职工", "劳动者", "工人")),
    ("elderly", ("老年人", "老龄", "老年")),
    ("cadres", ("领导干部", "公务员", "干部")),
]
PROJECT_GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("resources", ("科技资源科普化", "科技资源")),
    ("informatization", ("科普信息化", "信息化", "数字化", "智慧科普")),
    ("infrastructure", ("基础设施",)),
    ("grassroots", ("基层科普", "基层")),
    ("cooperation", ("交流合作", "开放合作", "国际合作", "合作交流", "交流与合作", "对外交流", "合作")),
    ("talent", ("科普人才", "人才")),
]
_COUNTED = re.compile(r"[\d一二三四五六七八九十两]+\s*(?:项|大|个)")
_ORG_CHAPTER = re.compile(
    r"组织实施|保障措施|保障条件|组织保障|条件保障|机制保障|保障机制|进度安排|实施步骤|时间安排|步骤安排|组织领导|"
    r"工作要求|监督评估|监测评估|督促检查|背景|意义|总体要求|指导思想|基本原则|工作原则|^原则$|目标|前言|附件|"
    r"工作机制|考核|宣传引导|经费"
)
_TASK_CHAPTER = re.compile(r"重点任务|主要任务|任务措施|行动任务|重点工作|主要内容|任务和措施|重点行动|主要举措")
AIM_LABELS = {"任务", "目标", "主要目标", "工作目标", "行动目标", "目标任务", "总体目标", "任务目标", "发展目标",
              "具体目标"}
MEASURE_LABELS = {"措施", "主要措施", "工作措施", "具体措施", "重点措施", "任务措施", "行动措施", "重点任务", "主要任务",
                  "重点工作", "主要内容", "工作内容", "实施内容", "主要举措", "重点举措", "具体任务", "工作任务"}
DUTY_LABELS = {"分工", "责任分工", "任务分工", "职责分工", "责任单位", "责任部门", "牵头单位", "分工安排", "部门分工",
               "组织分工", "实施主体", "任务分工及责任单位", "牵头部门", "分工负责"}
_CLOSING = ("抄送", "附件", "主题词", "印发")
_DUTY_WORDS = re.compile(r"牵头|配合|参与|负责|协同|协助|协办|责任单位|责任部门")
PHASE_HEADING = re.compile(r"进度安排|实施步骤|时间安排|实施进度|阶段安排|工作步骤|步骤安排|进度要求|时间进度|实施阶段")


@dataclass
class Para:
    """One paragraph with its numbering read off."""

    text: str  # as joined, with ** bold marks
    style: str | None
    rank: int | None
    rest: str  # after the numbering, with ** marks
    plain: str  # after the numbering, without ** marks
    heading: bool  # short and without a body: a heading line

    @property
    def title(self) -> str:
        return clean_title(self.plain)


_NOT_LETTERS = re.compile(r"[\s。：:]")


@dataclass
class TaskDraft:
    title: str
    parts: list[str] = field(default_factory=list)  # the measure's text, responsibility removed
    duty: list[Duty] = field(default_factory=list)
    duty_para_at: int | None = None  # where in `duty` the statements of paragraphs of their own after the measure begin
    _counted: int = field(default=0, init=False, repr=False, compare=False)  # parts counted in _letters
    _letters: int = field(default=0, init=False, repr=False, compare=False)  # characters but blanks and 。：:

    @property
    def text(self) -> str:
        return "".join(self.parts)

    @property
    def bare(self) -> bool:
        """Only a heading so far (1. 标题 on a line of its own): the next paragraph is its body."""
        if self.duty:
            return False
        for part in self.parts[self._counted:]:
            self._letters += len(_NOT_LETTERS.sub("", part))
        self._counted = len(self.parts)
        title = squeeze(self.title)
        if self._letters > len(title):
            return False  # more text than the heading: cheap to know, and joining a long text each time is not
        return squeeze(self.text).rstrip("。：:") == title


@dataclass
class SectionDraft:
    kind: str
    group: str
    title: str
    preamble: list[str] = field(default_factory=list)
    duty: list[Duty] = field(default_factory=list)
    tasks: list[TaskDraft] = field(default_factory=list)


def make_para(text: str) -> Para:
    core = text.strip()
    found = numbering(strip_bold(core))
    if found:
        style, rank, _ = found
        rest = _drop_numbering(core)
    else:
        style, rank, rest = None, None, core
    plain = strip_bold(rest).strip()
    return Para(core, style, rank, rest.strip(), plain, _is_heading(plain))


def _drop_numbering(text: str) -> str:
    """Remove the numbering mark, keeping bold marks around the heading (1. **标题。**正文)."""
    lead_bold = text.startswith("**")
    body = text[2:] if lead_bold else text
    found = numbering(body)
    if not found:
        return text
    rest = found[2]
    if lead_bold:
        return "**" + rest
    return rest


def _is_heading(plain: str) -> bool:
    core = plain.rstrip("。：:；; ")
    if not core or len(core) > 40 or commas(core) > 1 or LABEL_START.match(core):
        return False
    return not re.search(r"[。；;！？!?]", core)


def section_match(title: str) -> tuple[str, str] | None:
    """(kind, group) when a heading names an upgrade action or a key project."""
    text = squeeze(clean_title(title))
    if not text or len(text) > 32 or _COUNTED.search(text) or re.search(r"[，,|｜]", text):
        return None  # a chapter (聚焦重点人群，实施科学素质提升行动) or a sentence, not a section's name
    if "全民科学素质行动" in text:
        return None  # the plan's own title wrapped after 行动 (…全民科学素质行动 / 规划纲要实施方案)
    if re.search(r"行动(?:计划)?$", text):
        if "科学素质" not in text and not ("素质" in text and _group(text, ACTION_GROUPS)):
            return None
        return "action", _group(text, ACTION_GROUPS) or "other"
    if text.endswith("工程"):
        group = _group(text, PROJECT_GROUPS)
        if group:
            return "project", group
        if "科普" in text or "科学素质" in text:
            return "project", "other"
    return None


def _group(text: str, groups: list[tuple[str, tuple[str, ...]]]) -> str | None:
    for key, words in groups:
        if any(word in text for word in words):
            return key
    return None


def chapter_kind(para: Para) -> str | None:
    """What a chapter-like heading announces: action / project / tasks containers, or org (not sections)."""
    if not para.heading:
        return None
    text = re.split(r"[，,]", squeeze(para.title))[-1]  # 聚焦重点人群，实施科学素质提升行动: what it announces
    if len(text) > 24 or (label_kind(para) and (para.rank is None or para.rank > 1)):
        return None
    if PHASE_HEADING.search(text) or _ORG_CHAPTER.search(text):
        return "org"
    if _TASK_CHAPTER.search(text):
        return "tasks"
    # containers: 提升行动, 实施五项提升行动, 五大行动, 重点工程 — not a measure named …行动
    if re.search(r"行动$", text) and (
        _COUNTED.search(text) or "提升行动" in text or re.fullmatch(r"(?:实施)?(?:重点|主要)?行动", text)
    ) and not _group(text, ACTION_GROUPS):
        return "action"
    if re.search(r"工程$", text) and (
        _COUNTED.search(text) or "重点工程" in text or re.fullmatch(r"(?:实施)?(?:重点|主要)?工程", text)
    ) and not _group(text, PROJECT_GROUPS):
        return "project"
    return None


def label_kind(para: Para) -> str | None:
    """aim / measures / duty for the sub-headings some plans put inside a section (1.任务 2.措施 3.分工)."""
    if not para.heading:
        return None
    text = re.sub(r"[^\u4e00-\u9fff]", "", para.title)
    if text in AIM_LABELS:
        return "aim"
    if text in MEASURE_LABELS:
        return "measures"
    if text in DUTY_LABELS:
        return "duty"
    return None


def is_closing(para: Para) -> bool:
    return para.text.lstrip("*").startswith(_CLOSING)


# --------------------------------------------------------------------------------------------------
# sections


@dataclass
class _Heading:
    pos: int
    para: Para
    kind: str
    group: str
    title: str
    body_head: str = ""  # text after the heading sentence when heading and preamble share a paragraph


def find_sections(items: list[Block]) -> list[SectionDraft]:
    """The plan's sections in document order, with their measures and stated responsibility."""
    paras: list[Para | Table] = [make_para(item) if isinstance(item, str) else item for item in items]
    headings = _with_siblings(paras, _section_headings(paras))
    sections: list[SectionDraft] = []
    for n, head in enumerate(headings):
        end = headings[n + 1].pos if n + 1 < len(headings) else len(paras)
        body: list[Para] = []
        for item in paras[head.pos + 1:end]:
            if isinstance(item, Table) or _ends_section(item, head):
                break
            body.append(item)
        if head.body_head:
            body.insert(0, make_para(head.body_head))
        sections.append(parse_section(head, body))
    return _without_repeats(headings, sections)


def _without_repeats(headings: list[_Heading], sections: list[SectionDraft]) -> list[SectionDraft]:
    """A section named twice (a table of contents, a division-of-labour table read as text, a summary):
    keep the occurrence that holds the measures; drop headings with nothing under them."""
    keep: list[int] = []
    slots: dict[tuple[str, str], set[int]] = {}  # _twin_keys of a kept heading → its places in keep
    for n, head in enumerate(headings):
        section = sections[n]
        if not (section.tasks or section.preamble or section.duty):
            continue  # a heading with nothing under it: a line of a table of contents
        found = set().union(*(slots.get(key, ()) for key in _twin_keys(head)))
        if not found:
            keep.append(n)
            for key in _twin_keys(head):
                slots.setdefault(key, set()).add(len(keep) - 1)
            continue
        slot = min(found)  # the first kept twin
        if len(sections[n].tasks) > len(sections[keep[slot]].tasks):
            for key in _twin_keys(headings[keep[slot]]):
                slots[key].discard(slot)
            keep[slot] = n
            for key in _twin_keys(head):
                slots.setdefault(key, set()).add(slot)
    return [sections[n] for n in sorted(keep)]


def _twin_keys(head: _Heading) -> list[tuple[str, str]]:
    """Two headings name the same section when they share a key: the same kind, and the same title
    (Chinese characters only, without a leading 实施) or the same group."""
    keys = [(head.kind, "title:" + re.sub(r"[^\u4e00-\u9fff]|^实施", "", head.title))]
    if head.group != "other":
        keys.append((head.kind, "group:" + head.group))
    return keys


def _section_headings(paras: list[Para | Table]) -> list[_Heading]:
    found: list[_Heading] = []
    chapter: str | None = None
    open_rank: int | None = None  # rank of the last accepted section while it is open
    open_section = False
    for pos, para in enumerate(paras):
        if isinstance(para, Table):
            open_section = False
            continue
        match, body_head = _heading_match(para)
        if match is None:
            kind = chapter_kind(para)
            if para.heading and not label_kind(para) and (
                (para.rank is not None and para.rank <= 1)
                or (open_section and open_rank is not None and para.rank is not None and para.rank <= open_rank)
                or (para.rank is None and kind is not None)
            ):
                chapter = kind
                open_section = False
            elif is_closing(para):
                open_section = False
                chapter = None
            continue
        kind, group = match
        if open_section and open_rank is not None and para.rank is not None and para.rank > open_rank:
            if not (found[-1].group == "other" and group != "other" and found[-1].kind == kind):
                continue  # a measure inside the open section that happens to be named like one
            found.pop()  # 二、重点人群科学素质提升行动 holding （一）青少年… : a chapter, not a section
        if group == "other" and chapter in ("action", "project") and chapter != kind:
            continue
        if group == "other" and open_section and para.rank is None:
            continue
        title = clean_title(split_first_sentence(para.plain)[0])
        found.append(_Heading(pos, para, kind, group, title, body_head))
        open_rank = para.rank
        open_section = True
    return found


def _chapters(paras: list[Para | Table]) -> list[tuple[int, int, str | None]]:
    """(start, end, kind) of the plan's chapters: spans between 一、-level or named chapter headings."""
    starts: list[tuple[int, str | None]] = []
    for pos, para in enumerate(paras):
        if isinstance(para, Table) or not para.heading:
            continue
        kind = chapter_kind(para)
        if label_kind(para) and kind is None:
            continue
        if (para.rank is not None and para.rank <= 1) or (para.rank is None and kind is not None):
            starts.append((pos, kind if kind else _container_kind(para)))
    spans = []
    for n, (pos, kind) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(paras)
        spans.append((pos, end, kind))
    return spans


def _container_kind(para: Para) -> str | None:
    match = section_match(para.title)
    return match[0] if match else None


def _with_siblings(paras: list[Para | Table], found: list[_Heading]) -> list[_Heading]:
    """Add sections whose headings do not say 行动/工程 (（一）提升青少年科学素质) but stand at the level of the
    sections around them, or — when no heading says it — at the top level of a 提升行动/重点任务 chapter."""
    added: list[_Heading] = []
    positions = [head.pos for head in found]  # in document order
    taken = set(positions)
    for start, end, kind in _chapters(paras):
        if start in taken:
            continue  # the chapter is itself a section (一、青少年科学素质提升行动)
        inside = found[bisect_right(positions, start):bisect_left(positions, end)]
        if inside:
            ranks = {head.para.rank for head in inside}
            if len(ranks) != 1 or None in ranks:
                continue
            rank = ranks.pop()
            first, last = inside[0].pos, inside[-1].pos
        elif kind in ("action", "project", "tasks"):
            levels = [p.rank for p in paras[start + 1:end] if isinstance(p, Para) and p.heading and p.rank is not None]
            if not levels:
                continue
            rank, first, last = min(levels), start, end  # every top-level heading of the chapter
        else:
            continue
        for pos in range(start + 1, end):
            para = paras[pos]
            if isinstance(para, Table) or para.rank != rank or not para.heading or label_kind(para):
                continue
            if pos in taken or chapter_kind(para) == "org":
                continue
            title = para.title
            action, project = _group(title, ACTION_GROUPS), _group(title, PROJECT_GROUPS)
            between = first < pos < last
            if not (between or action or project) or len(squeeze(title)) > 30:
                continue
            if title.endswith("工程") or (project and not action) or (
                not action and (kind == "project" or (kind == "tasks" and not re.search(r"素质|素养|行动", title)))
            ):
                section_kind, group = "project", project or "other"
            else:
                section_kind, group = "action", action or "other"
            if section_kind == "action" and not (action or "素质" in title or between):
                continue
            added.append(_Heading(pos, para, section_kind, group, title))
    return sorted(found + added, key=lambda head: head.pos)


_NOTICE = re.compile(r"关于|印发|通知|方案[（(]|方案$")


def _heading_match(para: Para) -> tuple[tuple[str, str] | None, str]:
    if _NOTICE.search(split_first_sentence(para.plain[:80], "。：:")[0]):
        return None, ""  # the notice's title line (关于印发…提升行动方案的通知), not a section
    if para.heading:
        return section_match(para.title), ""
    if para.rank is not None and para.rank <= 3:
        first, rest = split_first_sentence(para.plain, "。：:")
        match = section_match(first)
        if match and match[1] != "other":
            return match, rest.strip()
    return None, ""


def _ends_section(para: Para, head: _Heading) -> bool:
    if is_closing(para):
        return True
    if not para.heading or label_kind(para):
        return False
    if para.rank is not None and (para.rank <= 1 or (head.para.rank is not None and para.rank <= head.para.rank)):
        return True
    if PHASE_HEADING.search(para.title):
        return True
    return para.rank is None and chapter_kind(para) is not None and not section_match(para.title)


# --------------------------------------------------------------------------------------------------
# measures


def parse_section(head: _Heading, body: list[Para]) -> SectionDraft:
    """The measures of one section, its preamble and the responsibility it states."""
    section = SectionDraft(head.kind, head.group, head.title)
    task_style = _task_style(body, head.para.rank)
    mode = "start"
    current: TaskDraft | None = None
    for para in body:
        label = label_kind(para)
        if label:
            mode = label
            if label == "aim":
                current = None
            continue
        duty = _duty_paragraph(para)
        if duty is not None:
            if mode == "duty" or current is None:
                section.duty.append(duty)
            else:
                if current.duty_para_at is None:
                    current.duty_para_at = len(current.duty)
                current.duty.append(duty)
            continue
        if mode == "duty":
            section.duty.append(Duty(para.text))
            continue
        if task_style is not None:
            starts = para.style == task_style
        elif current is not None and current.bare:
            starts = False  # the body under a heading line of its own
        else:
            starts = mode != "aim" and (opens_with_heading(para.plain) or _standalone_heading(para))
        items = enumerated_measures(para.plain) if mode != "aim" else []
        if items:  # 一是……（A牵头）；二是……（B牵头）: each item is a measure of its own
            section.tasks.extend(items)
            current = items[-1]
            mode = "measures"
        elif starts:
            current = _new_task(para, numbered=task_style is not None)
            section.tasks.append(current)
            if mode == "start":
                mode = "measures"
        elif current is not None and mode != "aim":
            text, duties = split_duty(para.plain)
            current.parts.append(text)
            current.duty.extend(duties)
        else:
            section.preamble.append(para.plain)
    if not section.tasks:
        _tasks_from_preamble(section)
    elif not section.duty:
        for text in section.preamble:  # the section's intro paragraph closing with （牵头单位：…）
            section.duty.extend(split_duty(text)[1])
    _lift_closing_duty(section)
    return section


_ENUMERATION = re.compile(r"(?:^|(?<=[。；;，,：:\s]))([一二三四五六七八九十]{1,2})是")


def enumerated_measures(text: str) -> list[TaskDraft]:
    """The items of an inline enumeration (一是……；二是……) when at least two of them name their own units."""
    if text.count("是") < 2:
        return []
    marks = list(_ENUMERATION.finditer(text))
    if len(marks) < 2:
        return []
    expected = 1
    starts: list[int] = []
    for mark in marks:
        if parse_cn_integer(mark.group(1)) == expected:
            starts.append(mark.start())
            expected += 1
    if len(starts) < 2:
        return []
    items: list[TaskDraft] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        body = text[start:end].strip(" ；;。，,")
        body = re.sub(r"^[一二三四五六七八九十]{1,2}是[：:，,]?", "", body)
        rest, duties = split_duty(body)
        first = split_first_sentence(rest, "。！？；;")[0]
        items.append(TaskDraft(title=clean_title(first_clause(first)), parts=[rest], duty=duties))
    if sum(1 for item in items if item.duty) < 2:
        return []
    return items


def _task_style(body: list[Para], section_rank: int | None) -> str | None:
    """The numbering style of the section's measures, or None when they are unnumbered paragraphs."""
    unnumbered_heads = 0
    for para in body:
        if label_kind(para) or _duty_paragraph(para) is not None:
            continue
        if para.style is not None and (section_rank is None or (para.rank or 0) > section_rank):
            return para.style if unnumbered_heads < 2 else None
        if para.style is None and opens_with_heading(para.plain):
            unnumbered_heads += 1
    return None


def opens_with_heading(plain: str) -> bool:
    """A paragraph that opens with its own short heading sentence (提升基础教育阶段科学教育水平。…)."""
    if _bold_heading(plain):
        return True
    first, rest = split_first_sentence(strip_bold(plain), "。！？；")
    first = squeeze(first)
    if not rest.strip() or LABEL_START.match(first):
        return _colon_heading(plain) is not None
    return 3 <= len(first) <= 32 and commas(first) <= 1 and "：" not in first or _colon_heading(plain) is not None


_COLON_HEAD = re.compile(r"^([^，,。；;：:\d（()）“”]{4,20})[：:](?=\S)")


def _colon_heading(plain: str) -> str | None:
    """A heading closed by a colon, its body after it (加强科普基础设施建设：推动…。), not a label (主要任务：)."""
    found = _COLON_HEAD.match(squeeze(strip_bold(plain)))
    if not found or LABEL_START.match(found.group(0)):
        return None
    head = found.group(1)
    if head in AIM_LABELS | MEASURE_LABELS | DUTY_LABELS or re.search(r"目标|任务|措施|分工|要求|原则|阶段|单位|部门|内容", head):
        return None
    return head


def _standalone_heading(para: Para) -> bool:
    """A heading line with its body in the next paragraph: short, no comma, no closing 。."""
    text = squeeze(strip_bold(para.text))
    return (para.heading and para.style is None and len(squeeze(para.title)) >= 4 and commas(text) == 0
            and not text.endswith("。"))


_BOLD_HEAD = re.compile(r"^\*\*(.+?)\*\*")


def _bold_heading(text: str) -> str | None:
    found = _BOLD_HEAD.match(text.strip())
    if found and len(found.group(1)) <= 60 and found.end() < len(text.strip()):
        return found.group(1)
    return None


def _new_task(para: Para, numbered: bool) -> TaskDraft:
    bold = _bold_heading(para.rest)
    text, duties = split_duty(para.plain)
    if bold:
        title = clean_title(bold)
    else:
        title = task_title(text, numbered)
    return TaskDraft(title=title, parts=[text], duty=duties)


def task_title(text: str, numbered: bool) -> str:
    """The measure's heading: its first sentence, or the first clause when a long heading runs on with commas."""
    stops = "。！？；：:" if numbered or _colon_heading(text) else "。！？；"
    first, rest = split_first_sentence(text.strip(), stops)
    first = first.strip()
    if numbered and rest.strip() and (len(squeeze(first)) > 40 or commas(first) > 1):
        first = first_clause(first)
    return clean_title(first)


_DUTY_SENTENCE = re.compile(
    r"^(?:(?:此项|该项|本项|以上|上述|各项|[^，,。；;（）()]{2,20}?)?(?:行动|工程|任务|工作|措施)?(?:均)?由)?"
    r"(.{2,300}?(?:牵头|负责|配合|参与|落实|协同推进))[。.]?$"
)


def _duty_paragraph(para: Para) -> Duty | None:
    """The responsibility statement when the whole paragraph is one (（责任单位：…）, 牵头部门：…)."""
    text = para.text.strip()
    plain = strip_bold(text).strip()
    if LABEL_START.match(plain):
        return Duty(plain)
    if plain[:1] in "（(" and _DUTY_WORDS.search(plain):
        inner, duties = split_duty(plain)
        if duties and not inner.strip(" 。"):
            return Duty(" ".join(d.text for d in duties))
    sentence = _DUTY_SENTENCE.match(plain)
    if sentence and para.style is None and is_unit_statement(sentence.group(1)):
        return Duty(sentence.group(1))  # 以上任务由县科协牵头，县教育局、团县委配合。
    return None



def _tasks_from_preamble(section: SectionDraft) -> None:
    """A section whose only text is a paragraph carrying its own responsibility: that paragraph is a measure."""
    for text in section.preamble:
        rest, duties = split_duty(text)
        if duties:
            section.tasks.append(TaskDraft(task_title(rest, numbered=False), [rest], duties))
    if section.tasks:
        section.preamble = [text for text in section.preamble if not split_duty(text)[1]]
    elif section.duty and section.preamble:
        # responsibility stated after an unheaded paragraph: read it as that paragraph's
        text = section.preamble.pop()
        section.tasks.append(TaskDraft(task_title(text, numbered=False), [text], section.duty))
        section.duty = []


def _lift_closing_duty(section: SectionDraft) -> None:
    """Only the last measure is followed by a responsibility paragraph, closing the section: it is the section's.

    The last measure keeps what its own text states (…（区妇联牵头，区科协配合）); only the paragraph is lifted.
    """
    tasks = section.tasks
    if len(tasks) < 2 or section.duty:
        return
    last = tasks[-1]
    followed = [task for task in tasks if task.duty_para_at is not None]
    own = [task for task in tasks[:-1] if task.duty]
    if followed == [last] and (not own or last.duty_para_at):
        at = last.duty_para_at
        section.duty, last.duty = last.duty[at:], last.duty[:at]
        last.duty_para_at = None

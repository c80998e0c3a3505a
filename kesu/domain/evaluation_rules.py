"""Whether a target was reached, for an evaluation (终期/中期评估) over a range of the plan's years — the rule in words.

The final value is the last approved (or live-counted) value dated on or before the end of the target's
deadline year; the deadline is the target's own year, or the last year evaluated for a yearly (每年) or
standing target, and never later than the last year evaluated (a mid-term evaluation judges what stands at
the end of its range). Until the deadline has passed the verdict says only where the target stands. A yearly target is judged on the value of that one year. A cumulative target starts
from 0 at the beginning of the plan period (as in target_progress); other targets' baseline is their first value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kesu.domain.number_text import comparator_text, number_text
from kesu.domain.target_progress import Observation, TargetSpec


@dataclass(frozen=True)
class Verdict:
    baseline: str  # in words: "0（计划期初按 0 计）", "120人（2022年3月31日）" or "—"
    final: Observation | None
    deadline: int
    reached: bool | None  # None: no value by the deadline
    due: bool  # the deadline lies within the evaluated years (else the verdict is only "so far")
    rule: str

    @property
    def label(self) -> str:
        if self.reached is None:
            return "暂无数据"
        word = "已达成" if self.reached else "未达成"
        return word if self.due else f"尚未到期（目前{word}）"


def meets(value: float, spec: TargetSpec) -> bool:
    return value > spec.value if spec.comparator == ">" else value >= spec.value


def verdict(spec: TargetSpec, observations: list[Observation], plan_start: int, last_year: int,
            today: dt.date) -> Verdict:
    """The verdict on a target at the end of `last_year` (the last year evaluated), as it stands on `today`."""
    deadline = min(spec.year, last_year) if spec.year and not spec.annual else last_year
    standing = spec.year is None and not spec.annual
    due = standing or ((spec.annual or spec.year <= last_year) and dt.date(deadline, 12, 31) < today)
    end = dt.date(deadline, 12, 31)
    obs = sorted((o for o in observations if o.as_of <= end), key=lambda o: o.as_of)
    cumulative = spec.year is not None and not spec.annual
    if cumulative:
        baseline = f"0（{plan_start}年初，累计目标按 0 计）"
    elif obs:
        baseline = f"{number_text(obs[0].value, grouping=True)}{spec.unit}（{obs[0].as_of:%Y年%m月%d日}）"
    else:
        baseline = "—"
    in_year = [o for o in obs if o.as_of.year == deadline] if spec.annual else obs
    final = in_year[-1] if in_year else None
    goal = f"{comparator_text(spec.comparator)}{number_text(spec.value, grouping=True)}{spec.unit}"
    kind = f"{deadline}年当年的数值" if spec.annual else f"截至{deadline}年12月31日最后一次审核通过的数值"
    rule = f"以{kind}为终值，终值{goal}即为达成；到期前没有数值的记为暂无数据。"
    if not due:
        rule += f"目标到{spec.year or deadline}年底才到期：只说明目前是否已达到。"
    return Verdict(baseline, final, deadline, None if final is None else meets(final.value, spec), due, rule)

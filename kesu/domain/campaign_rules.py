"""Theme campaigns (主题活动: 全国科普日, 科技活动周, 防灾减灾日…): audience groups, windows, who took part.

An office opens a campaign with a time window and invites units and townships; they register activities under it.
An activity names its audience groups with the participants of each: its participants are then the sum of the
groups (a head count given as well must not differ). A unit took part in a campaign when it registered at least one
activity with at least one photo inside the window (the score sheets: "以图片、总结、信息上报为准").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kesu.domain.refusals import Refused

AUDIENCE_LABELS: dict[str, str] = {
    "elderly": "老年人", "farmers": "农民", "youth": "青少年/学生", "workers": "产业工人", "cadres": "领导干部",
    "public": "公众",
}
ONLINE_LABELS: dict[str, str] = {"offline": "线下", "online": "线上", "both": "线上线下结合"}

TOOK_PART_RULE = "在主题活动时间窗口内登记至少 1 场活动且上传至少 1 张照片，视为参加"
COUNTED_WORDS = "次主题活动按时参加（窗口内、有照片）"


class CampaignProblem(Refused):
    """A campaign or an activity that breaks a rule; the message is Chinese, `field` names the form field."""


def audience_words(groups: Iterable[str]) -> str:
    """老年人、农民 — the groups in their fixed order ("" when none)."""
    chosen = set(groups)
    return "、".join(label for code, label in AUDIENCE_LABELS.items() if code in chosen)


def audience_counts_words(groups: Mapping[str, int]) -> str:
    """老年人 30、农民 50 — each group with its participants, in the fixed order ("" when none)."""
    return "、".join(f"{label} {groups[code]}" for code, label in AUDIENCE_LABELS.items() if code in groups)


def participants_of(declared: int | None, groups: Mapping[str, int]) -> int:
    """An activity's participants: the sum of its audience groups when any is given, else the declared head count.

    A declared head count that differs from the groups' sum is refused (which of the two is right is not ours to
    guess); unknown groups and negative numbers are refused by name.
    """
    for code, number in groups.items():
        if code not in AUDIENCE_LABELS:
            raise CampaignProblem(f"未知的受众群体“{code}”。", field="participants")
        if number < 0:
            raise CampaignProblem(f"受众群体“{AUDIENCE_LABELS[code]}”的参与人数不能为负数。", field=f"audience_{code}")
    if not groups:
        return max(declared or 0, 0)
    total = sum(groups.values())
    if declared and declared != total:
        raise CampaignProblem(f"参与人数 {declared} 与各受众群体人数之和 {total} 不一致，请核对。", field="participants")
    return total


def check_window(starts_on: dt.date, ends_on: dt.date, year: int) -> None:
    if ends_on < starts_on:
        raise CampaignProblem("结束日期不能早于开始日期。", field="ends_on")
    if starts_on.year != year and ends_on.year != year:
        raise CampaignProblem(f"活动时间应在{year}年内（至少部分在内）。", field="year")
    if (ends_on - starts_on).days > 366:
        raise CampaignProblem("主题活动的时间窗口不能超过一年。", field="ends_on")


def in_window(day: dt.date, starts_on: dt.date, ends_on: dt.date) -> bool:
    return starts_on <= day <= ends_on


@dataclass(frozen=True)
class Registered:
    """One registered activity as far as taking part is concerned."""

    campaign: int
    unit: int
    held_on: dt.date
    photos: int


@dataclass(frozen=True)
class Window:
    campaign: int
    starts_on: dt.date
    ends_on: dt.date


def took_part(window: Window, activities: Iterable[Registered]) -> set[int]:
    """The units that took part in the campaign: an activity inside the window with at least one photo."""
    return {a.unit for a in activities
            if a.campaign == window.campaign and a.photos > 0 and in_window(a.held_on, window.starts_on, window.ends_on)}


def shares(windows: Iterable[Window], invited: Iterable[tuple[int, int]],
           activities: Iterable[Registered]) -> dict[int, tuple[int, int]]:
    """unit → (campaigns taken part in, campaigns invited to), over the given campaigns.

    `invited` holds (campaign, unit) pairs; only invitations count as due, so taking part uninvited earns nothing
    extra and costs nothing.
    """
    activities = list(activities)
    done_by_campaign = {w.campaign: took_part(w, activities) for w in windows}
    result: dict[int, tuple[int, int]] = {}
    for campaign, unit in invited:
        if campaign not in done_by_campaign:
            continue
        done, due = result.get(unit, (0, 0))
        result[unit] = (done + (unit in done_by_campaign[campaign]), due + 1)
    return result


def idle(invited: Iterable[int], registered: Iterable[int]) -> list[int]:
    """Invited units (or townships) that registered nothing, in the order given."""
    done = set(registered)
    return [x for x in invited if x not in done]


def recurring_day(today: dt.date, month: int, day: int) -> dt.date:
    """This year's date of a yearly campaign if it is already past (or today), else last year's."""
    this_year = dt.date(today.year, month, day)
    return this_year if this_year <= today else dt.date(today.year - 1, month, day)

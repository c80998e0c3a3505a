"""Volunteer service hours (志愿服务时长): who records them, how they are counted, what a record proves.

Pure rules, no database. Sources:
- 《志愿服务条例》（2017）第十九条: the organisation that arranges a volunteer's service records it truthfully
  (个人基本信息、服务情况…), and issues a certificate of the record on request — so only the organiser records:
  a service order's hours by the team that held (served) the order, an activity's hours by the team that
  organised its volunteers. The office may correct a record.
- 民政部《志愿服务记录与证明出具办法》（2020）: service time is the time actually spent serving, in hours,
  without travel time.

Counting rules of Kesu (shown with the figures):
- from sign-in/sign-out: the time between them, rounded down to the half hour (不足半小时的部分不计);
- from the team's service record: every volunteer listed gets the service's duration, unless the team gives
  a volunteer fewer hours; nobody gets more than the service lasted;
- a volunteer cannot serve twice at the same time (sessions of one volunteer may not overlap), nor more than
  MAX_SESSION_HOURS in one session; a volunteer must be an approved member of the organising team on the day.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kesu.domain.refusals import Refused

HOUR_STEP = 0.5
MAX_SESSION_HOURS = 12.0
HOURS_RULE = (
    "服务时长按实际服务时间计（不含往返交通），以小时为单位：签到签退记录按两者间隔计算，不足半小时的部分不计；"
    "按服务队的服务记录登记的，每名参与志愿者计该次服务时长（服务队可为个别志愿者登记较少时长），"
    "单次不超过 12 小时，同一志愿者的服务时间不得重叠。时长由组织服务的服务队记录（《志愿服务条例》第十九条）。"
)


class HoursRefused(Refused):
    """The hours cannot be recorded as given; the message names the volunteer and the problem."""


def round_hours(hours: float) -> float:
    """Round down to the half hour: 1.74 → 1.5, 2.0 → 2.0, 0.4 → 0.0."""
    if hours <= 0:
        return 0.0
    return math.floor(hours / HOUR_STEP + 1e-9) * HOUR_STEP


def hours_between(sign_in: dt.datetime, sign_out: dt.datetime) -> float:
    """Hours of one sign-in/sign-out session, rounded down to the half hour."""
    if sign_out <= sign_in:
        raise HoursRefused("签退时间必须晚于签到时间。")
    raw = (sign_out - sign_in).total_seconds() / 3600
    if raw > MAX_SESSION_HOURS:
        raise HoursRefused(f"单次服务不能超过 {MAX_SESSION_HOURS:g} 小时（签到 {sign_in:%m-%d %H:%M}，签退 {sign_out:%m-%d %H:%M}）。")
    return round_hours(raw)


@dataclass(frozen=True)
class Session:
    """One volunteer's stay at one service: from `start` to `end` (a service record gives the service's times)."""

    volunteer: int
    start: dt.datetime
    end: dt.datetime
    source: str = ""  # what the session belongs to, for messages: “服务单 KS-… ”, “活动 …”


def check_overlaps(new: Iterable[Session], existing: Iterable[Session], names: Mapping[int, str] | None = None) -> None:
    """Refuse if a new session overlaps another session of the same volunteer (new or already recorded)."""
    names = names or {}
    placed: dict[int, list[Session]] = {}
    for session in existing:
        placed.setdefault(session.volunteer, []).append(session)
    for session in new:
        for other in placed.get(session.volunteer, []):
            if session.start < other.end and other.start < session.end:
                who = names.get(session.volunteer, f"志愿者 {session.volunteer}")
                raise HoursRefused(
                    f"{who}在 {other.start:%Y-%m-%d %H:%M}—{other.end:%H:%M} 已有服务记录（{other.source or '其他服务'}），"
                    "同一时间不能重复计时。"
                )
        placed.setdefault(session.volunteer, []).append(session)


def hours_from_record(duration_hours: float, volunteers: Iterable[int], fewer: Mapping[int, float] | None = None,
                      names: Mapping[int, str] | None = None) -> dict[int, float]:
    """Hours per volunteer from a team's service record: the service's duration, or fewer where the team says so."""
    names = names or {}
    if duration_hours <= 0:
        raise HoursRefused("服务时长必须大于 0。")
    if duration_hours > MAX_SESSION_HOURS:
        raise HoursRefused(f"单次服务时长不能超过 {MAX_SESSION_HOURS:g} 小时；跨天的服务请按天分别登记。")
    base = round_hours(duration_hours)
    result: dict[int, float] = {}
    for volunteer in volunteers:
        hours = base
        if fewer and volunteer in fewer and fewer[volunteer] is not None:
            given = fewer[volunteer]
            if given < 0:
                raise HoursRefused(f"{names.get(volunteer, volunteer)}的时长不能为负数。")
            if given > duration_hours:
                raise HoursRefused(
                    f"{names.get(volunteer, volunteer)}登记 {given:g} 小时，超过了本次服务时长 {duration_hours:g} 小时。"
                )
            hours = round_hours(given)
        result[volunteer] = hours
    if not result:
        raise HoursRefused("请至少选择一名参与服务的志愿者。")
    return result


def check_recorder(organiser_team: int | None, recorder_teams: Iterable[int], office: bool = False) -> None:
    """Only the organiser records (or the office corrects): 谁组织，谁记录。"""
    if office:
        return
    if organiser_team is None or organiser_team not in set(recorder_teams):
        raise HoursRefused("服务时长由组织本次服务的志愿服务队记录（谁组织、谁记录），您不是该服务队的管理员。")


def check_members(volunteers: Iterable[int], active_members: Iterable[int], names: Mapping[int, str] | None = None) -> None:
    """Every volunteer must be an approved member of the organising team."""
    names = names or {}
    members = set(active_members)
    outsiders = [names.get(v, str(v)) for v in volunteers if v not in members]
    if outsiders:
        raise HoursRefused(f"{'、'.join(outsiders)}不是本服务队已审核通过的队员，不能为其记录时长。")


@dataclass
class Summary:
    """A volunteer's record: total hours, services counted, hours per year."""

    total: float = 0.0
    services: int = 0
    by_year: dict[int, float] = field(default_factory=dict)

    def add(self, day: dt.date, hours: float) -> None:
        self.total += hours
        self.services += 1
        self.by_year[day.year] = self.by_year.get(day.year, 0.0) + hours


def summarise(entries: Iterable[tuple[dt.date, float]]) -> Summary:
    summary = Summary()
    for day, hours in sorted(entries):
        summary.add(day, hours)
    return summary


def star_level(total_hours: float) -> int:
    """星级 by accumulated hours: 100/300/600/1000/1500 小时 → 一至五星（民政部《志愿服务记录办法》2012 年第十七条）."""
    level = 0
    for threshold in (100, 300, 600, 1000, 1500):
        if total_hours >= threshold:
            level += 1
    return level

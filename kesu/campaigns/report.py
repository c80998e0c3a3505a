"""What a campaign report says (page, .docx and .xlsx read the same figures): activities by unit, by township and
by audience group, the invited units and townships that registered nothing, every activity, and the photos."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kesu.campaigns.models import Campaign, CampaignActivity
from kesu.domain.campaign_rules import AUDIENCE_LABELS, TOOK_PART_RULE, in_window
from kesu.tracking.models import Evidence

BY_AUDIENCE_RULE = ("按受众群体：场次为面向该群体（登记了该群体参与人数）的活动数，一场活动面向多个群体时分别计入；"
                    "人数为该群体的参与人数之和")
MAX_PHOTOS = 60  # photos embedded in the .docx appendix, in date order; the appendix says how many were left out


@dataclass
class Row:
    """One unit's or township's figures."""

    name: str
    activities: int = 0
    participants: int = 0
    scientists: int = 0
    volunteers: int = 0
    volunteer_hours: float = 0.0
    photos: int = 0
    took_part: bool = False

    def add(self, entry: CampaignActivity, photos: int) -> None:
        self.activities += 1
        self.participants += entry.activity.participants
        self.scientists += entry.scientists
        self.volunteers += entry.volunteers
        self.volunteer_hours += entry.volunteer_hours
        self.photos += photos


@dataclass
class Line:
    """One activity as listed in the report."""

    entry: CampaignActivity
    held_by: str
    audiences: str
    photos: list[Evidence]
    in_window: bool


@dataclass
class CampaignReport:
    campaign: Campaign
    lines: list[Line]
    by_unit: list[Row]
    by_township: list[Row]
    by_audience: list[tuple[str, int, int]]  # label, activities, participants
    idle_units: list[str]
    idle_townships: list[str]
    totals: Row
    photos: list[tuple[Line, Evidence]] = field(default_factory=list)
    took_part_rule: str = TOOK_PART_RULE
    by_audience_rule: str = BY_AUDIENCE_RULE


def build(campaign: Campaign, entries: list[CampaignActivity] | None = None) -> CampaignReport:
    """The report of the entries given (default: every activity of the campaign)."""
    if entries is None:
        entries = list(campaign.entries.select_related("activity__unit", "township")
                       .prefetch_related("activity__audiences", "activity__evidence"))
    units = list(campaign.invited_units.order_by("name"))
    townships = list(campaign.townships.order_by("position", "name"))
    by_unit = {u.pk: Row(u.name) for u in units}
    by_township = {t.pk: Row(t.name) for t in townships}
    audiences: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    lines, totals = [], Row("合计")
    for entry in entries:
        activity = entry.activity
        photos = [e for e in activity.evidence.all() if e.content_type.startswith("image/")]
        groups = {a.group: a.participants for a in activity.audiences.all()}
        line = Line(entry, entry.held_by, "、".join(f"{AUDIENCE_LABELS[g]} {n}" for g, n in _ordered(groups)),
                    photos, in_window(activity.held_on, campaign.starts_on, campaign.ends_on))
        lines.append(line)
        if entry.township_id:
            row = by_township.setdefault(entry.township_id, Row(entry.township.name))
        else:
            row = by_unit.setdefault(activity.unit_id, Row(activity.unit.name))
        row.add(entry, len(photos))
        if line.in_window and photos:
            row.took_part = True
        totals.add(entry, len(photos))
        for group, n in groups.items():
            audiences[group][0] += 1
            audiences[group][1] += n
    lines.sort(key=lambda x: (x.entry.activity.held_on, x.held_by))
    return CampaignReport(
        campaign=campaign, lines=lines, by_unit=list(by_unit.values()), by_township=list(by_township.values()),
        by_audience=[(label, *audiences[code]) for code, label in AUDIENCE_LABELS.items() if code in audiences],
        idle_units=[by_unit[u.pk].name for u in units if not by_unit[u.pk].activities],
        idle_townships=[by_township[t.pk].name for t in townships if not by_township[t.pk].activities],
        totals=totals, photos=[(line, photo) for line in lines for photo in line.photos],
    )


def _ordered(groups: dict[str, int]) -> list[tuple[str, int]]:
    return [(code, groups[code]) for code in AUDIENCE_LABELS if code in groups]


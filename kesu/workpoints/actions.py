"""Every write about the yearly work points: do_<verb>_<noun>() in one transaction with its history rows.
Edits carry the version the editor saw; a change made meanwhile by someone else is refused (StaleEdit)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kesu.domain import work_points as rules
from kesu.domain.plan_parsing import DocumentError, NotAPlanError
from kesu.domain.refusals import Refused
from kesu.org.models import MemberUnit
from kesu.plans.access import ensure_plan_open
from kesu.plans.actions import UnitResolver
from kesu.plans.importing import parse_upload
from kesu.plans.models import Plan, Task
from kesu.tracking.actions import do_add_due_items_to_open_cycles, do_withdraw_items
from kesu.workpoints import events
from kesu.workpoints.events import EventKind
from kesu.workpoints.models import PendingWorkPoints, WorkPlan, WorkPoint
from kesu.workpoints.reporting import SOURCE

Actor = AbstractBaseUser | None


class WorkPointRefused(Refused):
    pass


class StaleEdit(Refused):
    def __init__(self) -> None:
        super().__init__("这条工作要点在您打开之后已被他人修改，您的修改没有保存。请查看最新内容后再修改（您填写的内容仍保留在表单中）。")


def check_year(plan: Plan, year: int) -> None:
    """The plan still runs (an ended plan is read-only) and the year is one of its years."""
    ensure_plan_open(plan)
    if not plan.period_start <= year <= plan.period_end:
        raise WorkPointRefused(f"{year}年不在方案实施期（{plan.period_start}—{plan.period_end}年）内。", field="year")


def _names(units: Iterable[MemberUnit]) -> str:
    return "、".join(sorted(u.name for u in units)) or "无"


def _link_text(task: Task | None) -> str:
    return f"关联措施：{task.title}" if task else "本年新增"


def _refresh_cycles(workplan: WorkPlan, actor: Actor) -> None:
    """Open cycles of the year get item reports for new points and new lead units at once."""
    do_add_due_items_to_open_cycles(Plan.objects.filter(pk=workplan.plan_id), actor, workplan.year)


# ---------------------------------------------------------------------------- import


@transaction.atomic
def do_stage_work_points(plan: Plan, year: int, actor: Actor, name: str, data: bytes) -> PendingWorkPoints:
    """Read an uploaded 工作要点 (.docx/.txt) with the plan parser and keep its points until the office confirms."""
    check_year(plan, year)
    try:
        parsed, _ = parse_upload(name, data)
    except DocumentError as error:
        if isinstance(error, NotAPlanError) or isinstance(error.__cause__, NotAPlanError):  # read, but no headings
            raise rules.NoPointsFound(f"“{name}”中没有识别到工作要点：要点应写在带编号的提升行动或工程标题下，"
                                      "逐条注明（牵头单位：…；配合单位：…）。") from error
        raise
    points = rules.points_from_parsed(parsed, name)
    warnings = [w for w in parsed.get("warnings") or [] if "单位" in w]  # the plan-level checks do not apply
    return PendingWorkPoints.objects.create(
        plan=plan, year=year, source_name=name, uploaded_by=actor, warnings=warnings,
        points=[{"position": p.position, "section": p.section, "text": p.text, "lead": list(p.lead), "support": list(p.support)}
                for p in points],
    )


def pending_points(pending: PendingWorkPoints) -> list[rules.ParsedPoint]:
    return [rules.ParsedPoint(p["position"], p["section"], p["text"], tuple(p["lead"]), tuple(p["support"]))
            for p in pending.points]


def stored_points(workplan: WorkPlan | None) -> list[rules.StoredPoint]:
    if workplan is None:
        return []
    points = workplan.points.prefetch_related("lead_units", "support_units")
    return [rules.StoredPoint(p.pk, p.text, tuple(sorted(u.name for u in p.lead_units.all())),
                              tuple(sorted(u.name for u in p.support_units.all()))) for p in points]


def resolve_units(resolver: UnitResolver, names: Iterable[str]) -> tuple[list[MemberUnit], list[str]]:
    """The member units the written names stand for, and the names no unit or alias has (listed, not dropped)."""
    found, unknown = [], []
    for name in names:
        unit = resolver.find(name)
        if unit is None:
            unknown.append(name)
        elif unit not in found:
            found.append(unit)
    return found, unknown


@dataclass(frozen=True)
class ImportResult:
    workplan: WorkPlan
    added: int
    changed: int
    removed: int


@transaction.atomic
def do_confirm_work_points(pending: PendingWorkPoints, actor: Actor, links: Mapping[int, int | None]) -> ImportResult:
    """Store the staged points as the year's work points: each point linked to the chosen measure (position →
    task id) or, with None, marked 本年新增. A re-import revises the stored points: a point paired by wording
    keeps its identity and its reports; points no longer in the document are removed."""
    if not PendingWorkPoints.objects.select_for_update().filter(pk=pending.pk).exists():
        raise WorkPointRefused("这份工作要点已经确认导入过了，本次没有做任何改动。")  # confirmed once
    plan = pending.plan
    check_year(plan, pending.year)
    new_points = pending_points(pending)
    missing = [str(p.position) for p in new_points if p.position not in links]
    if missing:
        raise WorkPointRefused(f"第 {'、'.join(missing)} 条要点还没有选择关联的措施或“本年新增”。")
    tasks = Task.objects.in_bulk([t for t in links.values() if t is not None])
    if any(t is not None and (t not in tasks or tasks[t].section.plan_id != plan.pk) for t in links.values()):
        raise WorkPointRefused("所选措施不属于本方案，请刷新后重新选择。")
    workplan, created = WorkPlan.objects.select_for_update().get_or_create(plan=plan, year=pending.year)
    stored = stored_points(workplan)
    pairs = rules.pairing(stored, new_points)
    changes = rules.revise(stored, new_points)
    by_id = {p.pk: p for p in workplan.points.all()}
    resolver = UnitResolver(plan.jurisdiction)
    kept: dict[int, WorkPoint] = {}
    at_position: dict[int, WorkPoint] = {}
    for parsed in new_points:
        leads, unknown_leads = resolve_units(resolver, parsed.lead)
        supports, unknown_supports = resolve_units(resolver, parsed.support)
        task = tasks.get(links[parsed.position]) if links[parsed.position] is not None else None
        fields = {"position": parsed.position, "section": parsed.section[:300], "text": parsed.text, "task": task,
                  "is_new": task is None, "unmatched_units": "、".join(unknown_leads + unknown_supports)[:500]}
        point = by_id.get(pairs.get(parsed.position, 0))
        if point is None:
            point = WorkPoint.objects.create(workplan=workplan, **fields)
        else:
            old_link = _link_text(point.task)
            for name, value in fields.items():
                setattr(point, name, value)
            point.version += 1
            point.save()
            if old_link != _link_text(task):
                events.record(workplan, actor, EventKind.POINT_CHANGED, point=point, field="关联", old=old_link, new=_link_text(task))
        point.lead_units.set(leads)
        point.support_units.set(supports)
        kept[point.pk] = at_position[parsed.position] = point
    removed = [p for p in by_id.values() if p.pk not in kept]
    for change in changes:
        target = at_position.get(change.new_position) if change.new_position else None
        events.record(workplan, actor, EventKind.POINT_REMOVED if change.kind == "删除" else
                      EventKind.POINT_CHANGED if change.kind == "修改" else EventKind.POINT_ADDED,
                      point=target, subject=change.text, new="；".join(change.details))
    WorkPoint.objects.filter(pk__in=[p.pk for p in removed]).delete()
    do_withdraw_items(plan, SOURCE, [p.pk for p in removed], actor)
    WorkPlan.objects.filter(pk=workplan.pk).update(source_name=pending.source_name[:255], imported_at=timezone.now(),
                                                    version=F("version") + 1)
    added = sum(c.kind == "新增" for c in changes)
    changed = sum(c.kind == "修改" for c in changes)
    events.record(workplan, actor, EventKind.IMPORTED if created or not stored else EventKind.REVISED,
                  subject=pending.source_name, new=f"共 {len(new_points)} 条：新增 {added}，修改 {changed}，删除 {len(removed)}")
    pending.delete()
    workplan.refresh_from_db()
    _refresh_cycles(workplan, actor)
    return ImportResult(workplan, added, changed, len(removed))


# ---------------------------------------------------------------------------- by hand


@dataclass(frozen=True)
class PointData:
    section: str
    text: str
    lead_units: list[MemberUnit]
    support_units: list[MemberUnit]
    task: Task | None  # None: 本年新增


def _check(plan: Plan, data: PointData) -> None:
    if not data.text.strip():
        raise WorkPointRefused("请填写工作要点的内容。", field="text")
    if not data.lead_units:
        raise WorkPointRefused("请至少选择一个牵头单位。", field="lead_units")
    if any(u.jurisdiction_id != plan.jurisdiction_id for u in data.lead_units + data.support_units):
        raise WorkPointRefused("只能选择本地区的成员单位。", field="lead_units")
    if data.task is not None and data.task.section.plan_id != plan.pk:
        raise WorkPointRefused("所选措施不属于本方案。", field="link")


@transaction.atomic
def do_add_work_point(plan: Plan, year: int, actor: Actor, data: PointData) -> WorkPoint:
    """写工作要点: add one point by hand (the year's work plan is created with its first point)."""
    check_year(plan, year)
    _check(plan, data)
    workplan, _ = WorkPlan.objects.select_for_update().get_or_create(plan=plan, year=year)
    position = (workplan.points.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    point = WorkPoint.objects.create(workplan=workplan, position=position, section=data.section.strip()[:300],
                                     text=data.text.strip(), task=data.task, is_new=data.task is None)
    point.lead_units.set(data.lead_units)
    point.support_units.set(data.support_units)
    events.record(workplan, actor, EventKind.POINT_ADDED, point=point,
                  new=f"牵头：{_names(data.lead_units)}；{_link_text(data.task)}")
    _refresh_cycles(workplan, actor)
    return point


@transaction.atomic
def do_edit_work_point(point: WorkPoint, actor: Actor, expected_version: int, data: PointData) -> WorkPoint:
    point = WorkPoint.objects.select_for_update(of=("self",)).select_related("workplan__plan", "task").get(pk=point.pk)
    if point.version != expected_version:
        raise StaleEdit()
    workplan = point.workplan
    ensure_plan_open(workplan.plan)
    _check(workplan.plan, data)
    changes = [
        ("所属部分", point.section, data.section.strip()), ("内容", point.text, data.text.strip()),
        ("牵头单位", _names(point.lead_units.all()), _names(data.lead_units)),
        ("配合单位", _names(point.support_units.all()), _names(data.support_units)),
        ("关联", _link_text(point.task), _link_text(data.task)),
    ]
    point.section, point.text, point.task, point.is_new = data.section.strip()[:300], data.text.strip(), data.task, data.task is None
    point.version += 1
    point.save()
    point.lead_units.set(data.lead_units)
    point.support_units.set(data.support_units)
    for field, old, new in changes:
        if old != new:
            events.record(workplan, actor, EventKind.POINT_CHANGED, point=point, field=field, old=old, new=new)
    _refresh_cycles(workplan, actor)
    return point


@transaction.atomic
def do_remove_work_point(point: WorkPoint, actor: Actor, expected_version: int) -> None:
    """Remove a point; its reports never submitted go with it, submitted ones stay in their cycles."""
    point = WorkPoint.objects.select_for_update(of=("self",)).select_related("workplan__plan").get(pk=point.pk)
    if point.version != expected_version:
        raise StaleEdit()
    workplan = point.workplan
    ensure_plan_open(workplan.plan)
    events.record(workplan, actor, EventKind.POINT_REMOVED, subject=point.text, old=point.text)
    point_id = point.pk
    point.delete()
    do_withdraw_items(workplan.plan, SOURCE, [point_id], actor)

"""Every write to a plan goes through a do_<verb>_<noun>() here, inside one transaction.

Imports are all-or-nothing; a revised document is applied only when the caller confirms; a correction made
from a stale page (someone else saved in between) is refused, never silently overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Model

from kesu.domain.current_plan import overlaps
from kesu.domain.plan_revision import Change, diff_plans, pair_up, section_score, similarity, task_score
from kesu.domain.refusals import Refused
from kesu.domain.unit_names import clean_name, is_all_members, unit_key
from kesu.org.access import is_office_admin
from kesu.org.models import Jurisdiction, MemberUnit, UnitAlias
from kesu.plans import events
from kesu.plans.access import PlanEnded, ensure_plan_open
from kesu.plans.models import Phase, Plan, Responsibility, Section, Target, Task
from kesu.plans.serialize import plan_to_dict

Actor = AbstractBaseUser | None


class StaleEdit(Refused):
    """The object was changed by someone else since the form was opened."""

    def __init__(self, label: str) -> None:
        super().__init__(f"“{label}”已被其他人修改，您的修改没有保存。请查看最新内容后重新提交（您填写的内容仍保留在表单中）。")


class ImportRefused(Refused):
    """A parse that cannot become a plan (missing period, no sections); message is for the user."""


@dataclass
class ImportOutcome:
    plan: Plan | None
    created: bool = False
    unchanged: bool = False
    applied: bool = False
    changes: list[Change] = field(default_factory=list)
    predecessor: Plan | None = None  # a new plan: the jurisdiction's plan it follows (proposals to confirm next)
    overlapping: list[Plan] = field(default_factory=list)  # a new plan: plans whose years it shares

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.changes) and not self.applied


# ---------------------------------------------------------------------------- jurisdictions and units


@transaction.atomic
def do_ensure_jurisdiction(name: str, level: str, parent: Jurisdiction | None = None) -> Jurisdiction:
    jurisdiction, created = Jurisdiction.objects.get_or_create(name=name, defaults={"level": level, "parent": parent})
    if not created and parent is not None and jurisdiction.parent_id is None:
        jurisdiction.parent = parent
        jurisdiction.save(update_fields=["parent"])
    return jurisdiction


class UnitResolver:
    """Finds (or creates) the member unit a written name stands for, through keys and aliases."""

    def __init__(self, jurisdiction: Jurisdiction) -> None:
        self.jurisdiction = jurisdiction
        self.by_key = {u.key: u for u in MemberUnit.objects.filter(jurisdiction=jurisdiction)}
        for alias in UnitAlias.objects.filter(jurisdiction=jurisdiction).select_related("unit"):
            self.by_key.setdefault(alias.key, alias.unit)

    def find(self, written: str) -> MemberUnit | None:
        """The unit the name stands for, or None when no unit or alias of the jurisdiction has that name."""
        return self.by_key.get(unit_key(clean_name(written), self.jurisdiction.name))

    def resolve(self, written: str) -> MemberUnit:
        name = clean_name(written)
        key = unit_key(name, self.jurisdiction.name)
        unit = self.find(name)
        if unit is None:
            unit = MemberUnit.objects.create(
                jurisdiction=self.jurisdiction, name=name, key=key, stands_for_all=is_all_members(name)
            )
            self.by_key[key] = unit
        return unit


@transaction.atomic
def do_merge_units(keep: MemberUnit, merged: MemberUnit, actor: Actor) -> None:
    """Make `merged` an alias of `keep` (two spellings of one department) and move its responsibilities."""
    if keep.jurisdiction_id != merged.jurisdiction_id or keep.pk == merged.pk:
        raise ValueError("只能合并同一行政区划内的两个不同单位")
    Responsibility.objects.filter(unit=merged).update(unit=keep)
    UnitAlias.objects.filter(unit=merged).update(unit=keep)
    UnitAlias.objects.get_or_create(
        jurisdiction=keep.jurisdiction, key=merged.key, defaults={"unit": keep, "alias": merged.name}
    )
    for plan in Plan.objects.filter(jurisdiction=keep.jurisdiction):
        events.field_edited(plan, actor, "成员单位", "合并单位", merged.name, keep.name)
    merged.delete()


# ---------------------------------------------------------------------------- import and revision


def _period(parsed: dict) -> tuple[int, int]:
    period = parsed.get("period") or {}
    start, end = period.get("start"), period.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        raise ImportRefused("未能从方案标题中识别实施期（如“2021—2025年”），无法导入。")
    if not parsed.get("sections"):
        raise ImportRefused("方案中没有识别到提升行动或重点工程，无法导入。")
    return start, end


def find_existing_plan(jurisdiction: Jurisdiction, parsed: dict) -> Plan | None:
    start, end = _period(parsed)
    return Plan.objects.filter(jurisdiction=jurisdiction, period_start=start, period_end=end).first()


def _neighbours(jurisdiction: Jurisdiction, start: int, end: int) -> tuple[Plan | None, list[Plan]]:
    """A new plan's predecessor (the latest plan of the jurisdiction that started before it) and the plans whose
    periods it would share (two plans of one jurisdiction overlap only if the office confirms it)."""
    others = list(Plan.objects.filter(jurisdiction=jurisdiction).exclude(period_start=start, period_end=end)
                  .order_by("-period_end", "-period_start", "-pk"))
    predecessor = next((p for p in others if p.period_start < start), None)
    return predecessor, [p for p in others if overlaps(p.period_start, p.period_end, start, end)]


def overlap_message(overlapping: Sequence[Plan]) -> str:
    names = "、".join(f"《{p.title}》（{p.period_start}—{p.period_end}年）" for p in overlapping)
    return f"该方案的实施期与已有的{names}重叠。如确需两个方案同时实施，请勾选“确认两个方案期限重叠”后再导入。"


def preview_import(parsed: dict, jurisdiction: Jurisdiction, source_sha256: str) -> ImportOutcome:
    """What importing would do, without writing anything."""
    existing = find_existing_plan(jurisdiction, parsed)
    if existing is None:
        predecessor, overlapping = _neighbours(jurisdiction, *_period(parsed))
        return ImportOutcome(plan=None, created=True, predecessor=predecessor, overlapping=overlapping)
    if existing.source_sha256 == source_sha256:
        return ImportOutcome(plan=existing, unchanged=True)
    changes = diff_plans(plan_to_dict(existing), parsed)
    return ImportOutcome(plan=existing, unchanged=not changes, changes=changes)


@transaction.atomic
def do_import_plan(
    parsed: dict,
    *,
    jurisdiction: Jurisdiction,
    source_name: str,
    source_sha256: str,
    actor: Actor,
    confirm: bool = False,
    trusted: bool = False,
    allow_overlap: bool = False,
) -> ImportOutcome:
    """Store a parsed plan. A new plan is created at once; a revision is applied only with confirm=True.

    The actor must administer the jurisdiction at the moment of storing (an office admin demoted to viewer after
    uploading cannot confirm), unless there is no actor (system) or the caller is `trusted` (the server
    operator's CLI, where the actor is only recorded). A new plan whose years overlap another plan of the
    jurisdiction is refused unless `allow_overlap` (the office ticked 确认两个方案期限重叠); it records the plan it
    follows (predecessor), whose links the office then confirms (kesu.succession)."""
    if actor is not None and not trusted and not is_office_admin(actor, jurisdiction):
        raise ImportRefused(f"只有{jurisdiction.name}科协办公室管理员可以导入或修订该地区的方案")
    start, end = _period(parsed)
    existing = (
        Plan.objects.select_for_update()
        .filter(jurisdiction=jurisdiction, period_start=start, period_end=end)
        .first()
    )
    if existing is None:
        predecessor, overlapping = _neighbours(jurisdiction, start, end)
        if overlapping and not allow_overlap:
            raise ImportRefused(overlap_message(overlapping), field="overlap")
        plan = Plan(jurisdiction=jurisdiction, period_start=start, period_end=end, predecessor=predecessor)
        _set_plan_fields(plan, parsed, source_name, source_sha256)
        plan.save()
        units = UnitResolver(jurisdiction)
        for position, data in enumerate(parsed.get("sections") or []):
            _create_section(plan, position, data, units)
        _replace_phases(plan, parsed.get("phases") or [])
        events.plan_imported(plan, actor, source_name)
        return ImportOutcome(plan=plan, created=True, applied=True, predecessor=predecessor, overlapping=overlapping)
    if existing.source_sha256 == source_sha256:
        return ImportOutcome(plan=existing, unchanged=True)
    changes = diff_plans(plan_to_dict(existing), parsed)
    if not changes:
        return ImportOutcome(plan=existing, unchanged=True)
    if existing.is_ended:
        raise PlanEnded(existing)
    if not confirm:
        return ImportOutcome(plan=existing, changes=changes)
    _apply_revision(existing, parsed, source_name, source_sha256)
    events.plan_revised(existing, actor, source_name, changes)
    return ImportOutcome(plan=existing, changes=changes, applied=True)


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _set_plan_fields(plan: Plan, parsed: dict, source_name: str, source_sha256: str) -> None:
    headline = parsed.get("headline") or {}
    baseline, target = headline.get("baseline") or {}, headline.get("target") or {}
    plan.title = parsed.get("title") or ""
    plan.issuer = parsed.get("issuer") or ""
    plan.doc_number = parsed.get("doc_number") or ""
    plan.issued_on = _parse_date(parsed.get("issued_on"))
    plan.baseline_year, plan.baseline_value = baseline.get("year"), baseline.get("value")
    plan.target_year, plan.target_value = target.get("year"), target.get("value")
    plan.target_comparator = target.get("comparator") or ">="
    plan.parser_notes = parsed.get("notes") or []
    plan.source_name, plan.source_sha256 = source_name, source_sha256


def _create_section(plan: Plan, position: int, data: dict, units: UnitResolver) -> None:
    section = Section.objects.create(
        plan=plan, position=position, kind=data["kind"], group=data.get("group") or "other", title=data["title"]
    )
    _replace_section_responsibility(section, data, units)
    for task_position, task_data in enumerate(data.get("tasks") or []):
        task = Task.objects.create(section=section, position=task_position, title=task_data["title"])
        _replace_task_responsibility(task, task_data.get("lead") or [], task_data.get("support") or [], units)
        _replace_targets(task, task_data.get("targets") or [])


def _responsibility_rows(
    section: Section, task: Task | None, lead: Sequence[str], support: Sequence[str], units: UnitResolver
) -> list[Responsibility]:
    rows, seen = [], set()
    for role, names in ((Responsibility.Role.LEAD, lead), (Responsibility.Role.SUPPORT, support)):
        for name in names:
            unit = units.resolve(name)
            if (unit.pk, role) in seen:
                continue
            seen.add((unit.pk, role))
            rows.append(
                Responsibility(
                    section=section, task=task, unit=unit, role=role, position=len(rows), written_name=clean_name(name)
                )
            )
    return rows


def _replace_section_responsibility(section: Section, data: dict, units: UnitResolver) -> None:
    section.responsibilities.filter(task__isnull=True).delete()
    Responsibility.objects.bulk_create(
        _responsibility_rows(section, None, data.get("lead") or [], data.get("support") or [], units)
    )


def _replace_task_responsibility(task: Task, lead: Sequence[str], support: Sequence[str], units: UnitResolver) -> None:
    task.responsibilities.all().delete()
    Responsibility.objects.bulk_create(_responsibility_rows(task.section, task, lead, support, units))


def _target_fields(data: dict) -> dict:
    return {
        "indicator": data.get("indicator") or "",
        "value": float(data.get("value") or 0),
        "unit": data.get("unit") or "",
        "comparator": data.get("comparator") or "=",
        "year": data.get("year"),
        "annual": bool(data.get("annual")),
        "text": data.get("text") or "",
    }


def _target_score(old: Target, new: dict) -> float:
    if old.value == float(new.get("value") or 0) and old.unit == (new.get("unit") or ""):
        return 0.5 + 0.5 * max(similarity(old.indicator, new.get("indicator")), similarity(old.text, new.get("text")))
    return 0.9 * similarity(old.text, new.get("text"))


def _replace_targets(task: Task, targets: Sequence[dict]) -> None:
    """Update targets in place where they pair up (they will carry reported values), add and remove the rest."""
    old = list(task.targets.order_by("position"))
    for i, j in pair_up(old, list(targets), _target_score):
        if j is None:
            old[i].delete()
            continue
        fields = _target_fields(targets[j]) | {"position": j}
        if i is None:
            Target.objects.create(task=task, **fields)
        else:
            Target.objects.filter(pk=old[i].pk).update(**fields, version=F("version") + 1)


def _replace_phases(plan: Plan, phases: Sequence[dict]) -> None:
    plan.phases.all().delete()
    Phase.objects.bulk_create(
        Phase(plan=plan, position=i, name=p["name"], start=p["start"], end=p["end"]) for i, p in enumerate(phases)
    )


def _apply_revision(plan: Plan, parsed: dict, source_name: str, source_sha256: str) -> None:
    _set_plan_fields(plan, parsed, source_name, source_sha256)
    plan.version += 1
    plan.save()
    units = UnitResolver(plan.jurisdiction)
    old_sections = list(plan.sections.order_by("position"))
    new_sections = parsed.get("sections") or []
    old_dicts = [{"kind": s.kind, "group": s.group, "title": s.title} for s in old_sections]
    for i, j in pair_up(old_dicts, new_sections, section_score):
        if j is None:
            old_sections[i].delete()
            continue
        data = new_sections[j]
        if i is None:
            _create_section(plan, j, data, units)
            continue
        section = old_sections[i]
        Section.objects.filter(pk=section.pk).update(
            position=j, kind=data["kind"], group=data.get("group") or "other", title=data["title"],
            version=F("version") + 1,
        )
        _replace_section_responsibility(section, data, units)
        _revise_tasks(section, data.get("tasks") or [], units)
    _replace_phases(plan, parsed.get("phases") or [])


def _revise_tasks(section: Section, tasks: Sequence[dict], units: UnitResolver) -> None:
    old_tasks = list(section.tasks.order_by("position"))
    old_dicts = [{"title": t.title} for t in old_tasks]
    for i, j in pair_up(old_dicts, list(tasks), task_score):
        if j is None:
            old_tasks[i].delete()
            continue
        data = tasks[j]
        if i is None:
            task = Task.objects.create(section=section, position=j, title=data["title"])
        else:
            task = old_tasks[i]
            Task.objects.filter(pk=task.pk).update(position=j, title=data["title"], version=F("version") + 1)
        _replace_task_responsibility(task, data.get("lead") or [], data.get("support") or [], units)
        _replace_targets(task, data.get("targets") or [])


# ---------------------------------------------------------------------------- corrections from the web forms


def _claim_version(obj: Model, expected_version: int, label: str) -> None:
    """Bump the version if nobody saved since `expected_version`; otherwise refuse the edit."""
    updated = type(obj).objects.filter(pk=obj.pk, version=expected_version).update(version=F("version") + 1)
    if not updated:
        raise StaleEdit(label)
    obj.version = expected_version + 1


def _record_changes(plan: Plan, actor: Actor, subject: str, obj: Model, changes: dict, labels: dict) -> list[str]:
    changed = []
    for name, value in changes.items():
        old = getattr(obj, name)
        if old != value:
            events.field_edited(plan, actor, subject, labels.get(name, name), old, value)
            setattr(obj, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def do_edit_plan(plan: Plan, actor: Actor, expected_version: int, changes: dict) -> None:
    ensure_plan_open(plan)
    _claim_version(plan, expected_version, plan.title)
    labels = {f.name: str(f.verbose_name) for f in Plan._meta.fields}
    changed = _record_changes(plan, actor, "方案信息", plan, changes, labels)
    if changed:
        plan.save(update_fields=changed)


@transaction.atomic
def do_edit_section(
    section: Section, actor: Actor, expected_version: int, changes: dict, lead: Sequence[str], support: Sequence[str]
) -> None:
    """Correct a section's title/kind/group and the responsibility stated once for the whole section."""
    ensure_plan_open(section.plan)
    _claim_version(section, expected_version, section.title)
    subject = f"章节：{section.title}"
    labels = {f.name: str(f.verbose_name) for f in Section._meta.fields}
    changed = _record_changes(section.plan, actor, subject, section, changes, labels)
    if changed:
        section.save(update_fields=changed)
    _record_unit_lists(section.plan, actor, subject, list(section.responsibilities.filter(task__isnull=True)),
                       lead, support, ("本章牵头单位", "本章配合单位"))
    _replace_section_responsibility(section, {"lead": lead, "support": support}, UnitResolver(section.plan.jurisdiction))


def _record_unit_lists(
    plan: Plan, actor: Actor, subject: str, current: list[Responsibility],
    lead: Sequence[str], support: Sequence[str], labels: tuple[str, str],
) -> None:
    for role, names, label in (("lead", lead, labels[0]), ("support", support, labels[1])):
        before = "、".join(r.written_name for r in sorted(current, key=lambda r: r.position) if r.role == role)
        after = "、".join(clean_name(n) for n in names)
        if before != after:
            events.field_edited(plan, actor, subject, label, before, after)


@transaction.atomic
def do_edit_task(
    task: Task, actor: Actor, expected_version: int, title: str, lead: Sequence[str], support: Sequence[str]
) -> None:
    plan = task.section.plan
    ensure_plan_open(plan)
    _claim_version(task, expected_version, task.title)
    subject = f"措施：{task.title}"
    if title != task.title:
        events.field_edited(plan, actor, subject, "措施标题", task.title, title)
        task.title = title
        task.save(update_fields=["title"])
    _record_unit_lists(plan, actor, subject, list(task.responsibilities.all()), lead, support, ("牵头单位", "配合单位"))
    _replace_task_responsibility(task, lead, support, UnitResolver(plan.jurisdiction))


@transaction.atomic
def do_save_target(task: Task, target: Target | None, actor: Actor, expected_version: int, data: dict) -> Target:
    plan = task.section.plan
    ensure_plan_open(plan)
    fields = _target_fields(data) | {name: data.get(name) for name in ("baseline", "baseline_year") if name in data}
    if target is None:
        position = task.targets.count()
        target = Target.objects.create(task=task, position=position, **fields)
        events.field_edited(plan, actor, f"措施：{task.title}", "新增量化目标", "", str(target))
        return target
    _claim_version(target, expected_version, str(target))
    labels = {f.name: str(f.verbose_name) for f in Target._meta.fields}
    changed = _record_changes(plan, actor, f"量化目标：{target}", target, fields, labels)
    if changed:
        target.save(update_fields=changed)
    return target


@transaction.atomic
def do_delete_target(target: Target, actor: Actor) -> None:
    ensure_plan_open(target.task.section.plan)
    events.field_edited(target.task.section.plan, actor, f"措施：{target.task.title}", "删除量化目标", str(target), "")
    target.delete()


@transaction.atomic
def do_replace_phases(plan: Plan, actor: Actor, phases: Sequence[dict]) -> None:
    ensure_plan_open(plan)
    before = "；".join(f"{p.name} {p.start}—{p.end}" for p in plan.phases.all())
    after = "；".join(f"{p['name']} {p['start']}—{p['end']}" for p in phases)
    if before != after:
        events.field_edited(plan, actor, "进度安排", "阶段", before, after)
        _replace_phases(plan, phases)


@transaction.atomic
def do_set_plan_status(plan: Plan, actor: Actor, status: str) -> None:
    """Publish or unpublish; an ended plan stays ended (kesu.succession ends plans, with the successor's links)."""
    ensure_plan_open(plan)
    if status == Plan.Status.ENDED:
        raise ValueError("结束方案请在后续方案的衔接确认中办理")
    if plan.status == status:
        return
    plan.status = status
    plan.save(update_fields=["status"])
    if status == Plan.Status.PUBLISHED:
        events.plan_published(plan, actor)
    else:
        events.plan_unpublished(plan, actor)

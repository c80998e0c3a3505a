"""Every write about funding: do_<verb>_<noun>() in one transaction with its history row. Amounts are checked by
kesu.domain.funding_rules (a negative amount, a population of 0… is refused naming the field, nothing stored).
Edits carry the version the editor saw; a change made meanwhile by someone else is refused (StaleEdit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from kesu.domain import funding_rules as rules
from kesu.domain.evidence_rules import check_evidence
from kesu.domain.funding_rules import FundingRefused
from kesu.domain.refusals import Refused
from kesu.funding import events
from kesu.funding.events import EventKind
from kesu.funding.models import (
    AllocationImport,
    AllocationLine,
    FundingStandard,
    FundingYear,
    SpendingEntry,
    SpendingFile,
    UnitFunding,
)
from kesu.funding.queries import leads
from kesu.org.models import Jurisdiction, MemberUnit
from kesu.plans import data_version
from kesu.plans.models import Plan, Task

Actor = AbstractBaseUser | None

AMOUNT_FIELDS = ("special_budgeted", "special_received", "government_total", "donation", "self_raised", "other_income",
                 "use_activities", "use_venues", "use_exhibits", "use_other")
YEAR_FIELDS = ("population", *AMOUNT_FIELDS, "note")


class StaleEdit(Refused):
    def __init__(self) -> None:
        super().__init__("这条记录在您打开之后已被他人修改，您的修改没有保存。请查看最新内容后再修改。")


def _label(field: str) -> str:
    return str(FundingYear._meta.get_field(field).verbose_name)


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return rules.wan_text(value)
    return str(value)


def clean_year_data(data: dict) -> dict:
    """Every field of a FundingYear checked by the domain rules (the first problem refused, naming its field)."""
    cleaned = {field: rules.amount(_label(field), data.get(field)) for field in AMOUNT_FIELDS}
    cleaned["population"] = rules.population(data.get("population"))
    cleaned["note"] = str(data.get("note") or "").strip()
    rules.check_sources(rules.Sources(cleaned["government_total"], cleaned["special_received"]))
    return cleaned


def _check_year(year: int) -> None:
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise FundingRefused(f"年度应在 2000 年至 {timezone.localdate().year + 1} 年之间。")


def ensure_year(jurisdiction: Jurisdiction, year: int) -> FundingYear:
    _check_year(year)
    row, _ = FundingYear.objects.get_or_create(jurisdiction=jurisdiction, year=year)
    return row


@transaction.atomic
def do_save_funding_year(jurisdiction: Jurisdiction, year: int, actor: Actor, expected_version: int,
                         data: dict) -> FundingYear:
    """Store a year's funding (population, 专项 budgeted/received, sources, usage). `expected_version` is 0 for a
    year not yet entered; each changed field is recorded with its old and new value."""
    _check_year(year)
    cleaned = clean_year_data(data)
    row = FundingYear.objects.select_for_update().filter(jurisdiction=jurisdiction, year=year).first()
    if row is None:
        if expected_version:
            raise StaleEdit()
        row = FundingYear.objects.create(jurisdiction=jurisdiction, year=year, version=0)
    elif row.version != expected_version:
        raise StaleEdit()
    if row.population != cleaned["population"]:
        for plan_id in Plan.objects.filter(jurisdiction=jurisdiction).values_list("pk", flat=True):
            data_version.bump(plan_id)  # the cached roll-ups above weigh rates by this population
    for field in YEAR_FIELDS:
        old = getattr(row, field)
        if old != cleaned[field]:
            setattr(row, field, cleaned[field])
            events.record(jurisdiction, year, actor, EventKind.YEAR_SAVED, subject=f"{year}年科普经费",
                          field=_label(field), old=_shown(old), new=_shown(cleaned[field]))
    row.version += 1
    row.save()
    return row


@transaction.atomic
def do_set_standard(jurisdiction: Jurisdiction, year: int, actor: Actor, value: object,
                    expected_version: int | None = None) -> FundingStandard:
    """The per-capita standard (元/人) of the jurisdiction for a year; the areas below inherit it. `expected_version`
    is the version the editor saw (0: none set yet); None only where no one else can edit (the demo)."""
    _check_year(year)
    yuan = rules.standard(value)
    row = FundingStandard.objects.select_for_update().filter(jurisdiction=jurisdiction, year=year).first()
    if expected_version is not None and (row.version if row else 0) != expected_version:
        raise StaleEdit()
    old = row.yuan_per_person if row else None
    if row is None:
        row = FundingStandard.objects.create(jurisdiction=jurisdiction, year=year, yuan_per_person=yuan)
    elif row.yuan_per_person != yuan:
        row.yuan_per_person, row.version = yuan, row.version + 1
        row.save()
    if old != yuan:
        events.record(jurisdiction, year, actor, EventKind.STANDARD_SET, subject=f"{year}年人均经费标准",
                      field="人均经费标准（元/人）", old=_shown(old), new=_shown(yuan))
    return row


def clean_line(funding_year: FundingYear, data: dict) -> dict:
    project = str(data.get("project") or "").strip()
    if not project:
        raise FundingRefused("请填写“项目”。", field="项目")
    unit, task = data.get("unit"), data.get("task")
    if not isinstance(unit, MemberUnit) or unit.jurisdiction_id != funding_year.jurisdiction_id or unit.stands_for_all:
        raise FundingRefused("“实施单位”须是本地区的成员单位。", field="实施单位")
    if task is not None and (not isinstance(task, Task) or task.section.plan.jurisdiction_id != funding_year.jurisdiction_id):
        raise FundingRefused("“关联措施”须是本地区实施方案中的措施。", field="关联措施")
    return {"project": project[:200], "content": str(data.get("content") or "").strip(), "unit": unit, "task": task,
            "planned": rules.amount("计划经费（万元）", data.get("planned"), required=True)}


def _line_text(line: AllocationLine) -> str:
    return f"{line.unit.name}，计划 {rules.wan_text(line.planned)} 万元"


@transaction.atomic
def do_add_line(jurisdiction: Jurisdiction, year: int, actor: Actor, data: dict) -> AllocationLine:
    funding_year = ensure_year(jurisdiction, year)
    cleaned = clean_line(funding_year, data)
    position = (funding_year.lines.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    line = AllocationLine.objects.create(funding_year=funding_year, position=position, **cleaned)
    events.record(jurisdiction, year, actor, EventKind.LINE_ADDED, subject=line.project, new=_line_text(line))
    return line


LINE_LABELS = {"project": "项目", "content": "内容", "unit": "实施单位", "task": "关联措施", "planned": "计划经费（万元）"}


@transaction.atomic
def do_edit_line(line: AllocationLine, actor: Actor, expected_version: int, data: dict) -> AllocationLine:
    line = AllocationLine.objects.select_for_update().select_related("funding_year__jurisdiction").get(pk=line.pk)
    if line.version != expected_version:
        raise StaleEdit()
    funding_year = line.funding_year
    cleaned = clean_line(funding_year, data)
    for field, value in cleaned.items():
        old = getattr(line, field)
        if old != value:
            setattr(line, field, value)
            events.record(funding_year.jurisdiction, funding_year.year, actor, EventKind.LINE_CHANGED, subject=line.project,
                          field=LINE_LABELS[field], old=_shown(old), new=_shown(value))
    line.version += 1
    line.save()
    return line


@transaction.atomic
def do_remove_line(line: AllocationLine, actor: Actor, expected_version: int) -> None:
    line = AllocationLine.objects.select_for_update().select_related("funding_year__jurisdiction", "unit").get(pk=line.pk)
    if line.version != expected_version:
        raise StaleEdit()
    if line.spending.exists():
        raise FundingRefused(f"“{line.project}”已登记支出，不能删除。")
    funding_year = line.funding_year
    events.record(funding_year.jurisdiction, funding_year.year, actor, EventKind.LINE_REMOVED, subject=line.project,
                  old=_line_text(line))
    line.delete()


def clean_spending(funding_year: FundingYear, spent_on: dt.date, amount: object, note: str) -> tuple[Decimal, str]:
    """The checks of a spending entry, the same for recording and correcting it: amount > 0 (万元), a date in the
    line's year not after today, a note."""
    value = rules.amount("金额（万元）", amount, required=True)
    if value == 0:
        raise FundingRefused("“金额（万元）”应大于 0。", field="金额（万元）")
    if spent_on.year != funding_year.year or spent_on > timezone.localdate():
        raise FundingRefused(f"“支出日期”应在 {funding_year.year} 年内且不晚于今天。", field="支出日期")
    if not note.strip():
        raise FundingRefused("请填写“用途说明”。", field="用途说明")
    return value, note.strip()[:500]


def _attach(entry: SpendingEntry, files: Iterable[UploadedFile], actor: Actor) -> list[str]:
    """Store evidence files of an entry (kesu.domain.evidence_rules); their names."""
    names = []
    uploader = actor if actor is not None and actor.is_authenticated else None
    for upload in files:
        head = upload.read(16)
        upload.seek(0)
        content_type = check_evidence(upload.name, upload.size, head, settings.KESU_MAX_EVIDENCE)
        SpendingFile.objects.create(entry=entry, file=upload, original_name=upload.name[:255], content_type=content_type,
                                    size=upload.size, uploaded_by=uploader)
        names.append(upload.name)
    return names


def _spending_text(entry: SpendingEntry) -> str:
    return f"{entry.spent_on:%Y-%m-%d} {rules.wan_text(entry.amount)} 万元：{entry.note}"


def _delete_stored(files: list[SpendingFile]) -> None:
    """Remove the stored files once the transaction has committed (a refused change keeps them)."""
    stored = [(f.file.storage, f.file.name) for f in files]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in stored])


@transaction.atomic
def do_record_spending(line: AllocationLine, actor: Actor, spent_on: dt.date, amount: object, note: str,
                       files: Iterable[UploadedFile] = ()) -> SpendingEntry:
    """A spending entry of an allocation line in its year, with its evidence files (kesu.domain.evidence_rules)."""
    funding_year = line.funding_year
    value, text = clean_spending(funding_year, spent_on, amount, note)
    entry = SpendingEntry.objects.create(line=line, spent_on=spent_on, amount=value, note=text,
                                         recorded_by=actor if actor is not None and actor.is_authenticated else None)
    names = _attach(entry, files, actor)
    events.record(funding_year.jurisdiction, funding_year.year, actor, EventKind.SPENDING_RECORDED, subject=line.project,
                  new=_spending_text(entry) + (f"（佐证 {len(names)} 份）" if names else ""))
    return entry


def _locked_entry(entry: SpendingEntry, expected_version: int) -> SpendingEntry:
    locked = (SpendingEntry.objects.select_for_update().select_related("line__funding_year__jurisdiction")
              .filter(pk=entry.pk).first())
    if locked is None or locked.version != expected_version:
        raise StaleEdit()
    return locked


@transaction.atomic
def do_edit_spending(entry: SpendingEntry, actor: Actor, expected_version: int, spent_on: dt.date, amount: object,
                     note: str, files: Iterable[UploadedFile] = (), remove_file_ids: Iterable[int] = ()) -> SpendingEntry:
    """Correct a spending entry (date, amount, note; evidence added or removed), checked as when it was recorded.
    Each changed field and each file is recorded in the history; the line's spent total follows the entries."""
    entry = _locked_entry(entry, expected_version)
    line, funding_year = entry.line, entry.line.funding_year
    value, text = clean_spending(funding_year, spent_on, amount, note)
    subject = f"{line.project}：{entry.spent_on:%Y-%m-%d} 支出"
    changes = [("支出日期", entry.spent_on, spent_on, f"{entry.spent_on:%Y-%m-%d}", f"{spent_on:%Y-%m-%d}"),
               ("金额（万元）", entry.amount, value, rules.wan_text(entry.amount), rules.wan_text(value)),
               ("用途说明", entry.note, text, entry.note, text)]
    for label, old, new, old_text, new_text in changes:
        if old != new:
            events.record(funding_year.jurisdiction, funding_year.year, actor, EventKind.SPENDING_CHANGED,
                          subject=subject, field=label, old=old_text, new=new_text)
    entry.spent_on, entry.amount, entry.note = spent_on, value, text
    wanted = set(remove_file_ids)
    dropped = list(entry.files.filter(pk__in=wanted))
    if len(dropped) != len(wanted):
        raise FundingRefused("要删除的佐证材料不属于这条支出。", field="佐证材料")
    for stored in dropped:
        events.record(funding_year.jurisdiction, funding_year.year, actor, EventKind.SPENDING_CHANGED,
                      subject=subject, field="佐证材料", old=stored.original_name, new="（已删除）")
    SpendingFile.objects.filter(pk__in=[f.pk for f in dropped]).delete()
    _delete_stored(dropped)
    for name in _attach(entry, files, actor):
        events.record(funding_year.jurisdiction, funding_year.year, actor, EventKind.SPENDING_CHANGED,
                      subject=subject, field="佐证材料", new=f"{name}（新增）")
    entry.version += 1
    entry.save()
    return entry


@transaction.atomic
def do_remove_spending(entry: SpendingEntry, actor: Actor, expected_version: int, reason: str) -> None:
    """Remove a spending entry with its evidence; the reason is required and kept in the history."""
    entry = _locked_entry(entry, expected_version)
    if not reason.strip():
        raise FundingRefused("请填写删除原因。", field="删除原因")
    line, funding_year = entry.line, entry.line.funding_year
    files = list(entry.files.all())
    events.record(funding_year.jurisdiction, funding_year.year, actor, EventKind.SPENDING_REMOVED, subject=line.project,
                  old=_spending_text(entry) + (f"（佐证 {len(files)} 份）" if files else ""),
                  new=f"删除原因：{reason.strip()[:500]}")
    entry.delete()
    _delete_stored(files)


@transaction.atomic
def do_save_unit_funding(unit: MemberUnit, task: Task, year: int, actor: Actor, expected_version: int, amount: object,
                         note: str) -> UnitFunding:
    """A unit's own funding for a measure it leads (0 for a new entry)."""
    _check_year(year)
    if not leads(unit, task):
        raise FundingRefused(f"{unit.name}不是“{task.title[:30]}”的牵头单位，只能填报本单位牵头措施的经费。")
    value = rules.amount("投入经费（万元）", amount, required=True)
    row = UnitFunding.objects.select_for_update().filter(unit=unit, task=task, year=year).first()
    if row is None:
        if expected_version:
            raise StaleEdit()
        row = UnitFunding(unit=unit, task=task, year=year, amount=value, version=0)
    elif row.version != expected_version:
        raise StaleEdit()
    old = rules.wan_text(row.amount) if row.pk else ""
    row.amount, row.note, row.version = value, note.strip()[:500], row.version + 1
    row.save()
    events.record(unit.jurisdiction, year, actor, EventKind.UNIT_FUNDING_SAVED, subject=f"{unit.name}：{task.title[:60]}",
                  field="投入经费（万元）", old=old, new=rules.wan_text(value))
    return row


@transaction.atomic
def do_upload_allocations(jurisdiction: Jurisdiction, year: int, actor: Actor, name: str, data: bytes) -> AllocationImport:
    """Keep an uploaded allocation table until the office confirms it (its problems are shown first)."""
    funding_year = ensure_year(jurisdiction, year)
    return AllocationImport.objects.create(funding_year=funding_year, name=name[:255], data=data, uploaded_by=actor)


@transaction.atomic
def do_confirm_allocations(batch: AllocationImport, actor: Actor, rows: Iterable[dict]) -> int:
    """Import the checked rows of a batch once: a second confirmation (double click, two tabs) imports nothing."""
    claimed = AllocationImport.objects.filter(pk=batch.pk, imported_at__isnull=True).update(imported_at=timezone.now())
    if not claimed:
        raise FundingRefused(f"“{batch.name}”已经导入，不能重复导入。")
    funding_year = batch.funding_year
    start = funding_year.lines.order_by("-position").values_list("position", flat=True).first() or 0
    lines = [AllocationLine(funding_year=funding_year, position=start + i, **clean_line(funding_year, row))
             for i, row in enumerate(rows, start=1)]
    AllocationLine.objects.bulk_create(lines)
    AllocationImport.objects.filter(pk=batch.pk).update(imported_count=len(lines), data=b"")
    planned = rules.total(line.planned for line in lines)
    events.record(funding_year.jurisdiction, funding_year.year, actor, EventKind.LINES_IMPORTED, subject=batch.name,
                  new=f"{len(lines)} 个项目，计划经费合计 {rules.wan_text(planned)} 万元")
    return len(lines)

"""The school list from .xlsx (学校名称, 学段类型, 所在乡镇): all or nothing, every problem named by its row and
column, confirmed once. A school already listed is updated (type, township); a new one is added."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kesu.datasets import events
from kesu.datasets.events import EventKind
from kesu.datasets.models import School, SchoolImport
from kesu.org.models import Jurisdiction
from kesu.volunteering.importing import ImportRefused, Problem, read_rows

COLUMNS = [("学校名称", True), ("学段类型", True), ("所在乡镇", False)]
KIND_BY_LABEL = {label: value for value, label in School.Kind.choices}
NOTES = [
    "第 1 行为表头，带 * 的列必填；每行一所学校。",
    f"学段类型可选：{'、'.join(KIND_BY_LABEL)}。",
    "名称与已登记学校相同的行更新其学段类型和所在乡镇；其余行新增学校。",
    "任何一行有问题时整批不导入，并指出行号和列名；确认导入只生效一次。",
]


@dataclass
class CheckedSchools:
    rows: list[dict] = field(default_factory=list)  # name, kind, township, new
    problems: list[Problem] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(1 for r in self.rows if r["new"])


def check_schools(jurisdiction: Jurisdiction, data: bytes, name: str) -> CheckedSchools:
    header, rows = read_rows(data, name)
    result = CheckedSchools()
    missing = [column for column, required in COLUMNS if required and column not in header]
    if missing:
        result.problems.append(Problem(1, "表头", f"缺少必填列：{'、'.join(missing)}（可下载示例文件对照）"))
        return result
    index = {h: i for i, h in enumerate(header)}
    listed = set(School.objects.filter(jurisdiction=jurisdiction).values_list("name", flat=True))
    seen: dict[str, int] = {}
    for number, cells in rows:
        cell = {column: cells[index[column]] if column in index and index[column] < len(cells) else "" for column, _ in COLUMNS}
        problems = [Problem(number, column, "必填") for column, required in COLUMNS if required and not cell[column]]
        school = cell["学校名称"]
        if len(school) > 100:
            problems.append(Problem(number, "学校名称", "不能超过 100 个字"))
        if cell["学段类型"] and cell["学段类型"] not in KIND_BY_LABEL:
            problems.append(Problem(number, "学段类型", f"“{cell['学段类型']}”不是可选值（可选：{'、'.join(KIND_BY_LABEL)}）"))
        if school in seen:
            problems.append(Problem(number, "学校名称", f"与第 {seen[school]} 行重复"))
        if len(cell["所在乡镇"]) > 100:
            problems.append(Problem(number, "所在乡镇", "不能超过 100 个字"))
        seen.setdefault(school, number)
        result.problems += problems
        if not problems:
            result.rows.append({"name": school, "kind": KIND_BY_LABEL[cell["学段类型"]], "township": cell["所在乡镇"],
                                "new": school not in listed})
    if not rows:
        result.problems.append(Problem(2, "", "表中没有学校"))
    return result


@transaction.atomic
def do_import_schools(batch: SchoolImport, actor: AbstractBaseUser) -> int:
    """Import a checked list once: a second confirmation (or a list with problems) imports nothing."""
    batch = SchoolImport.objects.select_for_update().get(pk=batch.pk)
    if batch.imported_at is not None:
        raise ImportRefused(f"“{batch.name}”已于 {timezone.localtime(batch.imported_at):%Y-%m-%d %H:%M} 导入，未重复导入。")
    checked = check_schools(batch.jurisdiction, bytes(batch.data), batch.name)
    if checked.problems:
        raise ImportRefused(f"“{batch.name}”有 {len(checked.problems)} 处问题，未导入任何学校。")
    for row in checked.rows:
        School.objects.update_or_create(jurisdiction=batch.jurisdiction, name=row["name"],
                                        defaults={"kind": row["kind"], "township": row["township"], "active": True})
    batch.imported_at, batch.imported_count = timezone.now(), len(checked.rows)
    batch.save(update_fields=["imported_at", "imported_count"])
    events.record(batch.jurisdiction, actor, EventKind.SCHOOLS_IMPORTED, subject=batch.name,
                  new=f"共 {len(checked.rows)} 所（新增 {checked.added} 所）")
    return len(checked.rows)


@transaction.atomic
def do_stage_school_import(jurisdiction: Jurisdiction, actor: AbstractBaseUser, name: str, data: bytes) -> SchoolImport:
    """Keep an uploaded list until its one confirmation (refused at once when it is no readable .xlsx)."""
    read_rows(data, name)
    return SchoolImport.objects.create(jurisdiction=jurisdiction, name=name[:255], data=data, uploaded_by=actor)

"""Imports from .xlsx: volunteers, teams, science education bases and activities.

Every row is checked with the same form that validates a single entry on the page (VolunteerForm, TeamForm, BaseForm,
tracking's ActivityForm), plus the checks a file adds (duplicates inside it and against what is registered).
All or nothing: any problem stops the import, each problem named by its row and column, unless the office
chooses to skip the rows named.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kesu.domain.campaign_rules import AUDIENCE_LABELS
from kesu.domain.refusals import Refused
from kesu.domain.unit_names import clean_name, unit_key
from kesu.infra.zipcheck import ZipRefused, check_zip, upload_limits
from kesu.org.models import Jurisdiction, MemberUnit, UnitAlias
from kesu.plans.models import Plan, Task
from kesu.tracking.actions import do_record_activity
from kesu.tracking.forms import ActivityForm, audience_field, pop_audiences
from kesu.tracking.models import Activity
from kesu.volunteering import events
from kesu.volunteering.access import roles_of
from kesu.volunteering.crypto import digest, normalise_id, normalise_phone
from kesu.volunteering.forms import BaseForm, TeamForm, VolunteerForm, topics_for
from kesu.volunteering.models import ImportBatch, ScienceBase, ServiceArea, Team, TeamMembership
from kesu.volunteering.registry import do_save_team, do_save_volunteer, duplicate_message, duplicate_of

MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024


class ImportRefused(Refused):
    pass


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str
    volunteer: int | None = None  # the registered volunteer this row duplicates (the review links to it)

    def __str__(self) -> str:
        return f"第 {self.row} 行「{self.column}」：{self.message}" if self.column else f"第 {self.row} 行：{self.message}"


@dataclass
class Checked:
    header: list[str]
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (row number, cleaned data) of good rows
    problems: list[Problem] = field(default_factory=list)
    total: int = 0

    def problems_outside(self, skip: set[int]) -> list[Problem]:
        return [p for p in self.problems if p.row not in skip]

    def importable(self, skip: set[int]) -> list[tuple[int, dict]]:
        return [(n, data) for n, data in self.rows if n not in skip]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(data: bytes, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (row number as Excel shows it, cells) of the first sheet; blank rows dropped."""
    import openpyxl

    if not name.lower().endswith((".xlsx", ".xlsm")):
        raise ImportRefused(f"“{name}”不是 .xlsx 文件：请在 Excel 中另存为 .xlsx 后再导入。")
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"“{name}”超过 {MAX_BYTES // 1024 // 1024} MB。")
    try:
        check_zip(data, name, upload_limits("import"))
    except ZipRefused as error:
        raise ImportRefused(str(error)) from error
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # zipfile.BadZipFile, KeyError, InvalidFileException…
        raise ImportRefused(f"“{name}”不是有效的 .xlsx 文件（{type(error).__name__}）。") from error
    try:
        sheet = book.worksheets[0]
        header: list[str] | None = None
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell(v) for v in values]
            if header is None:
                header = [c.replace("*", "").strip() for c in cells]
                while header and not header[-1]:
                    header.pop()
                continue
            if any(cells):
                rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                raise ImportRefused(f"一次最多导入 {MAX_ROWS} 行。")
    finally:
        book.close()
    if not header:
        raise ImportRefused(f"“{name}”是空表：第 1 行应为表头。")
    return header, rows


@dataclass
class Column:
    header: str
    field: str
    required: bool = False


@dataclass
class Spec:
    kind: str
    title: str
    columns: list[Column]
    example: list[str]
    notes: list[str]


def _choice(choices, aliases: dict[str, str] | None = None) -> Callable[[str], str]:
    by_label = {label: value for value, label in choices} | {value: value for value, _ in choices} | (aliases or {})

    def convert(text: str) -> str:
        if text in by_label:
            return by_label[text]
        raise ValueError(f"“{text}”不是可选值（可选：{'、'.join(label for _, label in choices)}）")

    return convert


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace("，", "、").replace(",", "、").replace(";", "、").split("、") if p.strip()]


class _Importer:
    spec: Spec
    form_class: type[forms.Form]
    extra_fields: tuple[str, ...] = ()  # columns checked by their converter only, not by the form

    def __init__(self, jurisdiction: Jurisdiction, plan: Plan | None = None) -> None:
        self.jurisdiction = jurisdiction
        self.plan = plan

    def form(self, data: dict) -> forms.Form:
        return self.form_class(data, jurisdiction=self.jurisdiction)

    def converters(self) -> dict[str, Callable[[str], object]]:
        return {}

    def extra_checks(self, number: int, data: dict, problems: list[Problem], seen: dict) -> None:
        return None

    def check(self, header: list[str], rows: list[tuple[int, list[str]]]) -> Checked:
        result = Checked(header=header, total=len(rows))
        index = {h: i for i, h in enumerate(header)}
        missing = [c.header for c in self.spec.columns if c.required and c.header not in index]
        if missing:
            result.problems.append(Problem(1, "表头", f"缺少必填列：{'、'.join(missing)}（可下载模板对照）"))
            return result
        unknown = [h for h in header if h and h not in {c.header for c in self.spec.columns}]
        if unknown:
            result.problems.append(Problem(1, "表头", f"无法识别的列：{'、'.join(unknown)}（可下载模板对照）"))
            return result
        converters = self.converters()
        column_of = {c.field: c.header for c in self.spec.columns}
        seen: dict = {}
        for number, cells in rows:
            raw: dict[str, object] = {}
            row_problems: list[Problem] = []
            for column in self.spec.columns:
                text = cells[index[column.header]] if column.header in index and index[column.header] < len(cells) else ""
                if not text:
                    if column.required and column.field in self.extra_fields:
                        row_problems.append(Problem(number, column.header, "必填"))
                    continue
                convert = converters.get(column.field)
                try:
                    raw[column.field] = convert(text) if convert else text
                except ValueError as error:
                    row_problems.append(Problem(number, column.header, str(error)))
            extra = {name: raw.pop(name) for name in self.extra_fields if name in raw}
            form = self.form(raw)
            reported = {p.column for p in row_problems}
            if not form.is_valid():
                for name, errors in form.errors.items():
                    header_name = column_of.get(name, "")
                    if header_name in reported:
                        continue
                    row_problems.extend(Problem(number, header_name, message) for message in errors)
            if not row_problems:
                cleaned = dict(form.cleaned_data) | extra
                self.extra_checks(number, cleaned, row_problems, seen)
            if row_problems:
                result.problems.extend(row_problems)
            else:
                result.rows.append((number, cleaned))
        return result

    def save(self, rows: list[tuple[int, dict]], actor) -> int:
        raise NotImplementedError


def _area_converter(jurisdiction: Jurisdiction) -> Callable[[str], str]:
    areas = {str(a): a.pk for a in ServiceArea.objects.filter(jurisdiction=jurisdiction).select_related("parent")}
    townships = {a.name: a.pk for a in ServiceArea.objects.filter(jurisdiction=jurisdiction, kind="township")}

    def convert(text: str) -> str:
        key = text.replace(" ", "").replace("/", "")
        if key in areas:
            return str(areas[key])
        if key in townships:
            return str(townships[key])
        raise ValueError(f"“{text}”不在本地区的服务区域中（请先在“设置”中添加，或写作“乡镇名村名”）")

    return convert


def _unit_converter(jurisdiction: Jurisdiction) -> Callable[[str], MemberUnit]:
    """A member unit of the jurisdiction by its name, short name or alias (县科协 = 科协)."""
    keyed = {u.key: u for u in MemberUnit.objects.filter(jurisdiction=jurisdiction)}
    for alias in UnitAlias.objects.filter(jurisdiction=jurisdiction).select_related("unit"):
        keyed.setdefault(alias.key, alias.unit)

    def convert(text: str) -> MemberUnit:
        found = keyed.get(unit_key(clean_name(text), jurisdiction.name))
        if found is None or found.stands_for_all:
            raise ValueError(f"“{text}”不是本地区的成员单位")
        return found

    return convert


def _topic_converter(jurisdiction: Jurisdiction) -> Callable[[str], list[str]]:
    topics = {t.name: t.pk for t in topics_for(jurisdiction)}

    def convert(text: str) -> list[str]:
        result = []
        for name in _split(text):
            if name not in topics:
                raise ValueError(f"“{name}”不是已设置的服务主题（可选：{'、'.join(topics) or '无'}）")
            result.append(str(topics[name]))
        return result

    return convert


class VolunteerImporter(_Importer):
    form_class = VolunteerForm
    extra_fields = ("teams",)
    spec = Spec(
        "volunteers", "科技志愿者",
        [Column("姓名", "name", True), Column("性别", "gender"), Column("身份证号", "id_number"), Column("手机号", "phone", True),
         Column("专业特长", "skills"), Column("服务主题", "topics"), Column("所在区域", "area"), Column("工作单位", "affiliation"),
         Column("注册日期", "registered_on"), Column("服务队", "teams")],
        ["张三", "男", "110101199003074514", "13812345678", "果树栽培", "农业技术、防灾减灾", "古城镇", "县农业农村局", "2026-03-01",
         "县农技科普志愿服务队"],
        ["带 * 的列必填：姓名、手机号。性别填“男”或“女”。服务主题、服务队可填多个，用顿号分隔。",
         "注册日期不填时按导入当天。身份证号会加密保存，名册中对科协办公室以外的人员脱敏显示。",
         "所在区域填写乡镇名，或“乡镇名村名”。服务队须已在系统中登记；导入的队员直接为在队状态。"],
    )

    def converters(self) -> dict:
        teams = {t.name: t.pk for t in Team.objects.filter(jurisdiction__in=self._jurisdictions())}

        def team_list(text: str) -> list[int]:
            result = []
            for name in _split(text):
                if name not in teams:
                    raise ValueError(f"没有名为“{name}”的服务队")
                result.append(teams[name])
            return result

        return {"gender": _choice([("male", "男"), ("female", "女")]), "topics": _topic_converter(self.jurisdiction),
                "area": _area_converter(self.jurisdiction),
                "teams": team_list}

    def _jurisdictions(self) -> list[int]:
        return [int(p) for p in self.jurisdiction.path.strip("/").split("/") if p]

    def form(self, data: dict) -> forms.Form:
        data = dict(data)
        data.setdefault("registered_on", dt.date.today().isoformat())
        return VolunteerForm(data, jurisdiction=self.jurisdiction)

    def extra_checks(self, number: int, data: dict, problems: list[Problem], seen: dict) -> None:
        """The same ID or phone number as an earlier row, or as a registered volunteer (named, with a link)."""
        id_number, phone = normalise_id(data.get("id_number", "")), normalise_phone(data.get("phone", ""))
        for column, value in (("身份证号", id_number), ("手机号", phone)):
            key = (column, digest(value)) if value else None
            if key in seen:
                problems.append(Problem(number, column, f"与第 {seen[key]} 行的{column}相同：同一人只登记一次"))
            elif key:
                seen[key] = number
        duplicate = duplicate_of(self.jurisdiction, id_number, phone)
        if duplicate is not None:
            column, existing = duplicate
            problems.append(Problem(number, column, duplicate_message(column, existing), volunteer=existing.pk))

    @transaction.atomic
    def save(self, rows: list[tuple[int, dict]], actor) -> int:
        for _, data in rows:
            teams = data.pop("teams", [])
            data.pop("username", None)
            volunteer = do_save_volunteer(self.jurisdiction, actor, data)
            for team_id in teams:
                TeamMembership.objects.update_or_create(
                    team_id=team_id, volunteer=volunteer,
                    defaults={"status": TeamMembership.Status.ACTIVE, "joined_on": volunteer.registered_on, "decided_by": actor})
        return len(rows)


class TeamImporter(_Importer):
    """Teams, checked row by row with the team page's own form (TeamForm) and saved by its action (do_save_team)."""

    form_class = TeamForm
    spec = Spec(
        "teams", "科技志愿服务队",
        [Column("服务队名称", "name", True), Column("所属部门", "unit"), Column("主要服务区域", "area"), Column("服务主题", "topics"),
         Column("参与服务队池接单", "in_pool"), Column("成立日期", "founded_on"), Column("简介", "description")],
        ["县农技科普志愿服务队", "县科协", "古城镇", "农业技术、防灾减灾", "是", "2026-03-01", "送农技下乡"],
        ["带 * 的列必填：服务队名称。本地区已有的服务队名称、表中重复的名称都不能导入。",
         "所属部门填本地区成员单位的名称（可用简称或别名）；主要服务区域填乡镇/街道名。服务主题可填多个，用顿号分隔。",
         "参与服务队池接单填“是”或“否”（不填按“是”）；成立日期不填时按导入当天。服务队管理员导入后在“角色”中开通。"],
    )

    def converters(self) -> dict:
        units = _unit_converter(self.jurisdiction)
        townships = {a.name: a.pk for a in ServiceArea.objects.filter(jurisdiction=self.jurisdiction, kind="township", active=True)}

        def township(text: str) -> str:
            if text not in townships:
                raise ValueError(f"“{text}”不是本地区启用的乡镇/街道（可选：{'、'.join(townships) or '无'}）")
            return str(townships[text])

        return {"unit": lambda text: str(units(text).pk), "area": township, "topics": _topic_converter(self.jurisdiction),
                "in_pool": _choice([("true", "是"), ("false", "否")])}

    def form(self, data: dict) -> forms.Form:
        data = dict(data)
        data.setdefault("in_pool", "true")
        data.setdefault("founded_on", timezone.localdate().isoformat())
        return TeamForm(data, jurisdiction=self.jurisdiction)

    def extra_checks(self, number: int, data: dict, problems: list[Problem], seen: dict) -> None:
        name = data["name"]
        if name in seen:
            problems.append(Problem(number, "服务队名称", f"与第 {seen[name]} 行重名：同一地区的服务队不能重名"))
        elif Team.objects.filter(jurisdiction=self.jurisdiction, name=name).exists():
            problems.append(Problem(number, "服务队名称", f"本地区已有名为“{name}”的服务队"))
        seen.setdefault(name, number)

    @transaction.atomic
    def save(self, rows: list[tuple[int, dict]], actor) -> int:
        for _, data in rows:
            do_save_team(self.jurisdiction, data, actor=actor)
        return len(rows)


class BaseImporter(_Importer):
    form_class = BaseForm
    spec = Spec(
        "bases", "科普教育基地",
        [Column("基地名称", "name", True), Column("等级", "level", True), Column("依托单位", "host", True), Column("类型", "kind", True),
         Column("开放状态", "opening"), Column("所在乡镇", "area"), Column("地址", "address"), Column("命名年份", "designated_year", True),
         Column("备注", "note")],
        ["县科技馆", "县级", "县科协", "科技场馆类", "常年开放", "古城镇", "县城人民路1号", "2023", ""],
        ["等级填：国家级、省级、市级、县级。类型填：" + "、".join(label for _, label in ScienceBase.Kind.choices) + "。",
         "开放状态填：" + "、".join(label for _, label in ScienceBase.Opening.choices) + "（不填按常年开放）。",
         "同一地区同一等级不能有重名的基地。"],
    )

    def converters(self) -> dict:
        return {
            "level": _choice(ScienceBase.Level.choices, {"国家": "national", "省": "province", "市": "city", "县": "county"}),
            "kind": _choice(ScienceBase.Kind.choices), "opening": _choice(ScienceBase.Opening.choices),
            "area": _area_converter(self.jurisdiction),
        }

    def form(self, data: dict) -> forms.Form:
        data = dict(data)
        data.setdefault("opening", ScienceBase.Opening.OPEN)
        return BaseForm(data, jurisdiction=self.jurisdiction)

    def extra_checks(self, number: int, data: dict, problems: list[Problem], seen: dict) -> None:
        key = (data["name"], data["level"])
        if key in seen:
            problems.append(Problem(number, "基地名称", f"与第 {seen[key]} 行重复（同名同等级）"))
        elif ScienceBase.objects.filter(jurisdiction=self.jurisdiction, name=data["name"], level=data["level"]).exists():
            problems.append(Problem(number, "基地名称", "该基地已登记"))
        seen[key] = number

    @transaction.atomic
    def save(self, rows: list[tuple[int, dict]], actor) -> int:
        ScienceBase.objects.bulk_create(ScienceBase(jurisdiction=self.jurisdiction, **data) for _, data in rows)
        return len(rows)


class ActivityImporter(_Importer):
    """Activities go into tracking's Activity (one register of activities), checked with tracking's own form."""

    form_class = ActivityForm
    extra_fields = ("unit",)
    spec = Spec(
        "activities", "科普活动",
        [Column("活动名称", "title", True), Column("类型", "kind", True), Column("日期", "held_on", True), Column("地点", "place"),
         Column("形式", "online"), Column("组织单位", "unit", True), Column("参与人数", "participants"), Column("对应措施", "task"),
         Column("简要情况", "description")]
        + [Column(f"{label}人数", audience_field(code)) for code, label in AUDIENCE_LABELS.items()],
        ["2026年全国科普日主场活动", "全国科普日", "2026-09-20", "县文化广场", "线下", "县科协", "1200", "健全基层科普服务体系", "",
         "300", "200", "500", "100", "", "100"],
        ["类型填：" + "、".join(label for _, label in Activity.Kind.choices) + "。",
         "形式填：" + "、".join(label for _, label in Activity.Online.choices) + "（不填按线下）。",
         "组织单位填方案中的成员单位名称（可用简称或别名）。对应措施填措施标题，可只写其中几个字，须能唯一确定一项措施。",
         "各受众群体人数（" + "、".join(AUDIENCE_LABELS.values()) + "）选填：填写了任一群体时，参与人数按各群体之和计，"
         "参与人数可不填，填了须与之相等；不填群体人数时须填参与人数。"],
    )

    def converters(self) -> dict:
        tasks = list(Task.objects.filter(section__plan=self.plan).values_list("pk", "title"))

        def task(text: str) -> str:
            matches = ([pk for pk, title in tasks if title == text] or [pk for pk, title in tasks if title.startswith(text)]
                       or [pk for pk, title in tasks if text in title])
            if len(matches) != 1:
                raise ValueError(f"“{text}”{'对应多项措施' if matches else '不是本方案的措施'}")
            return str(matches[0])

        return {"kind": _choice(Activity.Kind.choices), "online": _choice(Activity.Online.choices),
                "unit": _unit_converter(self.jurisdiction), "task": task}

    def form(self, data: dict) -> forms.Form:
        return ActivityForm(data, tasks=Task.objects.filter(section__plan=self.plan))

    @transaction.atomic
    def save(self, rows: list[tuple[int, dict]], actor) -> int:
        for _, data in rows:
            data = dict(data)
            unit = data.pop("unit")
            audiences = pop_audiences(data)
            do_record_activity(self.plan, unit, actor, data, [], audiences)
        return len(rows)


IMPORTERS: dict[str, type[_Importer]] = {"volunteers": VolunteerImporter, "teams": TeamImporter, "bases": BaseImporter,
                                         "activities": ActivityImporter}


def check_file(kind: str, data: bytes, name: str, jurisdiction: Jurisdiction, plan: Plan | None = None) -> Checked:
    importer = IMPORTERS[kind](jurisdiction, plan)
    header, rows = read_rows(data, name)
    return importer.check(header, rows)


def do_import(kind: str, data: bytes, name: str, jurisdiction: Jurisdiction, actor, skip: set[int],
              plan: Plan | None = None) -> int:
    """Import every row not skipped — or nothing, if any row not skipped has a problem. The actor must still be
    the office of the jurisdiction when confirming (a role revoked since the upload refuses the import)."""
    if not roles_of(actor).is_office_for(jurisdiction):
        raise ImportRefused(f"只有{jurisdiction.name}科协办公室管理员可以导入该地区的数据")
    importer = IMPORTERS[kind](jurisdiction, plan)
    header, rows = read_rows(data, name)
    checked = importer.check(header, rows)
    problems = checked.problems_outside(skip)
    if problems:
        raise ImportRefused(f"有 {len(problems)} 处问题，未导入任何数据。")
    return importer.save(checked.importable(skip), actor)


@transaction.atomic
def do_upload_import(jurisdiction: Jurisdiction, actor: AbstractBaseUser, kind: str, name: str, data: bytes,
                     plan: Plan | None = None) -> ImportBatch:
    """Keep an uploaded file until the office confirms it (its problems are shown first)."""
    batch = ImportBatch.objects.create(jurisdiction=jurisdiction, plan=plan, kind=kind, name=name[:255], data=data,
                                       uploaded_by=actor)
    events.record(events.Kind.IMPORT_UPLOADED, actor, jurisdiction, batch.name, new=IMPORTERS[kind].spec.title,
                  batch=batch.pk)
    return batch


@transaction.atomic
def do_confirm_import(batch: ImportBatch, actor: AbstractBaseUser, skip: set[int]) -> int:
    """Import the batch once. The batch row is locked and claimed first, so a second confirmation (a double click,
    two tabs, a retried request) waits for the first, then is refused and imports nothing."""
    locked = ImportBatch.objects.select_for_update(of=("self",)).select_related("jurisdiction", "plan").get(pk=batch.pk)
    now = timezone.now()
    # the conditional UPDATE is the claim where rows cannot be locked (SQLite): only one request changes the row
    claimed = ImportBatch.objects.filter(pk=locked.pk, imported_at__isnull=True).update(imported_at=now)
    if not claimed:
        imported = ImportBatch.objects.get(pk=locked.pk)
        raise ImportRefused(f"“{imported.name}”已于 {timezone.localtime(imported.imported_at):%Y-%m-%d %H:%M} "
                            f"导入 {imported.imported_count} 条记录，不能重复导入。")
    count = do_import(locked.kind, bytes(locked.data), locked.name, locked.jurisdiction, actor, skip, locked.plan)
    ImportBatch.objects.filter(pk=locked.pk).update(imported_count=count, data=b"")
    events.record(events.Kind.IMPORT_CONFIRMED, actor, locked.jurisdiction, locked.name, new=count,
                  batch=locked.pk, skipped=sorted(skip))
    return count

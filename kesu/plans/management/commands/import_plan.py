"""kesu plan import FILE --jurisdiction NAME: store a plan document under a jurisdiction."""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from kesu.domain.jurisdiction_names import level_from_name
from kesu.domain.refusals import Refused
from kesu.org.models import Jurisdiction
from kesu.plans.actions import ImportRefused, do_ensure_jurisdiction, do_import_plan, preview_import
from kesu.plans.importing import DocumentError, parse_path
from kesu.plans.models import Plan


class Command(BaseCommand):
    help = "导入实施方案文件（.txt/.docx/.pdf）到指定行政区划；修订稿先显示改动，确认后才应用"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--jurisdiction", required=True, help="行政区划名称，如 晋城市")
        parser.add_argument("--parent", help="上级行政区划名称（新建时使用，如 山西省）")
        parser.add_argument("--level", choices=["province", "city", "county"], help="层级（默认按名称判断）")
        parser.add_argument("--yes", action="store_true",
                            help="修订稿的改动无需询问直接应用；后续方案的衔接建议全部确认并结束上一方案")
        parser.add_argument("--overlap", action="store_true", help="确认两个方案期限重叠（与已有方案实施期重叠时必需）")
        parser.add_argument("--user", help="记录为操作人的用户名")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            parsed, sha = parse_path(path)
        except DocumentError as error:
            raise CommandError(str(error)) from error
        actor = get_user_model().objects.filter(username=options["user"]).first() if options["user"] else None
        with transaction.atomic():  # a refused import leaves no jurisdiction behind either
            jurisdiction = self._jurisdiction(options)
            try:
                preview = preview_import(parsed, jurisdiction, sha)
            except ImportRefused as error:
                raise CommandError(f"{path.name}：{error}") from error
        if preview.unchanged:
            self.stdout.write(f"{path.name}：与已导入的《{preview.plan.title}》内容相同，未做任何修改。")
            self._succession(preview.plan, options)
            return
        confirm = False
        if preview.changes:
            self.stdout.write(f"{path.name} 是《{preview.plan.title}》的修订稿，将做以下 {len(preview.changes)} 处修改：")
            for change in preview.changes:
                self.stdout.write(f"  · {change.where}｜{change.field}：{change.old or '（空）'} → {change.new or '（空）'}")
            confirm = options["yes"] or self._ask()
            if not confirm:
                self.stdout.write("未应用修改（加 --yes 可直接应用）。")
                sys.exit(3)
        try:
            outcome = do_import_plan(
                parsed, jurisdiction=jurisdiction, source_name=path.name, source_sha256=sha, actor=actor,
                confirm=confirm, trusted=True, allow_overlap=options["overlap"],
            )
        except Refused as error:
            raise CommandError(f"{path.name}：{error}") from error
        plan = outcome.plan
        tasks = sum(len(s.get("tasks") or []) for s in parsed["sections"])
        targets = sum(len(t.get("targets") or []) for s in parsed["sections"] for t in s.get("tasks") or [])
        verb = "已导入" if outcome.created else "已按修订稿更新"
        self.stdout.write(
            f"{verb}《{plan.title}》（{jurisdiction.name}）：{len(parsed['sections'])} 个章节、{tasks} 项措施、"
            f"{targets} 个量化目标、{plan.jurisdiction.units.count()} 个成员单位。"
        )
        self._succession(plan, options)

    def _succession(self, plan: Plan, options: dict) -> None:
        """A plan that follows another: its proposals (kesu.succession, called by name: it sits above plans)."""
        if plan.predecessor_id is not None:
            call_command("confirm_succession", plan.pk, yes=options["yes"], user=options["user"], stdout=self.stdout)

    def _jurisdiction(self, options: dict) -> Jurisdiction:
        name = options["jurisdiction"].strip()
        parent = None
        if options["parent"]:
            parent_name = options["parent"].strip()
            parent = do_ensure_jurisdiction(parent_name, level_from_name(parent_name))
        return do_ensure_jurisdiction(name, options["level"] or level_from_name(name), parent)

    def _ask(self) -> bool:
        if not sys.stdin.isatty():
            return False
        return input("应用以上修改？[y/N] ").strip().lower() in {"y", "yes", "是"}

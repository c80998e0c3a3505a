"""kesu restore FILE: restore a `kesu backup` archive into an empty database and the file storage."""

from __future__ import annotations

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from kesu.backups.archive import restore_backup
from kesu.backups.databases import VENDOR_LABELS, BackupRefused


class Command(BaseCommand):
    help = "从 kesu backup 生成的 .zip 文件恢复数据库和上传文件（只能恢复到空数据库）"
    requires_system_checks: list = []  # the database may be empty: nothing to check before restoring

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="kesu backup 生成的备份文件")

    def handle(self, *args, **options) -> None:
        source = Path(options["file"])
        if not source.is_file():
            raise CommandError(f"找不到备份文件 {source}。")
        connection = connections["default"]
        connection.close()  # the restore writes through its own connection
        try:
            outcome = restore_backup(source, database=connection.settings_dict, storage=default_storage)
        except BackupRefused as error:
            raise CommandError(str(error)) from error
        finally:
            connection.close()
        manifest = outcome.manifest
        skipped = f"（{outcome.skipped} 个已存在且内容相同，未重复写入）" if outcome.skipped else ""
        self.stdout.write(
            f"已从 {source} 恢复：{VENDOR_LABELS[manifest['vendor']]} 数据库（备份于 {manifest['created_at']}，"
            f"科素 {manifest['kesu_version']}），{outcome.files} 个文件{skipped}。"
        )
        if outcome.pending_migrations:
            self.stdout.write(f"备份之后科素新增了 {outcome.pending_migrations} 个数据库迁移：请接着运行 kesu migrate。")

"""kesu backup FILE: one .zip archive of the database and every stored file (see kesu/backups/__init__.py)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from kesu.backups.archive import write_backup
from kesu.backups.databases import VENDOR_LABELS, BackupRefused


class Command(BaseCommand):
    help = "备份数据库和全部上传文件到一个 .zip 文件（个人信息字段保持加密）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="备份文件路径，例如 kesu-backup-20261204.zip")
        parser.add_argument("--force", action="store_true", help="文件已存在时覆盖")

    def handle(self, *args, **options) -> None:
        target = Path(options["file"])
        if target.exists() and not options["force"]:
            raise CommandError(f"文件 {target} 已存在；换一个文件名，或加 --force 覆盖。")
        if not target.resolve().parent.is_dir():
            raise CommandError(f"目录 {target.resolve().parent} 不存在。")
        location = getattr(default_storage, "location", None)  # a filesystem storage: never back up into itself
        if location and target.resolve().is_relative_to(Path(location).resolve()):
            raise CommandError(f"备份文件不能放在上传文件目录 {location} 之内，请换一个位置。")
        started = time.monotonic()
        try:
            outcome = write_backup(target, database=connections["default"].settings_dict, storage=default_storage)
        except BackupRefused as error:
            raise CommandError(str(error)) from error
        manifest = outcome.manifest
        self.stdout.write(
            f"已写入备份 {target}：{VENDOR_LABELS[manifest['vendor']]} 数据库（{len(manifest['migrations'])} 个迁移），"
            f"{outcome.files} 个文件，共 {outcome.bytes / 1024 / 1024:.1f} MB，用时 {time.monotonic() - started:.1f} 秒。"
            f"恢复时需要相同的 KESU_FIELD_KEY。"
        )

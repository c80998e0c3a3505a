"""The backup archive (see kesu/backups/__init__.py): writing it, checking it, restoring from it."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from django.core.files import File
from django.core.files.storage import Storage
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from kesu.backups import databases
from kesu.backups.databases import VENDOR_LABELS, BackupRefused

FORMAT = "kesu-backup/1"
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/kesu.sqlite3", "postgresql": "database/kesu.pgdump"}
FILES = "files/"
CHUNK = 1024 * 1024

__all__ = ["BackupRefused", "Outcome", "read_manifest", "restore_backup", "stored_names", "write_backup"]


@dataclass(frozen=True)
class Outcome:
    manifest: dict[str, Any]
    files: int
    bytes: int
    skipped: int = 0  # files the storage already had with the same content (restore only)
    pending_migrations: int = 0  # migrations of this Kesu version the restored database has yet to run


def kesu_version() -> str:
    try:
        return metadata.version("kesu")
    except metadata.PackageNotFoundError:
        return "unknown"


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage, depth first, in a stable order."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a filesystem storage whose folder was never created: no files yet
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


def _copy(source: BinaryIO, target: BinaryIO) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


# ---------------------------------------------------------------------------- writing


def write_backup(target: Path, *, database: dict[str, Any], storage: Storage) -> Outcome:
    """Write the archive to `target` (a new file; written under a temporary name and renamed when complete)."""
    vendor = databases.vendor_of(database)
    target = Path(target)
    partial = target.with_name(target.name + ".partial")
    members: list[dict[str, Any]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="kesu-backup-") as tmp:
            dump_path = Path(tmp) / "database"
            databases.dump(database, dump_path)  # the database first: files added later are harmless extras
            # SQLite: the migrations of the copy itself; PostgreSQL: of the live database just dumped.
            migrations = databases.applied_migrations(
                {**database, "NAME": str(dump_path)} if vendor == "sqlite" else database
            )
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                with open(dump_path, "rb") as source, _member(archive, DATABASE_MEMBERS[vendor]) as out:
                    sha256, size = _copy(source, out)
                members.append({"name": DATABASE_MEMBERS[vendor], "size": size, "sha256": sha256})
                for name in stored_names(storage):
                    with storage.open(name, "rb") as source, _member(archive, FILES + name) as out:
                        sha256, size = _copy(source, out)
                    members.append({"name": FILES + name, "size": size, "sha256": sha256})
                manifest = {
                    "format": FORMAT, "kesu_version": kesu_version(), "vendor": vendor,
                    "created_at": timezone.now().isoformat(timespec="seconds"),
                    "migrations": migrations, "members": members,
                }
                archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    files = [m for m in members if m["name"].startswith(FILES)]
    return Outcome(manifest=manifest, files=len(files), bytes=target.stat().st_size)


def _member(archive: zipfile.ZipFile, name: str) -> BinaryIO:
    info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return archive.open(info, "w", force_zip64=True)


# ---------------------------------------------------------------------------- reading


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except (KeyError, ValueError, UnicodeDecodeError) as error:
        raise BackupRefused("这不是科素备份文件：缺少可读的 manifest.json。") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(f"备份格式“{manifest.get('format') if isinstance(manifest, dict) else '?'}”无法识别，"
                            f"本版本只能恢复 {FORMAT}。")
    for member in manifest.get("members", []):
        name = member.get("name", "")
        parts = PurePosixPath(name).parts
        if name.startswith("/") or ".." in parts or "\\" in name or not (name in DATABASE_MEMBERS.values()
                                                                             or name.startswith(FILES)):
            raise BackupRefused(f"备份文件中的条目名“{name}”不合法，拒绝恢复。")
    return manifest


def _verify(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every member is present with the size and SHA-256 the manifest states."""
    for member in manifest["members"]:
        try:
            with archive.open(member["name"]) as source:
                sha256, size = _copy(source, _Discard())
        except (KeyError, zipfile.BadZipFile, OSError) as error:
            raise BackupRefused(f"备份文件已损坏：无法读取“{member['name']}”（{error}）。") from error
        if (sha256, size) != (member["sha256"], member["size"]):
            raise BackupRefused(f"备份文件已损坏：“{member['name']}”的内容与清单中的 SHA-256 不符。")


class _Discard:
    def write(self, chunk: bytes) -> int:
        return len(chunk)


# ---------------------------------------------------------------------------- restoring


def restore_backup(source: Path, *, database: dict[str, Any], storage: Storage) -> Outcome:
    """Restore the archive into `database` (same vendor, no Kesu data in it) and its files into `storage`.

    Everything is checked before anything is written: the manifest, every member's SHA-256, the vendor, that the
    database holds no Kesu data, and that no stored file of the same name has other content."""
    vendor = databases.vendor_of(database)
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupRefused(f"无法打开备份文件 {source}：{error}") from error
    with archive:
        manifest = read_manifest(archive)
        if manifest.get("vendor") != vendor:
            made = VENDOR_LABELS.get(manifest.get("vendor"), str(manifest.get("vendor")))
            raise BackupRefused(f"这份备份来自 {made} 数据库，当前数据库是 {VENDOR_LABELS[vendor]}，不能恢复："
                                f"请恢复到同类数据库。")
        pending = _migrations_against_code(manifest)
        _verify(archive, manifest)
        existing = databases.kesu_data(database)
        if existing:
            tables = "、".join(f"{table}（{count} 行）" for table, count in sorted(existing.items())[:5])
            raise BackupRefused(f"目标数据库中已有科素数据：{tables}。只能恢复到空数据库，请新建一个数据库后再恢复。")
        files = [m for m in manifest["members"] if m["name"].startswith(FILES)]
        present = _present_files(storage, files)
        with tempfile.TemporaryDirectory(prefix="kesu-restore-") as tmp:
            copy = Path(tmp) / "database"
            with archive.open(DATABASE_MEMBERS[vendor]) as member, open(copy, "wb") as out:
                _copy(member, out)
            databases.restore(database, copy)
        for member in files:
            if member["name"] in present:
                continue
            name = member["name"][len(FILES):]
            with archive.open(member["name"]) as content:
                upload = File(content, name=PurePosixPath(name).name)
                upload.size = member["size"]  # never guessed from a path named like the member
                saved = storage.save(name, upload)
            if saved != name:
                raise BackupRefused(f"文件“{name}”被存储保存为“{saved}”，恢复不完整。")
    return Outcome(manifest=manifest, files=len(files) - len(present), bytes=sum(m["size"] for m in files),
                   skipped=len(present), pending_migrations=pending)


def _migrations_against_code(manifest: dict[str, Any]) -> int:
    """How many migrations of this version the backup lacks; a backup of a newer version is refused."""
    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    backed_up = set(manifest.get("migrations", []))
    unknown = sorted(backed_up - known)
    if unknown:
        raise BackupRefused(f"这份备份来自更新版本的科素（{manifest.get('kesu_version')}），含本版本没有的数据库迁移"
                            f"（{'、'.join(unknown[:3])} 等 {len(unknown)} 个）：请先升级科素再恢复。")
    return len(known - backed_up)


def _present_files(storage: Storage, files: list[dict[str, Any]]) -> set[str]:
    """Members already in the storage with the same content; a stored file with other content refuses the restore."""
    present = set()
    for member in files:
        name = member["name"][len(FILES):]
        if not storage.exists(name):
            continue
        with storage.open(name, "rb") as stored:
            sha256, _ = _copy(stored, _Discard())
        if sha256 != member["sha256"]:
            raise BackupRefused(f"文件存储中已有同名文件“{name}”，内容与备份不同：请恢复到空的文件存储。")
        present.add(member["name"])
    return present

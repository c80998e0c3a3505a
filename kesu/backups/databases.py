"""The database half of a backup: a consistent copy of SQLite (online backup API) or PostgreSQL (pg_dump), its
restore, and the questions a restore asks first (which vendor, is the target empty, what is in it).

Everything works from a Django DATABASES entry, never from Django's own connection, so the same code serves the
commands (the configured database) and the tests (a database of their own).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings

from kesu.domain.refusals import Refused

VENDORS = {"django.db.backends.sqlite3": "sqlite", "django.db.backends.postgresql": "postgresql"}
VENDOR_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupRefused(Refused):
    """A backup or restore that cannot be done; the message is a complete Chinese sentence."""


def vendor_of(database: dict[str, Any]) -> str:
    engine = database.get("ENGINE", "")
    if engine not in VENDORS:
        raise BackupRefused(f"不支持备份这种数据库（{engine}）：只支持 SQLite 和 PostgreSQL。")
    return VENDORS[engine]


# ---------------------------------------------------------------------------- connections


def _sqlite_source(name: str) -> tuple[str, bool]:
    """How to open an existing SQLite database read-only: (address, is a URI)."""
    if name.startswith("file:"):  # Django's in-memory test database is shared under such a URI
        return name, True
    if not name or name == ":memory:":
        raise BackupRefused("内存中的 SQLite 数据库无法备份，请使用数据库文件。")
    path = Path(name).resolve()
    if not path.exists():
        raise BackupRefused(f"找不到 SQLite 数据库文件 {path}。")
    return path.as_uri() + "?mode=ro", True


def _pg_environment(database: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for pg_dump/pg_restore/psycopg: the password never appears on a command line."""
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                          ("NAME", "PGDATABASE")):
        if database.get(key):
            env[variable] = str(database[key])
    if (database.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(database["OPTIONS"]["sslmode"])
    return env


@contextlib.contextmanager
def connect(database: dict[str, Any]) -> Iterator[Any]:
    """A plain DB-API connection (sqlite3 or psycopg) to the database, closed afterwards."""
    if vendor_of(database) == "sqlite":
        name = str(database["NAME"])
        connection = sqlite3.connect(name, uri=name.startswith("file:"))
    else:
        import psycopg

        env = _pg_environment(database)
        connection = psycopg.connect(
            dbname=env.get("PGDATABASE", ""), host=env.get("PGHOST"), port=env.get("PGPORT"),
            user=env.get("PGUSER"), password=env.get("PGPASSWORD"), sslmode=env.get("PGSSLMODE"),
            autocommit=True,
        )
    try:
        yield connection
    finally:
        connection.close()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(connection: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    cursor = connection.cursor()
    cursor.execute(sql)
    return [row[0] for row in cursor.fetchall()]


def table_counts(database: dict[str, Any]) -> dict[str, int]:
    """Rows per table of the database (all tables, Django's own included)."""
    vendor = vendor_of(database)
    with connect(database) as connection:
        cursor = connection.cursor()
        counts = {}
        for table in _tables(connection, vendor):
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
            counts[table] = cursor.fetchone()[0]
        return counts


def kesu_tables() -> set[str]:
    """Tables that hold Kesu's data: every model of a kesu.* app (with its many-to-many tables) and the accounts."""
    user_table = apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table
    return {user_table} | {
        model._meta.db_table for model in apps.get_models(include_auto_created=True)
        if model._meta.app_config.name.startswith("kesu.")
    }


def kesu_data(database: dict[str, Any]) -> dict[str, int]:
    """Kesu tables of the database that have rows, with their counts: empty for a new or freshly migrated database."""
    vendor = vendor_of(database)
    wanted = kesu_tables()
    name = str(database.get("NAME", ""))
    if vendor == "sqlite" and not name.startswith("file:") and not Path(name).exists():
        return {}  # a database file yet to be made: empty, and asking must not create it
    with connect(database) as connection:
        cursor = connection.cursor()
        found = {}
        for table in _tables(connection, vendor):
            if table in wanted:
                cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
                count = cursor.fetchone()[0]
                if count:
                    found[table] = count
        return found


def applied_migrations(database: dict[str, Any]) -> list[str]:
    """"app.name" of every applied migration, in the order applied."""
    vendor = vendor_of(database)
    with connect(database) as connection:
        if "django_migrations" not in _tables(connection, vendor):
            return []
        cursor = connection.cursor()
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


# ---------------------------------------------------------------------------- dump and restore


def dump(database: dict[str, Any], target: Path) -> None:
    """A consistent copy of the whole database into `target` (a new file)."""
    if vendor_of(database) == "sqlite":
        address, uri = _sqlite_source(str(database["NAME"]))
        source = sqlite3.connect(address, uri=uri)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # one step: a read transaction over the whole copy, so one consistent state
        finally:
            copy.close()
            source.close()
        return
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--no-password", f"--file={target}"],
         database, "pg_dump")


def restore(database: dict[str, Any], source: Path) -> None:
    """Put a copy made by `dump` into the database, replacing its (empty) tables."""
    if vendor_of(database) == "sqlite":
        name = str(database["NAME"])
        if not name.startswith("file:"):
            Path(name).resolve().parent.mkdir(parents=True, exist_ok=True)
        copy = sqlite3.connect(source)
        target = sqlite3.connect(name, uri=name.startswith("file:"))
        try:
            copy.backup(target)
        finally:
            target.close()
            copy.close()
        return
    # --clean --if-exists: a freshly migrated (empty) database has the tables already; they are replaced.
    _run(["pg_restore", "--no-owner", "--no-privileges", "--no-password", "--clean", "--if-exists",
          "--single-transaction", "--exit-on-error", f"--dbname={database['NAME']}", str(source)],
         database, "pg_restore")


def _run(command: list[str], database: dict[str, Any], tool: str) -> None:
    try:
        done = subprocess.run(command, env=_pg_environment(database), capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupRefused(f"找不到 {tool}：请安装与数据库服务器同一主版本的 PostgreSQL 客户端工具。") from error
    if done.returncode != 0:
        raise BackupRefused(f"{tool} 失败（退出码 {done.returncode}）：{done.stderr.strip()[-2000:]}")

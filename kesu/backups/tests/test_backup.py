"""`kesu backup` / `kesu restore`: a round trip gives the same rows in every table and the same files, personal
numbers stay encrypted in the archive, and a restore refuses a database with data, another vendor's backup, a
damaged archive and a storage holding other files of the same names."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import sqlite3
import subprocess
import tempfile
import unittest
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from kesu.backups.archive import restore_backup, stored_names, write_backup
from kesu.backups.databases import applied_migrations, connect, table_counts
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.plans.actions import do_import_plan
from kesu.survey.models import SurveyUpload
from kesu.tracking.actions import do_add_evidence, do_open_cycle
from kesu.tracking.models import Report, SummaryDocument
from kesu.tracking.tests.base import current_plan
from kesu.volunteering import actions as service_actions
from kesu.volunteering.models import ServiceArea, ServicePhoto, ServiceRecord, Team, Topic, Volunteer

ID_NUMBER = "110101199003074514"
PHONE = "13800001111"
SQLITE_ONLY = unittest.skipUnless(connection.vendor == "sqlite", "SQLite 往返测试在 SQLite 上运行测试时进行")
POSTGRES_ONLY = unittest.skipUnless(
    connection.vendor == "postgresql",
    "PostgreSQL 备份往返测试需要 PostgreSQL：DATABASE_URL=postgres://… 后运行",
)


def file_hashes(storage) -> dict[str, str]:
    out = {}
    for name in stored_names(storage):
        with storage.open(name, "rb") as handle:
            out[name] = hashlib.sha256(handle.read()).hexdigest()
    return out


class BackupTestCase(TransactionTestCase):
    """Committed data (pg_dump and a second SQLite connection see only committed rows) with a file of each kind."""

    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="kesu-backup-test-"))
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", str(self.folder)], check=False))
        county = Jurisdiction.objects.create(name="襄汾县", level="county")
        admin = get_user_model().objects.create_user("county_admin")
        Membership.objects.create(user=admin, jurisdiction=county, role=Membership.Role.OFFICE_ADMIN)
        plan = do_import_plan(current_plan(), jurisdiction=county, source_name="plan.txt", source_sha256="sha",
                              actor=admin, confirm=True).plan
        today = timezone.localdate()
        year = today.year
        do_open_cycle(plan, admin, "quarter", year, (today.month - 1) // 3 + 1, today + dt.timedelta(days=10))
        report = Report.objects.order_by("pk").first()
        reporter = get_user_model().objects.create_user("reporter")
        Membership.objects.create(user=reporter, jurisdiction=county, role=Membership.Role.UNIT_REPORTER, unit=report.unit)
        do_add_evidence(report, reporter, SimpleUploadedFile("活动照片.pdf", b"%PDF-1.4\n%evidence\n"), False)
        summary = SummaryDocument.objects.create(plan=plan, year=year, requested_by=admin, status="done")
        summary.pdf.save("总结.pdf", ContentFile(b"%PDF-1.4\n%summary\n"))
        SurveyUpload.objects.create(
            jurisdiction=county, uploaded_by=admin, year=year, title="抽样调查", instrument_preset="demo",
            responses_file=default_storage.save("survey/1/t/答卷.csv", ContentFile("id,gender\n1,男\n".encode())),
            responses_name="答卷.csv", options={},
        )
        township = ServiceArea.objects.create(jurisdiction=county, kind="township", name="古城镇")
        topic = Topic.objects.create(jurisdiction=county, name="农业技术")
        unit = MemberUnit.objects.filter(jurisdiction=county).first()
        team = Team.objects.create(jurisdiction=county, name="科普服务队", unit=unit, in_pool=True)
        Volunteer.objects.create(jurisdiction=county, name="王芳", id_number=ID_NUMBER, phone=PHONE)
        order = service_actions.do_submit_order({
            "township": township, "village": None, "place": "村委会", "topic": topic, "description": "果树修剪",
            "preferred_from": today + dt.timedelta(days=3), "preferred_until": today + dt.timedelta(days=10),
            "audience": "farmers", "audience_size": 40, "requester_kind": "village", "requester_org": "东村村委会",
            "contact_name": "张建国", "contact_phone": "13912345678",
        })
        record = ServiceRecord.objects.create(order=order, team=team, served_on=today, start_time=dt.time(9),
                                              duration_hours=2, attendees=30, summary="讲解果树修剪")
        ServicePhoto.objects.create(record=record, file=ContentFile(b"\xff\xd8\xff photo", name="现场.jpg"),
                                    original_name="现场.jpg", content_type="image/jpeg", size=9)

    def source(self) -> dict:
        return connection.settings_dict

    def assertSameRowsAndFiles(self, target: dict, storage) -> None:
        source_counts = table_counts(self.source())
        self.assertGreater(source_counts["services_volunteer"], 0)
        self.assertEqual(table_counts(target), source_counts)
        self.assertEqual(applied_migrations(target), applied_migrations(self.source()))
        hashes = file_hashes(default_storage)
        self.assertEqual({name.split("/")[0] for name in hashes}, {"evidence", "summaries", "survey", "service-photos"})
        self.assertEqual(file_hashes(storage), hashes)

    def assertStoredEncrypted(self, target: dict) -> None:
        with connect(target) as db:
            cursor = db.cursor()
            cursor.execute("SELECT phone, id_number FROM services_volunteer")
            phone, id_number = cursor.fetchone()
        self.assertTrue(phone.startswith("gAAAAA") and id_number.startswith("gAAAAA"))
        self.assertNotIn(PHONE, phone)


class CommandTests(BackupTestCase):
    def test_the_commands_write_an_archive_and_refuse_to_restore_over_data(self):
        archive = self.folder / "kesu.zip"
        out = io.StringIO()
        call_command("backup", str(archive), stdout=out)
        self.assertIn("已写入备份", out.getvalue())
        with self.assertRaisesMessage(CommandError, "已存在"):
            call_command("backup", str(archive), stdout=io.StringIO())
        with self.assertRaisesMessage(CommandError, "目标数据库中已有科素数据"):
            call_command("restore", str(archive), stdout=io.StringIO())
        with self.assertRaisesMessage(CommandError, "不能放在上传文件目录"):
            call_command("backup", str(Path(settings.MEDIA_ROOT) / "inside.zip"), stdout=io.StringIO())
        self.assertEqual(Volunteer.objects.get().phone, PHONE)


@SQLITE_ONLY
class SqliteBackupTests(BackupTestCase):
    def test_a_backup_restores_into_an_empty_database_with_the_same_rows_and_files(self):
        archive = self.folder / "kesu.zip"
        outcome = write_backup(archive, database=self.source(), storage=default_storage)
        self.assertEqual(outcome.files, 4)
        manifest = outcome.manifest
        self.assertEqual((manifest["format"], manifest["vendor"]), ("kesu-backup/1", "sqlite"))
        self.assertIn("api.0001_initial", manifest["migrations"])
        with zipfile.ZipFile(archive) as opened:
            self.assertEqual(json.loads(opened.read("manifest.json")), manifest)
            database_copy = opened.read("database/kesu.sqlite3")
        for plaintext in (PHONE, ID_NUMBER, "13912345678"):
            self.assertNotIn(plaintext.encode(), database_copy)

        target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(self.folder / "restored.sqlite3")}
        restored = FileSystemStorage(location=self.folder / "restored-media")
        outcome = restore_backup(archive, database=target, storage=restored)
        self.assertEqual((outcome.files, outcome.skipped), (4, 0))
        self.assertSameRowsAndFiles(target, restored)
        self.assertStoredEncrypted(target)

    def test_a_restore_refuses_a_postgresql_backup(self):
        archive = self.folder / "kesu.zip"
        write_backup(archive, database=self.source(), storage=default_storage)
        forged = self.rewrite(archive, lambda manifest: manifest | {"vendor": "postgresql"})
        target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(self.folder / "restored.sqlite3")}
        with self.assertRaisesMessage(Exception, "这份备份来自 PostgreSQL 数据库，当前数据库是 SQLite"):
            restore_backup(forged, database=target, storage=FileSystemStorage(location=self.folder / "m"))
        self.assertFalse((self.folder / "restored.sqlite3").exists())

    def test_a_restore_refuses_a_damaged_archive_before_writing_anything(self):
        archive = self.folder / "kesu.zip"
        write_backup(archive, database=self.source(), storage=default_storage)

        def damage(manifest: dict) -> dict:
            manifest["members"][-1]["sha256"] = "0" * 64
            return manifest

        forged = self.rewrite(archive, damage)
        target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(self.folder / "restored.sqlite3")}
        with self.assertRaisesMessage(Exception, "备份文件已损坏"):
            restore_backup(forged, database=target, storage=FileSystemStorage(location=self.folder / "m"))
        self.assertFalse((self.folder / "restored.sqlite3").exists())
        self.assertFalse((self.folder / "m").exists())

    def test_a_restore_refuses_a_storage_with_other_content_under_the_same_name(self):
        archive = self.folder / "kesu.zip"
        write_backup(archive, database=self.source(), storage=default_storage)
        restored = FileSystemStorage(location=self.folder / "m")
        name = next(iter(file_hashes(default_storage)))
        restored.save(name, ContentFile(b"something else"))
        target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(self.folder / "restored.sqlite3")}
        with self.assertRaisesMessage(Exception, f"文件存储中已有同名文件“{name}”"):
            restore_backup(archive, database=target, storage=restored)
        self.assertFalse((self.folder / "restored.sqlite3").exists())

    def test_a_restore_into_a_migrated_empty_database_works(self):
        archive = self.folder / "kesu.zip"
        write_backup(archive, database=self.source(), storage=default_storage)
        target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(self.folder / "restored.sqlite3")}
        with sqlite3.connect(target["NAME"]) as db:  # an empty table of Kesu's, like after `kesu migrate`
            db.execute("CREATE TABLE services_volunteer (id integer)")
        restored = FileSystemStorage(location=self.folder / "m")
        restore_backup(archive, database=target, storage=restored)
        self.assertSameRowsAndFiles(target, restored)

    def rewrite(self, archive: Path, change) -> Path:
        forged = archive.with_name("forged.zip")
        with zipfile.ZipFile(archive) as source, zipfile.ZipFile(forged, "w") as target:
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "manifest.json":
                    data = json.dumps(change(json.loads(data))).encode()
                target.writestr(info, data)
        return forged


@POSTGRES_ONLY
class PostgresBackupTests(BackupTestCase):
    TARGET = "kesu_backup_dst"

    def setUp(self) -> None:
        super().setUp()
        self.admin_db = {**self.source(), "NAME": "postgres"}
        self.recreate_target()
        self.addCleanup(self.drop_target)

    def admin_sql(self, sql: str) -> None:
        with connect(self.admin_db) as db:
            db.cursor().execute(sql)

    def recreate_target(self) -> None:
        self.drop_target()
        self.admin_sql(f'CREATE DATABASE "{self.TARGET}"')

    def drop_target(self) -> None:
        self.admin_sql(f'DROP DATABASE IF EXISTS "{self.TARGET}" WITH (FORCE)')

    def test_a_backup_restores_into_an_empty_database_with_the_same_rows_and_files(self):
        archive = self.folder / "kesu.zip"
        outcome = write_backup(archive, database=self.source(), storage=default_storage)
        self.assertEqual((outcome.manifest["vendor"], outcome.files), ("postgresql", 4))
        with zipfile.ZipFile(archive) as opened:
            dump_path = self.folder / "kesu.pgdump"
            dump_path.write_bytes(opened.read("database/kesu.pgdump"))
        data = subprocess.run(["pg_restore", "--data-only", "--file=-", str(dump_path)], capture_output=True,
                              text=True, check=True).stdout
        self.assertIn("services_volunteer", data)
        for plaintext in (PHONE, ID_NUMBER, "13912345678"):
            self.assertNotIn(plaintext, data)

        target = {**self.source(), "NAME": self.TARGET}
        restored = FileSystemStorage(location=self.folder / "restored-media")
        outcome = restore_backup(archive, database=target, storage=restored)
        self.assertEqual(outcome.files, 4)
        self.assertSameRowsAndFiles(target, restored)
        self.assertStoredEncrypted(target)

        with self.assertRaisesMessage(Exception, "目标数据库中已有科素数据"):
            restore_backup(archive, database=target, storage=restored)

    def test_a_restore_refuses_a_sqlite_backup(self):
        archive = self.folder / "kesu.zip"
        with zipfile.ZipFile(archive, "w") as forged:
            forged.writestr("manifest.json", json.dumps({"format": "kesu-backup/1", "vendor": "sqlite",
                                                         "migrations": [], "members": []}))
        with self.assertRaisesMessage(Exception, "这份备份来自 SQLite 数据库，当前数据库是 PostgreSQL"):
            restore_backup(archive, database={**self.source(), "NAME": self.TARGET},
                           storage=FileSystemStorage(location=self.folder / "m"))


class SettingsTests(unittest.TestCase):
    """KESU_STORAGE picks the storage of uploaded files; checked in a fresh interpreter with that environment."""

    def storages(self, **env: str) -> subprocess.CompletedProcess:
        import os
        import sys

        environment = {k: v for k, v in os.environ.items() if not k.startswith("KESU_S3_") and k != "KESU_STORAGE"}
        environment |= {"KESU_DEBUG": "true", **env}
        code = "import json, kesu.settings as s; print(json.dumps(s.STORAGES['default']))"
        return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True,
                              cwd=settings.PROJECT_DIR, check=False)

    def test_the_default_is_the_media_folder(self):
        done = self.storages()
        self.assertEqual(json.loads(done.stdout)["BACKEND"], "django.core.files.storage.FileSystemStorage", done.stderr)

    def test_s3_takes_bucket_endpoint_keys_and_region(self):
        done = self.storages(KESU_STORAGE="s3", KESU_S3_BUCKET="kesu-files", KESU_S3_ENDPOINT_URL="http://minio:9000",
                             KESU_S3_ACCESS_KEY="ak", KESU_S3_SECRET_KEY="sk", KESU_S3_REGION="cn-north-1")
        default = json.loads(done.stdout)
        self.assertEqual(default["BACKEND"], "storages.backends.s3.S3Storage")
        self.assertEqual(
            {k: default["OPTIONS"][k] for k in ("bucket_name", "endpoint_url", "access_key", "secret_key", "region_name",
                                                "file_overwrite")},
            {"bucket_name": "kesu-files", "endpoint_url": "http://minio:9000", "access_key": "ak", "secret_key": "sk",
             "region_name": "cn-north-1", "file_overwrite": False},
        )

    def test_s3_without_a_bucket_or_an_unknown_storage_is_refused_at_start(self):
        for env, message in (({"KESU_STORAGE": "s3"}, "KESU_S3_BUCKET"), ({"KESU_STORAGE": "ftp"}, "KESU_STORAGE")):
            with self.subTest(env=env):
                done = self.storages(**env)
                self.assertNotEqual(done.returncode, 0)
                self.assertIn(message, done.stderr)

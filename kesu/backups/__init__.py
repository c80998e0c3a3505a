"""Backups: `kesu backup FILE` and `kesu restore FILE` (kesu/backups/management/commands/).

One .zip archive holds everything an installation needs besides its settings:

  manifest.json          format kesu-backup/1, Kesu version, database vendor, applied migrations, created at,
                         and every member with its size and SHA-256
  database/kesu.sqlite3  SQLite: a copy made with SQLite's online backup API (consistent while the site runs)
  database/kesu.pgdump   PostgreSQL: pg_dump's custom format (one consistent snapshot), restored with pg_restore
  files/<name>           every file of Django's default storage (evidence, summaries, survey uploads, service
                         photos), read through the storage API, so a filesystem folder and an S3 bucket alike

Encrypted fields (ID and phone numbers) are copied as stored, i.e. encrypted: restoring needs the same
KESU_FIELD_KEY. A restore goes only into a database without Kesu data, of the same vendor.
"""

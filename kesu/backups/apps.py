from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """`kesu backup` / `kesu restore`: one archive of the database and the stored files. No models."""

    name = "kesu.backups"
    label = "backups"
    verbose_name = "备份与恢复"

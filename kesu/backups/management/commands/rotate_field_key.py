"""kesu rotate_field_key: write every personal-data field again with the first KESU_FIELD_KEY (kesu/backups/rekey.py)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from kesu.backups.rekey import rotate_field_key


class Command(BaseCommand):
    help = "更换个人信息加密密钥：用 KESU_FIELD_KEY 中的第一个密钥重新加密全部身份证号、手机号等字段，并重算查重摘要"

    def handle(self, *args, **options) -> None:
        counts = rotate_field_key()
        for label, count in counts.items():
            self.stdout.write(f"{label}：{count} 条")
        self.stdout.write(self.style.SUCCESS("已用新密钥重新加密。确认无误后，可从 KESU_FIELD_KEY 中删去旧密钥。"))

"""kesu create_api_token USERNAME [--name 对接系统]: issue an API token for a user and print its key once.

The token acts with exactly the user's rights (office admin, reporter, viewer …). Only the key's SHA-256
hash is stored; a lost key cannot be recovered — revoke the token in the admin and issue a new one.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kesu.api.models import ApiToken


class Command(BaseCommand):
    help = "为账号创建数据接口令牌（令牌只显示一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="账号用户名")
        parser.add_argument("--name", default="对接系统", help="令牌用途，例如对接的系统名称")

    def handle(self, *args, **options) -> None:
        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{user_model.USERNAME_FIELD: options["username"]})
        except user_model.DoesNotExist as error:
            raise CommandError(f"没有找到账号“{options['username']}”") from error
        if not user.is_active:
            raise CommandError(f"账号“{options['username']}”已停用，不能创建令牌")
        name = options["name"].strip()
        if not name:
            raise CommandError("请用 --name 说明令牌用途")
        token, key = ApiToken.issue(user, name[:100])
        self.stdout.write(key)
        self.stderr.write(
            f"已为 {user} 创建令牌“{token.name}”（{token.prefix}…）。令牌只显示这一次，请妥善保存；"
            f"请求时使用请求头 Authorization: Bearer <令牌>。"
        )

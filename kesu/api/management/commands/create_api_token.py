"""kesu create_api_token USERNAME [--name 对接系统] [--scope read|write] [--days 365]: issue an API token for a user
and print its key once.

The token acts with at most the user's rights (office admin, reporter, viewer …): a read-only token (the default)
may only read. It expires after --days days (default 365). Only the key's SHA-256 hash is stored; a lost key
cannot be recovered — revoke the token on the page 「API 令牌」 and issue a new one.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kesu.api.actions import TokenRefused, do_create_api_token
from kesu.api.models import DEFAULT_DAYS, ApiToken

SCOPES = {"read": ApiToken.Scope.READ, "write": ApiToken.Scope.READ_WRITE}


class Command(BaseCommand):
    help = "为账号创建数据接口令牌（令牌只显示一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="账号用户名")
        parser.add_argument("--name", default="对接系统", help="令牌用途，例如对接的系统名称")
        parser.add_argument("--scope", choices=sorted(SCOPES), default="read", help="read 只读（默认）或 write 读写")
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help=f"有效天数（默认 {DEFAULT_DAYS}）")

    def handle(self, *args, **options) -> None:
        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{user_model.USERNAME_FIELD: options["username"]})
        except user_model.DoesNotExist as error:
            raise CommandError(f"没有找到账号“{options['username']}”") from error
        try:
            token, key = do_create_api_token(
                user, None, name=options["name"], scope=SCOPES[options["scope"]], days=options["days"]
            )
        except TokenRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(key)
        self.stderr.write(
            f"已为 {user} 创建{token.get_scope_display()}令牌“{token.name}”（{token.prefix}…），"
            f"有效期至 {timezone.localtime(token.expires_at):%Y-%m-%d}。令牌只显示这一次，请妥善保存；"
            f"请求时使用请求头 Authorization: Bearer <令牌>。"
        )

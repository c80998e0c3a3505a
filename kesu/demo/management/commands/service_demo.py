"""kesu service_demo: demo data for the grassroots service of one county (default 襄汾县, after `kesu demo`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kesu.demo.volunteering import PASSWORD, do_create_service_demo, state_counts
from kesu.org.models import Jurisdiction


class Command(BaseCommand):
    help = "为一个县建立基层科普服务演示数据（服务区域、服务队、志愿者、基地、一年的服务单）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jurisdiction", default="襄汾县")

    def handle(self, *args, **options) -> None:
        jurisdiction = Jurisdiction.objects.filter(name=options["jurisdiction"]).first()
        if jurisdiction is None:
            raise CommandError(f"没有找到行政区划“{options['jurisdiction']}”：请先运行 kesu demo")
        made = do_create_service_demo(jurisdiction)
        if made.get("skipped"):
            self.stdout.write(f"{jurisdiction.name}已有服务演示数据，未重复生成。")
            return
        self.stdout.write(f"{jurisdiction.name}基层科普服务演示数据：{made}")
        self.stdout.write(f"服务单状态：{state_counts()}")
        self.stdout.write(f"演示账号（密码 {PASSWORD}）：xf-xincheng（新城镇工作人员）、xf-kx（县科协领单）、"
                          "xf-team-kx（县科协科普志愿服务队管理员）等；科协办公室用 xiangfen。")

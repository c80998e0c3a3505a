"""kesu plan import runs this after importing a plan that follows another: print the proposals, and with --yes
confirm them all (baselines as proposed) and end the old plan — the same action as the page 方案衔接."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kesu.domain.refusals import Refused
from kesu.plans.models import Plan
from kesu.succession.actions import Choices, do_confirm_succession
from kesu.succession.models import Succession
from kesu.succession.proposals import gather


class Command(BaseCommand):
    help = "列出方案衔接建议（措施、量化目标及其基线、总体目标基线）；加 --yes 全部确认并结束上一方案"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", type=int, help="后续方案的编号")
        parser.add_argument("--yes", action="store_true", help="确认全部建议并结束上一方案")
        parser.add_argument("--user", help="记录为操作人的用户名")

    def handle(self, *args, **options) -> None:
        plan = Plan.objects.filter(pk=options["plan"]).select_related("predecessor").first()
        if plan is None:
            raise CommandError(f"没有编号为 {options['plan']} 的方案")
        if Succession.objects.filter(successor=plan).exists():
            self.stdout.write(f"《{plan.title}》的方案衔接已经确认过。")
            return
        proposals = gather(plan)
        if proposals is None:
            return
        self.stdout.write(f"《{plan.title}》接续《{proposals.predecessor.title}》，衔接建议：")
        if proposals.headline:
            h = proposals.headline
            self.stdout.write(f"  总体目标基线：{h.year}年 {h.value:g}%（{h.source}；方案文件中为 {h.current}）")
        for row in proposals.targets:
            self.stdout.write(f"  目标：{row.new.indicator} ← {row.old.indicator}（{row.reason}），"
                              f"基线 {row.baseline_year}年 {row.final_text}")
        for row in proposals.measures:
            self.stdout.write(f"  措施：{row.new.title} ← {row.old.title}（{row.reason}）")
        if not options["yes"]:
            self.stdout.write("尚未确认（加 --yes 全部确认并结束上一方案，或在网页“方案衔接”中逐项确认）。")
            return
        actor = get_user_model().objects.filter(username=options["user"]).first() if options["user"] else None
        choices = Choices(frozenset(r.key for r in proposals.measures),
                          {r.key: r.baseline for r in proposals.targets},
                          proposals.headline.value if proposals.headline else None)
        try:
            do_confirm_succession(plan, actor, choices, trusted=True)
        except Refused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已确认：{len(proposals.targets)} 项目标、{len(proposals.measures)} 项措施接续；"
                          f"《{proposals.predecessor.title}》已结束。")

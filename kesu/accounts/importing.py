"""New unit reporters from an .xlsx (单位, 姓名, 手机, 账号): each row checked with the form of the single-account
page, plus duplicates inside the file; read and checked by the shared importer of kesu.volunteering.importing."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from kesu.accounts.forms import AccountForm
from kesu.accounts.models import AccountImport
from kesu.domain.account_rules import USERNAME_RULE
from kesu.org.models import Jurisdiction, Membership
from kesu.volunteering.importing import Checked, Column, Problem, Spec, _Importer, read_rows


class AccountImporter(_Importer):
    form_class = AccountForm
    spec = Spec(
        "accounts", "成员单位填报员账号",
        [Column("单位", "unit", True), Column("姓名", "name", True), Column("手机", "phone", True),
         Column("账号", "username", True)],
        ["县教科局", "张三", "13812345678", "xf-jkj-zhangsan"],
        ["每行一个成员单位填报员账号，四列都必填。单位填本地区成员单位的名称（可用简称或别名）。",
         USERNAME_RULE + "，不能与已有账号或表中其他行重复。",
         "导入前会逐行检查并列出将要创建的账号；全部无误才会创建。每个账号得到一个临时密码（只显示一次），首次登录时须修改。"],
    )

    def form(self, data: dict) -> forms.Form:
        return AccountForm(dict(data, role=Membership.Role.UNIT_REPORTER), jurisdiction=self.jurisdiction)

    def extra_checks(self, number: int, data: dict, problems: list[Problem], seen: dict) -> None:
        key = data["username"].lower()
        if key in seen:
            problems.append(Problem(number, "账号", f"与第 {seen[key]} 行的账号重复"))
        else:
            seen[key] = number


def example_row(jurisdiction: Jurisdiction) -> list[str]:
    """The template's example, with a real unit of the jurisdiction when it has one."""
    row = list(AccountImporter.spec.example)
    unit = jurisdiction.units.filter(stands_for_all=False).order_by("name").first()
    if unit is not None:
        row[0] = unit.name
    taken = set(get_user_model().objects.filter(username__startswith=row[3]).values_list("username", flat=True))
    row[3] = next(name for name in (f"{row[3]}{n or ''}" for n in range(len(taken) + 1)) if name not in taken)
    return row


def check_batch(batch: AccountImport) -> Checked:
    header, rows = read_rows(bytes(batch.data), batch.name)
    return AccountImporter(batch.jurisdiction).check(header, rows)

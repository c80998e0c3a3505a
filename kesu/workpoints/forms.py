"""Forms of the work-point pages: upload, the link of each staged point, one point by hand."""

from __future__ import annotations

from django import forms

from kesu.org.models import Jurisdiction, MemberUnit
from kesu.plans.forms import KesuForm
from kesu.plans.models import Plan, Task

NEW = "new"  # the choice 本年新增


def measure_choices(plan: Plan) -> list[tuple[str, str]]:
    tasks = Task.objects.filter(section__plan=plan).select_related("section").order_by("section__position", "position")
    return [(NEW, "本年新增（不对应方案中的措施）")] + [
        (str(t.pk), f"{t.section.position + 1}.{t.position + 1} {t.title}") for t in tasks
    ]


def chosen_task(plan: Plan, raw: str) -> Task | None:
    return None if raw == NEW else Task.objects.select_related("section").get(pk=int(raw), section__plan=plan)


class UploadForm(KesuForm):
    file = forms.FileField(label="工作要点文件", help_text=".docx 或 .txt（UTF-8 或 GBK），写法同实施方案：带编号的标题下逐条编号，"
                                                     "注明（牵头单位：…；配合单位：…）")


def _units(jurisdiction: Jurisdiction):
    return MemberUnit.objects.filter(jurisdiction=jurisdiction, stands_for_all=False).order_by("name")


class PointForm(KesuForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    section = forms.CharField(label="所属部分", max_length=300, required=False, help_text="如：青少年科学素质提升行动")
    text = forms.CharField(label="工作要点", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    link = forms.ChoiceField(label="关联措施", help_text="本要点落实方案中的哪项措施；方案中没有的选“本年新增”")
    lead_units = forms.ModelMultipleChoiceField(label="牵头单位", queryset=MemberUnit.objects.none(),
                                                widget=forms.CheckboxSelectMultiple,
                                                error_messages={"required": "请至少选择一个牵头单位。"})
    support_units = forms.ModelMultipleChoiceField(label="配合单位", queryset=MemberUnit.objects.none(), required=False,
                                                   widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, plan: Plan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["link"].choices = measure_choices(plan)
        self.fields["lead_units"].queryset = _units(plan.jurisdiction)
        self.fields["support_units"].queryset = _units(plan.jurisdiction)

    def clean_link(self) -> Task | None:
        return chosen_task(self.plan, self.cleaned_data["link"])


class LinksForm(KesuForm):
    """One choice per staged point: the measure it carries out, or 本年新增."""

    def __init__(self, *args, plan: Plan, positions: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = measure_choices(plan)
        for position in positions:
            self.fields[f"link_{position}"] = forms.ChoiceField(label=f"第 {position} 条关联", choices=choices)

    def links(self) -> dict[int, int | None]:
        return {int(name.removeprefix("link_")): None if value == NEW else int(value) for name, value in self.cleaned_data.items()}

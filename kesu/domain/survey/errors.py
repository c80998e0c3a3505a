"""Errors of the survey layer. Every message is in Simplified Chinese, ready to show to an office user."""

from __future__ import annotations

from dataclasses import dataclass

from kesu.domain.refusals import Refused


class SurveyError(Refused):
    """Base class: `str(error)` is a complete Chinese sentence."""


class InstrumentError(SurveyError):
    """The questionnaire file is not valid; `problems` lists every finding."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("问卷定义有误：\n" + "\n".join(f"  - {p}" for p in self.problems))


class MarginsError(SurveyError):
    """The population margins cannot be used to rake these data."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("总体控制数有误：\n" + "\n".join(f"  - {p}" for p in self.problems))


class EstimationError(SurveyError):
    """The design cannot give the requested estimate (e.g. lonely PSU with rule "fail")."""


class SaeError(SurveyError):
    """Small-area estimation cannot run on these inputs."""


@dataclass(frozen=True)
class Problem:
    """One finding of an import: `row` as the user sees it in the file (header = row 1), `column` by name."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column is not None:
            where.append(f"列“{self.column}”")
        return ("，".join(where) + "：" if where else "") + self.message


class ResponsesError(SurveyError):
    """The responses file was refused; nothing was stored. `problems` names every bad row and column."""

    def __init__(self, problems: list[Problem], *, limit: int = 50):
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:limit])
        more = f"\n  …… 另有 {len(self.problems) - limit} 处问题" if len(self.problems) > limit else ""
        super().__init__(f"答卷数据有 {len(self.problems)} 处问题，未导入任何数据：\n{shown}{more}")

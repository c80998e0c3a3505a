"""One base for every refusal: a Chinese message, optionally the field it concerns, and an API status."""

from __future__ import annotations

import ast
from pathlib import Path

from kesu.domain.refusals import Refused
from kesu.domain.report_workflow import MoveRefused

KESU = Path(__file__).resolve().parents[2] / "kesu"
NOT_REFUSALS = {"LeaseLost"}  # kesu/infra/leases.py: a worker's internal signal, never shown to anyone


def test_a_refusal_carries_its_message_and_field() -> None:
    refusal = MoveRefused("退回报告必须填写退回原因。", field="reason")
    assert (str(refusal), refusal.message, refusal.field, refusal.status) == ("退回报告必须填写退回原因。", "退回报告必须填写退回原因。",
                                                                             "reason", 409)
    assert isinstance(refusal, Refused)


def test_every_exception_class_in_kesu_is_a_refusal() -> None:
    """A new exception class must build on Refused (or on a class that does), so the API and pages handle it."""
    direct = []
    for path in KESU.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            bases = {b.id for b in node.bases if isinstance(b, ast.Name)} if isinstance(node, ast.ClassDef) else set()
            if bases & {"Exception", "ValueError", "RuntimeError"} and "Refused" not in bases and node.name not in NOT_REFUSALS:
                direct.append(f"{path.relative_to(KESU.parent)}: {node.name}")
    assert direct == [f"kesu/domain/refusals.py: {Refused.__name__}"], direct

"""Shared helpers for the plan parser tests (no Django needed)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "plans"


def shared_dir() -> Path:
    """The read-only shared material (seeds, gold files, scorer): $KESU_SHARED or ../shared beside the repo."""
    return Path(os.environ.get("KESU_SHARED") or Path(__file__).resolve().parents[2].parent / "shared")


def load_scorer():
    """The official scorer module (tools/plan_score.py), or skip when the shared material is absent."""
    path = shared_dir() / "tools" / "plan_score.py"
    if not path.is_file():
        pytest.skip(f"scorer not found at {path} (set KESU_SHARED to the shared folder)")
    spec = importlib.util.spec_from_file_location("plan_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def all_tasks(plan: dict) -> list[dict]:
    return [task for section in plan["sections"] for task in section["tasks"]]


def task(plan: dict, title_start: str) -> dict:
    found = [t for t in all_tasks(plan) if t["title"].startswith(title_start)]
    assert found, f"no task starting with {title_start!r} in {[t['title'] for t in all_tasks(plan)]}"
    return found[0]


def targets(plan: dict) -> list[dict]:
    return [target for t in all_tasks(plan) for target in t["targets"]]

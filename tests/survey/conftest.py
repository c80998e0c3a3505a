"""Shared fixtures of the survey tests (pure Python: no database, no Django)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "survey"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def demo_instrument():
    from kesu.domain.survey import load_instrument

    return load_instrument("demo")


@pytest.fixture(scope="session")
def r_reference() -> dict:
    return json.loads((FIXTURES / "r_reference.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo_responses(demo_instrument):
    from kesu.domain.survey import read_responses

    return read_responses(FIXTURES / "demo_responses.csv", demo_instrument)

"""`make lint` runs lint-imports: a forbidden import between apps fails it (contracts in pyproject.toml)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_copy_with(tmp_path: Path, module: str, line: str) -> subprocess.CompletedProcess:
    """Run lint-imports over a copy of the kesu package (Python files only) with `line` added to `module`."""
    shutil.copytree(ROOT / "kesu", tmp_path / "kesu", ignore=lambda folder, names: [
        n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir() or n == "__pycache__"])
    path = tmp_path / "kesu" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}  # the copy, not the installed package, is analysed
    return subprocess.run([str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("tracking/dashboard.py", "from kesu.volunteering import binding  # noqa", "kesu.tracking is not allowed to import kesu.volunteering"),
    ("domain/dispatch.py", "import django  # noqa", "kesu.domain is not allowed to import django"),
    ("org/access.py", "from kesu.plans import models  # noqa", "kesu.org is not allowed to import kesu.plans"),
])
def test_a_forbidden_import_fails_the_lint(tmp_path: Path, module: str, line: str, broken: str) -> None:
    result = _lint_copy_with(tmp_path, module, line)
    assert result.returncode == 1, result.stdout + result.stderr
    assert broken in result.stdout

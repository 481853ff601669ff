"""The library type-checks under `mypy --strict` and passes `ruff check`.

Both tools are pinned in the `test` extra and configured in pyproject.toml
([tool.mypy], [tool.ruff]); these tests run them the way a developer would, so
`scripts/dev.py test` (and CI) enforce them. Without the tools installed (a
core-only environment) the tests skip.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_tool(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (it comes with the [test] extra)")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_mypy_strict_is_clean() -> None:
    result = run_tool("mypy")  # files and strictness come from [tool.mypy]
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_check_is_clean() -> None:
    result = run_tool("ruff", "check", "micrograd")
    assert result.returncode == 0, result.stdout + result.stderr

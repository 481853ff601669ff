"""The library checks "a real number, not a bool" in one place: micrograd._checks."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

import micrograd
from micrograd._checks import count, finite, is_int, is_real, real

PACKAGE = Path(micrograd.__file__).parent


def test_no_module_repeats_the_bool_check() -> None:
    pattern = re.compile(r"isinstance\([^)]*\bbool\b|\bReal\b")
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(PACKAGE.glob("*.py"))
        if path.name != "_checks.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize("x", [0, -3, 2.5, math.inf, math.nan])
def test_real_numbers_pass(x: float) -> None:
    assert is_real(x)
    assert real(x, "x") == x or math.isnan(x)


@pytest.mark.parametrize("x", [True, False, "1", None, 1j, [1.0]])
def test_everything_else_is_not_a_real_number(x: object) -> None:
    assert not is_real(x)
    with pytest.raises(TypeError, match=r"^x must be a real number, got "):
        real(x, "x")


def test_ints_but_not_bools() -> None:
    assert is_int(3) and not is_int(True) and not is_int(3.0)
    assert count(3, "n", 1) == 3
    with pytest.raises(TypeError, match="n must be an int"):
        count(True, "n", 0)
    with pytest.raises(ValueError, match="n must be at least 1, got 0"):
        count(0, "n", 1)


def test_finite_with_a_minimum() -> None:
    assert finite(0, "lr", minimum=0) == 0.0
    for bad in (-1e-9, math.inf, math.nan):
        with pytest.raises(ValueError, match="lr must be a finite number >= 0"):
            finite(bad, "lr", minimum=0)
    with pytest.raises(ValueError, match="x_min must be a finite number, got inf"):
        finite(math.inf, "x_min")

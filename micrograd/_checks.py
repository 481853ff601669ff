"""Argument checks shared by every module: one definition of "a real number, not a bool".

`bool` is a subclass of `int` (so `True` passes `isinstance(x, int)` and
`isinstance(x, Real)`), but a bool where a number is expected is almost always
a bug, so every public function of the library refuses it.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import TypeGuard


def is_real(x: object) -> TypeGuard[Real]:
    """True for ints, floats and other real numbers, False for bools and everything else.

    Examples:
        >>> from micrograd._checks import is_real
        >>> is_real(2), is_real(2.5), is_real(True), is_real("2")
        (True, True, False, False)
    """
    return isinstance(x, Real) and not isinstance(x, bool)


def is_int(x: object) -> TypeGuard[int]:
    """True for ints (not bools).

    Examples:
        >>> from micrograd._checks import is_int
        >>> is_int(3), is_int(3.0), is_int(False)
        (True, False, False)
    """
    return isinstance(x, int) and not isinstance(x, bool)


def real(x: object, name: str) -> float:
    """`x` as a float if it is a real number (not a bool); TypeError naming `name` otherwise."""
    if not is_real(x):
        raise TypeError(f"{name} must be a real number, got {type(x).__name__}: {x!r}")
    return float(x)


def finite(x: object, name: str, minimum: float | None = None) -> float:
    """A finite real number as a float, at least `minimum` if given; TypeError/ValueError naming `name`."""
    if type(x) is float and math.isfinite(x) and (minimum is None or x >= minimum):
        return x  # the common case (a learning rate each step), without the slower number checks below
    value = real(x, name)
    if not math.isfinite(value) or (minimum is not None and value < minimum):
        bound = "" if minimum is None else f" >= {minimum:g}"
        raise ValueError(f"{name} must be a finite number{bound}, got {x!r}")
    return value


def count(n: object, name: str, minimum: int) -> int:
    """An int (not a bool) of at least `minimum`; TypeError/ValueError naming `name` otherwise."""
    if not is_int(n):
        raise TypeError(f"{name} must be an int, got {type(n).__name__}: {n!r}")
    if n < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {n!r}")
    return n


def flag(x: object, name: str) -> bool:
    """`x` if it is True or False; TypeError naming `name` otherwise (1 and "yes" are not flags).

    Examples:
        >>> from micrograd._checks import flag
        >>> flag(True, "nesterov")
        True
        >>> flag(1, "nesterov")
        Traceback (most recent call last):
        ...
        TypeError: nesterov must be True or False, got int: 1
    """
    if not isinstance(x, bool):
        raise TypeError(f"{name} must be True or False, got {type(x).__name__}: {x!r}")
    return x

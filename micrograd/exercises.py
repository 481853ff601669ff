"""The check the site's exercises run: prints `OK`, or `WRONG` with what was expected.

Every exercise notebook (docs/exercises/) ends an exercise with a check cell,
`check(answer, expected)`. The reader runs it after filling in the answer; the
site's build runs it after the exercise's solution and fails when it prints
`WRONG`. It lives in the library so that a downloaded notebook and the page's
own Python find the same code.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from micrograd._checks import is_real

OK = "OK"
WRONG = "WRONG"


def matches(got: object, expected: object, tol: float = 1e-6) -> bool:
    """True when `got` equals `expected`: numbers within `tol`, sequences item by item, the rest with `==`.

    Numbers are close when `math.isclose(got, expected, rel_tol=tol, abs_tol=tol)`;
    a `Value` is compared by its `data`. Lists and tuples match each other.

    Examples:
        >>> matches(0.1 + 0.2, 0.3), matches([1, 2.0000000001], (1.0, 2.0)), matches(1.0, "1.0")
        (True, True, False)
        >>> from micrograd.engine import Value
        >>> matches(Value(2.0) * 3, 6.0), matches([1.0], [1.0, 2.0])
        (True, False)
    """
    got, expected = _number(got), _number(expected)
    if is_real(got) and is_real(expected):  # bools are not numbers here
        return math.isclose(float(got), float(expected), rel_tol=tol, abs_tol=tol)
    if isinstance(got, Sequence) and isinstance(expected, Sequence) and _is_sequence(got) and _is_sequence(expected):
        return len(got) == len(expected) and all(matches(g, e, tol) for g, e in zip(got, expected, strict=False))
    return type(got) is type(expected) and got == expected


def check(got: object, expected: object, tol: float = 1e-6) -> None:
    """Print `OK` when `got` matches `expected` (see `matches`), else `WRONG: expected …, got …`.

    Args:
        got: The reader's answer.
        expected: The right answer.
        tol: Relative and absolute tolerance for numbers.

    Examples:
        >>> check(2 + 2, 4)
        OK
        >>> check([0.5, 1.0], [0.5, 1.5])
        WRONG: expected [0.5, 1.5], got [0.5, 1.0]
        >>> check(..., 4)
        WRONG: expected 4, got Ellipsis (replace the ... with your answer)
    """
    if matches(got, expected, tol):
        print(OK)
        return
    hint = " (replace the ... with your answer)" if got is Ellipsis else ""
    print(f"{WRONG}: expected {_shown(expected)}, got {_shown(got)}{hint}")


def _number(x: object) -> object:
    """A `Value` stands for its data; anything else for itself (imported late: no cycle with the engine)."""
    from micrograd.engine import Value

    return x.data if isinstance(x, Value) else x


def _is_sequence(x: object) -> bool:
    return isinstance(x, Sequence) and not isinstance(x, str | bytes)


def _shown(x: object) -> str:
    x = _number(x)
    if _is_sequence(x):
        assert isinstance(x, Sequence)
        return "[" + ", ".join(_shown(item) for item in x) + "]"
    return repr(x)

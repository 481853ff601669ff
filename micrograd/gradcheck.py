"""Numerical derivatives, and a check of backpropagated gradients against them.

A derivative is the slope you get by nudging the input a little and watching
the output move. That is slow (two evaluations per input) and approximate,
but it needs no chain rule, which makes it the referee for `backward()`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from micrograd._checks import is_real
from micrograd.engine import Value

GraphFunction = Callable[[list[Value]], "Value | float"]


def _check_step(h: object, name: str) -> float:
    if not is_real(h) or not math.isfinite(h) or h <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {h!r}")
    return float(h)


def forward_difference(f: Callable[[float], float], x: float, h: float = 1e-4) -> float:
    """Slope of f at x from one step forward: `(f(x + h) - f(x)) / h`.

    Its error shrinks in proportion to h.

    Examples:
        >>> from micrograd.gradcheck import forward_difference
        >>> f = lambda x: 3 * x**2 - 4 * x + 5
        >>> forward_difference(f, 3.0, h=0.0001)
        14.000300000063248
    """
    h = _check_step(h, "h")
    return (f(x + h) - f(x)) / h


def central_difference(f: Callable[[float], float], x: float, h: float = 1e-4) -> float:
    """Slope of f at x from a step either side: `(f(x + h) - f(x - h)) / (2h)`.

    Its error shrinks in proportion to `h**2`, so it is much closer than the
    forward difference for the same h.

    Examples:
        >>> from micrograd.gradcheck import central_difference
        >>> f = lambda x: 3 * x**2 - 4 * x + 5
        >>> round(central_difference(f, 3.0), 6)
        14.0
        >>> abs(central_difference(f, 2 / 3)) < 1e-6
        True
    """
    h = _check_step(h, "h")
    return (f(x + h) - f(x - h)) / (2 * h)


def _evaluate(f: GraphFunction, inputs: Sequence[float]) -> float:
    out = f([Value(x) for x in inputs])
    if isinstance(out, Value):
        return out.data
    if is_real(out):
        return float(out)
    raise TypeError(f"f must return a Value or a number, got {type(out).__name__}")


def numerical_gradient(f: GraphFunction, inputs: Sequence[float], eps: float = 1e-6) -> list[float]:
    """Central-difference estimate of `df/d(input)` for each input.

    Args:
        f: Takes a list of Values (one per input) and returns a Value or a number.
        inputs: The point to differentiate at.
        eps: Nudge size.

    Examples:
        >>> from micrograd.gradcheck import numerical_gradient
        >>> grads = numerical_gradient(lambda v: v[0] * v[1] + v[0], [2.0, -3.0])
        >>> [round(g, 6) for g in grads]
        [-2.0, 2.0]
    """
    eps = _check_step(eps, "eps")
    point = [float(x) for x in inputs]
    grads = []
    for i, x in enumerate(point):
        up = [*point[:i], x + eps, *point[i + 1 :]]
        down = [*point[:i], x - eps, *point[i + 1 :]]
        grads.append((_evaluate(f, up) - _evaluate(f, down)) / (2 * eps))
    return grads


@dataclass(frozen=True)
class Mismatch:
    """One input's gradients and how far apart they are.

    Examples:
        >>> from micrograd.gradcheck import gradcheck
        >>> gradcheck(lambda v: v[0] * v[1], [2.0, 3.0]).worst.index in (0, 1)
        True
    """

    index: int
    analytic: float
    numeric: float
    error: float  # |analytic - numeric|


@dataclass(frozen=True, repr=False)
class GradcheckResult:
    """The outcome of `gradcheck`; true when every gradient matched.

    Attributes:
        ok: Every `|analytic - numeric| <= atol + rtol * |numeric|`.
        analytic: Gradients from `backward()`, one per input.
        numeric: Central-difference gradients, one per input.
        worst: The input whose error is the largest fraction of its tolerance.

    Examples:
        >>> from micrograd.gradcheck import gradcheck
        >>> result = gradcheck(lambda v: v[0].tanh(), [0.5])
        >>> bool(result), len(result.analytic)
        (True, 1)
    """

    ok: bool
    analytic: tuple[float, ...]
    numeric: tuple[float, ...]
    worst: Mismatch

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        w = self.worst
        verdict = "passed" if self.ok else "FAILED"
        count = len(self.analytic)
        return (
            f"gradcheck {verdict} on {count} input{'' if count == 1 else 's'}; worst at input {w.index}: "
            f"analytic {w.analytic!r}, numeric {w.numeric!r}, error {w.error:.3g}"
        )

    __str__ = __repr__


def gradcheck(
    f: GraphFunction,
    inputs: Sequence[float],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_on_failure: bool = False,
) -> GradcheckResult:
    """Compare the gradients `backward()` finds with central differences.

    Args:
        f: Takes a list of Values (one per input) and returns a Value; it may
            also use Values it closes over (their grads change as a side effect).
        inputs: The floats to check the gradient at (at least one).
        eps: Nudge size of the central differences.
        atol: Absolute tolerance.
        rtol: Tolerance relative to the numeric gradient.
        raise_on_failure: Raise ValueError with the report instead of
            returning a failed result.

    Returns:
        A GradcheckResult, true when every input's gradient matched.

    Examples:
        >>> from micrograd.gradcheck import gradcheck
        >>> result = gradcheck(lambda v: (v[0] * v[1]).tanh() + v[0], [0.5, -1.5])
        >>> result.ok
        True

        An operation whose backward rule is wrong for it (a square that
        backpropagates like "+", i.e. with slope 1) is caught:

        >>> from micrograd.engine import Value
        >>> from micrograd.gradcheck import gradcheck
        >>> gradcheck(lambda v: Value(v[0].data ** 2, (v[0],), "+"), [3.0])  # doctest: +ELLIPSIS
        gradcheck FAILED on 1 input; worst at input 0: analytic 1.0, numeric 6.0..., error 5
    """
    inputs = [float(x) for x in inputs]
    if not inputs:
        raise ValueError("gradcheck needs at least one input, got 0")
    eps = _check_step(eps, "eps")
    if not (atol >= 0 and rtol >= 0):
        raise ValueError(f"atol and rtol must be >= 0, got atol={atol!r} and rtol={rtol!r}")
    values = [Value(x) for x in inputs]
    out = f(values)
    if not isinstance(out, Value):
        raise TypeError(f"f must return a Value to backpropagate from, got {type(out).__name__}")
    out.backward()
    analytic = tuple(v.grad for v in values)
    numeric = tuple(numerical_gradient(f, inputs, eps))

    errors = [abs(a - n) for a, n in zip(analytic, numeric, strict=True)]
    tolerances = [atol + rtol * abs(n) for n in numeric]
    matched = [e <= t for e, t in zip(errors, tolerances, strict=True)]  # False for NaN and for unequal infinities
    i = max(range(len(errors)), key=lambda i: (not matched[i], _badness(errors[i], tolerances[i])))
    worst = Mismatch(i, analytic[i], numeric[i], errors[i])
    result = GradcheckResult(all(matched), analytic, numeric, worst)
    if raise_on_failure and not result.ok:
        raise ValueError(str(result))
    return result


def _badness(error: float, tolerance: float) -> float:
    """The error as a multiple of its tolerance; infinite for NaN or any error over a zero tolerance."""
    if error == 0:
        return 0.0
    ratio = error / tolerance if tolerance else math.inf
    return math.inf if math.isnan(ratio) else ratio

"""Shared test helpers: random expression graphs that run on micrograd and on torch alike.

A random expression is a small program: a list of steps, each applying one
operation to earlier nodes (leaves or results of earlier steps), so nodes get
reused. The same program is evaluated on `Value`s and on torch tensors, which
works because both support the same operators and the methods `.tanh()`,
`.exp()`, `.relu()`, `.sigmoid()` and `.log()`.

Steps are chosen from plain integers, so Hypothesis can generate and shrink
them without importing anything from this file. They are then *resolved* once
on concrete leaf values: an operation that would leave its safe domain
(log of a small number, division by almost zero, relu next to its kink, a
result so large that finite differences lose precision) is replaced by tanh.
Replaying a resolved program never makes data-dependent choices, so the
function it computes is smooth around the resolved leaf values, which is
what finite-difference and cross-library comparisons need.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Sequence

import pytest

from micrograd.engine import Value

# Operation names; a raw step picks one by index modulo len(OPERATIONS).
OPERATIONS: tuple[str, ...] = (
    "add",
    "sub",
    "mul",
    "div",
    "pow_const",
    "pow_value",
    "neg",
    "tanh",
    "exp",
    "relu",
    "sigmoid",
    "log",
    "add_const",
    "rsub_const",
    "rmul_const",
    "rdiv_const",
    "rpow_const",
)
# Ints as well as floats, to exercise mixing Values with both.
CONSTANTS: tuple[int | float, ...] = (2, 3, -1, 0.5, -1.5, 2.5, -2, 1.5)

# Keeps every intermediate value moderate, so finite differences stay accurate.
MAGNITUDE_LIMIT = 100.0
# Distance kept from kinks and poles (relu at 0, 1/x and log x near 0).
MARGIN = 0.1

RawStep = tuple[int, int, int, int]  # (operation, first operand, second operand, constant) as raw ints


@dataclass(frozen=True)
class Step:
    """One resolved operation: `op` applied to nodes `a` (and `b`), maybe with `constant`."""

    op: str
    a: int
    b: int
    constant: int | float


def apply_step(step: Step, nodes: Sequence[Any]) -> Any:
    """Apply one step to Values or torch tensors (both support these operators)."""
    x, y, c = nodes[step.a], nodes[step.b], step.constant
    op = step.op
    if op == "add":
        return x + y
    if op == "sub":
        return x - y
    if op == "mul":
        return x * y
    if op == "div":
        return x / y
    if op == "pow_const":
        return x**c
    if op == "pow_value":
        return x**y
    if op == "neg":
        return -x
    if op in ("tanh", "exp", "relu", "sigmoid", "log"):
        return getattr(x, op)()
    if op == "add_const":
        return x + c
    if op == "rsub_const":
        return c - x
    if op == "rmul_const":
        return c * x
    if op == "rdiv_const":
        return c / x
    if op == "rpow_const":
        return abs(c) ** x
    raise ValueError(f"unknown operation {op!r}")


def _in_safe_domain(op: str, x: float, y: float, c: float) -> bool:
    if op == "div":
        return abs(y) >= MARGIN
    if op == "rdiv_const":
        return abs(x) >= MARGIN
    if op == "log":
        return x >= MARGIN
    if op == "relu":
        return abs(x) >= MARGIN
    if op == "pow_value":
        return x >= MARGIN and abs(y) <= 3
    if op == "pow_const":
        # Fractional powers need a positive base; negative powers a base away from 0.
        return x >= MARGIN or (float(c).is_integer() and (c > 0 or abs(x) >= MARGIN))
    if op == "exp":
        return x <= 4
    if op == "rpow_const":
        return abs(x) <= 4
    return True


@dataclass(frozen=True)
class Expression:
    """A resolved random expression: evaluate it on any leaves with `expression(leaves)`.

    The output is the sum of every step's result, so each intermediate node
    (and every leaf it uses) influences the output.
    """

    leaf_values: tuple[float, ...]
    steps: tuple[Step, ...]

    @classmethod
    def resolve(cls, leaf_values: Sequence[float], raw_steps: Sequence[RawStep]) -> Expression:
        """Turn raw integer steps into safe steps for these leaf values."""
        if not leaf_values or not raw_steps:
            raise ValueError("an expression needs at least one leaf and one step")
        nodes: list[Value] = [Value(v) for v in leaf_values]
        steps: list[Step] = []
        for op_index, i, j, constant_index in raw_steps:
            step = Step(
                OPERATIONS[op_index % len(OPERATIONS)],
                i % len(nodes),
                j % len(nodes),
                CONSTANTS[constant_index % len(CONSTANTS)],
            )
            x, y = nodes[step.a].data, nodes[step.b].data
            result = apply_step(step, nodes) if _in_safe_domain(step.op, x, y, step.constant) else None
            if result is None or not abs(result.data) <= MAGNITUDE_LIMIT:
                step = Step("tanh", step.a, step.b, step.constant)
                result = apply_step(step, nodes)
            steps.append(step)
            nodes.append(result)
        return cls(tuple(float(v) for v in leaf_values), tuple(steps))

    def __call__(self, leaves: Sequence[Any]) -> Any:
        nodes = list(leaves)
        for step in self.steps:
            nodes.append(apply_step(step, nodes))
        results = nodes[len(leaves) :]
        total = results[0]
        for r in results[1:]:
            total = total + r
        return total


def random_raw_steps(rng: random.Random, count: int) -> list[RawStep]:
    """`count` raw steps from a seeded generator (the non-Hypothesis way to get programs)."""
    return [
        (rng.randrange(len(OPERATIONS)), rng.randrange(1000), rng.randrange(1000), rng.randrange(len(CONSTANTS)))
        for _ in range(count)
    ]


@dataclass(frozen=True)
class ExpressionKit:
    """What the `expressions` fixture hands to tests."""

    resolve = staticmethod(Expression.resolve)
    random_raw_steps = staticmethod(random_raw_steps)
    operations: tuple[str, ...] = OPERATIONS


@pytest.fixture(scope="session")
def expressions() -> ExpressionKit:
    """Random expression programs (session-scoped, so Hypothesis tests may use it)."""
    return ExpressionKit()


@dataclass(frozen=True)
class LectureNeuron:
    """The neuron from the lecture, with its known output and gradients."""

    x1: float = 2.0
    x2: float = 0.0
    w1: float = -3.0
    w2: float = 1.0
    b: float = 6.8813735870195432
    output: float = 0.7071067811865476
    grads: tuple[tuple[str, float], ...] = (("x1", -1.5), ("w1", 1.0), ("x2", 0.5), ("w2", 0.0))


@pytest.fixture(scope="session")
def lecture_neuron() -> LectureNeuron:
    """Inputs, weights and expected results of the lecture's two-input tanh neuron."""
    return LectureNeuron()

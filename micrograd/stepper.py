"""`backward()` one node at a time: the steps a reader walks through in the backward stepper.

`backward()` visits the graph in reverse topological order and runs each
node's local chain rule, which adds into its children's `grad`. This module
does exactly that, but records every step: which node ran, the rule its
operation uses, and each child's `grad` before and after the `+=`. The rules
that run are the engine's own (`node._backward()`); the formulas here are
only the text shown next to them.

Examples:
    >>> from micrograd.stepper import backward_steps, expression_graph
    >>> root = expression_graph("a*b + a", {"a": 2.0, "b": -3.0})
    >>> steps = backward_steps(root)
    >>> [step.node.label for step in steps]
    ['a * b + a', 'a * b + a', 'a * b']
    >>> [(change.child.label, change.before, change.after) for change in steps[-1].changes]
    [('a', 1.0, -2.0), ('b', 0.0, 2.0)]
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from micrograd._checks import is_real
from micrograd.engine import Value, topological_order

FUNCTIONS = ("tanh", "relu", "sigmoid", "exp", "log")
"""The functions an expression may call, as `tanh(x)` or `x.tanh()`."""

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}


def parse_inputs(text: str) -> dict[str, float]:
    """Read named inputs written as `a=2, b=-3` (commas, semicolons or new lines between them).

    Raises:
        ValueError: A part is not `name=number`, a name is not an identifier or repeats.

    Examples:
        >>> from micrograd.stepper import parse_inputs
        >>> parse_inputs("a=2, b=-3.5")
        {'a': 2.0, 'b': -3.5}
        >>> try:
        ...     parse_inputs("a=2; a=3")
        ... except ValueError as error:
        ...     print(error)
        input 'a' is given twice
    """
    inputs: dict[str, float] = {}
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        if not part.strip():
            continue
        name, equals, number = part.partition("=")
        name = name.strip()
        if not equals or not name.isidentifier():
            raise ValueError(f"write each input as name=number, e.g. a=2; got {part.strip()!r}")
        if name in inputs:
            raise ValueError(f"input {name!r} is given twice")
        try:
            inputs[name] = float(number)
        except ValueError:
            raise ValueError(f"the value of {name!r} is not a number: {number.strip()!r}") from None
        if not math.isfinite(inputs[name]):
            raise ValueError(f"the value of {name!r} must be finite, got {number.strip()!r}")
    return inputs


def expression_graph(expression: str, inputs: Mapping[str, float]) -> Value:
    """Build the graph of an arithmetic expression over named inputs, with the engine's operators.

    Allowed: the input names, numbers, `+ - * / **`, unary minus and the
    functions of `FUNCTIONS` (`tanh(a)` or `a.tanh()`). Each input is one
    leaf, used as often as the expression names it (so `a + a` has one leaf
    with two arrows). Every computed node is labelled with the text of its
    sub-expression, which the drawing and the steps show.

    Raises:
        ValueError: The expression is not valid Python, uses something not
            allowed, or names an input that has no value.

    Examples:
        >>> from micrograd.stepper import expression_graph
        >>> out = expression_graph("tanh(a) * 2", {"a": 0.0})
        >>> out.label, out.data
        ('tanh(a) * 2', 0.0)
        >>> try:
        ...     expression_graph("a @ b", {"a": 1.0, "b": 2.0})
        ... except ValueError as error:
        ...     print(error)
        not allowed in an expression: MatMult
    """
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as error:
        raise ValueError(f"not a valid expression: {error.msg}") from None
    leaves = {name: Value(value, label=name) for name, value in inputs.items()}
    root = _build(tree.body, leaves)
    if not isinstance(root, Value):
        raise ValueError("the expression uses no input, so it has no graph: name at least one input")
    _label_unnamed(root)
    return root


def _build(node: ast.expr, leaves: dict[str, Value]) -> Value | float:
    """The Value of `node`; a plain number for a constant, so that `x**2` is the engine's `**2`."""
    result: Value | float
    if isinstance(node, ast.Name):
        if node.id not in leaves:
            raise ValueError(f"{node.id!r} has no value: add it to the inputs, e.g. {node.id}=1")
        return leaves[node.id]
    if isinstance(node, ast.Constant) and is_real(node.value):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        result = _BINARY[type(node.op)](_build(node.left, leaves), _build(node.right, leaves))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _build(node.operand, leaves)
        result = operand if isinstance(node.op, ast.UAdd) else -operand
    elif isinstance(node, ast.Call) and not node.keywords:
        operand = _build(*_call_argument(node), leaves)
        result = getattr(operand if isinstance(operand, Value) else Value(operand), _call_name(node))()
    else:
        raise ValueError(f"not allowed in an expression: {type(getattr(node, 'op', node)).__name__}")
    if isinstance(result, Value) and not result.label:
        result.label = ast.unparse(node)
    return result


def _call_name(node: ast.Call) -> str:
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    if name not in FUNCTIONS:
        raise ValueError(f"unknown function {name or ast.unparse(node.func)!r}; use one of {', '.join(FUNCTIONS)}")
    return name


def _call_argument(node: ast.Call) -> tuple[ast.expr]:
    """The one operand of `f(x)` or `x.f()`."""
    if isinstance(node.func, ast.Attribute) and not node.args:
        return (node.func.value,)
    if isinstance(node.func, ast.Name) and len(node.args) == 1:
        return (node.args[0],)
    raise ValueError(f"write a function call as f(x) or x.f(), got {ast.unparse(node)!r}")


def _label_unnamed(root: Value) -> None:
    """Name the nodes the engine made on its own (`-b` is `b * -1`, `a / b` is `a * b**-1`)."""
    for node in topological_order(root):
        if node.label:
            continue
        names = [child.label for child in node._prev]
        if not names:  # a constant the engine lifted, e.g. the -1 of `-b`
            node.label = f"{node.data:g}"
        elif len(names) == 1:
            operand = names[0] if names[0].isidentifier() else f"({names[0]})"
            node.label = f"{operand}{node._op}" if node._op.startswith("**") else f"{node._op}({names[0]})"
        else:
            node.label = f" {node._op} ".join(names)


# --8<-- [start:rules]
# The text of each operation's local rule: child.grad += (local derivative) × out.grad.
RULES: dict[str, str] = {
    "+": "each operand: child.grad += out.grad",
    "*": "a.grad += b.data × out.grad;  b.grad += a.data × out.grad",
    "**k": "a.grad += k × a.data**(k-1) × out.grad",
    "**": "a.grad += k.data × a.data**(k.data-1) × out.grad;  k.grad += out.data × log(a.data) × out.grad",
    "tanh": "x.grad += (1 - out.data**2) × out.grad",
    "ReLU": "x.grad += (1 if out.data > 0 else 0) × out.grad",
    "sigmoid": "x.grad += out.data × (1 - out.data) × out.grad",
    "exp": "x.grad += out.data × out.grad",
    "log": "x.grad += out.grad / x.data",
}
# --8<-- [end:rules]


def rule_of(op: str) -> str:
    """The formula shown for an operation (`"**2"`, `"**-1"`, ... share the `"**k"` rule).

    Examples:
        >>> from micrograd.stepper import rule_of
        >>> rule_of("**2")
        'a.grad += k × a.data**(k-1) × out.grad'
    """
    if op in RULES:
        return RULES[op]
    if op.startswith("**"):
        return RULES["**k"]
    return "the engine's rule for " + op


@dataclass(frozen=True)
class Change:
    """What one step added into one child: its `grad` before and after (`times` arrows from the node).

    Examples:
        >>> from micrograd.stepper import backward_steps, expression_graph
        >>> change = backward_steps(expression_graph("a * 3", {"a": 2.0}))[-1].changes[0]
        >>> change.child.label, change.before, change.after, change.times
        ('a', 0.0, 3.0, 1)
    """

    child: Value
    before: float
    after: float
    times: int


@dataclass(frozen=True)
class Step:
    """One local chain rule, as `backward()` runs it.

    Attributes:
        node: The node whose rule ran (its `grad` is final by then).
        rule: The rule's formula (`rule_of(node._op)`); the seed step's is `out.grad = 1`.
        changes: One per distinct child, in the order of its first arrow.

    Examples:
        >>> from micrograd.stepper import backward_steps, expression_graph
        >>> step = backward_steps(expression_graph("tanh(a)", {"a": 0.0}))[-1]
        >>> step.node.label, step.rule
        ('tanh(a)', 'x.grad += (1 - out.data**2) × out.grad')
    """

    node: Value
    rule: str
    changes: tuple[Change, ...]


def backward_steps(root: Value) -> list[Step]:
    """Run `root.backward()` one node at a time and record each step.

    The first step sets `root.grad = 1` (d out / d out); then every node with
    children, in reverse topological order, runs its own `_backward()`, the
    engine's local rule. At the end every `grad` equals what `root.backward()`
    leaves on a fresh copy of the graph. Gradients are zeroed first.

    Examples:
        >>> from micrograd.stepper import backward_steps, expression_graph
        >>> root = expression_graph("a + a", {"a": 3.0})
        >>> seed, add = backward_steps(root)
        >>> seed.rule, add.rule
        ('out.grad = 1', 'each operand: child.grad += out.grad')
        >>> add.changes  # one child, reached by two arrows: two += land in the same grad
        (Change(child=Value(data=3.0, grad=2.0), before=0.0, after=2.0, times=2),)
    """
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    steps = [Step(root, "out.grad = 1", (Change(root, 0.0, 1.0, 1),))]
    for node in reversed(order):
        if not node._prev:
            continue  # a leaf has nothing to pass on
        children = list(dict.fromkeys(node._prev))  # distinct, in arrow order (Values hash by identity)
        before = [child.grad for child in children]
        node._backward()
        changes = tuple(
            Change(child, was, child.grad, sum(1 for c in node._prev if c is child))
            for child, was in zip(children, before, strict=True)
        )
        steps.append(Step(node, rule_of(node._op), changes))
    return steps

"""Code generation: a traced graph written out as straight-line Python, forward and backward.

Each operation's forward expression computes exactly what the engine computes
(same operations, same order), and its backward statements are the engine's
local rules (`engine._BACKWARD`) with names instead of nodes, emitted in the
order `Value.backward()` applies them: reverse topological order, children in
order. Floating-point addition is not associative, so that order is what makes
the generated gradients equal the engine's to the last bit.
"""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Callable, Sequence

from micrograd._tracing import TracingError
from micrograd.engine import _NEURON_ACTIVATIONS, Value, _PowerOp, _rebuilt, topological_order

# A backward rule written out: (condition or None, [(child, increment expression)]). An update
# may also be a Guard: updates that run only when a ReLU output they multiply by is nonzero.
Update = tuple[Value, str]
Guard = tuple[str, list[Update]]
Block = tuple[str | None, list["Update | Guard"]]


def literal(x: float) -> str:
    """A float as Python source that evaluates to exactly it.

    Examples:
        >>> from micrograd._codegen import literal
        >>> literal(0.1), literal(-2.0), literal(float("inf"))
        ('0.1', '-2.0', 'inf')
    """
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(float(x))


_TERMS_PER_LINE = 32


def _small_whole(k: float) -> bool:
    return k.is_integer() and abs(k) < 2**53


# A whole neuron in one node (op "ReLU(wx+b)", ...), and the op of the activation it applies to its sum.
_NEURON_STEPS = {neuron_op: activation_op for _, neuron_op, activation_op in _NEURON_ACTIVATIONS.values()}


def split_neurons(root: Value) -> Value:
    """The graph with every one-node neuron written as its two steps: a `wx+b` node, then its activation.

    The engine makes a neuron one node (`ReLU(wx+b)`) to save work; the
    generated code names the weighted sum and the activation apart, exactly
    as for two nodes. Leaves are kept (the code names them); the nodes above
    are copies, so the graph itself is left as it was.

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd._codegen import split_neurons
        >>> w, x, b = Value(2.0), Value(3.0), Value(-1.0)
        >>> neuron = Value.weighted_sum([w], [x], b, activation="relu")
        >>> split = split_neurons(neuron)
        >>> split._op, split.data, split._prev[0]._op, split._prev[0].data, split._prev[0]._prev == (w, x, b)
        ('ReLU', 5.0, 'wx+b', 5.0, True)
    """
    order = topological_order(root)
    if not any(node._op in _NEURON_STEPS for node in order):
        return root
    copies: dict[int, Value] = {}
    for node in order:
        if not node._prev:
            continue
        children = tuple(copies.get(id(child), child) for child in node._prev)
        activation = _NEURON_STEPS.get(node._op)
        if activation is None:
            copies[id(node)] = _rebuilt(node.data, children, node._op, node.grad, node.label)
        else:
            n = len(children) // 2
            total = Value.weighted_sum(children[:n], children[n : 2 * n], children[-1])  # the engine's sum, again
            copies[id(node)] = _rebuilt(node.data, (total,), activation, node.grad, node.label)
    return copies[id(root)]


class GraphCode:
    """The forward and backward lines of one traced graph.

    Args:
        root: The graph's output.
        leaf_names: Names for the leaves that vary between calls (inputs and
            parameters), by id. Every other leaf is a constant and is folded.
        grad_names: Gradient variables of the leaves that get gradients
            (parameters), by id; they are accumulators declared by the caller.
        prefix: Prefix of the intermediate values' names (`t1`, `t2`, ...).
    """

    def __init__(
        self, root: Value, leaf_names: dict[int, str], grad_names: dict[int, str], prefix: str, skip_zeros: bool = False
    ):
        self.root = root = split_neurons(root)
        self.skip_zeros = skip_zeros
        self.guarded = False  # whether any statement is skipped when a ReLU output is zero (see _zero_guard)
        self.order = topological_order(root)
        self.value: dict[int, str] = {}
        self.constants: set[int] = set()
        self.grad = dict(grad_names)
        self.initialized = set(grad_names)  # accumulators start at 0.0 before any rule runs
        self.initialized_at_start = frozenset(grad_names)  # the parameters' accumulators
        count = 0
        for node in self.order:
            key = id(node)
            if not node._prev and key in leaf_names:
                self.value[key] = leaf_names[key]
            elif not node._prev or all(id(child) in self.constants for child in node._prev):
                # a constant, or an operation on constants only: folded (the engine computed it already)
                self.value[key] = literal(node.data)
                self.constants.add(key)
            else:
                count += 1
                self.value[key] = f"{prefix}{count}"
                if any(id(child) in self.grad for child in node._prev):
                    self.grad[key] = f"d_{prefix}{count}"

    def computed(self) -> list[Value]:
        """The nodes that get a forward statement, in topological order."""
        return [n for n in self.order if n._prev and id(n) not in self.constants]

    def forward(self) -> list[str]:
        """`name = expression` for every computed node, children first."""
        lines = []
        layers = self._layers()
        for node in self.computed():
            layer = layers.get(id(node))
            if layer is not None:
                if node is layer[0]:
                    lines += self._layer_forward(layer)
                continue
            name = self.value[id(node)]
            terms = self._sum_terms(node)
            if terms is None:
                lines.append(f"{name} = {self._forward_expression(node)}")
                continue
            # Long sums in pieces, still added left to right (Python's compiler recurses once per `+`).
            lines.append(f"{name} = {' + '.join(terms[:_TERMS_PER_LINE])}")
            for start in range(_TERMS_PER_LINE, len(terms), _TERMS_PER_LINE):
                lines.append(f"{name} = {' + '.join([name, *terms[start : start + _TERMS_PER_LINE]])}")
        return lines

    def backward(self, root_grad: str) -> list[str]:
        """The chain rule from the root (whose gradient is `root_grad`) back to the parameters."""
        lines: list[str] = []
        if id(self.root) in self.grad:
            self._emit(lines, [(None, [(self.root, root_grad)])])
        for node in reversed(self.order):
            if node._prev and id(node) in self.grad:
                self._emit(lines, self._backward_blocks(node))
        return lines

    # ------------------------------------------------------------ emitting

    def _emit(self, lines: list[str], blocks: list[Block]) -> None:
        for condition, updates in blocks:
            needed = self._needed(updates)
            if not needed:
                continue
            if condition is None:
                lines.extend(self._statements(needed))
                continue
            reached = [u for item in needed for u in (item[1] if isinstance(item[1], list) else [item])]
            fresh = list({id(c): c for c, _ in reached if id(c) not in self.initialized}.values())
            if len(needed) == 1 and fresh and not isinstance(needed[0][1], list):
                child, expr = needed[0]
                lines.append(f"{self.grad[id(child)]} = {expr} if {condition} else 0.0")
                self.initialized.add(id(child))
                continue
            lines.append(f"if {condition}:")
            lines.extend(f"    {line}" for line in self._statements(needed))
            if fresh:  # a gradient first reached here is 0.0 when the rule passes nothing
                lines.append("else:")
                lines.append("    " + " = ".join(self.grad[id(c)] for c in fresh) + " = 0.0")

    def _needed(self, updates: list[Update | Guard]) -> list[Update | Guard]:
        """The updates whose target needs a gradient (guards keep theirs; an emptied guard goes)."""
        needed: list[Update | Guard] = []
        for item in updates:
            if isinstance(item[1], list):
                inner = [(child, expr) for child, expr in item[1] if id(child) in self.grad]
                if inner:
                    needed.append((item[0], inner))
            elif id(item[0]) in self.grad:
                needed.append(item)
        return needed

    def _statements(self, updates: list[Update | Guard]) -> list[str]:
        lines = []
        for item in updates:
            if isinstance(item[1], list):
                lines.append(f"if {item[0]}:")
                lines.extend(f"    {self._add(child, expr)}" for child, expr in item[1])
            else:
                lines.append(self._add(*item))
        return lines

    def _add(self, child: Value, expr: str) -> str:
        name = self.grad[id(child)]
        if id(child) in self.initialized:
            return f"{name} += {expr}"
        self.initialized.add(id(child))
        return f"{name} = {expr}"

    # ------------------------------------------------------------ the operations

    def _sum_terms(self, node: Value) -> list[str] | None:
        """The terms of a sum node, left to right as the engine adds them (None for other operations)."""
        v = [self.value[id(child)] for child in node._prev]
        if node._op == "+":
            return v if len(v) == 2 else ["0.0", *v]  # Value.sum starts from 0.0
        if node._op == "wx+b":
            n = len(v) // 2
            return [v[-1], *(f"{w} * {x}" for w, x in zip(v[:n], v[n : 2 * n], strict=True))]
        return None

    def _forward_expression(self, node: Value) -> str:
        v = [self.value[id(child)] for child in node._prev]
        op = node._op
        if op == "*":
            return f"{v[0]} * {v[1]}"
        if type(op) is _PowerOp:
            k = op.exponent
            return f"{v[0]} ** {literal(k)}" if _small_whole(k) else f"_power({v[0]}, {literal(k)})"
        simple = _FORWARD.get(op)
        if simple is None:
            raise TracingError(f"no compiled form for the operation {op!r}; run this graph with the eager engine")
        return simple(v)

    def _backward_blocks(self, node: Value) -> list[Block]:
        g = self.grad[id(node)]
        out = self.value[id(node)]
        prev = node._prev
        v = [self.value[id(child)] for child in prev]
        op = node._op
        if op == "+":
            return [(None, [(child, g) for child in prev])]
        if op == "*":
            return [(None, [(prev[0], f"{v[1]} * {g}"), (prev[1], f"{v[0]} * {g}")])]
        if op == "wx+b":
            n = len(prev) // 2
            updates: list[Update | Guard] = []
            for i in range(n):
                pair = [(prev[i], f"{v[n + i]} * {g}"), (prev[n + i], f"{v[i]} * {g}")]
                guard = self._zero_guard(prev[i], prev[n + i], prev[-1])
                if guard is None:
                    updates += pair
                else:
                    updates.append((guard, pair))
                    self.guarded = True
            return [(g, [*updates, (prev[-1], g)])]  # the engine skips a zero gradient
        if type(op) is _PowerOp:
            exponent = op.exponent
            return [] if exponent == 0 else [(None, [(prev[0], f"{_power_slope(v[0], exponent)} * {g}")])]
        if op == "**":
            a, k = v
            return [
                (f"{k} != 0", [(prev[0], f"{k} * _slope_power({a}, {k} - 1) * {g}")]),
                (f"{a} > 0", [(prev[1], f"{out} * log({a}) * {g}")]),
                (f"{a} < 0", [(prev[1], "nan")]),
            ]
        rule = _BACKWARD.get(op)
        if rule is None:
            raise TracingError(f"no compiled form for the operation {op!r}; run this graph with the eager engine")
        condition, expr = rule(v[0], out, g)
        return [(condition, [(prev[0], expr)])]

    def _layers(self) -> dict[int, list[Value]]:
        """Weighted sums to compute together, input by input, skipping inputs that are a ReLU's 0.0.

        A sum qualifies when its weights and bias are parameters, some input
        is a ReLU output, and a ReLU is its only reader: adding `w * 0.0` is
        then a no-op (finite w; the caller checks), or at most turns -0.0 into
        0.0, which that ReLU maps to 0.0 either way. Sums over the same inputs
        (a layer) share one `if` per input.
        """
        if not self.skip_zeros:
            return {}
        readers: dict[int, list[Value]] = {}
        for node in self.order:
            for child in node._prev:
                readers.setdefault(id(child), []).append(node)
        layers: dict[tuple[int, ...], list[Value]] = {}
        for node in self.computed():
            prev = node._prev
            n = len(prev) // 2
            if node._op != "wx+b" or node is self.root or [r._op for r in readers.get(id(node), [])] != ["ReLU"]:
                continue
            if all(self._is_parameter(p) for p in (*prev[:n], prev[-1])) and any(map(self._is_relu, prev[n:-1])):
                layers.setdefault(tuple(id(x) for x in prev[n:-1]), []).append(node)
        return {id(node): layer for layer in layers.values() for node in layer}

    def _layer_forward(self, layer: list[Value]) -> list[str]:
        """Each sum as bias, then `+= w * x` input by input (the engine's order), inside `if x:` for ReLU outputs."""
        self.guarded = True
        lines = [f"{self.value[id(s)]} = {self.value[id(s._prev[-1])]}" for s in layer]
        inputs = layer[0]._prev[len(layer[0]._prev) // 2 : -1]
        for k, x in enumerate(inputs):
            x_name = self.value[id(x)]
            updates = [f"{self.value[id(s)]} += {self.value[id(s._prev[k])]} * {x_name}" for s in layer]
            if self._is_relu(x):
                lines.append(f"if {x_name}:")
                updates = [f"    {update}" for update in updates]
            lines += updates
        return lines

    def _is_relu(self, node: Value) -> bool:
        """Whether `node` is a computed ReLU output: exactly 0.0 whenever that ReLU is off."""
        return node._op == "ReLU" and bool(node._prev) and id(node) not in self.constants

    def _zero_guard(self, w: Value, x: Value, bias: Value) -> str | None:
        """`x` when the pair's statements may be skipped while the ReLU output `x` is 0.0 (or `w`, alike).

        With x == 0.0 the engine adds `x * g`, a zero, to w's gradient, which
        changes nothing as long as g is finite; and x's own gradient is read
        only by x's ReLU rule, which reads it only when x > 0. So the pair can
        be skipped when the other member is a parameter (its gradient an
        accumulator that starts at 0.0) and the bias is one too: a g that is
        not finite then reaches the bias's gradient, and the caller re-runs
        the exact code (`skip_zeros=False`) whenever a gradient is not finite.
        """
        if not self.skip_zeros or not self._is_parameter(bias):
            return None
        for zero, other in ((x, w), (w, x)):
            if self._is_relu(zero) and self._is_parameter(other):
                return self.value[id(zero)]
        return None

    def _is_parameter(self, node: Value) -> bool:
        return not node._prev and id(node) in self.initialized_at_start


def _power_slope(a: str, k: float) -> str:
    """`k * a**(k-1)`, as the engine computes it (`k * _slope_power(a, k - 1)`)."""
    e = k - 1
    if e == 0:
        return f"{literal(k)} * 1.0"
    if e == 1:
        return f"{literal(k)} * {a}"  # a ** 1.0 is a, exactly
    if _small_whole(e) and e > 0:
        return f"{literal(k)} * {a} ** {literal(e)}"
    return f"{literal(k)} * _slope_power({a}, {literal(e)})"


# Unary operations: forward expression of the child's name; backward (condition, increment).
_FORWARD: dict[str, Callable[[Sequence[str]], str]] = {
    "tanh": lambda v: f"tanh({v[0]})",
    "ReLU": lambda v: f"0.0 if {v[0]} <= 0 else {v[0]}",
    "sigmoid": lambda v: f"1.0 / (1.0 + exp(-{v[0]})) if {v[0]} >= 0 else exp({v[0]}) / (1.0 + exp({v[0]}))",
    "exp": lambda v: f"exp({v[0]})",
    "log": lambda v: f"log({v[0]})",
    "**": lambda v: f"_power({v[0]}, {v[1]})",
}

_BACKWARD: dict[str, Callable[[str, str, str], tuple[str | None, str]]] = {
    "tanh": lambda x, out, g: (None, f"(1.0 - {out} * {out}) * {g}"),
    "ReLU": lambda x, out, g: (f"{out} > 0", g),
    "sigmoid": lambda x, out, g: (None, f"{out} * (1.0 - {out}) * {g}"),
    "exp": lambda x, out, g: (None, f"{out} * {g}"),
    "log": lambda x, out, g: (None, f"{g} / {x}"),
}


_GENERATED = re.compile(r"(?:[tprxy]\d*|d_.*|_.*)")  # names the generated code makes for itself


def names_for(values: Sequence[Value], fallback: str, taken: set[str]) -> list[str]:
    """Readable unique names for leaves: their labels when all are usable, else `fallback0`, `fallback1`, ...

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd._codegen import names_for
        >>> names_for([Value(1.0, label="a"), Value(2.0, label="b")], "p", set())
        ['a', 'b']
        >>> names_for([Value(1.0, label="w0"), Value(2.0, label="w0")], "p", set())
        ['p0', 'p1']
    """
    labels = [v.label for v in values]
    usable = all(
        label.isidentifier() and not keyword.iskeyword(label) and label not in taken and not _GENERATED.fullmatch(label)
        for label in labels
    )
    if usable and len(set(labels)) == len(labels):
        return labels
    return [f"{fallback}{i}" for i in range(len(values))]

"""The autograd engine: `Value`, one scalar that remembers how it was computed.

Every arithmetic operation on a `Value` builds a node of a graph. `backward()`
walks that graph from the output back to the inputs, applying the chain rule,
and leaves d(output)/d(node) in each node's `grad`.

Nodes hold no closures: how to backpropagate through an operation is looked up
by its name (`_op`) in `_BACKWARD`. A node only points at its children, never
back at itself, so a graph that is dropped is freed at once by reference
counting instead of waiting for Python's cyclic garbage collector.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar, cast

from micrograd._checks import is_real


def _to_float(x: object) -> float:
    """Return a real number as a float; refuse anything else by name."""
    if type(x) is float:
        return x
    if type(x) is int:  # the other common case, without the slower ABC check below
        return float(x)
    # bool is an int subclass, but True + Value is almost always a bug.
    if is_real(x):
        return float(x)
    raise TypeError(f"Value wraps a real number (int or float), got {type(x).__name__}: {x!r}")


def _lift(x: object) -> Value | None:
    """Return `x` as a Value, or None if it is not a number (the caller returns NotImplemented)."""
    if isinstance(x, Value):
        return x
    try:
        return _node(_to_float(x), (), "")
    except TypeError:
        return None


class Value:
    """A scalar node of a computation graph, with its value and its gradient.

    Args:
        data: The number this node holds (int or float; stored as float).
        _children: The nodes this one was computed from (set by operations).
        _op: The name of the operation that made this node (set by operations).
        label: A name to show in drawings.

    Examples:
        >>> from micrograd.engine import Value
        >>> a = Value(2.0, label="a")
        >>> b = Value(-3.0, label="b")
        >>> c = a * b + 10
        >>> c
        Value(data=4.0, grad=0.0)
        >>> c.backward()
        >>> a.grad, b.grad
        (-3.0, 2.0)
    """

    __slots__ = ("data", "grad", "_prev", "_op", "label")

    def __init__(self, data: float, _children: Iterable[Value] = (), _op: str = "", label: str = ""):
        self.data = _to_float(data)
        self.grad = 0.0
        self._prev = tuple(_children)
        if _op and type(_op) is str and _op.startswith("**") and len(_op) > 2:
            _op = _PowerOp.from_name(_op)  # a power node made by hand, e.g. Value(x.data**2, (x,), "**2")
        self._op = _op
        self.label = label

    def __repr__(self) -> str:
        return f"Value(data={self.data!r}, grad={self.grad!r})"

    # --8<-- [start:arithmetic]
    def __add__(self, other: Value | float) -> Value:
        rhs = other if type(other) is Value else _lift(other)
        if rhs is None:
            return NotImplemented
        return _node(self.data + rhs.data, (self, rhs), "+")

    def __mul__(self, other: Value | float) -> Value:
        rhs = other if type(other) is Value else _lift(other)
        if rhs is None:
            return NotImplemented
        return _node(self.data * rhs.data, (self, rhs), "*")

    def __pow__(self, exponent: Value | float) -> Value:
        if isinstance(exponent, Value):
            return _node(_power(self.data, exponent.data), (self, exponent), "**")
        k = _to_float(exponent)
        # The op's name carries the exponent, as in classic micrograd ("**2"),
        # and so does the op itself, as a number: _power_op(2.0).exponent == 2.0.
        return _node(_power(self.data, k), (self,), _power_op(k))
    # --8<-- [end:arithmetic]

    # --8<-- [start:compositions]
    def __neg__(self) -> Value:  # -self
        return self * -1

    def __sub__(self, other: Value | float) -> Value:  # self - other
        rhs = _lift(other)
        return NotImplemented if rhs is None else self + (-rhs)

    def __truediv__(self, other: Value | float) -> Value:  # self / other
        rhs = _lift(other)
        return NotImplemented if rhs is None else self * rhs**-1
    # --8<-- [end:compositions]

    def __radd__(self, other: float) -> Value:  # other + self
        return self + other

    def __rmul__(self, other: float) -> Value:  # other * self
        return self * other

    def __rsub__(self, other: float) -> Value:  # other - self
        lhs = _lift(other)
        return NotImplemented if lhs is None else lhs + (-self)

    def __rtruediv__(self, other: float) -> Value:  # other / self
        lhs = _lift(other)
        return NotImplemented if lhs is None else lhs * self**-1

    def __rpow__(self, base: float) -> Value:  # base ** self
        lifted = _lift(base)
        return NotImplemented if lifted is None else lifted**self

    # --8<-- [start:functions]
    def tanh(self) -> Value:
        """Hyperbolic tangent; saturates to ±1 without overflow.

        Examples:
            >>> from micrograd.engine import Value
            >>> Value(0.5).tanh()
            Value(data=0.46211715726000974, grad=0.0)
        """
        return _node(math.tanh(self.data), (self,), "tanh")

    def relu(self) -> Value:
        """`max(0, x)`.

        Examples:
            >>> from micrograd.engine import Value
            >>> Value(-2.0).relu(), Value(3.0).relu()
            (Value(data=0.0, grad=0.0), Value(data=3.0, grad=0.0))
        """
        return _node(_relu(self.data), (self,), "ReLU")

    def sigmoid(self) -> Value:
        """`1 / (1 + e^-x)`, computed so that neither tail overflows.

        Examples:
            >>> from micrograd.engine import Value
            >>> Value(0.0).sigmoid()
            Value(data=0.5, grad=0.0)
        """
        return _node(_sigmoid(self.data), (self,), "sigmoid")

    def exp(self) -> Value:
        """`e^x`; raises OverflowError naming x when the result is too large for a float.

        Examples:
            >>> from micrograd.engine import Value
            >>> Value(1.0).exp()
            Value(data=2.718281828459045, grad=0.0)
        """
        try:
            return _node(math.exp(self.data), (self,), "exp")
        except OverflowError:
            raise OverflowError(f"exp({self.data!r}) is too large for a float") from None

    def log(self) -> Value:
        """Natural logarithm; raises ValueError naming x when `x <= 0`.

        Examples:
            >>> from micrograd.engine import Value
            >>> Value(1.0).log()
            Value(data=0.0, grad=0.0)
        """
        if self.data <= 0:
            raise ValueError(f"log is only defined for positive numbers, got {self.data!r}")
        return _node(math.log(self.data), (self,), "log")
    # --8<-- [end:functions]

    @staticmethod
    def sum(terms: Iterable[Value | float]) -> Value:
        """Add many terms in one node (same result as chained `+`, far fewer nodes).

        Examples:
            >>> from micrograd.engine import Value
            >>> Value.sum([Value(1.0), 2.0, Value(3.5)])
            Value(data=6.5, grad=0.0)
        """
        nodes = tuple(t if type(t) is Value else _lift_or_raise(t) for t in terms)
        total = 0.0
        for t in nodes:  # left to right, exactly like sum(...) with `+`
            total += t.data
        return _node(total, nodes, "+")

    @staticmethod
    def weighted_sum(weights: Sequence[Value], inputs: Sequence[Value], bias: Value, activation: str = "") -> Value:
        """`bias + w0*x0 + w1*x1 + ...` as a single node: a neuron's pre-activation, or its output.

        The sum is taken in the same order as classic micrograd's
        `sum((w*x for ...), b)`, so the result is bit-for-bit the same. With
        `activation` "relu", "tanh" or "sigmoid" the node is the whole neuron,
        `activation(w · x + b)` (op `"ReLU(wx+b)"`, ...): the same float as
        `.relu()` on the sum, and the same gradients, from one node instead of
        two, which saves about a third of a training step.

        Examples:
            >>> from micrograd.engine import Value
            >>> w = [Value(2.0), Value(-1.0)]
            >>> Value.weighted_sum(w, [Value(3.0), Value(4.0)], Value(0.5))
            Value(data=2.5, grad=0.0)
            >>> Value.weighted_sum(w, [Value(3.0), Value(4.0)], Value(-9.0), activation="relu")._op
            'ReLU(wx+b)'
        """
        if len(weights) != len(inputs):
            raise ValueError(f"weighted_sum needs as many weights as inputs, got {len(weights)} and {len(inputs)}")
        try:
            total = bias.data
            for w, x in zip(weights, inputs):
                total += w.data * x.data
        except AttributeError:
            raise TypeError("weighted_sum takes Values for weights, inputs and bias (wrap numbers in Value)") from None
        if not activation:
            return _node(total, (*weights, *inputs, bias), "wx+b")
        try:
            activate, op, _ = _NEURON_ACTIVATIONS[activation]
        except KeyError:
            known = sorted(_NEURON_ACTIVATIONS)
            raise ValueError(f"weighted_sum's activation is one of {known} or '', got {activation!r}") from None
        return _node(activate(total), (*weights, *inputs, bias), op)

    # --8<-- [start:node_backward]
    def _backward(self) -> None:
        """Apply this node's local chain rule once: add to its children's grads from its own grad.

        This is the lecture's `node._backward()`; a leaf's does nothing. It is a
        method, not a closure stored on the node: `node._backward` makes a bound
        method each time it is read, which points at the node, but the node
        never points at it, so no reference cycle forms.

        Examples:
            >>> from micrograd.engine import Value
            >>> a, b = Value(2.0), Value(-3.0)
            >>> c = a * b
            >>> c.grad = 1.0
            >>> c._backward()
            >>> a.grad, b.grad
            (-3.0, 2.0)
        """
        if self._prev:
            (_BACKWARD.get(self._op) or _backward_by_name(self._op))(self)
    # --8<-- [end:node_backward]

    # --8<-- [start:backward]
    def backward(self) -> None:
        """Add d(self)/d(node) to the `grad` of every node in the graph.

        Gradients accumulate, as in PyTorch: calling it twice leaves twice the
        gradient everywhere, so zero them between training steps.

        Examples:
            >>> from micrograd.engine import Value
            >>> x = Value(3.0)
            >>> y = x * x
            >>> y.backward()
            >>> x.grad
            6.0
        """
        order = topological_order(self)
        # Gradients left by an earlier call are set aside so that this pass
        # neither pushes them through the graph again nor mixes them into its
        # sums; adding them back afterwards makes a second call add exactly
        # the same gradient again, as PyTorch does for leaves.
        earlier = [(node, node.grad) for node in order if node.grad]
        for node, _ in earlier:
            node.grad = 0.0
        self.grad = 1.0
        backward_of = _BACKWARD.get
        for node in reversed(order):
            if node._prev:  # leaves have nothing to pass on
                (backward_of(node._op) or _backward_by_name(node._op))(node)
        for node, grad in earlier:
            node.grad += grad
    # --8<-- [end:backward]

    # Copying and pickling. Python's defaults recurse once per level of the
    # graph and raise RecursionError on a deep one; these walk it in a loop.
    def __copy__(self) -> Value:
        """A new node with the same data, grad, operation and label, sharing the children."""
        return _rebuilt(self.data, self._prev, self._op, self.grad, self.label)

    def __deepcopy__(self, memo: dict[int, Any]) -> Value:
        """Copy the whole graph below this node, children first (no recursion, any depth).

        Examples:
            >>> import copy
            >>> from micrograd.engine import Value
            >>> x = Value(1.0, label="x")
            >>> y = x
            >>> for _ in range(100_000):
            ...     y = y * 1.0
            >>> y2 = copy.deepcopy(y)
            >>> y2.data, y2 is y
            (1.0, False)
        """
        for node in topological_order(self):
            if id(node) in memo:  # copied already (a node shared with an earlier deep copy)
                continue
            children = tuple(memo[id(child)] for child in node._prev)
            memo[id(node)] = _rebuilt(node.data, children, node._op, node.grad, node.label)
        copied_self: Value = memo[id(self)]
        return copied_self

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle a graph flat: its leaves as Values, the other nodes as records in topological order.

        The leaves (parameters, inputs) are pickled as objects, so a model and
        a loss pickled together still share them; the nodes above the leaves
        are rebuilt from this root's records.

        Examples:
            >>> import pickle
            >>> from micrograd.engine import Value
            >>> x = Value(1.0, label="x")
            >>> y = x
            >>> for _ in range(100_000):
            ...     y = y + 1
            >>> y2 = pickle.loads(pickle.dumps(y))
            >>> y2.data
            100001.0
        """
        if not self._prev:
            return (_restore_leaf, (self.data, self.grad, self._op, self.label))
        order = topological_order(self)
        leaves = [node for node in order if not node._prev]
        index = {id(node): i for i, node in enumerate(leaves)}
        records = []
        for node in order:
            if node._prev:
                index[id(node)] = len(index)
                children = tuple(index[id(child)] for child in node._prev)
                records.append((node.data, node.grad, node._op, node.label, children))
        return (_restore_graph, (leaves, records))


def _rebuilt(data: float, children: tuple[Value, ...], op: str, grad: float, label: str) -> Value:
    """A node with all five fields given (copying and unpickling make nodes this way)."""
    out = _node(data, children, op)
    out.grad, out.label = grad, label
    return out


def _restore_leaf(data: float, grad: float, op: str, label: str) -> Value:
    return _rebuilt(data, (), op, grad, label)


def _restore_graph(leaves: list[Value], records: list[tuple[float, float, str, str, tuple[int, ...]]]) -> Value:
    """Rebuild the nodes of a pickled graph from their records; return the last one (the root)."""
    nodes = list(leaves)
    for data, grad, op, label, children in records:
        nodes.append(_rebuilt(data, tuple(nodes[i] for i in children), op, grad, label))
    return nodes[-1]


def _relu(x: float) -> float:
    return 0.0 if x <= 0 else x  # NaN stays NaN


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # tiny, never overflows
    return e / (1.0 + e)


# A neuron's activation folded into its weighted-sum node, `Value.weighted_sum(..., activation=name)`:
# name -> (the activation on a float, the one node's op, the op of the activation's own node).
_NEURON_ACTIVATIONS: dict[str, tuple[Callable[[float], float], str, str]] = {
    "relu": (_relu, "ReLU(wx+b)", "ReLU"),
    "tanh": (math.tanh, "tanh(wx+b)", "tanh"),
    "sigmoid": (_sigmoid, "sigmoid(wx+b)", "sigmoid"),
}


def _lift_or_raise(x: object) -> Value:
    lifted = _lift(x)
    if lifted is None:
        raise TypeError(f"expected a Value or a real number, got {type(x).__name__}: {x!r}")
    return lifted


_new_object = object.__new__


def _node(data: float, children: tuple[Value, ...], op: str) -> Value:
    """Make a node without re-checking `data`: operations already produce floats."""
    out = _new_object(Value)
    out.data = data
    out.grad = 0.0
    out._prev = children
    out._op = op
    out.label = ""
    return out


class _PowerOp(str):
    """The op of a power with a number exponent: the name `"**k"`, carrying k as a float.

    It compares, hashes and prints as its name, so drawings and `node._op`
    show `**2` as in classic micrograd; the backward rule reads `exponent`.

    Examples:
        >>> from micrograd.engine import Value
        >>> op = (Value(3.0) ** 2)._op
        >>> op, op.exponent
        ('**2', 2.0)
    """

    exponent: float

    def __new__(cls, name: str, exponent: float) -> _PowerOp:
        op = super().__new__(cls, name)
        op.exponent = exponent
        return op

    @classmethod
    def from_name(cls, name: str) -> _PowerOp:
        """The op of a hand-made node named like `"**2"` (the only place a name is read as a number)."""
        try:
            return cls(name, float(name[2:]))
        except ValueError:
            raise ValueError(f"a power's operation name is '**' and a number, like '**2', got {name!r}") from None

    def __reduce__(self) -> tuple[Any, ...]:
        return (_PowerOp, (str(self), self.exponent))


_POWER_OPS: dict[float, _PowerOp] = {}


def _power_op(k: float) -> _PowerOp:
    """The op for `x ** k`: named `"**2"` for k = 2.0, `"**0.5"` for 0.5 (common ones are reused)."""
    op = _POWER_OPS.get(k)
    if op is None:
        op = _PowerOp(f"**{int(k)}" if k.is_integer() and abs(k) < 1e15 else f"**{k!r}", k)
        if len(_POWER_OPS) < 256:
            _POWER_OPS[k] = op
    return op


def _power(base: float, exponent: float) -> float:
    try:
        result = base**exponent
    except ZeroDivisionError:
        raise ZeroDivisionError(f"{base!r} ** {exponent!r}: zero to a negative power") from None
    except OverflowError:
        raise OverflowError(f"{base!r} ** {exponent!r} is too large for a float") from None
    if isinstance(result, complex):
        raise ValueError(f"{base!r} ** {exponent!r} is not a real number")
    return float(result)


def _slope_power(base: float, exponent: float) -> float:
    """`base**exponent` inside a derivative: `x**0.5` at 0 has an infinite slope, not an error."""
    try:
        result = base**exponent
    except ZeroDivisionError:
        return math.inf
    return math.nan if isinstance(result, complex) else result


class _Node(Protocol):
    """What the sort reads of a node: its children. A `Value` is one, and so is a `micrograd.tensor.Tensor`."""

    _prev: tuple[Any, ...]


NodeT = TypeVar("NodeT", bound=_Node)


# --8<-- [start:topological_order]
def topological_order(root: NodeT) -> list[NodeT]:
    """Every node that `root` depends on, each after all of its children.

    An iterative depth-first search (a recursive one hits Python's recursion
    limit a few hundred nodes deep): a node is finished, and appended, once
    every child has been. A child whose own children are all finished already
    (a leaf, or a neuron's sum over weights and inputs seen before) is
    finished at once, without a trip through the stack: same order, less work.

    Examples:
        >>> from micrograd.engine import Value, topological_order
        >>> a = Value(1.0, label="a")
        >>> b = a * 2.0
        >>> c = b + a
        >>> [node.label or node._op for node in topological_order(c)]
        ['a', '', '*', '+']
    """
    order: list[NodeT] = []
    visited = {root}  # nodes hash by identity
    stack = [(root, iter(root._prev))]
    while stack:
        node, children = stack[-1]
        for child in children:
            if child not in visited:
                visited.add(child)
                grandchildren = child._prev
                if grandchildren and not visited.issuperset(grandchildren):
                    stack.append((child, iter(grandchildren)))
                    break  # finish the child first; this node's iterator resumes later
                order.append(child)  # a leaf, or all its children done: finished at once
        else:
            stack.pop()
            order.append(node)
    return order
# --8<-- [end:topological_order]


# --8<-- [start:local_derivatives]
# How each operation passes its output's gradient to its children (chain rule:
# child.grad += d(out)/d(child) * out.grad).

def _add_backward(out: Value) -> None:
    g = out.grad
    for child in out._prev:
        child.grad += g


def _mul_backward(out: Value) -> None:
    a, b = out._prev
    a.grad += b.data * out.grad
    b.grad += a.data * out.grad


def _power_constant_backward(out: Value) -> None:  # op "**k", a _PowerOp
    (a,) = out._prev
    k = cast(_PowerOp, out._op).exponent
    if k != 0:  # x**0 is constant: no slope, even where x**-1 is infinite
        a.grad += k * _slope_power(a.data, k - 1) * out.grad


def _power_backward(out: Value) -> None:  # op "**", Value exponent
    a, k = out._prev
    if k.data != 0:
        a.grad += k.data * _slope_power(a.data, k.data - 1) * out.grad
    if a.data > 0:
        k.grad += out.data * math.log(a.data) * out.grad
    elif a.data < 0:
        k.grad += math.nan  # d/dk of a**k is complex for a < 0, as in PyTorch


def _tanh_backward(out: Value) -> None:
    out._prev[0].grad += (1.0 - out.data * out.data) * out.grad


def _relu_backward(out: Value) -> None:
    if out.data > 0:
        out._prev[0].grad += out.grad


def _sigmoid_backward(out: Value) -> None:
    out._prev[0].grad += out.data * (1.0 - out.data) * out.grad


def _exp_backward(out: Value) -> None:
    out._prev[0].grad += out.data * out.grad


def _log_backward(out: Value) -> None:
    x = out._prev[0]
    x.grad += out.grad / x.data


def _weighted_sum_backward(out: Value, g: float | None = None) -> None:
    """`wx+b`: each weight gets its input times g, each input its weight times g, the bias g."""
    if g is None:
        g = out.grad
    if g == 0.0:  # under a ReLU that is off: adding w * 0.0 changes no grad (for finite w)
        return
    prev = out._prev
    n = len(prev) // 2  # prev is (w0..wn-1, x0..xn-1, bias)
    for w, x in zip(prev[:n], prev[n : 2 * n]):
        w.grad += x.data * g
        x.grad += w.data * g
    prev[-1].grad += g


# A whole neuron: the activation's rule gives the sum's gradient, then the sum's rule passes it on
# (the same floats as the two nodes' rules, since the sum node would have started at grad 0.0).
def _relu_sum_backward(out: Value) -> None:
    if out.data > 0:
        _weighted_sum_backward(out, out.grad)


def _tanh_sum_backward(out: Value) -> None:
    _weighted_sum_backward(out, (1.0 - out.data * out.data) * out.grad)


def _sigmoid_sum_backward(out: Value) -> None:
    _weighted_sum_backward(out, out.data * (1.0 - out.data) * out.grad)
# --8<-- [end:local_derivatives]


# --8<-- [start:dispatch]
_BACKWARD: dict[str, Callable[[Value], None]] = {
    "+": _add_backward,
    "*": _mul_backward,
    "**": _power_backward,
    "tanh": _tanh_backward,
    "ReLU": _relu_backward,
    "sigmoid": _sigmoid_backward,
    "exp": _exp_backward,
    "log": _log_backward,
    "wx+b": _weighted_sum_backward,
    "ReLU(wx+b)": _relu_sum_backward,
    "tanh(wx+b)": _tanh_sum_backward,
    "sigmoid(wx+b)": _sigmoid_sum_backward,
}


def _backward_by_name(op: str) -> Callable[[Value], None]:
    if type(op) is _PowerOp:  # "**2", "**-1", ...: one rule for every number exponent
        return _power_constant_backward
    raise ValueError(f"no backward rule for operation {op!r}; known: {sorted(_BACKWARD)} and '**k'")
# --8<-- [end:dispatch]


# In the browser (Pyodide), WebAssembly runs on a small stack: freeing a chain of
# more than about 2,000 nodes, each the only owner of the next, recurses once per
# node and kills the runtime. There a node being freed hands its children to one
# loop instead, so any depth is freed flat. CPython copes with depth by itself, so
# elsewhere nodes keep the faster default (about 6 % per node).
_releasing: list[Value] | None = None


def release_flat(node: Value) -> None:
    """Free `node`'s children in a loop, not by recursion (`Value.__del__` in the browser).

    Examples:
        >>> import sys
        >>> from micrograd.engine import Value, release_flat
        >>> Value.__del__ = release_flat  # as in the browser
        >>> leaf = Value(1.0)
        >>> x = leaf
        >>> for _ in range(100_000):
        ...     x = x + 1
        >>> sys.getrefcount(leaf) > 2  # held by the name, the call, and the chain
        True
        >>> del x  # frees the 100,000 nodes above the leaf, one by one
        >>> del Value.__del__
        >>> sys.getrefcount(leaf)  # the name and the call: the whole chain is gone
        2
    """
    global _releasing
    children = node._prev
    if not children:
        return
    node._prev = ()
    if _releasing is not None:  # already inside the loop below: queue the children, return at once
        _releasing.extend(children)
        return
    _releasing = list(children)
    del children
    try:
        while _releasing:
            _drop(_releasing.pop())  # a child's last reference goes here, one level deep, never nested
    finally:
        _releasing = None


def _drop(node: Value) -> None:
    """Take a reference to `node` and let it go (freeing the node if it was the last)."""


if sys.platform == "emscripten":
    setattr(Value, "__del__", release_flat)  # noqa: B010 (set after the class: only in the browser)

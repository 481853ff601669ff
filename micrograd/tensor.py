"""Tensors: the engine of `micrograd.engine`, with one node per array instead of per number.

A `Tensor` holds a NumPy array of float64. Operations build a graph exactly as
`Value`s do, and `backward()` walks it the same way: an iterative topological
sort, then each node's rule, looked up by its operation's name in
`_BACKWARD`. Nodes hold no closures and point only at their children, so a
dropped graph is freed at once by reference counting.

What is new is the shape. `+ - * /` broadcast as NumPy does, so a rule first
computes the gradient for the broadcast shape and then *un-broadcasts* it:
sums it over the axes that broadcasting stretched (`_unbroadcast`).

NumPy comes with the `tensor` extra: `pip install "micrograd-literate[tensor]"`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

from micrograd._optional import missing_extra

try:
    import numpy as np
    import numpy.typing as npt
except ImportError as error:  # core micrograd runs without NumPy; only this module needs it
    raise ImportError(missing_extra("numpy", "tensor", "micrograd.tensor")) from error

Array: TypeAlias = "npt.NDArray[np.float64]"
Operand: TypeAlias = "Tensor | float | int | npt.ArrayLike"
Rule = Callable[["Tensor", "Array"], None]  # (node, its gradient) -> adds to its children's
Axis = int | tuple[int, ...] | None


class Tensor:
    """An array node of a computation graph, with its value (`data`) and its gradient (`grad`).

    Args:
        data: Numbers, nested lists or an array; stored as a float64 copy.
        label: A name to show.

    Examples:
        >>> from micrograd.tensor import Tensor
        >>> x = Tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> b = Tensor([10.0, 20.0])
        >>> y = (x * b).sum()       # b broadcasts over x's rows
        >>> y
        Tensor(160.0)
        >>> y.backward()
        >>> b.grad                  # summed over the rows it was stretched across
        array([4., 6.])
    """

    __slots__ = ("data", "_grad", "_prev", "_op", "_arg", "label")
    __array_ufunc__ = None  # `array + tensor` calls Tensor.__radd__ instead of looping in NumPy

    def __init__(self, data: npt.ArrayLike, label: str = ""):
        # A copy: optimizers update `data` in place, which must never reach the caller's array.
        self.data: Array = np.array(data, dtype=np.float64)
        self._grad: Array | None = None
        self._prev: tuple[Tensor, ...] = ()
        self._op = ""
        self._arg: Any = None
        self.label = label

    def __repr__(self) -> str:
        if self.data.ndim == 0:
            return f"Tensor({float(self.data)!r})"
        return f"Tensor({np.array2string(self.data, separator=', ', prefix='Tensor(')})"

    @property
    def grad(self) -> Array:
        """d(output)/d(this tensor) after `backward()`; zeros of `data`'s shape before it."""
        if self._grad is None:
            self._grad = np.zeros_like(self.data)
        return self._grad

    @grad.setter
    def grad(self, value: npt.ArrayLike) -> None:
        # `p.grad = 0.0` (what optimizers' and modules' zero_grad write) just forgets the gradient.
        if isinstance(value, (int, float)) and value == 0:
            self._grad = None
        else:
            self._grad = np.broadcast_to(np.asarray(value, dtype=np.float64), self.data.shape).copy()

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of `data`."""
        return self.data.shape

    # --8<-- [start:arithmetic]
    def __add__(self, other: Operand) -> Tensor:
        rhs = _lift(other)
        return _node(self.data + rhs.data, (self, rhs), "+")

    def __sub__(self, other: Operand) -> Tensor:
        rhs = _lift(other)
        return _node(self.data - rhs.data, (self, rhs), "-")

    def __mul__(self, other: Operand) -> Tensor:
        rhs = _lift(other)
        return _node(self.data * rhs.data, (self, rhs), "*")

    def __truediv__(self, other: Operand) -> Tensor:
        rhs = _lift(other)
        return _node(self.data / rhs.data, (self, rhs), "/")

    def __matmul__(self, other: Operand) -> Tensor:
        rhs = _lift(other)
        return _node(self.data @ rhs.data, (self, rhs), "@")
    # --8<-- [end:arithmetic]

    def __radd__(self, other: Operand) -> Tensor:
        return _lift(other) + self

    def __rsub__(self, other: Operand) -> Tensor:
        return _lift(other) - self

    def __rmul__(self, other: Operand) -> Tensor:
        return _lift(other) * self

    def __rtruediv__(self, other: Operand) -> Tensor:
        return _lift(other) / self

    def __rmatmul__(self, other: Operand) -> Tensor:
        return _lift(other) @ self

    def __neg__(self) -> Tensor:
        return _node(-self.data, (self,), "neg")

    def __pow__(self, exponent: float) -> Tensor:
        """Raise every entry to a number (a Tensor exponent is not supported).

        Examples:
            >>> from micrograd.tensor import Tensor
            >>> Tensor([1.0, 2.0, 3.0]) ** 2
            Tensor([1., 4., 9.])
        """
        if isinstance(exponent, Tensor) or not isinstance(exponent, (int, float)) or isinstance(exponent, bool):
            raise TypeError(f"a Tensor's exponent must be a number, got {type(exponent).__name__}")
        return _node(self.data ** float(exponent), (self,), "**", float(exponent))

    # --8<-- [start:functions]
    def relu(self) -> Tensor:
        """`max(0, x)` entry by entry."""
        return _node(_relu(self.data), (self,), "ReLU")

    def tanh(self) -> Tensor:
        """Hyperbolic tangent entry by entry."""
        return _node(np.tanh(self.data), (self,), "tanh")

    def sigmoid(self) -> Tensor:
        """`1 / (1 + e^-x)`, from `e^-|x|` so that neither tail overflows (as `Value.sigmoid`)."""
        return _node(_sigmoid(self.data), (self,), "sigmoid")

    def exp(self) -> Tensor:
        """`e^x` entry by entry (NumPy's overflow to `inf`, with its warning)."""
        return _node(np.exp(self.data), (self,), "exp")

    def log(self) -> Tensor:
        """Natural logarithm; raises ValueError when an entry is `<= 0`."""
        if np.any(self.data <= 0):
            raise ValueError("log is only defined for positive numbers, and the tensor has an entry <= 0")
        return _node(np.log(self.data), (self,), "log")
    # --8<-- [end:functions]

    def sum(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Sum over `axis` (an int, a tuple of ints, or None for every axis).

        Examples:
            >>> from micrograd.tensor import Tensor
            >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(axis=0)
            Tensor([4., 6.])
        """
        axes = _axes(axis, self.data.ndim)
        return _node(np.sum(self.data, axis=axes, keepdims=keepdims), (self,), "sum", (axes, keepdims))

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Mean over `axis`: the sum divided by the number of entries summed.

        Examples:
            >>> from micrograd.tensor import Tensor
            >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).mean(axis=1)
            Tensor([1.5, 3.5])
        """
        total = self.sum(axis, keepdims)
        return total * (total.data.size / self.data.size)

    def reshape(self, *shape: int) -> Tensor:
        """The same entries in a new shape (`-1` once for "whatever is left")."""
        return _node(self.data.reshape(shape), (self,), "reshape")

    def transpose(self, *axes: int) -> Tensor:
        """Axes permuted (reversed when none are given).

        Examples:
            >>> from micrograd.tensor import Tensor
            >>> Tensor([[1.0, 2.0, 3.0]]).transpose().shape
            (3, 1)
        """
        order = tuple(axes) if axes else tuple(reversed(range(self.data.ndim)))
        return _node(self.data.transpose(order), (self,), "transpose", order)

    @property
    def T(self) -> Tensor:
        """`transpose()`: axes reversed."""
        return self.transpose()

    # --8<-- [start:backward]
    def backward(self) -> None:
        """Add d(self)/d(node) to the `grad` of every tensor in the graph; `self` must hold one number.

        As with `Value.backward`, gradients accumulate: zero them between steps.

        Examples:
            >>> from micrograd.tensor import Tensor
            >>> w = Tensor([1.0, -2.0])
            >>> ((w * w).sum()).backward()
            >>> w.grad
            array([ 2., -4.])
        """
        if self.data.size != 1:
            raise ValueError(f"backward() starts from a single number; this tensor has shape {self.data.shape}")
        order = topological_order(self)
        # Gradients from an earlier call are set aside and added back at the end (see Value.backward).
        earlier = [(node, node._grad) for node in order if node._grad is not None]
        for node, _ in earlier:
            node._grad = None
        self._grad = np.ones(self.data.shape)
        for node in reversed(order):
            grad = node._grad
            if node._prev and grad is not None:
                _BACKWARD[node._op](node, grad)
        for node, grad in earlier:
            node._grad = grad if node._grad is None else node._grad + grad
    # --8<-- [end:backward]


def tensor_node(data: Array, children: tuple[Tensor, ...], op: str, arg: Any = None) -> Tensor:
    """A node made by an operation: its data, children, op name and whatever its rule needs (`arg`).

    Operations defined outside this module (`micrograd.tensor_nn`) make their
    nodes with it and give their rule to `define_rule`.

    Examples:
        >>> import numpy as np
        >>> from micrograd.tensor import Tensor, tensor_node
        >>> x = Tensor([1.0, 2.0])
        >>> tensor_node(x.data * 2, (x,), "*2")._prev == (x,)
        True
    """
    out: Tensor = _new_object(Tensor)
    out.data = data
    out._grad = None
    out._prev = children
    out._op = op
    out._arg = arg
    out.label = ""
    return out


_new_object = object.__new__
_node = tensor_node
_sum = np.add.reduce  # ndarray.sum without its Python wrapper: about 1 us less per call on small arrays


CONSTANT = "constant"  # the op of a leaf made from numbers mixed into an expression: it gets no gradient


def constant(x: Operand) -> Tensor:
    """`x` as a Tensor: a Tensor itself, or a constant leaf holding its numbers (not copied).

    Numbers and arrays used in an expression (`2 * w`, `model(X)`) become such
    leaves. Rules pass no gradient to them, which saves, for a model's input
    batch, the largest product of the backward pass.

    Examples:
        >>> import numpy as np
        >>> from micrograd.tensor import Tensor, constant
        >>> w, x = Tensor([2.0]), np.array([3.0])
        >>> y = (w * x).sum()
        >>> y.backward()
        >>> w.grad, y._prev[0]._prev[1]._op
        (array([3.]), 'constant')
    """
    if type(x) is Tensor:
        return x
    try:
        return tensor_node(np.asarray(x, dtype=np.float64), (), CONSTANT)
    except (TypeError, ValueError):
        raise TypeError(f"expected a Tensor, a number or an array of numbers, got {type(x).__name__}") from None


_lift = constant


def _axes(axis: Axis, ndim: int) -> tuple[int, ...] | None:
    """`axis` as a tuple of non-negative ints (None stays None: every axis)."""
    if axis is None:
        return None
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return tuple(a % ndim if ndim else a for a in axes)


# --8<-- [start:activations]
# Elementwise functions whose slope follows from their output y alone: the
# backward rule needs no input, and a layer can apply one in place (tensor_nn.linear).
def _relu(x: Array) -> Array:
    return np.maximum(x, 0.0)


def _sigmoid(x: Array) -> Array:
    e = np.exp(-np.abs(x))  # never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _relu_slope(y: Array) -> Array:
    return y > 0  # type: ignore[return-value]  # booleans multiply as 0 and 1


def _tanh_slope(y: Array) -> Array:
    return 1.0 - y * y


def _sigmoid_slope(y: Array) -> Array:
    return y * (1.0 - y)


def _exp_slope(y: Array) -> Array:
    return y


SLOPES: dict[str, Callable[[Array], Array]] = {
    "ReLU": _relu_slope, "tanh": _tanh_slope, "sigmoid": _sigmoid_slope, "exp": _exp_slope,
}
ACTIVATION_FUNCTIONS: dict[str, Callable[[Array], Array]] = {"ReLU": _relu, "tanh": np.tanh, "sigmoid": _sigmoid}
# --8<-- [end:activations]


# --8<-- [start:topological_order]
def topological_order(root: Tensor) -> list[Tensor]:
    """Every tensor `root` depends on, each after its children (iterative, as `engine.topological_order`).

    Examples:
        >>> from micrograd.tensor import Tensor, topological_order
        >>> x = Tensor([1.0, 2.0])
        >>> len(topological_order((x * x).sum()))
        3
    """
    order: list[Tensor] = []
    visited = {root}
    stack = [(root, iter(root._prev))]
    while stack:
        node, children = stack[-1]
        for child in children:
            if child not in visited:
                visited.add(child)
                stack.append((child, iter(child._prev)))
                break
        else:
            stack.pop()
            order.append(node)
    return order
# --8<-- [end:topological_order]


# --8<-- [start:unbroadcast]
def _unbroadcast(grad: Array, shape: tuple[int, ...]) -> Array:
    """Sum `grad` down to `shape`: over the leading axes broadcasting added, then over its stretched 1s.

    Examples:
        >>> import numpy as np
        >>> from micrograd.tensor import _unbroadcast
        >>> _unbroadcast(np.ones((4, 3)), (3,))
        array([4., 4., 4.])
        >>> _unbroadcast(np.ones((4, 3)), (4, 1))
        array([[3.],
               [3.],
               [3.],
               [3.]])
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra:
        grad = _sum(grad, axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = _sum(grad, axis=stretched, keepdims=True)
    return grad


def accumulate_grad(node: Tensor, grad: Array) -> None:
    """`node.grad += grad`, without ever writing into an array another node may share (rules use it)."""
    if node._op != CONSTANT:
        node._grad = grad if node._grad is None else node._grad + grad
# --8<-- [end:unbroadcast]


# --8<-- [start:local_derivatives]
def _add_backward(out: Tensor, g: Array) -> None:
    a, b = out._prev
    accumulate_grad(a, _unbroadcast(g, a.data.shape))
    accumulate_grad(b, _unbroadcast(g, b.data.shape))


def _sub_backward(out: Tensor, g: Array) -> None:
    a, b = out._prev
    accumulate_grad(a, _unbroadcast(g, a.data.shape))
    accumulate_grad(b, _unbroadcast(-g, b.data.shape))


def _mul_backward(out: Tensor, g: Array) -> None:
    a, b = out._prev
    accumulate_grad(a, _unbroadcast(g * b.data, a.data.shape))
    accumulate_grad(b, _unbroadcast(g * a.data, b.data.shape))


def _div_backward(out: Tensor, g: Array) -> None:
    a, b = out._prev
    accumulate_grad(a, _unbroadcast(g / b.data, a.data.shape))
    accumulate_grad(b, _unbroadcast(-g * out.data / b.data, b.data.shape))


def _matmul_backward(out: Tensor, g: Array) -> None:
    a, b = out._prev
    # A vector operand acts as a one-row (left) or one-column (right) matrix whose extra axis the result lost.
    a2 = a.data[None, :] if a.data.ndim == 1 else a.data
    b2 = b.data[:, None] if b.data.ndim == 1 else b.data
    shape = (*np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2]), a2.shape[-2], b2.shape[-1])
    g = np.reshape(g, shape)
    accumulate_grad(a, _unbroadcast(g @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.data.shape))
    accumulate_grad(b, _unbroadcast(np.swapaxes(a2, -1, -2) @ g, b2.shape).reshape(b.data.shape))


def _neg_backward(out: Tensor, g: Array) -> None:
    accumulate_grad(out._prev[0], -g)


def _power_backward(out: Tensor, g: Array) -> None:
    (a,), k = out._prev, out._arg
    if k != 0:  # x**0 is constant
        accumulate_grad(a, k * a.data ** (k - 1) * g)


def _activation_backward(out: Tensor, g: Array) -> None:  # ReLU, tanh, sigmoid, exp
    accumulate_grad(out._prev[0], g * SLOPES[out._op](out.data))


def _log_backward(out: Tensor, g: Array) -> None:
    x = out._prev[0]
    accumulate_grad(x, g / x.data)


def _sum_backward(out: Tensor, g: Array) -> None:
    (a,), (axes, keepdims) = out._prev, out._arg
    if axes is not None and not keepdims:
        g = np.expand_dims(g, axes)  # put back the summed axes as 1s, then stretch them
    accumulate_grad(a, np.broadcast_to(g, a.data.shape).copy())


def _reshape_backward(out: Tensor, g: Array) -> None:
    a = out._prev[0]
    accumulate_grad(a, np.reshape(g, a.data.shape))


def _transpose_backward(out: Tensor, g: Array) -> None:
    accumulate_grad(out._prev[0], np.transpose(g, np.argsort(out._arg)))
# --8<-- [end:local_derivatives]


# --8<-- [start:dispatch]
_BACKWARD: dict[str, Rule] = {
    "+": _add_backward,
    "-": _sub_backward,
    "*": _mul_backward,
    "/": _div_backward,
    "@": _matmul_backward,
    "neg": _neg_backward,
    "**": _power_backward,
    "ReLU": _activation_backward,
    "tanh": _activation_backward,
    "sigmoid": _activation_backward,
    "exp": _activation_backward,
    "log": _log_backward,
    "sum": _sum_backward,
    "reshape": _reshape_backward,
    "transpose": _transpose_backward,
}


def define_rule(op: str, rule: Rule) -> None:
    """Add the backward rule of an operation defined in another module (refuses a name taken).

    Examples:
        >>> from micrograd.tensor import define_rule
        >>> define_rule("+", lambda out, grad: None)
        Traceback (most recent call last):
        ...
        ValueError: operation '+' already has a backward rule
    """
    known = _BACKWARD.get(op)
    same = known is not None and (known.__module__, known.__qualname__) == (rule.__module__, rule.__qualname__)
    if known is not None and not same:  # the same rule again is fine (a module reloaded)
        raise ValueError(f"operation {op!r} already has a backward rule")
    _BACKWARD[op] = rule
# --8<-- [end:dispatch]

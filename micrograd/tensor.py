"""Tensors: the engine of `micrograd.engine`, with one node per array instead of per number.

A `Tensor` holds a NumPy array of float64. Operations build a graph exactly as
`Value`s do, and `backward()` walks it the same way: an iterative topological
sort, then each node's rule, looked up by its operation's name in a table
(`micrograd.tensor_rules`, which holds every rule). Nodes hold no closures and point only at their children, so a
dropped graph is freed at once by reference counting.

What is new is the shape. `+ - * /` broadcast as NumPy does, so a rule first
computes the gradient for the broadcast shape and then un-broadcasts it:
sums it over the axes that broadcasting stretched (`tensor_rules._unbroadcast`).

NumPy comes with the `tensor` extra: `pip install "micrograd-literate[tensor]"`.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from micrograd._checks import is_real
from micrograd._optional import missing_extra
from micrograd.engine import topological_order  # the scalar engine's sort: it reads only `_prev`

try:
    import numpy as np
    import numpy.typing as npt
except ImportError as error:  # core micrograd runs without NumPy; only this module needs it
    raise ImportError(missing_extra("numpy", "tensor", "micrograd.tensor")) from error

from micrograd.tensor_rules import _BACKWARD, ACTIVATION_FUNCTIONS, CONSTANT, Array

Operand: TypeAlias = "Tensor | float | int | npt.ArrayLike"
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
        if isinstance(exponent, Tensor) or not is_real(exponent):
            raise TypeError(f"a Tensor's exponent must be a number, got {type(exponent).__name__}")
        return _node(self.data ** float(exponent), (self,), "**", float(exponent))

    # --8<-- [start:functions]
    def relu(self) -> Tensor:
        """`max(0, x)` entry by entry.

        Examples:
            >>> from micrograd.tensor import Tensor
            >>> Tensor([-2.0, 3.0]).relu()
            Tensor([0., 3.])
        """
        return _node(ACTIVATION_FUNCTIONS["ReLU"](self.data), (self,), "ReLU")

    def tanh(self) -> Tensor:
        """Hyperbolic tangent entry by entry.

        Examples:
            >>> from micrograd.tensor import Tensor
            >>> Tensor([0.0, 0.5]).tanh()
            Tensor([0.        , 0.46211716])
        """
        return _node(np.tanh(self.data), (self,), "tanh")

    def sigmoid(self) -> Tensor:
        """`1 / (1 + e^-x)`, from `e^-|x|` so that neither tail overflows (as `Value.sigmoid`).

        Examples:
            >>> from micrograd.tensor import Tensor
            >>> Tensor([-1000.0, 0.0, 1000.0]).sigmoid()
            Tensor([0. , 0.5, 1. ])
        """
        return _node(ACTIVATION_FUNCTIONS["sigmoid"](self.data), (self,), "sigmoid")

    def exp(self) -> Tensor:
        """`e^x` entry by entry (NumPy's overflow to `inf`, with its warning).

        Examples:
            >>> from micrograd.tensor import Tensor
            >>> Tensor([0.0, 1.0]).exp()
            Tensor([1.        , 2.71828183])
        """
        return _node(np.exp(self.data), (self,), "exp")

    def log(self) -> Tensor:
        """Natural logarithm; raises ValueError when an entry is `<= 0`.

        Examples:
            >>> from micrograd.tensor import Tensor
            >>> Tensor([1.0, 100.0]).log()
            Tensor([0.        , 4.60517019])
        """
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
        """The same entries in a new shape (`-1` once for "whatever is left").

        Examples:
            >>> from micrograd.tensor import Tensor
            >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).reshape(-1)
            Tensor([1., 2., 3., 4.])
        """
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

"""How each operation of `micrograd.tensor` passes its output's gradient back to its inputs.

The backward half of the tensor engine: a rule per operation, looked up by the
operation's name in `_BACKWARD` (as in `micrograd.engine`). A rule gets the
node and its gradient, and adds to its children's gradients with
`accumulate_grad`; operations with broadcasting first sum the gradient back
down to each input's own shape (`_unbroadcast`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

import numpy as np  # micrograd.tensor, which imports this module, says which extra installs NumPy
import numpy.typing as npt

if TYPE_CHECKING:
    from micrograd.tensor import Tensor

Array: TypeAlias = "npt.NDArray[np.float64]"
Rule = Callable[["Tensor", Array], None]  # (node, its gradient) -> adds to its children's gradients
CONSTANT = "constant"  # the op of a leaf made from numbers mixed into an expression: it gets no gradient
_sum = np.add.reduce  # ndarray.sum without its Python wrapper: about 1 us less per call on small arrays


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




# --8<-- [start:unbroadcast]
def _unbroadcast(grad: Array, shape: tuple[int, ...]) -> Array:
    """Sum `grad` down to `shape`: over the leading axes broadcasting added, then over its stretched 1s.

    Examples:
        >>> import numpy as np
        >>> from micrograd.tensor_rules import _unbroadcast
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
    """`node.grad += grad`, without ever writing into an array another node may share (rules use it).

    A constant (see `micrograd.tensor.constant`) gets nothing.

    Examples:
        >>> import numpy as np
        >>> from micrograd.tensor import Tensor
        >>> from micrograd.tensor_rules import accumulate_grad
        >>> x = Tensor([1.0, 2.0])
        >>> accumulate_grad(x, np.array([0.5, 0.5]))
        >>> accumulate_grad(x, np.array([1.0, 1.0]))
        >>> x.grad
        array([1.5, 1.5])
    """
    if node._op != CONSTANT:
        node._grad = grad if node._grad is None else node._grad + grad
# --8<-- [end:unbroadcast]


# --8<-- [start:broadcast_rules]
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


# --8<-- [end:broadcast_rules]


# --8<-- [start:other_rules]
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
# --8<-- [end:other_rules]


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
        >>> import micrograd.tensor_nn  # defines its layer's op, "linear", and gives its rule here
        >>> from micrograd.tensor_rules import _BACKWARD, define_rule
        >>> _BACKWARD["linear"].__name__
        '_linear_backward'
        >>> define_rule("linear", _BACKWARD["linear"])  # the same rule again is fine; another one raises
    """
    known = _BACKWARD.get(op)
    same = known is not None and (known.__module__, known.__qualname__) == (rule.__module__, rule.__qualname__)
    if known is not None and not same:  # the same rule again is fine (a module reloaded)
        raise ValueError(f"operation {op!r} already has a backward rule")
    _BACKWARD[op] = rule
# --8<-- [end:dispatch]

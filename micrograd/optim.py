"""Optimizers: rules that move parameters against their gradients.

`SGD` and `Adam` follow PyTorch's update rules. Both take the learning rate
as a number, which you may reassign between steps (`optimizer.lr = 0.01`), or
as a schedule: a function of the step index (0, 1, 2, ...) evaluated at every
step.

They update anything with a `data` and a `grad`: the `Value`s of
`micrograd.nn` and, unchanged, the `Tensor`s of `micrograd.tensor_nn` (whose
`data -= ...` updates the whole array in place).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from micrograd._checks import finite
from micrograd.engine import Value

Schedule = Callable[[int], float]
LearningRate = float | Schedule


class Parameter(Protocol):
    """What an optimizer updates: a `Value` (numbers) or a `micrograd.tensor.Tensor` (arrays).

    Examples:
        >>> from micrograd.tensor import Tensor
        >>> from micrograd.optim import SGD
        >>> w = Tensor([1.0, 2.0])
        >>> w.grad = [0.5, -0.5]
        >>> SGD([w], lr=1.0).step()   # the whole array moves, in place
        >>> w.data
        array([0.5, 2.5])
    """

    data: Any
    grad: Any


def _check_rate(value: object, name: str) -> float:
    """Return a finite, non-negative real number as a float, or raise naming `name`."""
    return finite(value, name, minimum=0)


def _check_fraction(value: object, name: str) -> float:
    """Return a number in `[0, 1)` as a float (momentum and betas live there)."""
    value = _check_rate(value, name)
    if value >= 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return value


def _is_parameter(p: object) -> bool:
    """A Value, or a Tensor (looked up only if loaded: importing micrograd.tensor would import NumPy)."""
    tensor = sys.modules.get("micrograd.tensor")
    return isinstance(p, Value) or (tensor is not None and isinstance(p, tensor.Tensor))


def _check_params(params: Iterable[Parameter]) -> list[Parameter]:
    if hasattr(params, "parameters") and not isinstance(params, Value):
        raise TypeError("pass the model's parameter list, e.g. SGD(model.parameters(), ...), not the model")
    params = list(params)
    if not params:
        raise ValueError("the optimizer got an empty parameter list")
    for i, p in enumerate(params):
        if not _is_parameter(p):
            raise TypeError(f"parameters must be Values or Tensors, got {type(p).__name__} at index {i}")
    if len({id(p) for p in params}) != len(params):
        raise ValueError("a parameter appears more than once; it would be updated twice per step")
    return params


class Optimizer:
    """What every optimizer shares: the parameters, the learning rate and a step counter.

    Attributes:
        params: The Values (or Tensors) this optimizer updates.
        step_count: How many steps have been taken (the index of the next step).

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.optim import SGD
        >>> x = Value(1.0)
        >>> x.grad = 5.0
        >>> opt = SGD([x], lr=0.1)
        >>> opt.zero_grad()
        >>> x.grad
        0.0
    """

    def __init__(self, params: Iterable[Parameter], lr: LearningRate):
        self.params = _check_params(params)
        self.lr = lr
        self.step_count = 0

    @property
    def lr(self) -> LearningRate:
        """The learning rate: a non-negative number, or a schedule `step_index -> rate`."""
        return self._lr

    @lr.setter
    def lr(self, value: LearningRate) -> None:
        self._lr = value if callable(value) else _check_rate(value, "lr")

    def current_lr(self) -> float:
        """The learning rate the next `step()` will use (a schedule is evaluated at `step_count`).

        Examples:
            >>> from micrograd.engine import Value
            >>> from micrograd.optim import SGD
            >>> SGD([Value(0.0)], lr=lambda k: 1.0 / (k + 1)).current_lr()
            1.0
        """
        if callable(self._lr):
            return _check_rate(self._lr(self.step_count), f"lr schedule at step {self.step_count}")
        return self._lr

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (gradients accumulate across backward passes).

        Examples:
            >>> from micrograd.engine import Value
            >>> from micrograd.optim import SGD
            >>> w = Value(1.0)
            >>> (w * 3).backward()
            >>> optimizer = SGD([w], lr=0.1)
            >>> optimizer.zero_grad()
            >>> w.grad
            0.0
        """
        for p in self.params:
            p.grad = 0.0

    # --8<-- [start:step]
    def step(self) -> None:
        """Update every parameter once from its current gradient.

        Examples:
            >>> from micrograd.engine import Value
            >>> from micrograd.optim import SGD
            >>> w = Value(1.0)
            >>> (w * 3).backward()              # d(3w)/dw = 3
            >>> SGD([w], lr=0.1).step()         # 1.0 - 0.1 * 3
            >>> round(w.data, 10)
            0.7
        """
        self._update(self.current_lr())
        self.step_count += 1
    # --8<-- [end:step]

    def _update(self, lr: float) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum and weight decay (PyTorch's rule).

    Per parameter `p` with gradient `g`: `g = g + weight_decay * p`; with
    momentum, `buf = g` on the first step and `buf = momentum * buf + g`
    afterwards, and `g = buf`; finally `p = p - lr * g`. Without momentum and
    weight decay the update is exactly classic micrograd's `p.data -= lr * p.grad`.

    Args:
        params: The Values or Tensors to update, e.g. `model.parameters()`.
        lr: A non-negative learning rate, or a schedule `step_index -> rate`.
        momentum: In `[0, 1)`; 0 turns momentum off.
        weight_decay: Non-negative; adds `weight_decay * p` to each gradient (L2 penalty).

    Examples:
        The two-moons demo's schedule, decaying the rate from 1.0 to 0.1:

        >>> from micrograd.engine import Value
        >>> from micrograd.optim import SGD
        >>> x = Value(0.0)
        >>> optimizer = SGD([x], lr=lambda k: 1.0 - 0.9 * k / 100)
        >>> for k in range(100):
        ...     loss = (x - 3.0) ** 2 * 0.25
        ...     optimizer.zero_grad()
        ...     loss.backward()
        ...     optimizer.step()
        >>> round(x.data, 6), round(optimizer.current_lr(), 6)
        (3.0, 0.1)
    """

    def __init__(self, params: Iterable[Parameter], lr: LearningRate, momentum: float = 0.0, weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.momentum = _check_fraction(momentum, "momentum")
        self.weight_decay = _check_rate(weight_decay, "weight_decay")
        self._buffers: list[Any] = [None] * len(self.params)

    # --8<-- [start:sgd_update]
    def _update(self, lr: float) -> None:
        momentum, decay = self.momentum, self.weight_decay
        if not momentum and not decay:
            for p in self.params:
                p.data -= lr * p.grad
            return
        buffers = self._buffers
        for i, p in enumerate(self.params):
            g = p.grad + decay * p.data if decay else p.grad
            if momentum:
                buf = buffers[i]
                g = g if buf is None else momentum * buf + g
                buffers[i] = g
            p.data -= lr * g
    # --8<-- [end:sgd_update]


class Adam(Optimizer):
    """Adam (PyTorch's rule, without AMSGrad): per-parameter steps scaled by gradient history.

    At step `t = 1, 2, ...` with gradient `g` (plus `weight_decay * p` if set):

        m = b1*m + (1-b1)*g
        v = b2*v + (1-b2)*g*g
        p = p - lr/(1-b1**t) * m / (sqrt(v)/sqrt(1-b2**t) + eps)

    The bias corrections `1-b1**t` and `1-b2**t` undo `m` and `v` starting at 0.

    Args:
        params: The Values or Tensors to update.
        lr: A non-negative learning rate, or a schedule `step_index -> rate` (index 0 at `t = 1`).
        betas: Decay rates `(b1, b2)` of the gradient's running mean and mean square, each in `[0, 1)`.
        eps: Added to the denominator so that it is never 0 (`eps > 0`).
        weight_decay: Non-negative; adds `weight_decay * p` to each gradient (L2, not AdamW).

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.optim import Adam
        >>> x = Value(0.0)
        >>> optimizer = Adam([x], lr=0.1)
        >>> for _ in range(200):
        ...     loss = (x - 3.0) ** 2
        ...     optimizer.zero_grad()
        ...     loss.backward()
        ...     optimizer.step()
        >>> round(x.data, 3)
        3.0
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: LearningRate = 0.001,
        betas: Sequence[float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ):
        super().__init__(params, lr)
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (b1, b2), got {betas!r}")
        self.betas = (_check_fraction(betas[0], "betas[0]"), _check_fraction(betas[1], "betas[1]"))
        self.eps = finite(eps, "eps")
        if self.eps <= 0:  # with eps = 0, a parameter whose gradients were all 0 would divide 0 by 0
            raise ValueError(f"eps must be > 0 (it keeps the denominator from being 0 at a zero gradient), got {eps!r}")
        self.weight_decay = _check_rate(weight_decay, "weight_decay")
        self._means: list[Any] = [0.0] * len(self.params)
        self._squares: list[Any] = [0.0] * len(self.params)

    def _update(self, lr: float) -> None:
        b1, b2 = self.betas
        t = self.step_count + 1
        step_size = lr / (1 - b1**t)
        correction2_sqrt = math.sqrt(1 - b2**t)
        decay, eps = self.weight_decay, self.eps
        means, squares = self._means, self._squares
        for i, p in enumerate(self.params):
            g = p.grad + decay * p.data if decay else p.grad
            m = means[i] = b1 * means[i] + (1 - b1) * g
            v = squares[i] = b2 * squares[i] + (1 - b2) * (g * g)
            root = math.sqrt(v) if type(v) is float else v**0.5  # a Tensor's array: NumPy's sqrt
            p.data -= step_size * (m / (root / correction2_sqrt + eps))

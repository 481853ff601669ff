"""Optimizers: rules that move parameters against their gradients.

`SGD` (with momentum or Nesterov momentum), `RMSprop`, `Adam` and `AdamW`
follow PyTorch's update rules. Each takes the learning rate as a number, which
you may reassign between steps (`optimizer.lr = 0.01`), or as a schedule: a
function of the step index (0, 1, 2, ...) evaluated at every step.
`StepLR`, `CosineLR` and `WarmupLR` are such schedules, ready-made.

They update anything with a `data` and a `grad`: the `Value`s of
`micrograd.nn` and, unchanged, the `Tensor`s of `micrograd.tensor_nn` (whose
`data -= ...` updates the whole array in place).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from micrograd._checks import count, finite, flag
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


def _sqrt(v: Any) -> Any:
    """math.sqrt for a float; NumPy's elementwise square root for a Tensor's array."""
    return math.sqrt(v) if type(v) is float else v**0.5


def _check_rate(value: object, name: str) -> float:
    """Return a finite, non-negative real number as a float, or raise naming `name`."""
    return finite(value, name, minimum=0)


def _check_fraction(value: object, name: str) -> float:
    """Return a number in `[0, 1)` as a float (momentum and betas live there)."""
    value = _check_rate(value, name)
    if value >= 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return value


def _check_eps(eps: object) -> float:
    """A finite eps > 0: with eps = 0 a parameter whose gradients were all 0 would divide 0 by 0."""
    value = finite(eps, "eps")
    if value <= 0:
        raise ValueError(f"eps must be > 0 (it keeps the denominator from being 0 at a zero gradient), got {eps!r}")
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
    """Stochastic gradient descent, with optional (Nesterov) momentum and weight decay (PyTorch's rule).

    Per parameter `p` with gradient `g`: `g = g + weight_decay * p`; with
    momentum, `buf = g` on the first step and `buf = momentum * buf + g`
    afterwards, and `g = buf` (or `g = g + momentum * buf` with Nesterov
    momentum, which looks one step ahead along the velocity); finally
    `p = p - lr * g`. Without momentum and weight decay the update is exactly
    classic micrograd's `p.data -= lr * p.grad`.

    Args:
        params: The Values or Tensors to update, e.g. `model.parameters()`.
        lr: A non-negative learning rate, or a schedule `step_index -> rate`.
        momentum: In `[0, 1)`; 0 turns momentum off.
        weight_decay: Non-negative; adds `weight_decay * p` to each gradient (L2 penalty).
        nesterov: Use Nesterov momentum (needs `momentum > 0`).

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

        Nesterov momentum, two steps by hand (gradient 1 each time):

        >>> from micrograd.engine import Value
        >>> from micrograd.optim import SGD
        >>> w = Value(0.0)
        >>> optimizer = SGD([w], lr=0.1, momentum=0.5, nesterov=True)
        >>> for _ in range(2):
        ...     w.grad = 1.0
        ...     optimizer.step()
        >>> round(w.data, 6)  # -0.1*(1 + 0.5*1), then -0.1*(1 + 0.5*1.5)
        -0.325
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: LearningRate,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ):
        super().__init__(params, lr)
        self.momentum = _check_fraction(momentum, "momentum")
        self.weight_decay = _check_rate(weight_decay, "weight_decay")
        if flag(nesterov, "nesterov") and not self.momentum:
            raise ValueError("nesterov=True needs a momentum > 0 (Nesterov momentum looks ahead along the velocity)")
        self.nesterov = nesterov
        self._buffers: list[Any] = [None] * len(self.params)

    # --8<-- [start:sgd_update]
    def _update(self, lr: float) -> None:
        momentum, decay = self.momentum, self.weight_decay
        if not momentum and not decay:
            for p in self.params:
                p.data -= lr * p.grad
            return
        buffers, nesterov = self._buffers, self.nesterov
        for i, p in enumerate(self.params):
            g = p.grad + decay * p.data if decay else p.grad
            if momentum:
                buf = buffers[i]
                buf = g if buf is None else momentum * buf + g
                buffers[i] = buf
                g = g + momentum * buf if nesterov else buf
            p.data -= lr * g
    # --8<-- [end:sgd_update]


class RMSprop(Optimizer):
    """RMSprop (PyTorch's rule, not centered): each step divided by the root of a running mean square.

    Per parameter with gradient `g` (plus `weight_decay * p` if set):

        v = alpha*v + (1-alpha)*g*g
        p = p - lr * g / (sqrt(v) + eps)

    With momentum, `buf = momentum*buf + g / (sqrt(v) + eps)` (starting from
    0) and `p = p - lr * buf`. A parameter whose gradients are large gets
    small steps and one whose gradients are small gets large ones, so every
    direction moves at a similar speed.

    Args:
        params: The Values or Tensors to update.
        lr: A non-negative learning rate, or a schedule `step_index -> rate`.
        alpha: Decay rate of the running mean square, in `[0, 1)`.
        eps: Added to the denominator so that it is never 0 (`eps > 0`).
        weight_decay: Non-negative; adds `weight_decay * p` to each gradient.
        momentum: In `[0, 1)`; 0 turns momentum off.

    Examples:
        The first step has size `lr / sqrt(1 - alpha)`, whatever the gradient's size:

        >>> from micrograd.engine import Value
        >>> from micrograd.optim import RMSprop
        >>> w = Value(0.0)
        >>> w.grad = 250.0
        >>> RMSprop([w], lr=0.01, alpha=0.99).step()
        >>> round(w.data, 6)  # -0.01 / sqrt(0.01)
        -0.1
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: LearningRate = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
    ):
        super().__init__(params, lr)
        self.alpha = _check_fraction(alpha, "alpha")
        self.eps = _check_eps(eps)
        self.weight_decay = _check_rate(weight_decay, "weight_decay")
        self.momentum = _check_fraction(momentum, "momentum")
        self._squares: list[Any] = [0.0] * len(self.params)
        self._buffers: list[Any] = [0.0] * len(self.params)

    # --8<-- [start:rmsprop_update]
    def _update(self, lr: float) -> None:
        alpha, eps, momentum = self.alpha, self.eps, self.momentum
        decay, squares, buffers = self.weight_decay, self._squares, self._buffers
        for i, p in enumerate(self.params):
            g = p.grad + decay * p.data if decay else p.grad
            v = squares[i] = alpha * squares[i] + (1 - alpha) * (g * g)
            step = g / (_sqrt(v) + eps)
            if momentum:
                step = buffers[i] = momentum * buffers[i] + step
            p.data -= lr * step
    # --8<-- [end:rmsprop_update]


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
        self.eps = _check_eps(eps)
        self.weight_decay = _check_rate(weight_decay, "weight_decay")
        self._means: list[Any] = [0.0] * len(self.params)
        self._squares: list[Any] = [0.0] * len(self.params)

    # AdamW shrinks each parameter directly instead of adding the decay to its gradient.
    _decoupled_decay = False

    # --8<-- [start:adam_update]
    def _update(self, lr: float) -> None:
        b1, b2 = self.betas
        t = self.step_count + 1
        step_size = lr / (1 - b1**t)
        correction2_sqrt = math.sqrt(1 - b2**t)
        eps, decay = self.eps, self.weight_decay
        # Adam adds the decay to the gradient; AdamW shrinks the weight itself
        coupled = 0.0 if self._decoupled_decay else decay
        shrink = 1 - lr * decay if self._decoupled_decay else 1.0
        means, squares = self._means, self._squares
        for i, p in enumerate(self.params):
            g = p.grad + coupled * p.data if coupled else p.grad
            m = means[i] = b1 * means[i] + (1 - b1) * g
            v = squares[i] = b2 * squares[i] + (1 - b2) * (g * g)
            if shrink != 1.0:
                p.data *= shrink  # AdamW: before the Adam step
            p.data -= step_size * (m / (_sqrt(v) / correction2_sqrt + eps))
    # --8<-- [end:adam_update]


class AdamW(Adam):
    """Adam with decoupled weight decay (PyTorch's AdamW rule).

    Adam's `weight_decay` adds `weight_decay * p` to the gradient, and then
    Adam's scaling shrinks that pull for every parameter whose gradients are
    large. AdamW instead multiplies each parameter by `1 - lr * weight_decay`
    at every step, before the Adam step computed from the gradient alone, so
    every weight decays at the same rate.

    Args:
        params: The Values or Tensors to update.
        lr: A non-negative learning rate, or a schedule `step_index -> rate`.
        betas: Decay rates `(b1, b2)` of the gradient's running mean and mean square, each in `[0, 1)`.
        eps: Added to the denominator so that it is never 0 (`eps > 0`).
        weight_decay: Non-negative fraction of each weight removed per unit of learning rate.

    Examples:
        With a zero gradient the Adam step is 0, and only the decay acts:

        >>> from micrograd.engine import Value
        >>> from micrograd.optim import AdamW
        >>> w = Value(2.0)
        >>> optimizer = AdamW([w], lr=0.1, weight_decay=0.5)
        >>> optimizer.step()
        >>> w.data  # 2.0 * (1 - 0.1 * 0.5)
        1.9
    """

    _decoupled_decay = True

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: LearningRate = 0.001,
        betas: Sequence[float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.01,
    ):
        super().__init__(params, lr, betas, eps, weight_decay)


# --- learning-rate schedules ------------------------------------------------------
# A schedule is a function of the step index; these are small callable objects
# with a readable repr, usable as `lr=` of any optimizer above.


def _check_step(step: object) -> int:
    return count(step, "step", 0)


class StepLR:
    """Multiply the rate by `gamma` every `step_size` steps: `lr * gamma**(k // step_size)`.

    Gives the rates of `torch.optim.lr_scheduler.StepLR` (stepped once per optimizer step).

    Args:
        lr: The rate of the first `step_size` steps.
        step_size: Steps between drops, at least 1.
        gamma: Factor applied at each drop, non-negative.

    Examples:
        >>> from micrograd.optim import StepLR
        >>> schedule = StepLR(0.1, step_size=2, gamma=0.5)
        >>> [schedule(k) for k in range(5)]
        [0.1, 0.1, 0.05, 0.05, 0.025]
    """

    def __init__(self, lr: float, step_size: int, gamma: float = 0.1):
        self.lr = _check_rate(lr, "lr")
        self.step_size = count(step_size, "step_size", 1)
        self.gamma = _check_rate(gamma, "gamma")

    # --8<-- [start:step_lr]
    def __call__(self, step: int) -> float:
        return self.lr * self.gamma ** (_check_step(step) // self.step_size)
    # --8<-- [end:step_lr]

    def __repr__(self) -> str:
        return f"StepLR(lr={self.lr!r}, step_size={self.step_size}, gamma={self.gamma!r})"


class CosineLR:
    """Half a cosine from `lr` down to `min_lr` over `total_steps` steps, then `min_lr`.

    `min_lr + (lr - min_lr) * (1 + cos(pi * k / total_steps)) / 2`. For steps
    0 to `total_steps` these are the rates of `torch.optim.lr_scheduler.CosineAnnealingLR`
    with `T_max=total_steps` and `eta_min=min_lr`; after that, torch's rate
    climbs back up the cosine, while this one stays at `min_lr`.

    Args:
        lr: The rate at step 0.
        total_steps: Steps until the rate reaches `min_lr`, at least 1.
        min_lr: The final rate, non-negative.

    Examples:
        >>> from micrograd.optim import CosineLR
        >>> schedule = CosineLR(0.1, total_steps=4)
        >>> [round(schedule(k), 6) for k in range(6)]
        [0.1, 0.085355, 0.05, 0.014645, 0.0, 0.0]
    """

    def __init__(self, lr: float, total_steps: int, min_lr: float = 0.0):
        self.lr = _check_rate(lr, "lr")
        self.total_steps = count(total_steps, "total_steps", 1)
        self.min_lr = _check_rate(min_lr, "min_lr")

    # --8<-- [start:cosine_lr]
    def __call__(self, step: int) -> float:
        progress = min(_check_step(step), self.total_steps) / self.total_steps
        cosine = (1 + math.cos(math.pi * progress)) / 2  # from 1 down to 0
        return self.min_lr + (self.lr - self.min_lr) * cosine
    # --8<-- [end:cosine_lr]

    def __repr__(self) -> str:
        return f"CosineLR(lr={self.lr!r}, total_steps={self.total_steps}, min_lr={self.min_lr!r})"


class WarmupLR:
    """Ramp the rate up linearly for `warmup_steps` steps, then follow `after`.

    During the warm-up (steps `k < warmup_steps`) the rate is
    `after(0) * (start_factor + (1 - start_factor) * k / warmup_steps)`; from
    then on it is `after(k - warmup_steps)`, so the schedule that follows
    starts from its own step 0. With a constant `after` these are the rates
    of `torch.optim.lr_scheduler.LinearLR(start_factor, total_iters=warmup_steps)`;
    with a schedule, those of `SequentialLR` chaining `LinearLR` and the
    schedule's torch counterpart at milestone `warmup_steps`.

    Args:
        after: A rate, or a schedule to follow once warmed up.
        warmup_steps: Length of the ramp, at least 1.
        start_factor: Fraction of `after(0)` used at step 0, in `(0, 1]`.

    Examples:
        >>> from micrograd.optim import CosineLR, WarmupLR
        >>> schedule = WarmupLR(CosineLR(0.1, total_steps=2), warmup_steps=4, start_factor=0.25)
        >>> [round(schedule(k), 6) for k in range(8)]
        [0.025, 0.04375, 0.0625, 0.08125, 0.1, 0.05, 0.0, 0.0]
    """

    def __init__(self, after: LearningRate, warmup_steps: int, start_factor: float = 0.1):
        self.after = after if callable(after) else _check_rate(after, "after")
        self.warmup_steps = count(warmup_steps, "warmup_steps", 1)
        self.start_factor = finite(start_factor, "start_factor")
        if not 0 < self.start_factor <= 1:
            raise ValueError(f"start_factor must be in (0, 1], got {start_factor!r}")

    def _after(self, step: int) -> float:
        return self.after(step) if callable(self.after) else self.after

    # --8<-- [start:warmup_lr]
    def __call__(self, step: int) -> float:
        step = _check_step(step)
        if step >= self.warmup_steps:
            return self._after(step - self.warmup_steps)
        ramp = self.start_factor + (1 - self.start_factor) * step / self.warmup_steps
        return self._after(0) * ramp
    # --8<-- [end:warmup_lr]

    def __repr__(self) -> str:
        return f"WarmupLR({self.after!r}, warmup_steps={self.warmup_steps}, start_factor={self.start_factor!r})"

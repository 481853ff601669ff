"""Activation functions beyond the engine's own, and softmax for many classes.

The engine has `tanh`, `relu` and `sigmoid` as operations. Leaky ReLU, GELU
and softplus are written here out of those operations and arithmetic, so
`backward()` needs no new rules and every gradient comes from the engine's
own, already checked, local derivatives. `softmax` and `log_softmax` turn a
list of scores (logits) into probabilities, or their logarithms, computed so
that large scores cannot overflow.

Each activation is also known by name (`ACTIVATIONS`), which is how
`MLP(..., activation="gelu")` finds it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from micrograd._checks import finite
from micrograd.engine import Value

Activation = Callable[[Value], Value]


def leaky_relu(x: Value, negative_slope: float = 0.01) -> Value:
    """`x` for `x > 0`, `negative_slope * x` otherwise: a ReLU whose left side still has a slope.

    A ReLU neuron whose input is negative for every sample passes no gradient
    back and never recovers (it is "dead"); the small slope keeps it learning.

    Args:
        x: The input.
        negative_slope: Slope for `x <= 0` (PyTorch's default, 0.01).

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.activations import leaky_relu
        >>> x = Value(-2.0)
        >>> y = leaky_relu(x)
        >>> y.backward()
        >>> y.data, x.grad
        (-0.02, 0.01)
        >>> leaky_relu(Value(3.0)).data
        3.0
    """
    # --8<-- [start:leaky_relu]
    # Which side x is on is decided by its value, as every branch of a
    # dynamic graph is: the graph records only the product taken.
    return x * (1.0 if x.data > 0 else negative_slope)
    # --8<-- [end:leaky_relu]


# √(2/π), the constant of GELU's tanh approximation.
_GELU_SCALE = math.sqrt(2.0 / math.pi)
_GELU_CUBIC = 0.044715
_TWO_SCALE = 2.0 * _GELU_SCALE


def gelu(x: Value) -> Value:
    """GELU, tanh approximation: `0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))`.

    Computed as `x · sigmoid(2u)` with `u = √(2/π) (x + 0.044715 x³)`, the same
    function (`(1 + tanh u) / 2 = sigmoid(2u)`) in fewer nodes and without
    the cancellation of `1 + tanh u` far left of zero. It matches PyTorch's
    `gelu(x, approximate="tanh")`.

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.activations import gelu
        >>> x = Value(1.0)
        >>> y = gelu(x)
        >>> y.backward()
        >>> round(y.data, 6), round(x.grad, 6)
        (0.841192, 1.082964)
    """
    # --8<-- [start:gelu]
    two_u = x * _TWO_SCALE + x**3 * (_TWO_SCALE * _GELU_CUBIC)  # constants folded: fewer nodes
    return x * two_u.sigmoid()
    # --8<-- [end:gelu]


def softplus(x: Value) -> Value:
    """`log(1 + e^x)`, a smooth ReLU whose derivative is `sigmoid(x)`; never overflows.

    Written as `max(x, 0) + log(1 + e^-|x|)`: the exponent is never positive,
    so `e^-|x|` cannot overflow. Its logarithm keeps every digit of a tiny
    `e^-|x|`, as `math.log1p` does (plain `log(1 + u)` would round `1 + u`
    first), while `backward()` uses the log's own rule, `1 / (1 + u)`.

    Examples:
        >>> import math
        >>> from micrograd.engine import Value
        >>> from micrograd.activations import softplus
        >>> x = Value(0.0)
        >>> y = softplus(x)
        >>> y.backward()
        >>> y.data == math.log(2), x.grad
        (True, 0.5)
        >>> softplus(Value(1000.0)).data, softplus(Value(-1000.0)).data
        (1000.0, 0.0)
    """
    # --8<-- [start:softplus]
    if x.data > 0:
        return x + _log1p((-x).exp())
    return _log1p(x.exp())
    # --8<-- [end:softplus]


# --8<-- [start:log1p]
def _log1p(u: Value) -> Value:
    """A `log` node over `1 + u` whose value is `math.log1p(u)`: exact for tiny u, same derivative rule."""
    one_plus_u = 1.0 + u
    return Value(math.log1p(u.data), (one_plus_u,), "log")
# --8<-- [end:log1p]


def linear(x: Value) -> Value:
    """The identity: a layer without an activation (its outputs are plain weighted sums).

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.activations import linear
        >>> x = Value(-2.5)
        >>> linear(x) is x
        True
    """
    return x


# --8<-- [start:registry]
ACTIVATIONS: dict[str, Activation] = {
    "tanh": Value.tanh,
    "relu": Value.relu,
    "sigmoid": Value.sigmoid,
    "leaky_relu": leaky_relu,
    "gelu": gelu,
    "softplus": softplus,
    "linear": linear,
}
# --8<-- [end:registry]


def get_activation(name: str) -> Activation:
    """The activation function called `name`; ValueError listing the valid names otherwise.

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.activations import get_activation
        >>> get_activation("leaky_relu")(Value(-1.0)).data
        -0.01
        >>> get_activation("swish")
        Traceback (most recent call last):
          ...
        ValueError: unknown activation 'swish'; choose one of tanh, relu, sigmoid, leaky_relu, gelu, softplus, linear
    """
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):  # TypeError: an unhashable name, e.g. a list
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}") from None


def _as_values(logits: Sequence[Value | float]) -> list[Value]:
    if isinstance(logits, (Value, str, bytes)) or not isinstance(logits, Sequence):
        raise TypeError(f"logits must be a list of Values or numbers, got {type(logits).__name__}")
    if not logits:
        raise ValueError("logits must hold at least one score, got none")
    return [z if isinstance(z, Value) else Value(finite(z, "each logit")) for z in logits]


# --8<-- [start:shifted]
def _shifted(logits: Sequence[Value | float]) -> tuple[list[Value], float]:
    """The logits minus the largest one (every one `<= 0`, the largest exactly 0), and that largest."""
    zs = _as_values(logits)
    m = max(z.data for z in zs)
    return [z + -m for z in zs], m
# --8<-- [end:shifted]


def softmax(logits: Sequence[Value | float]) -> list[Value]:
    """Probabilities `e^z_i / Σ_j e^z_j`: positive, adding up to 1, the largest score the most likely.

    Each score is first shifted by the largest one, which changes nothing in
    the result (the common factor `e^-m` cancels) but keeps `e^z` from
    overflowing for large scores. The shift is a constant, so gradients are
    unchanged too.

    Args:
        logits: One score per class (Values or numbers).

    Returns:
        One probability per class, as Values (gradients flow back to the logits).

    Examples:
        >>> from micrograd.activations import softmax
        >>> [round(p.data, 4) for p in softmax([2.0, 1.0, 0.1])]
        [0.659, 0.2424, 0.0986]
        >>> [p.data for p in softmax([1000.0, 0.0])]  # e^1000 alone would overflow
        [1.0, 0.0]
    """
    # --8<-- [start:softmax]
    shifted, _ = _shifted(logits)
    exps = [s.exp() for s in shifted]
    inverse_total = Value.sum(exps) ** -1
    return [e * inverse_total for e in exps]
    # --8<-- [end:softmax]


def log_softmax(logits: Sequence[Value | float]) -> list[Value]:
    """`log(softmax(z))`, computed as `(z - m) - log Σ e^(z - m)`: finite even where a probability rounds to 0.

    The sum holds the term `e^0 = 1`, so its logarithm is never `log(0)`.

    Examples:
        >>> from micrograd.activations import log_softmax
        >>> [round(v.data, 4) for v in log_softmax([2.0, 1.0, 0.1])]
        [-0.417, -1.417, -2.317]
        >>> log_softmax([1000.0, 0.0])[1].data  # log(softmax) would be log(0)
        -1000.0
    """
    # --8<-- [start:log_softmax]
    shifted, _ = _shifted(logits)
    minus_log_total = -Value.sum([s.exp() for s in shifted]).log()
    return [s + minus_log_total for s in shifted]
    # --8<-- [end:log_softmax]


def log_sum_exp(logits: Sequence[Value | float]) -> Value:
    """`log(e^z0 + e^z1 + ...)`, computed as `m + log Σ e^(z - m)` with `m = max z`.

    Shifting by the largest score makes every exponent `<= 0`: no term can
    overflow, and the largest term is exactly 1, so the sum cannot round to 0
    either. Its gradient with respect to the logits is their softmax.

    Examples:
        >>> import math
        >>> from micrograd.activations import log_sum_exp
        >>> log_sum_exp([1000.0, 1000.0]).data == 1000 + math.log(2)
        True
    """
    shifted, m = _shifted(logits)
    return Value.sum([s.exp() for s in shifted]).log() + m

"""Loss functions that turn a model's outputs into one `Value` to minimise.

Each loss returns a single `Value`, so `loss.backward()` fills in the
gradient of every parameter that contributed to it. Sums over samples are
built with `Value.sum` (one node) and give the same floats as Python's
`sum(...)` over chained `+`, so results match classic micrograd bit for bit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from micrograd._checks import finite, is_int
from micrograd.activations import log_softmax
from micrograd.engine import Value

Number = float | int
Scalar = Value | float | int
_T = TypeVar("_T")
_U = TypeVar("_U")


def _pair_up(first: Iterable[_T], second: Iterable[_U], first_name: str, second_name: str) -> tuple[list[_T], list[_U]]:
    """Return both inputs as lists after checking they are non-empty and of equal length."""
    first, second = list(first), list(second)
    if not first or len(first) != len(second):
        raise ValueError(
            f"need as many {first_name} as {second_name} (at least one), "
            f"got {len(first)} {first_name} and {len(second)} {second_name}"
        )
    return first, second


def _as_value(x: Scalar) -> Value:
    return x if isinstance(x, Value) else Value(x)


def _data(x: Scalar) -> float:
    return x.data if isinstance(x, Value) else x


def mean_squared_error(predictions: Iterable[Scalar], targets: Iterable[Scalar], reduction: str = "mean") -> Value:
    """Average (or total) of the squared errors `(p - y)**2`.

    Args:
        predictions: Model outputs (Values or plain numbers).
        targets: Desired outputs (numbers or Values), one per prediction.
        reduction: "mean" divides the total by the number of samples
            (by multiplying with 1/n); "sum" returns the plain total, the
            same floats as the lecture's `sum((yout - ygt)**2 for ...)`.

    Returns:
        A Value to call `backward()` on.

    Raises:
        ValueError: empty or mismatched inputs, or an unknown reduction.

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.losses import mean_squared_error
        >>> predictions = [Value(0.5), Value(-1.0)]
        >>> mean_squared_error(predictions, [1.0, -1.0])
        Value(data=0.125, grad=0.0)
        >>> mean_squared_error(predictions, [1.0, -1.0], reduction="sum")
        Value(data=0.25, grad=0.0)
    """
    if reduction not in ("mean", "sum"):
        raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")
    predictions, targets = _pair_up(predictions, targets, "predictions", "targets")
    total = Value.sum([(p - y) ** 2 for p, y in zip(predictions, targets, strict=True)])
    return total if reduction == "sum" else total * (1.0 / len(predictions))


def svm_max_margin(scores: Iterable[Scalar], labels: Iterable[Number]) -> Value:
    """Mean hinge loss `max(0, 1 - y * score)` for labels y in {-1, +1}.

    A sample costs nothing once its score is on the right side with a margin
    of at least 1. The arithmetic is exactly classic micrograd's two-moons
    demo: `(1 + -y*score).relu()` per sample, then the left-to-right sum
    times `1.0 / n`, so the loss matches it float for float.

    Args:
        scores: Model outputs, positive meaning class +1.
        labels: -1 or +1 per score.

    Raises:
        ValueError: empty or mismatched inputs, or a label other than -1 and +1.

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.losses import svm_max_margin
        >>> svm_max_margin([Value(2.0), Value(0.5), Value(-0.5)], [1, 1, 1])
        Value(data=0.6666666666666666, grad=0.0)
    """
    scores, labels = _pair_up(scores, labels, "scores", "labels")
    for i, y in enumerate(labels):
        if y not in (-1, 1):
            raise ValueError(f"svm_max_margin labels must be -1 or +1, got {y!r} at index {i}")
    losses = [(1 + -y * _as_value(s)).relu() for s, y in zip(scores, labels, strict=True)]
    return Value.sum(losses) * (1.0 / len(losses))


def l2_regularization(parameters: Iterable[Value], alpha: float) -> Value:
    """`alpha * (sum of squared parameters)`: a penalty that keeps weights small.

    Same floats as classic micrograd's `alpha * sum((p*p for p in ...))`,
    with one sum node instead of a chain of `+` nodes.

    Raises:
        ValueError: no parameters, or an alpha that is negative or not finite.

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.losses import l2_regularization
        >>> l2_regularization([Value(1.0), Value(-2.0)], alpha=1e-4)
        Value(data=0.0005, grad=0.0)
    """
    finite(alpha, "alpha", minimum=0)  # a negative alpha would reward large weights
    squares = [p * p for p in parameters]
    if not squares:
        raise ValueError("l2_regularization needs at least one parameter, got 0")
    return Value.sum(squares) * alpha


def binary_cross_entropy(probabilities: Iterable[Scalar], targets: Iterable[Scalar], eps: float = 1e-12) -> Value:
    """Mean of `-(y log p + (1 - y) log(1 - p))` for probabilities p in `(0, 1)`.

    Each p is clamped to `[eps, 1 - eps]` so that log never sees 0 (a sigmoid
    rounds to exactly 1.0 past x ≈ 37). Inside that range p is used as it
    is, so gradients flow normally; a p outside it is replaced by a constant
    (gradient 0 there, as with `torch.clamp`).

    Args:
        probabilities: Predicted probabilities of class 1, e.g. sigmoid outputs.
        targets: Desired probabilities, usually 0 or 1; anything in `[0, 1]` works.
        eps: Clamping margin, in `(0, 0.5)`. The default 1e-12 caps one
            sample's loss at `-log(1e-12)` ≈ 27.6.

    Raises:
        ValueError: empty or mismatched inputs, a target outside `[0, 1]`, or a bad eps.

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.losses import binary_cross_entropy
        >>> bce = binary_cross_entropy([Value(0.8), Value(0.4)], [1, 0])
        >>> round(bce.data, 6)
        0.366985
    """
    if not 0.0 < eps < 0.5:
        raise ValueError(f"eps must be in (0, 0.5), got {eps!r}")
    probabilities, targets = _pair_up(probabilities, targets, "probabilities", "targets")
    terms = []
    for i, (p, y) in enumerate(zip(probabilities, targets, strict=True)):
        if not 0.0 <= _data(y) <= 1.0:
            raise ValueError(f"binary_cross_entropy targets must be in [0, 1], got {_data(y)!r} at index {i}")
        p = _clamp(_as_value(p), eps, 1.0 - eps)
        terms.append(y * p.log() + (1 - y) * (1 - p).log())
    return Value.sum(terms) * (-1.0 / len(terms))


def cross_entropy(logits: Iterable[Sequence[Scalar]], targets: Iterable[int], reduction: str = "mean") -> Value:
    """Mean (or total) of `-log softmax(z)[t]`: minus the log-probability given to the right class.

    A sample whose class gets probability 1 costs 0; one that gets 1/C (a
    guess among C classes) costs `log C`. The log-probabilities come from
    `log_softmax`, which cannot overflow or take `log(0)`. The gradient with
    respect to a sample's logits is `softmax(z) - onehot(t)` (divided by the
    number of samples for the mean), as in `torch.nn.functional.cross_entropy`.

    Args:
        logits: One row of class scores per sample (a model's raw outputs,
            no softmax applied), all rows of the same length C >= 1.
        targets: The right class of each sample, an int in `[0, C)`.
        reduction: "mean" (the default, as PyTorch) or "sum".

    Returns:
        A Value to call `backward()` on.

    Raises:
        ValueError: Empty or mismatched inputs, rows of different lengths, a
            target out of range, or an unknown reduction.
        TypeError: A target that is not an int.

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.losses import cross_entropy
        >>> z = [Value(2.0), Value(1.0), Value(0.1)]
        >>> loss = cross_entropy([z], [0])
        >>> round(loss.data, 4)
        0.417
        >>> loss.backward()
        >>> [round(zi.grad, 4) for zi in z]  # softmax(z) - onehot(0)
        [-0.341, 0.2424, 0.0986]
    """
    # --8<-- [start:cross_entropy]
    if reduction not in ("mean", "sum"):
        raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")
    rows, labels = _pair_up(logits, targets, "rows of logits", "targets")
    n_classes = len(rows[0])
    terms = []
    for i, (row, t) in enumerate(zip(rows, labels, strict=True)):
        if len(row) != n_classes:
            raise ValueError(f"every row of logits needs {n_classes} scores (as row 0), row {i} has {len(row)}")
        if not is_int(t):
            raise TypeError(f"targets must be class indices (ints), got {type(t).__name__}: {t!r} at index {i}")
        if not 0 <= t < n_classes:
            raise ValueError(f"target {t!r} at index {i} is not a class in [0, {n_classes})")
        terms.append(log_softmax(row)[t])
    total = Value.sum(terms)
    return -total if reduction == "sum" else total * (-1.0 / len(terms))
    # --8<-- [end:cross_entropy]


def _clamp(p: Value, low: float, high: float) -> Value:
    """`p` itself inside `[low, high]` (gradient passes); the nearest bound, as a constant, outside."""
    if p.data < low:
        return Value(low)
    if p.data > high:
        return Value(high)
    return p


def accuracy(scores: Iterable[Scalar], labels: Iterable[Number]) -> float:
    """Fraction of samples whose score has the label's sign (labels in {-1, +1}).

    As in classic micrograd's demo, a score counts as class +1 when it is
    greater than 0, so a score of exactly 0 predicts -1.

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.losses import accuracy
        >>> accuracy([Value(0.3), Value(-2.0), 0.7, 0.0], [1, -1, -1, 1])
        0.5
    """
    scores, labels = _pair_up(scores, labels, "scores", "labels")
    hits = sum((_data(s) > 0) == (y > 0) for s, y in zip(scores, labels, strict=True))
    return hits / len(labels)

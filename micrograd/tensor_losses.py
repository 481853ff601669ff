"""Losses on `Tensor`s, mirroring `micrograd.losses`, plus a stable softmax cross-entropy.

Each returns a one-number `Tensor` to call `backward()` on. The hinge loss,
the L2 penalty and the cross-entropy are single nodes with their own backward
rule: a batch's loss costs one node, not one per sample.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from micrograd._checks import finite
from micrograd.tensor import Tensor, tensor_node
from micrograd.tensor_rules import Array, accumulate_grad, define_rule


def _labels(scores: Tensor, labels: npt.ArrayLike, name: str) -> Array:
    """The labels as a float64 vector with one entry per score."""
    y = labels if type(labels) is np.ndarray and labels.dtype == np.float64 and labels.ndim == 1 else (
        np.asarray(labels, dtype=np.float64).reshape(-1))
    if y.size != scores.data.size or not y.size:
        raise ValueError(f"need as many {name} as scores (at least one), got {y.size} for {scores.data.size} scores")
    return y


def mean_squared_error(predictions: Tensor, targets: npt.ArrayLike, reduction: str = "mean") -> Tensor:
    """Mean (or total) of `(p - y)**2`; predictions of shape (n, 1) pair with n targets row by row.

    Examples:
        >>> from micrograd.tensor import Tensor
        >>> from micrograd.tensor_losses import mean_squared_error
        >>> mean_squared_error(Tensor([[0.5], [-1.0]]), [1.0, -1.0])
        Tensor(0.125)
    """
    if reduction not in ("mean", "sum"):
        raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")
    y = _labels(predictions, targets, "targets")
    errors = predictions.reshape(-1) - y  # never (n, 1) - (n,), which would broadcast to (n, n)
    squares = errors**2
    return squares.sum() if reduction == "sum" else squares.mean()


# --8<-- [start:svm_max_margin]
def svm_max_margin(scores: Tensor, labels: npt.ArrayLike) -> Tensor:
    """Mean hinge loss `max(0, 1 - y * score)` for labels in {-1, +1}, as one node.

    Examples:
        >>> from micrograd.tensor import Tensor
        >>> from micrograd.tensor_losses import svm_max_margin
        >>> svm_max_margin(Tensor([[2.0], [0.5], [-0.5]]), [1, 1, 1])
        Tensor(0.6666666666666666)
    """
    y = _labels(scores, labels, "labels")
    if np.count_nonzero(np.abs(y) != 1):
        raise ValueError("svm_max_margin labels must be -1 or +1")
    neg_y = -y
    margins = 1.0 + neg_y * scores.data.reshape(-1)  # the scalar loss's `1 + -y*score`, per sample
    loss = np.add.reduce(np.maximum(margins, 0.0)) * (1.0 / y.size)
    return tensor_node(np.asarray(loss), (scores,), "hinge", (neg_y, margins))


def _hinge_backward(out: Tensor, g: Array) -> None:
    (scores,), (neg_y, margins) = out._prev, out._arg
    slope = np.where(margins > 0, neg_y, 0.0)  # d(margin)/d(score) where the sample still costs
    slope *= float(g) / neg_y.size
    accumulate_grad(scores, slope.reshape(scores.data.shape))
# --8<-- [end:svm_max_margin]


# --8<-- [start:l2_regularization]
def l2_regularization(parameters: Sequence[Tensor], alpha: float) -> Tensor:
    """`alpha * (sum of every squared parameter entry)`, as one node over all the parameters.

    Examples:
        >>> from micrograd.tensor import Tensor
        >>> from micrograd.tensor_losses import l2_regularization
        >>> l2_regularization([Tensor([1.0]), Tensor([[-2.0]])], alpha=1e-4)
        Tensor(0.0005)
    """
    alpha = finite(alpha, "alpha", minimum=0)
    params = tuple(parameters)
    if not params:
        raise ValueError("l2_regularization needs at least one parameter, got 0")
    total = 0.0
    for p in params:
        total += float(np.vdot(p.data, p.data))
    return tensor_node(np.asarray(total * alpha), params, "l2", alpha)


def _l2_backward(out: Tensor, g: Array) -> None:
    scale = 2.0 * out._arg * float(g)
    for p in out._prev:
        accumulate_grad(p, scale * p.data)
# --8<-- [end:l2_regularization]


# --8<-- [start:cross_entropy]
def cross_entropy(logits: Tensor, targets: npt.ArrayLike) -> Tensor:
    """Mean softmax cross-entropy of `logits` (n x classes) against class indices (n ints).

    The largest logit of each row is subtracted first, so `exp` never
    overflows however large the logits; the result is the same in exact
    arithmetic.

    Examples:
        >>> from micrograd.tensor import Tensor
        >>> from micrograd.tensor_losses import cross_entropy
        >>> loss = cross_entropy(Tensor([[1000.0, 0.0], [0.0, 0.0]]), [0, 1])
        >>> round(float(loss.data), 6)   # (0 + log 2) / 2, no overflow at 1000
        0.346574
    """
    z = logits.data
    t = np.asarray(targets)
    if z.ndim != 2 or t.shape != (z.shape[0],) or not np.issubdtype(t.dtype, np.integer):
        raise ValueError(f"need logits of shape (n, classes) and n integer targets, got {z.shape} and {t.shape}")
    if t.size and (t.min() < 0 or t.max() >= z.shape[1]):
        raise ValueError(f"targets must be class indices in [0, {z.shape[1]})")
    shifted = z - z.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    log_probs = shifted - log_sum
    rows = np.arange(z.shape[0])
    loss = -log_probs[rows, t].mean()
    return tensor_node(np.asarray(loss), (logits,), "cross_entropy", (np.exp(log_probs), t))


def _cross_entropy_backward(out: Tensor, g: Array) -> None:
    (logits,), (probs, t) = out._prev, out._arg
    slope = probs.copy()
    slope[np.arange(t.size), t] -= 1.0  # softmax minus one-hot
    accumulate_grad(logits, slope * (g / t.size))
# --8<-- [end:cross_entropy]


def accuracy(scores: Tensor, labels: npt.ArrayLike) -> float:
    """Fraction of scores with the label's sign (labels in {-1, +1}; a score of 0 predicts -1).

    Examples:
        >>> from micrograd.tensor import Tensor
        >>> from micrograd.tensor_losses import accuracy
        >>> accuracy(Tensor([0.3, -2.0, 0.7, 0.0]), [1, -1, -1, 1])
        0.5
    """
    y = _labels(scores, labels, "labels")
    return float(np.mean((scores.data.reshape(-1) > 0) == (y > 0)))


define_rule("hinge", _hinge_backward)
define_rule("l2", _l2_backward)
define_rule("cross_entropy", _cross_entropy_backward)

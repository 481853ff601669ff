"""How well a classifier with many classes does: its predicted class, a confusion matrix, per-class accuracy.

These count; they build no graph. A model with one output per class
predicts the class with the largest score (`argmax`); the confusion matrix
counts, for every true class, which classes were predicted.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from micrograd._checks import count, is_int, is_real
from micrograd.engine import Value


def argmax(scores: Sequence[Value | float]) -> int:
    """Index of the largest score (the first one on a tie): the predicted class.

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.metrics import argmax
        >>> argmax([Value(0.2), Value(1.5), Value(-3.0)])
        1
        >>> argmax([1.0, 1.0])
        0
    """
    data = []
    for s in scores:
        if isinstance(s, Value):
            data.append(s.data)
        elif is_real(s):
            data.append(float(s))
        else:
            raise TypeError(f"scores must be Values or numbers, got {type(s).__name__}: {s!r}")
    if not data:
        raise ValueError("argmax needs at least one score, got none")
    return max(range(len(data)), key=data.__getitem__)


def confusion_matrix(predicted: Sequence[int], labels: Sequence[int], n_classes: int) -> list[list[int]]:
    """Counts `matrix[true][predicted]`: row i says what the samples of class i were taken for.

    The diagonal holds the correct predictions; everything off it is a
    mistake, and its place says which class was mistaken for which.

    Args:
        predicted: Predicted class of each sample, ints in `[0, n_classes)`.
        labels: True class of each sample.
        n_classes: Number of classes (rows and columns).

    Examples:
        >>> from micrograd.metrics import confusion_matrix
        >>> confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2], n_classes=3)
        [[1, 0, 0], [0, 1, 0], [0, 1, 1]]
    """
    count(n_classes, "n_classes", 1)
    if len(predicted) != len(labels):
        raise ValueError(f"need one prediction per label, got {len(predicted)} and {len(labels)}")
    matrix = [[0] * n_classes for _ in range(n_classes)]
    for i, (p, t) in enumerate(zip(predicted, labels, strict=True)):
        for name, c in (("prediction", p), ("label", t)):
            if not is_int(c) or not 0 <= c < n_classes:
                raise ValueError(f"{name} {c!r} at index {i} is not a class in [0, {n_classes})")
        matrix[t][p] += 1
    return matrix


def per_class_accuracy(matrix: Sequence[Sequence[int]]) -> list[float]:
    """For each true class, the fraction of its samples predicted right (NaN for a class with none).

    Examples:
        >>> from micrograd.metrics import per_class_accuracy
        >>> per_class_accuracy([[1, 0, 0], [0, 1, 0], [0, 1, 1]])
        [1.0, 1.0, 0.5]
    """
    return [row[i] / sum(row) if sum(row) else math.nan for i, row in enumerate(matrix)]


def matrix_accuracy(matrix: Sequence[Sequence[int]]) -> float:
    """Overall accuracy: the diagonal's share of all counts.

    Examples:
        >>> from micrograd.metrics import matrix_accuracy
        >>> matrix_accuracy([[1, 0, 0], [0, 1, 0], [0, 1, 1]])
        0.75
    """
    total = sum(sum(row) for row in matrix)
    if not total:
        raise ValueError("the matrix counts no samples")
    return sum(row[i] for i, row in enumerate(matrix)) / total

"""Tests for micrograd.metrics: argmax, confusion matrix, per-class and overall accuracy."""

import math

import pytest

from micrograd.engine import Value
from micrograd.metrics import argmax, confusion_matrix, matrix_accuracy, per_class_accuracy


def test_argmax_takes_values_and_numbers_and_the_first_of_ties():
    assert argmax([Value(-1.0), Value(3.0), Value(2.0)]) == 1
    assert argmax([0.5, 0.5, 0.1]) == 0
    assert argmax([7]) == 0


@pytest.mark.parametrize("bad, error", [([], ValueError), (["a"], TypeError), ([True, 1.0], TypeError)])
def test_argmax_rejects_bad_scores(bad, error):
    with pytest.raises(error):
        argmax(bad)


def test_confusion_matrix_counts_true_rows_against_predicted_columns():
    labels = [0, 0, 0, 1, 1, 2, 2, 2, 2]
    predicted = [0, 1, 0, 1, 1, 2, 0, 2, 1]
    matrix = confusion_matrix(predicted, labels, n_classes=3)
    assert matrix == [[2, 1, 0], [0, 2, 0], [1, 1, 2]]
    assert sum(map(sum, matrix)) == len(labels)
    assert per_class_accuracy(matrix) == [2 / 3, 1.0, 0.5]
    assert matrix_accuracy(matrix) == 6 / 9


def test_per_class_accuracy_of_an_absent_class_is_nan():
    accuracies = per_class_accuracy(confusion_matrix([0, 1], [0, 1], n_classes=3))
    assert accuracies[:2] == [1.0, 1.0] and math.isnan(accuracies[2])


@pytest.mark.parametrize(
    "predicted, labels, n_classes, error",
    [
        ([0, 1], [0], 2, ValueError),
        ([0, 2], [0, 1], 2, ValueError),
        ([0, 1], [0, -1], 2, ValueError),
        ([0, 1.0], [0, 1], 2, ValueError),
        ([0], [0], 0, ValueError),
        ([0], [0], 2.0, TypeError),
    ],
)
def test_confusion_matrix_rejects_bad_arguments(predicted, labels, n_classes, error):
    with pytest.raises(error):
        confusion_matrix(predicted, labels, n_classes)


def test_matrix_accuracy_refuses_an_empty_matrix():
    with pytest.raises(ValueError):
        matrix_accuracy([[0, 0], [0, 0]])

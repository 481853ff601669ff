"""Tests for micrograd.losses: values, gradients, classic-micrograd float equality, errors."""

import math

import pytest

from micrograd.activations import softmax
from micrograd.data import make_moons, toy_dataset
from micrograd.engine import Value
from micrograd.gradcheck import gradcheck
from micrograd.losses import (
    accuracy,
    binary_cross_entropy,
    cross_entropy,
    l2_regularization,
    mean_squared_error,
    svm_max_margin,
)
from micrograd.nn import MLP


def grads(values):
    return [v.grad for v in values]


# --- mean_squared_error -------------------------------------------------------

def test_mse_mean_value_and_gradients():
    preds = [Value(0.5), Value(-1.0), Value(2.0)]
    loss = mean_squared_error(preds, [1.0, -1.0, 0.0])
    # squared errors 0.25, 0, 4 -> mean 4.25 / 3
    assert loss.data == pytest.approx(4.25 / 3, rel=1e-15)
    loss.backward()
    # d/dp (p - y)**2 / n = 2 (p - y) / 3
    assert grads(preds) == pytest.approx([2 * -0.5 / 3, 0.0, 2 * 2.0 / 3], rel=1e-15)


def test_mse_sum_is_the_lectures_sum_float_for_float():
    xs, ys = toy_dataset()
    model = MLP(3, [4, 4, 1], rng=7)
    ypred = [model(x) for x in xs]
    lecture = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
    ours = mean_squared_error(ypred, ys, reduction="sum")
    assert ours.data == lecture.data

    lecture.backward()
    lecture_grads = grads(model.parameters())
    model.zero_grad()
    ours.backward()
    assert grads(model.parameters()) == lecture_grads


def test_mse_accepts_plain_numbers_and_value_targets():
    assert mean_squared_error([1.0, 3.0], [0.0, 1.0]).data == 2.5
    target = Value(2.0)
    loss = mean_squared_error([Value(5.0)], [target])
    loss.backward()
    assert loss.data == 9.0 and target.grad == -6.0


def test_mse_rejects_unknown_reduction():
    with pytest.raises(ValueError, match="reduction"):
        mean_squared_error([Value(1.0)], [1.0], reduction="max")


@pytest.mark.parametrize("loss", [mean_squared_error, svm_max_margin, binary_cross_entropy, accuracy])
def test_mismatched_lengths_name_both(loss):
    with pytest.raises(ValueError, match=r"got 3 \w+ and 2 \w+"):
        loss([Value(0.5)] * 3, [1, 1])


@pytest.mark.parametrize("loss", [mean_squared_error, svm_max_margin, binary_cross_entropy, accuracy])
def test_empty_inputs_are_refused(loss):
    with pytest.raises(ValueError, match=r"got 0 \w+ and 0 \w+"):
        loss([], [])


# --- svm_max_margin ------------------------------------------------------------

def test_svm_hand_computed_value_and_gradients():
    scores = [Value(2.0), Value(0.5), Value(-0.5)]
    loss = svm_max_margin(scores, [1, -1, 1])
    # max(0, 1 - 2) = 0, max(0, 1 + 0.5) = 1.5, max(0, 1 + 0.5) = 1.5 -> mean 1.0
    assert loss.data == 1.0
    loss.backward()
    # an active hinge contributes -y / n, an inactive one nothing
    assert grads(scores) == pytest.approx([0.0, 1 / 3, -1 / 3], rel=1e-15)


@pytest.mark.parametrize("label_type", [int, float])
def test_svm_matches_classic_demo_float_for_float(label_type):
    X, y = make_moons(n_samples=30, noise=0.1, seed=3)
    y = [label_type(label) for label in y]
    model = MLP(2, [8, 1], rng=5)
    scores = [model(x) for x in X]
    # classic micrograd's demo, written with the engine's binary operators
    classic_losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
    classic = sum(classic_losses) * (1.0 / len(classic_losses))
    ours = svm_max_margin(scores, y)
    assert ours.data == classic.data
    assert ours.data > 0

    classic.backward()
    classic_grads = grads(model.parameters())
    model.zero_grad()
    ours.backward()
    assert grads(model.parameters()) == classic_grads


def test_svm_rejects_zero_one_labels():
    with pytest.raises(ValueError, match="-1 or \\+1, got 0 at index 1"):
        svm_max_margin([Value(1.0), Value(2.0)], [1, 0])


def test_svm_accepts_plain_number_scores():
    assert svm_max_margin([0.25, -3.0], [1, -1]).data == 0.375


# --- l2_regularization ---------------------------------------------------------

def test_l2_value_gradients_and_classic_equality():
    params = MLP(3, [4, 1], rng=1).parameters()
    alpha = 1e-4
    classic = alpha * sum((p * p for p in params))
    ours = l2_regularization(params, alpha)
    assert ours.data == classic.data
    ours.backward()
    assert grads(params) == pytest.approx([2 * alpha * p.data for p in params], rel=1e-12)


def test_l2_hand_computed():
    loss = l2_regularization([Value(3.0), Value(-4.0)], alpha=0.5)
    assert loss.data == 12.5


@pytest.mark.parametrize(
    "alpha, error", [(-1, ValueError), (-1e-4, ValueError), (math.inf, ValueError), (math.nan, ValueError),
                     ("1e-4", TypeError), (True, TypeError)]
)
def test_l2_refuses_a_negative_or_non_numeric_alpha(alpha, error):
    with pytest.raises(error, match="alpha"):
        l2_regularization([Value(1.0)], alpha=alpha)


def test_l2_alpha_zero_is_allowed():
    assert l2_regularization([Value(3.0)], alpha=0).data == 0.0


def test_l2_needs_parameters():
    with pytest.raises(ValueError, match="at least one parameter"):
        l2_regularization([], 0.1)


# --- binary_cross_entropy ------------------------------------------------------

def test_bce_hand_computed_value_and_gradients():
    probs = [Value(0.8), Value(0.4), Value(0.5)]
    targets = [1, 0, 0.25]
    loss = binary_cross_entropy(probs, targets)
    expected = -(math.log(0.8) + math.log(0.6) + (0.25 * math.log(0.5) + 0.75 * math.log(0.5))) / 3
    assert loss.data == pytest.approx(expected, rel=1e-14)
    loss.backward()
    # d/dp = -(y/p - (1-y)/(1-p)) / n
    expected_grads = [-(y / p - (1 - y) / (1 - p)) / 3 for p, y in [(0.8, 1), (0.4, 0), (0.5, 0.25)]]
    assert grads(probs) == pytest.approx(expected_grads, rel=1e-14)


def test_bce_of_sigmoids_passes_gradcheck():
    f = lambda v: binary_cross_entropy([x.sigmoid() for x in v], [1, 0, 1, 0.5])
    assert gradcheck(f, [0.3, -1.2, 2.0, 0.1]).ok


def test_bce_clamps_saturated_probabilities():
    saturated = Value(40.0).sigmoid()
    assert saturated.data == 1.0  # log(1 - p) would fail without the clamp
    loss = binary_cross_entropy([saturated, Value(0.0)], [0, 1])
    assert loss.data == pytest.approx(-math.log(1e-12), rel=1e-3)
    assert math.isfinite(loss.data)
    # outside [eps, 1 - eps] the clamp is a constant, so no gradient reaches p
    zero = Value(0.0)
    binary_cross_entropy([zero], [1]).backward()
    assert zero.grad == 0.0


def test_bce_gradient_flows_near_the_clamp():
    p = Value(1e-6)
    binary_cross_entropy([p], [1], eps=1e-9).backward()
    assert p.grad == pytest.approx(-1e6, rel=1e-12)


def test_bce_custom_eps_bounds_the_loss():
    loss = binary_cross_entropy([Value(0.0)], [1], eps=1e-3)
    assert loss.data == pytest.approx(-math.log(1e-3), rel=1e-12)


@pytest.mark.parametrize("target", [-0.1, 1.5, math.nan])
def test_bce_rejects_targets_outside_0_1(target):
    with pytest.raises(ValueError, match="targets must be in"):
        binary_cross_entropy([Value(0.5)], [target])


@pytest.mark.parametrize("eps", [0.0, -1e-3, 0.5])
def test_bce_rejects_bad_eps(eps):
    with pytest.raises(ValueError, match="eps"):
        binary_cross_entropy([Value(0.5)], [1], eps=eps)


# --- accuracy ------------------------------------------------------------------

def test_accuracy_counts_sign_agreement():
    assert accuracy([Value(0.1), Value(-0.2), Value(3.0)], [1, -1, -1]) == pytest.approx(2 / 3)
    assert accuracy([1.0, -1.0], [1.0, -1.0]) == 1.0


def test_accuracy_treats_zero_score_as_negative_like_classic():
    assert accuracy([0.0, 0.0], [-1, 1]) == 0.5


# --- cross_entropy ---------------------------------------------------------------

CE_LOGITS = [[2.0, 1.0, 0.1], [-0.5, 0.3, 2.2], [0.0, 0.0, 0.0], [5.0, -4.0, 1.0]]
CE_TARGETS = [0, 2, 1, 1]


def test_cross_entropy_is_minus_the_mean_log_probability_of_the_target():
    expected = -sum(math.log(softmax(z)[t].data) for z, t in zip(CE_LOGITS, CE_TARGETS, strict=True)) / 4
    assert cross_entropy(CE_LOGITS, CE_TARGETS).data == pytest.approx(expected, rel=1e-14)
    assert cross_entropy(CE_LOGITS, CE_TARGETS, reduction="sum").data == pytest.approx(4 * expected, rel=1e-14)
    assert cross_entropy([[0.0, 0.0, 0.0]], [2]).data == pytest.approx(math.log(3), rel=1e-15)  # a uniform guess


def test_cross_entropy_gradient_is_softmax_minus_onehot_over_n():
    rows = [[Value(z) for z in row] for row in CE_LOGITS]
    cross_entropy(rows, CE_TARGETS).backward()
    for row, z, t in zip(rows, CE_LOGITS, CE_TARGETS, strict=True):
        probs = [p.data for p in softmax(z)]
        expected = [(p - (1.0 if i == t else 0.0)) / len(rows) for i, p in enumerate(probs)]
        assert [v.grad for v in row] == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_cross_entropy_passes_gradcheck():
    flat = [z for row in CE_LOGITS for z in row]

    def loss(v):
        return cross_entropy([v[0:3], v[3:6], v[6:9], v[9:12]], CE_TARGETS)

    result = gradcheck(loss, flat, atol=1e-8, rtol=1e-6)
    assert result.ok, result


def test_cross_entropy_is_finite_for_hopelessly_wrong_huge_logits():
    z = [Value(1000.0), Value(-1000.0)]
    loss = cross_entropy([z], [1])
    loss.backward()
    assert loss.data == 2000.0
    assert [v.grad for v in z] == [1.0, -1.0]


@pytest.mark.parametrize(
    "logits, targets, kwargs, error",
    [
        ([], [], {}, ValueError),
        ([[1.0, 2.0]], [0, 1], {}, ValueError),
        ([[1.0, 2.0], [1.0]], [0, 0], {}, ValueError),
        ([[1.0, 2.0]], [2], {}, ValueError),
        ([[1.0, 2.0]], [-1], {}, ValueError),
        ([[1.0, 2.0]], [1.0], {}, TypeError),
        ([[1.0, 2.0]], [True], {}, TypeError),
        ([[1.0, 2.0]], [1], {"reduction": "none"}, ValueError),
    ],
)
def test_cross_entropy_rejects_bad_arguments(logits, targets, kwargs, error):
    with pytest.raises(error):
        cross_entropy(logits, targets, **kwargs)

"""Tests for micrograd.gradcheck, and gradient checks of every engine operation."""

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd import engine
from micrograd.engine import Value
from micrograd.gradcheck import (
    GradcheckResult,
    central_difference,
    forward_difference,
    gradcheck,
    numerical_gradient,
)
from micrograd.nn import MLP


def f(x):
    return 3 * x**2 - 4 * x + 5


def wrong_square(x: Value) -> Value:
    """x**2 whose backward rule is "+", i.e. a local derivative of 1 instead of 2x."""
    return Value(x.data**2, (x,), "+")


# --- finite differences --------------------------------------------------------

def test_forward_difference_reproduces_the_nudging_chapter():
    assert forward_difference(f, 3.0, h=0.0001) == pytest.approx(14.0, abs=1e-3)
    assert forward_difference(f, 2 / 3, h=0.0001) == pytest.approx(0.0, abs=1e-3)


def test_central_difference_is_more_accurate_than_forward():
    forward_error = abs(forward_difference(f, 3.0) - 14.0)
    central_error = abs(central_difference(f, 3.0) - 14.0)
    assert forward_error == pytest.approx(3e-4, rel=1e-3)  # error = 3h for this parabola
    assert central_error < 1e-9


@pytest.mark.parametrize("difference", [forward_difference, central_difference])
@pytest.mark.parametrize("h", [0.0, -1e-4, math.nan, math.inf])
def test_differences_reject_bad_steps(difference, h):
    with pytest.raises(ValueError, match="h must be"):
        difference(f, 1.0, h=h)


def test_numerical_gradient_of_a_known_function():
    grads = numerical_gradient(lambda v: v[0] * v[1] + v[2], [2.0, -3.0, 10.0])
    assert grads == pytest.approx([-3.0, 2.0, 1.0], abs=1e-8)


def test_numerical_gradient_accepts_float_valued_functions():
    grads = numerical_gradient(lambda v: v[0].data ** 3, [2.0])
    assert grads == pytest.approx([12.0], abs=1e-6)


def test_numerical_gradient_rejects_other_results():
    with pytest.raises(TypeError, match="Value or a number"):
        numerical_gradient(lambda v: "x", [1.0])


# --- gradcheck: passing, failing, reporting -------------------------------------

def test_gradcheck_passes_on_correct_ops():
    result = gradcheck(lambda v: (v[0] * v[1] + v[2].exp()).tanh() / v[1], [0.3, -1.7, 0.2])
    assert result.ok and bool(result)
    assert isinstance(result, GradcheckResult)
    assert len(result.analytic) == len(result.numeric) == 3
    assert result.worst.error <= 1e-5
    assert str(result).startswith("gradcheck passed on 3 inputs")
    assert "\n" not in repr(result)


def test_gradcheck_catches_a_wrong_local_derivative():
    result = gradcheck(lambda v: v[0] * v[1] + wrong_square(v[2]), [1.0, 2.0, 3.0])
    assert not result.ok and not bool(result)
    assert result.worst.index == 2
    assert result.worst.analytic == 1.0
    assert result.worst.numeric == pytest.approx(6.0, abs=1e-6)
    assert result.worst.error == pytest.approx(5.0, abs=1e-6)
    assert result.analytic[:2] == (2.0, 1.0)
    assert "FAILED" in str(result) and "input 2" in str(result)


def test_gradcheck_catches_a_broken_engine_rule(monkeypatch):
    tanh_of_sum = lambda v: (v[0] + 2 * v[1]).tanh()
    assert gradcheck(tanh_of_sum, [0.4, -0.1]).ok
    with monkeypatch.context() as patch:
        # a classic slip: forgetting the square in 1 - tanh(x)**2
        patch.setitem(engine._BACKWARD, "tanh", lambda out: setattr(out._prev[0], "grad",
                                                                     out._prev[0].grad + (1 - out.data) * out.grad))
        assert not gradcheck(tanh_of_sum, [0.4, -0.1]).ok
    assert gradcheck(tanh_of_sum, [0.4, -0.1]).ok


def test_gradcheck_fails_on_nan_gradients(monkeypatch):
    monkeypatch.setitem(engine._BACKWARD, "exp", lambda out: setattr(out._prev[0], "grad", math.nan))
    result = gradcheck(lambda v: v[0] + v[1].exp(), [1.0, 0.5])
    assert not result.ok
    assert result.worst.index == 1 and math.isnan(result.worst.error)


def test_gradcheck_tolerances_decide():
    # analytic 1.0 against numeric ~1.01: inside a 2% tolerance, outside a 0.1% one
    nearly_linear = lambda v: Value(1.01 * v[0].data, (v[0],), "+")
    assert gradcheck(nearly_linear, [1.0], atol=0.0, rtol=0.02).ok
    assert not gradcheck(nearly_linear, [1.0], atol=0.0, rtol=1e-3).ok
    assert gradcheck(nearly_linear, [1.0], atol=0.02, rtol=0.0).ok


def test_gradcheck_can_raise_with_the_report():
    with pytest.raises(ValueError, match="gradcheck FAILED on 1 input; worst at input 0"):
        gradcheck(lambda v: wrong_square(v[0]), [3.0], raise_on_failure=True)
    assert gradcheck(lambda v: v[0] * v[0], [3.0], raise_on_failure=True).ok


def test_gradcheck_result_is_frozen():
    result = gradcheck(lambda v: v[0] * 2, [1.0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.ok = False


def test_gradcheck_allows_closing_over_other_values():
    w = Value(2.0)
    assert gradcheck(lambda v: v[0] * w + w, [3.0]).ok
    assert w.grad == 4.0  # backward also reached the captured Value (3 + 1)


def test_gradcheck_accepts_any_float_sequence():
    assert gradcheck(lambda v: v[0] * v[1], (x for x in (1, 2.5))).ok


def test_gradcheck_rejects_bad_input():
    with pytest.raises(ValueError, match="at least one input"):
        gradcheck(lambda v: Value(1.0), [])
    with pytest.raises(TypeError, match="must return a Value"):
        gradcheck(lambda v: v[0].data, [1.0])
    with pytest.raises(ValueError, match="eps"):
        gradcheck(lambda v: v[0], [1.0], eps=0.0)
    with pytest.raises(ValueError, match="atol and rtol"):
        gradcheck(lambda v: v[0], [1.0], rtol=-1.0)


# --- every engine operation, on many random inputs ---------------------------------

EXAMPLES = settings(max_examples=60, deadline=None, derandomize=True)
anywhere = st.floats(-3.0, 3.0)
positive = st.floats(0.05, 4.0)
away_from_zero = st.floats(0.3, 3.0).flatmap(lambda x: st.sampled_from([x, -x]))


def check(fn, inputs):
    result = gradcheck(fn, inputs)
    assert result.ok, result


@EXAMPLES
@given(anywhere, anywhere)
def test_add(a, b):
    check(lambda v: v[0] + v[1], [a, b])
    check(lambda v: v[0] + 2.5, [a])
    check(lambda v: 2.5 + v[0], [a])


@EXAMPLES
@given(anywhere, anywhere)
def test_sub_and_neg(a, b):
    check(lambda v: v[0] - v[1], [a, b])
    check(lambda v: 1.5 - v[0], [a])
    check(lambda v: v[0] - 1.5, [a])
    check(lambda v: -v[0], [a])


@EXAMPLES
@given(anywhere, anywhere)
def test_mul(a, b):
    check(lambda v: v[0] * v[1], [a, b])
    check(lambda v: 3.0 * v[0], [a])


@EXAMPLES
@given(anywhere, away_from_zero)
def test_div(a, b):
    check(lambda v: v[0] / v[1], [a, b])
    check(lambda v: 2.0 / v[0], [b])
    check(lambda v: v[0] / 4.0, [a])


@EXAMPLES
@given(away_from_zero, st.sampled_from([2, 3, -1, -2, 0, 1]))
def test_pow_integer_exponent(x, k):
    check(lambda v: v[0] ** k, [x])


@EXAMPLES
@given(positive, st.sampled_from([0.5, 1.5, -0.5, 2.7]))
def test_pow_fractional_exponent(x, k):
    check(lambda v: v[0] ** k, [x])


@EXAMPLES
@given(st.floats(0.2, 3.0), st.floats(-2.0, 2.0))
def test_pow_value_exponent(base, exponent):
    check(lambda v: v[0] ** v[1], [base, exponent])
    check(lambda v: 2.0 ** v[0], [exponent])


@EXAMPLES
@given(anywhere)
def test_tanh_exp_sigmoid(x):
    check(lambda v: v[0].tanh(), [x])
    check(lambda v: v[0].exp(), [x])
    check(lambda v: (2 * v[0]).sigmoid(), [x])


@EXAMPLES
@given(positive)
def test_log(x):
    check(lambda v: v[0].log(), [x])


@EXAMPLES
@given(st.floats(0.01, 3.0).flatmap(lambda x: st.sampled_from([x, -x])))
def test_relu_away_from_zero(x):
    check(lambda v: v[0].relu(), [x])


@EXAMPLES
@given(st.lists(anywhere, min_size=1, max_size=6))
def test_value_sum(xs):
    check(lambda v: Value.sum(v), xs)
    check(lambda v: Value.sum([*v, 1.5, v[0]]), xs)  # constants and a repeated term


@EXAMPLES
@given(st.integers(1, 4).flatmap(lambda n: st.lists(anywhere, min_size=2 * n + 1, max_size=2 * n + 1)))
def test_weighted_sum(xs):
    n = len(xs) // 2
    check(lambda v: Value.weighted_sum(v[:n], v[n : 2 * n], v[-1]), xs)
    check(lambda v: Value.weighted_sum(v[:n], v[:n], v[-1]), xs)  # weights reused as inputs


@EXAMPLES
@given(anywhere, anywhere)
def test_graphs_that_reuse_nodes(a, b):
    check(lambda v: v[0] * v[0] + v[0], [a])
    check(lambda v: ((v[0] * v[1] + v[0]).tanh() * v[1]), [a, b])
    check(lambda v: (lambda s: s * s / (1 + s * s))(v[0] + v[1]), [a, b])


@settings(max_examples=15, deadline=None, derandomize=True)
@given(st.lists(st.floats(-2.0, 2.0), min_size=3, max_size=3), st.integers(0, 10_000))
def test_mlp_input_gradients(xs, seed):
    for activation in ("tanh", "sigmoid"):
        model = MLP(3, [4, 4, 1], activation=activation, rng=seed)
        check(lambda v: model(v), xs)


raw_step = st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=4), st.lists(raw_step, min_size=1, max_size=10))
def test_random_expressions(expressions, leaves, raw_steps):
    expression = expressions.resolve(leaves, raw_steps)  # every op, nodes reused, kept in safe domains
    check(expression, leaves)

"""Tests for micrograd.activations: values, gradients (gradcheck), stability, and selection by name in MLP."""

import math

import pytest

from micrograd.activations import (
    ACTIVATIONS,
    gelu,
    get_activation,
    leaky_relu,
    log_softmax,
    log_sum_exp,
    softmax,
    softplus,
)
from micrograd.engine import Value
from micrograd.gradcheck import gradcheck
from micrograd.nn import MLP, Neuron

# Points away from the kinks of relu and leaky_relu (at 0), where a numerical slope straddles two sides.
POINTS = [-6.0, -2.5, -1.0, -0.3, 0.2, 0.7, 1.5, 3.0, 8.0]


def reference(name: str, x: float) -> float:
    """Each activation from its textbook formula, in plain floats."""
    if name == "tanh":
        return math.tanh(x)
    if name == "relu":
        return max(x, 0.0)
    if name == "sigmoid":
        return 1.0 / (1.0 + math.exp(-x))
    if name == "leaky_relu":
        return x if x > 0 else 0.01 * x
    if name == "gelu":
        return 0.5 * x * (1.0 + math.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))
    if name == "softplus":
        return math.log1p(math.exp(x))
    return x  # linear


@pytest.mark.parametrize("name", list(ACTIVATIONS))
@pytest.mark.parametrize("x", POINTS)
def test_each_activation_matches_its_formula(name, x):
    assert get_activation(name)(Value(x)).data == pytest.approx(reference(name, x), rel=1e-13, abs=1e-15)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
@pytest.mark.parametrize("x", POINTS)
def test_each_activation_passes_gradcheck(name, x):
    result = gradcheck(lambda v: get_activation(name)(v[0]), [x], atol=1e-8, rtol=1e-6)
    assert result.ok, result


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activations_inside_a_larger_graph_pass_gradcheck(name):
    act = get_activation(name)
    result = gradcheck(lambda v: act(v[0] * v[1] - v[2]) * act(v[2] + 0.5), [0.8, -1.3, 0.4], atol=1e-8, rtol=1e-6)
    assert result.ok, result


def test_leaky_relu_slopes_and_custom_slope():
    for x, slope in ((2.0, 1.0), (-2.0, 0.01), (0.0, 0.01)):  # at 0 the left slope, as PyTorch
        v = Value(x)
        leaky_relu(v).backward()
        assert v.grad == slope
    v = Value(-4.0)
    out = leaky_relu(v, negative_slope=0.2)
    out.backward()
    assert (out.data, v.grad) == (-0.8, 0.2)


def test_softplus_is_exact_in_both_tails_and_never_overflows():
    for x in (-40.0, -20.0, -5.0, 5.0, 20.0, 40.0):
        expected = max(x, 0.0) + math.log1p(math.exp(-abs(x)))
        assert softplus(Value(x)).data == pytest.approx(expected, rel=1e-15)
    assert softplus(Value(-745.0)).data == math.log1p(math.exp(-745.0))  # a subnormal, kept, not rounded to 0
    for x in (1000.0, -1000.0):
        v = Value(x)
        out = softplus(v)
        out.backward()
        assert (out.data, v.grad) == (max(x, 0.0), 1.0 if x > 0 else 0.0)


def test_softplus_derivative_is_the_sigmoid():
    for x in POINTS:
        v = Value(x)
        softplus(v).backward()
        assert v.grad == pytest.approx(1.0 / (1.0 + math.exp(-x)), rel=1e-14)


def test_gelu_keeps_its_left_tail_where_one_plus_tanh_cancels():
    # 0.5 x (1 + tanh u) loses digits when tanh u is near -1; x sigmoid(2u) does not.
    x = -8.0
    u = math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)
    exact = x * math.exp(2 * u) / (1.0 + math.exp(2 * u))
    assert gelu(Value(x)).data == pytest.approx(exact, rel=1e-13)


def test_get_activation_names_the_valid_choices():
    with pytest.raises(ValueError, match="unknown activation 'swish'; choose one of tanh, relu, sigmoid, leaky_relu"):
        get_activation("swish")
    with pytest.raises(ValueError, match="unknown activation"):
        get_activation(["relu"])


# --- selection by name in nn ------------------------------------------------------

@pytest.mark.parametrize(
    "name, repr_name",
    [("leaky_relu", "LeakyReLUNeuron(2)"), ("gelu", "GELUNeuron(2)"), ("softplus", "SoftplusNeuron(2)")],
)
def test_neuron_applies_the_named_activation(name, repr_name):
    neuron = Neuron(2, activation=name, rng=3)
    assert repr(neuron) == repr_name
    pre = sum(w.data * x for w, x in zip(neuron.w, [0.5, -1.5], strict=True)) + neuron.b.data
    assert neuron([0.5, -1.5]).data == pytest.approx(get_activation(name)(Value(pre)).data, rel=1e-15)


def test_mlp_selects_activations_by_name_and_backpropagates():
    model = MLP(2, [5, 5, 3], activation="gelu", output_activation="linear", rng=0)
    assert "GELUNeuron" in repr(model.layers[0]) and "LinearNeuron" in repr(model.layers[-1])
    outs = model([0.3, -0.7])
    assert len(outs) == 3
    Value.sum(outs).backward()
    assert any(p.grad != 0 for p in model.layers[0].parameters())


def test_mlp_refuses_an_unknown_activation_listing_the_names():
    with pytest.raises(ValueError, match="choose one of tanh, relu, sigmoid, leaky_relu, gelu, softplus, linear"):
        MLP(2, [3, 1], activation="swish")
    with pytest.raises(ValueError, match="unknown activation 'elu'"):
        MLP(2, [3, 1], output_activation="elu")


# --- softmax, log_softmax, log_sum_exp ----------------------------------------------

LOGITS = [[2.0, 1.0, 0.1], [-3.0, 0.5, 0.5, 4.0], [0.0], [10.0, -10.0]]


def plain_softmax(zs):
    exps = [math.exp(z) for z in zs]
    return [e / sum(exps) for e in exps]


@pytest.mark.parametrize("zs", LOGITS)
def test_softmax_is_the_normalised_exponential(zs):
    probs = [p.data for p in softmax(zs)]
    assert probs == pytest.approx(plain_softmax(zs), rel=1e-14)
    assert math.fsum(probs) == pytest.approx(1.0, abs=1e-15)
    assert [v.data for v in log_softmax(zs)] == pytest.approx([math.log(p) for p in plain_softmax(zs)], rel=1e-13)
    assert log_sum_exp(zs).data == pytest.approx(math.log(sum(math.exp(z) for z in zs)), rel=1e-14)


def test_softmax_ignores_a_shift_of_every_logit():
    assert [p.data for p in softmax([1001.0, 1000.0, 999.1])] == pytest.approx(
        [p.data for p in softmax([2.0, 1.0, 0.1])], rel=1e-12
    )


def test_softmax_and_log_softmax_survive_huge_logits():
    with pytest.raises(OverflowError):
        math.exp(1000.0)  # what a naive softmax would compute
    assert [p.data for p in softmax([1000.0, 999.0])] == pytest.approx(plain_softmax([1.0, 0.0]), rel=1e-14)
    assert [v.data for v in log_softmax([-1000.0, 1000.0])] == [-2000.0, 0.0]
    assert log_sum_exp([-1e308, 1e308]).data == 1e308


@pytest.mark.parametrize("zs", LOGITS)
def test_softmax_gradients_pass_gradcheck(zs):
    weights = [0.3, -1.2, 0.7, 2.0][: len(zs)]  # a weighted sum of the outputs exercises every path

    def weighted(outputs):
        return Value.sum([w * o for w, o in zip(weights, outputs, strict=True)])

    for function in (softmax, log_softmax):
        result = gradcheck(lambda v, function=function: weighted(function(v)), zs, atol=1e-8, rtol=1e-6)
        assert result.ok, (function.__name__, result)
    assert gradcheck(lambda v: log_sum_exp(v), zs, atol=1e-8, rtol=1e-6).ok


def test_log_sum_exp_gradient_is_the_softmax():
    zs = [Value(z) for z in (2.0, 1.0, 0.1)]
    log_sum_exp(zs).backward()
    assert [z.grad for z in zs] == pytest.approx(plain_softmax([2.0, 1.0, 0.1]), rel=1e-14)


@pytest.mark.parametrize("bad, error", [([], ValueError), (Value(1.0), TypeError), ("abc", TypeError),
                                        ([1.0, math.inf], ValueError), ([1.0, "x"], TypeError)])
def test_softmax_rejects_bad_logits(bad, error):
    with pytest.raises(error):
        softmax(bad)

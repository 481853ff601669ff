"""Tests of the neural-net library: Module, Neuron, Layer and MLP."""

from __future__ import annotations

import random
from typing import Callable, Iterator, Sequence

import pytest

from micrograd.engine import Value, topological_order
from micrograd.gradcheck import gradcheck
from micrograd.nn import MLP, Layer, Module, Neuron

# The lecture's four-example data set.
TOY_XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
TOY_YS = [1.0, -1.0, -1.0, 1.0]


def weights(model: Module) -> list[float]:
    return [p.data for p in model.parameters()]


def load_parameters(model: MLP, params: Sequence[Value]) -> None:
    """Make `params` the model's parameters, in `model.parameters()` order."""
    it = iter(params)
    for layer in model.layers:
        for neuron in layer.neurons:
            neuron.w = [next(it) for _ in neuron.w]
            neuron.b = next(it)


def squared_error(model: MLP, xs: Sequence[Sequence[float]], ys: Sequence[float]) -> Value:
    return Value.sum([(model(x) - y) ** 2 for x, y in zip(xs, ys)])


# --- shapes ---------------------------------------------------------------------------


def test_mlp_3_4_4_1_has_41_parameters_and_returns_one_value() -> None:
    model = MLP(3, [4, 4, 1], rng=0)
    assert len(model.parameters()) == 41  # (3+1)*4 + (4+1)*4 + (4+1)*1
    assert len({id(p) for p in model.parameters()}) == 41
    out = model([2.0, 3.0, -1.0])
    assert type(out) is Value
    assert -1.0 < out.data < 1.0


def test_mlp_with_several_outputs_returns_a_list() -> None:
    out = MLP(3, [4, 2], rng=0)([1.0, 2.0, 3.0])
    assert isinstance(out, list) and len(out) == 2
    assert all(type(o) is Value for o in out)


def test_relu_mlp_with_linear_output() -> None:
    model = MLP(2, [16, 16, 1], activation="relu", output_activation="linear", rng=0)
    assert len(model.parameters()) == 337  # 3*16 + 17*16 + 17*1
    hidden, last = model.layers[:-1], model.layers[-1]
    assert all(n.activation == "relu" for layer in hidden for n in layer.neurons)
    assert [n.activation for n in last.neurons] == ["linear"]
    assert repr(last) == "Layer of [LinearNeuron(16)]"
    out = model([0.3, -0.8])
    assert out._op == "wx+b"  # no activation on the output


def test_one_neuron_hidden_layer() -> None:
    model = MLP(2, [1, 3, 1], rng=3)
    assert len(model.parameters()) == 13  # 3*1 + 2*3 + 4*1
    out = model([0.5, -1.0])
    assert type(out) is Value
    out.backward()
    assert all(p.grad != 0.0 for p in model.layers[-1].parameters())


def test_layer_of_one_neuron_returns_a_single_value_as_in_classic_micrograd() -> None:
    layer = Layer(2, 1, rng=0)
    out = layer([1.0, 2.0])
    assert type(out) is Value
    assert out.data == layer.neurons[0]([1.0, 2.0]).data
    assert isinstance(Layer(2, 2, rng=0)([1.0, 2.0]), list)


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
def test_neuron_computes_its_activation_of_w_dot_x_plus_b(activation: str) -> None:
    neuron = Neuron(3, activation=activation, rng=5)
    neuron.b.data = 0.25
    x = [0.5, -1.5, 2.0]
    pre = sum(w.data * xi for w, xi in zip(neuron.w, x)) + 0.25
    expected = {
        "tanh": Value(pre).tanh().data,
        "relu": max(pre, 0.0),
        "sigmoid": Value(pre).sigmoid().data,
        "linear": pre,
    }[activation]
    assert neuron(x).data == pytest.approx(expected, rel=1e-14, abs=1e-15)


def test_reprs() -> None:
    model = MLP(3, [4, 4, 1], rng=0)
    layer3 = "Layer of [" + ", ".join(["TanhNeuron(3)"] * 4) + "]"
    layer4 = "Layer of [" + ", ".join(["TanhNeuron(4)"] * 4) + "]"
    assert repr(model) == f"MLP of [{layer3}, {layer4}, Layer of [TanhNeuron(4)]]"
    assert repr(Neuron(2, activation="relu", rng=0)) == "ReLUNeuron(2)"
    assert repr(Neuron(2, activation="sigmoid", rng=0)) == "SigmoidNeuron(2)"
    assert repr(Neuron(2, activation="linear", rng=0)) == "LinearNeuron(2)"


def test_weights_start_uniform_in_minus_one_one_and_biases_at_zero() -> None:
    model = MLP(4, [8, 8, 1], rng=11)
    for layer in model.layers:
        for neuron in layer.neurons:
            assert all(-1.0 <= w.data <= 1.0 for w in neuron.w)
            assert neuron.b.data == 0.0
    assert len(set(weights(model))) > 40  # random, not constant


# --- inputs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "bad_input", "expected", "actual"),
    [
        (MLP(3, [4, 4, 1], rng=0), [1.0, 2.0], 3, 2),
        (MLP(2, [3, 1], rng=0), [1.0, 2.0, 3.0, 4.0], 2, 4),
        (MLP(2, [3, 1], rng=0), 0.5, 2, 1),
        (Layer(3, 2, rng=0), [1.0], 3, 1),
        (Neuron(3, rng=0), [], 3, 0),
    ],
    ids=["mlp short", "mlp long", "mlp scalar", "layer", "neuron"],
)
def test_wrong_input_size_names_expected_and_actual(
    module: Module, bad_input: object, expected: int, actual: int
) -> None:
    with pytest.raises(ValueError) as excinfo:
        module(bad_input)
    message = str(excinfo.value)
    assert f"expected {expected}" in message and f"got {actual}" in message, message


def test_inputs_may_be_floats_ints_or_values() -> None:
    model = MLP(3, [4, 4, 1], rng=2)
    x = [Value(2.0), 3, Value(-1.0)]
    out = model(x)
    assert out.data == model([2.0, 3.0, -1.0]).data
    out.backward()
    assert x[0].grad != 0.0 and x[2].grad != 0.0


def test_single_input_may_be_a_bare_number() -> None:
    model = MLP(1, [3, 1], rng=0)
    assert model(0.5).data == model([0.5]).data


def test_gradients_with_respect_to_inputs_match_finite_differences() -> None:
    model = MLP(3, [4, 4, 1], rng=4)
    result = gradcheck(lambda v: model(v), [0.5, -1.2, 2.0])
    assert result.ok, result


@pytest.mark.parametrize("fused", [True, False])
@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_gradients_with_respect_to_parameters_match_finite_differences(activation: str, fused: bool) -> None:
    model = MLP(2, [3, 1], activation=activation, rng=8, fused=fused)
    xs, ys = [[0.5, -1.0], [-0.3, 0.8]], [1.0, -1.0]

    def loss(params: list[Value]) -> Value:
        load_parameters(model, params)
        return squared_error(model, xs, ys)

    # Nonzero biases keep every relu pre-activation well away from its kink at 0.
    start = [p.data for p in model.parameters()]
    start = [x + 0.1 for x in start]
    result = gradcheck(loss, start)
    assert result.ok, result


# --- activations and sizes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: Neuron(2, activation="softmax"),
        lambda: Layer(2, 2, activation="Tanh"),
        lambda: MLP(2, [2, 1], activation="swish"),
        lambda: MLP(2, [2, 1], output_activation="identity"),
    ],
    ids=["neuron", "layer", "mlp", "mlp output"],
)
def test_unknown_activation_lists_the_valid_names(make: Callable[[], Module]) -> None:
    with pytest.raises(ValueError) as excinfo:
        make()
    message = str(excinfo.value)
    names = ("tanh", "relu", "sigmoid", "leaky_relu", "gelu", "softplus", "linear")
    assert all(name in message for name in names), message


@pytest.mark.parametrize(("nin", "nouts"), [(3, []), (0, [1]), (3, [0]), (3, [-2]), (3, [2.0]), (3, [True])])
def test_bad_layer_sizes_raise_value_error(nin: int, nouts: list) -> None:
    with pytest.raises(ValueError, match="layer sizes"):
        MLP(nin, nouts)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Neuron(-1), ValueError, "nin must be at least 1, got -1"),
        (lambda: Neuron(0), ValueError, "nin must be at least 1, got 0"),
        (lambda: Neuron(2.0), TypeError, "nin must be an int"),
        (lambda: Neuron(True), TypeError, "nin must be an int"),
        (lambda: Layer(2, 0), ValueError, "nout must be at least 1, got 0"),
        (lambda: Layer(-3, 2), ValueError, "nin must be at least 1, got -3"),
        (lambda: Layer(2, "3"), TypeError, "nout must be an int"),
    ],
    ids=["neuron -1", "neuron 0", "neuron float", "neuron bool", "layer nout 0", "layer nin -3", "layer str"],
)
def test_neuron_and_layer_refuse_bad_sizes(make: Callable[[], Module], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        make()


@pytest.mark.parametrize("nouts", [3, 3.0, "16", {16: 1}])
def test_mlp_nouts_must_be_a_list_of_layer_sizes(nouts: object) -> None:
    with pytest.raises(TypeError, match=r"nouts must be a list of layer sizes, e\.g\. \[16, 16, 1\]"):
        MLP(2, nouts)  # type: ignore[arg-type]


def test_mlp_nouts_may_be_any_iterable_of_sizes() -> None:
    assert len(MLP(2, (s for s in [3, 1]), rng=0).parameters()) == 13


@pytest.mark.parametrize(
    "module", [MLP(2, [3, 1], rng=0), Layer(2, 3, rng=0), Neuron(2, rng=0)], ids=["mlp", "layer", "neuron"]
)
@pytest.mark.parametrize("bad_input", [{0.5: "a", -1.0: "b"}, {"x0": 0.5, "x1": -1.0}, {0.5, -1.0}])
def test_models_refuse_dicts_and_sets(module: Module, bad_input: object) -> None:
    # iterating a dict gives its keys, and a set has no order: both would be used silently
    with pytest.raises(TypeError, match="inputs must be a list of numbers or Values, not a (dict|set)"):
        module(bad_input)  # type: ignore[operator]


# --- reproducible initialisation ------------------------------------------------------------------


def test_same_int_seed_gives_same_weights_and_leaves_global_random_alone() -> None:
    state = random.getstate()
    a, b = MLP(3, [4, 4, 1], rng=7), MLP(3, [4, 4, 1], rng=7)
    assert random.getstate() == state
    assert weights(a) == weights(b)
    assert weights(a) != weights(MLP(3, [4, 4, 1], rng=8))


def test_int_seed_and_random_instance_agree() -> None:
    assert weights(MLP(3, [4, 4, 1], rng=7)) == weights(MLP(3, [4, 4, 1], rng=random.Random(7)))


def test_random_instance_is_advanced() -> None:
    rng = random.Random(1)
    assert weights(MLP(2, [3, 1], rng=rng)) != weights(MLP(2, [3, 1], rng=rng))


@pytest.fixture
def global_random_state() -> Iterator[None]:
    """Restore the global generator afterwards, since the test below reseeds it."""
    state = random.getstate()
    yield
    random.setstate(state)


@pytest.mark.usefixtures("global_random_state")
def test_rng_none_uses_the_global_generator() -> None:
    random.seed(1337)
    first = weights(MLP(3, [4, 4, 1]))
    random.seed(1337)
    second = weights(MLP(3, [4, 4, 1], rng=None))
    assert first == second
    assert first != weights(MLP(3, [4, 4, 1]))  # the global generator moved on
    # Classic micrograd draws each weight with random.uniform(-1, 1), in order.
    random.seed(1337)
    assert first[:3] == [random.uniform(-1, 1) for _ in range(3)]


@pytest.mark.parametrize("bad", [True, "7", 1.5, [7]])
def test_bad_rng_raises_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="rng"):
        MLP(2, [2, 1], rng=bad)


# --- fused and classic graphs ----------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_fused_and_classic_graphs_agree(activation: str) -> None:
    kwargs = dict(activation=activation, output_activation="linear", rng=21)
    fused, classic = MLP(2, [16, 16, 1], **kwargs, fused=True), MLP(2, [16, 16, 1], **kwargs, fused=False)
    assert weights(fused) == weights(classic)
    points = [[0.5, -1.0], [1.5, 0.25], [-2.0, 0.75]]
    for point in points:
        assert fused(point).data == classic(point).data  # bit for bit

    inputs = {}
    for name, model in (("fused", fused), ("classic", classic)):
        xs = [[Value(a) for a in point] for point in points]
        loss = Value.sum([model(x) ** 2 for x in xs])
        loss.backward()
        inputs[name] = [x.grad for point in xs for x in point]
    for p, q in zip(fused.parameters(), classic.parameters()):
        assert p.grad == pytest.approx(q.grad, rel=1e-12, abs=1e-12)
    assert inputs["fused"] == pytest.approx(inputs["classic"], rel=1e-12, abs=1e-12)


def test_fused_graph_has_far_fewer_nodes() -> None:
    fused = MLP(2, [16, 16, 1], rng=0)
    classic = MLP(2, [16, 16, 1], rng=0, fused=False)
    fused_graph = topological_order(fused([1.0, 2.0]))
    classic_graph = topological_order(classic([1.0, 2.0]))
    # Same leaves (parameters and inputs); operations: 1 per neuron instead of 2 * nin + 1.
    assert len([n for n in fused_graph if not n._prev]) == len([n for n in classic_graph if not n._prev]) == 339
    assert len([n for n in fused_graph if n._prev]) == 33
    assert len([n for n in classic_graph if n._prev]) == 16 * 5 + 16 * 33 + 33
    assert {n._op for n in fused_graph} == {"", "tanh(wx+b)"}
    assert {n._op for n in classic_graph} == {"", "*", "+", "tanh"}


# --- training ----------------------------------------------------------------------------------------


def test_zero_grad() -> None:
    model = MLP(3, [4, 4, 1], rng=0)
    squared_error(model, TOY_XS, TOY_YS).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
    assert Module().parameters() == []


def test_training_on_toy_data_reduces_the_loss() -> None:
    model = MLP(3, [4, 4, 1], rng=1337)
    losses = []
    for _ in range(30):
        loss = squared_error(model, TOY_XS, TOY_YS)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.05 * p.grad
        losses.append(loss.data)
    assert losses[-1] < 0.1 * losses[0], losses
    predictions = [model(x).data for x in TOY_XS]
    assert all(p * y > 0 for p, y in zip(predictions, TOY_YS)), predictions  # every sign right

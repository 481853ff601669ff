"""micrograd.compile: compiled losses give the eager engine's floats bit for bit, or fail loudly."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from micrograd.compile import CompiledLoss, TracingError, compile_loss
from micrograd.data import make_moons
from micrograd.engine import Value
from micrograd.losses import binary_cross_entropy, l2_regularization, svm_max_margin
from micrograd.nn import MLP
from micrograd.optim import SGD


def bits(x: float) -> str:
    """Equal strings mean equal floats, NaN and the sign of zero included."""
    return repr(x) if not math.isnan(x) else "nan"


def eager_grads(compiled: CompiledLoss, xs: list, ys: list) -> tuple[str, list[str]]:
    for p in compiled.parameters:
        p.grad = 0.0
    loss = compiled.eager_loss(xs, ys)
    loss.backward()
    return bits(loss.data), [bits(p.grad) for p in compiled.parameters]


def compiled_grads(compiled: CompiledLoss, xs: list, ys: list) -> tuple[str, list[str]]:
    for p in compiled.parameters:
        p.grad = 0.0
    loss = compiled(xs, ys)
    return bits(loss), [bits(p.grad) for p in compiled.parameters]


def moons_model() -> tuple[MLP, list[Value], SGD]:
    model = MLP(2, [16, 16, 1], activation="relu", output_activation="linear", rng=1337)
    params = model.parameters()
    return model, params, SGD(params, lr=lambda k: 1.0 - 0.9 * k / 100)


def test_moons_training_matches_the_eager_engine_bit_for_bit() -> None:
    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    eager_model, eager_params, eager_opt = moons_model()
    model, params, opt = moons_model()
    step = compile_loss(
        lambda x, t: (1 + -t * model(x)).relu(),
        example=(X[0], y[0]),
        regularizer=lambda: l2_regularization(params, 1e-4),
    )
    assert {id(p) for p in step.parameters} == {id(p) for p in params}
    for k in range(25):
        loss = svm_max_margin([eager_model(x) for x in X], y) + l2_regularization(eager_params, 1e-4)
        eager_opt.zero_grad()
        loss.backward()
        eager_opt.step()
        opt.zero_grad()
        compiled = step(X, y)
        opt.step()
        assert bits(compiled) == bits(loss.data), k
        assert [bits(p.data) for p in params] == [bits(p.data) for p in eager_params], k


def test_smooth_network_with_every_operation_matches_bit_for_bit() -> None:
    model = MLP(3, [6, 5, 1], activation="tanh", output_activation="sigmoid", rng=4)
    scale = Value(0.7, label="scale")  # a leaf outside the model: it gets a gradient too

    def sample_loss(x: list[Value], t: Value) -> Value:
        p = model(x)
        return (
            (p - t) ** 2
            + (p * 0.5 + 1.0).log() * scale
            + (p * -0.1).exp() ** 0.5
            + (x[0] * p + 2.0) ** scale
            + 1.0 / (p + 3.0)
            + Value.weighted_sum([scale, p], [p, x[1]], t).tanh() * 0.1
        )

    rng = random.Random(0)
    xs = [[rng.uniform(-1, 1) for _ in range(3)] for _ in range(17)]
    ys = [rng.uniform(0, 1) for _ in xs]
    compiled = compile_loss(sample_loss, example=(xs[0], ys[0]), regularizer=lambda: l2_regularization([scale], 0.01))
    assert scale in compiled.parameters
    assert compiled_grads(compiled, xs, ys) == eager_grads(compiled, xs, ys)
    total = compile_loss(sample_loss, example=(xs[0], ys[0]), reduction="sum")
    assert compiled_grads(total, xs, ys) == eager_grads(total, xs, ys)


def test_calls_accumulate_gradients_like_backward() -> None:
    w = Value(0.5)
    loss = compile_loss(lambda x, y: (w * x - y) ** 2, example=(1.0, 0.0))
    loss([1.0, 2.0], [0.0, 1.0])
    once = w.grad
    loss([1.0, 2.0], [0.0, 1.0])
    assert w.grad == 2 * once


def test_source_is_the_backward_pass_written_out() -> None:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    compiled = compile_loss(lambda x, y: (a * x + b).relu(), example=(1.0, 0.0), reduction="sum")
    assert compiled.source.startswith("def loss_and_grads(rows, targets, leaves):")
    for line in ("a, b = [leaf.data for leaf in leaves]", "t1 = a * x", "t2 = t1 + b", "d_a += x * d_t1"):
        assert line in compiled.source
    assert compiled.parameters == [a, b]


def test_constants_are_folded() -> None:
    w = Value(1.5, label="w")
    compiled = compile_loss(lambda x, y: w * x * (Value(2.0) * 3.0 + 1.0), example=(1.0, 0.0))
    assert "t2 = t1 * 7.0" in compiled.source


def test_many_parameters_compile_without_deep_expressions() -> None:
    params = [Value(random.Random(i).uniform(-1, 1)) for i in range(3000)]
    compiled = compile_loss(
        lambda x, y: Value.weighted_sum(params, [x] * len(params), params[0]),
        example=(1.0, 0.0),
        regularizer=lambda: l2_regularization(params, 1e-3),
    )
    assert compiled_grads(compiled, [0.5, -2.0], [0.0, 0.0]) == eager_grads(compiled, [0.5, -2.0], [0.0, 0.0])


def relu_network(seed: int, bias_shift: float) -> tuple[MLP, list[Value]]:
    """A 2-4-4-1 ReLU network; a negative `bias_shift` turns many of its ReLUs off."""
    model = MLP(2, [4, 4, 1], activation="relu", output_activation="linear", rng=seed)
    for layer in model.layers:
        for neuron in layer.neurons:
            neuron.b.data = bias_shift
    return model, model.parameters()


def test_pairs_behind_a_relu_that_is_off_are_skipped() -> None:
    model, params = relu_network(0, 0.0)
    compiled = compile_loss(lambda x, t: (1 + -t * model(x)).relu(), example=([0.5, -1.0], 1.0))
    # layer 2 and 3 multiply by ReLU outputs (t3, t5, ...): each weight-and-input pair is guarded
    assert "            if t3:\n                d_" in compiled.source  # backward: the pair behind t3
    assert "        if t3:\n            t" in compiled.source  # forward: the second layer's sums, input t3
    exact, _, skips = compiled._generate(([0.5, -1.0], 1.0), skip_zeros=False)
    assert compiled._skips and not skips and "if t3:" not in exact


def test_an_infinite_weight_times_a_skipped_zero_gives_the_engines_nan() -> None:
    model, params = relu_network(5, 0.0)
    compiled = compile_loss(lambda x, t: (1 + -t * model(x)).relu(), example=([0.5, -1.0], 1.0))
    xs, ys = [[0.5, -1.0], [-1.0, 0.3]], [1.0, -1.0]
    first_layer = model.layers[0]
    off = next(k for k, h in enumerate(first_layer(xs[0])) if h.data == 0.0)
    model.layers[1].neurons[0].w[off].data = math.inf  # times that ReLU's 0.0: NaN in the engine
    expected = eager_grads(compiled, xs, ys)
    assert expected[0] == "nan"
    assert compiled._function([(0.5, -1.0), (-1.0, 0.3)], ys, compiled.parameters) is None
    assert compiled_grads(compiled, xs, ys) == expected


@settings(deadline=None, derandomize=True, max_examples=40)
@given(seed=st.integers(0, 10_000), bias_shift=st.floats(-1.5, 0.5), spread=st.floats(0.1, 3.0))
def test_skipping_zeros_keeps_every_bit(seed: int, bias_shift: float, spread: float) -> None:
    model, params = relu_network(seed, bias_shift)
    compiled = compile_loss(
        lambda x, t: (1 + -t * model(x)).relu(),
        example=([0.5, -1.0], 1.0),
        regularizer=lambda: l2_regularization(params, 1e-3),
    )
    rng = random.Random(seed)
    xs = [[rng.uniform(-spread, spread), rng.uniform(-spread, spread)] for _ in range(12)]
    ys = [rng.choice([-1.0, 1.0]) for _ in xs]
    assert compiled_grads(compiled, xs, ys) == eager_grads(compiled, xs, ys)


def test_an_infinite_gradient_meeting_a_skipped_zero_gives_the_engines_nan() -> None:
    # 0.0 * inf is NaN in the engine: the compiled loss sees a gradient that is not finite and redoes the
    # batch without skipping, so it returns the same NaNs and infinities, in the same places.
    model, params = relu_network(3, -0.2)
    compiled = compile_loss(lambda x, t: model(x) * 1e200 * 1e200 * t, example=([0.5, -1.0], 1.0))
    xs, ys = [[0.5, -1.0]], [1.0]
    expected = eager_grads(compiled, xs, ys)
    _, skipping = compiled._function([(0.5, -1.0)], [1.0], compiled.parameters)
    assert [bits(g) for g in skipping] != expected[1]  # the skipping code alone would not give the NaNs
    assert "nan" in expected[1] and "inf" in [g.lstrip("-") for g in expected[1]]
    assert compiled_grads(compiled, xs, ys) == expected


# --- random graphs ---------------------------------------------------------------------------------

raw_steps = st.lists(
    st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)),
    min_size=1,
    max_size=12,
)


@settings(deadline=None, derandomize=True, max_examples=60)
@given(
    params=st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=1, max_size=3),
    example=st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=2, max_size=2),
    steps=raw_steps,
    spread=st.floats(0.0, 1.0),
)
def test_random_graphs_match_the_eager_engine_or_raise_its_error(expressions, params, example, steps, spread) -> None:
    leaves = [Value(v, label=f"w{i}") for i, v in enumerate(params)]
    expression = expressions.resolve([*params, *example], steps)
    note(repr(expression.steps))
    compiled = compile_loss(lambda x, y: expression([*leaves, *x]) * y, example=(example, 1.0))
    rng = random.Random(len(steps))
    xs = [[v + rng.uniform(-spread, spread) for v in example] for _ in range(5)]
    ys = [rng.uniform(-1, 1) for _ in xs]
    try:
        expected = eager_grads(compiled, xs, ys)
    except (ArithmeticError, ValueError) as error:  # out of its domain away from the example: same error
        with pytest.raises(type(error)) as raised:
            compiled(xs, ys)
        assert str(raised.value) == str(error)
    else:
        assert compiled_grads(compiled, xs, ys) == expected


# --- the engine's errors survive compilation --------------------------------------------------------


def test_exp_overflow_raises_the_engines_error() -> None:
    w = Value(1.0)
    compiled = compile_loss(lambda x, y: (w * x).exp(), example=(1.0, 0.0))
    with pytest.raises(OverflowError, match=r"exp\(1000.0\) is too large for a float"):
        compiled([1.0, 1000.0], [0.0, 0.0])
    assert w.grad == 0.0  # nothing half-written


def test_log_of_non_positive_raises_the_engines_error() -> None:
    w = Value(1.0)
    compiled = compile_loss(lambda x, y: (w * x).log(), example=(1.0, 0.0))
    with pytest.raises(ValueError, match=r"log is only defined for positive numbers, got -2.0"):
        compiled([1.0, -2.0], [0.0, 0.0])


def test_power_errors_raise_the_engines_error() -> None:
    w = Value(1.0)
    root = compile_loss(lambda x, y: (w * x) ** 0.5, example=(1.0, 0.0))
    with pytest.raises(ValueError, match="is not a real number"):
        root([4.0, -1.0], [0.0, 0.0])
    inverse = compile_loss(lambda x, y: 1 / (w * x), example=(1.0, 0.0))
    with pytest.raises(ZeroDivisionError, match="zero to a negative power"):
        inverse([0.0], [0.0])


# --- guards: what tracing cannot follow fails loudly -------------------------------------------------


def test_a_branch_on_data_is_refused() -> None:
    w = Value(1.0)
    with pytest.raises(TracingError, match=r"reads \.data of a Value that depends on the inputs"):
        compile_loss(lambda x, y: w * x if (w * x).data > 0 else -(w * x), example=(1.0, 0.0))


def test_a_clamp_inside_a_library_loss_is_refused() -> None:
    w = Value(0.5)
    with pytest.raises(TracingError, match=r"reads \.data") as raised:
        compile_loss(lambda x, y: binary_cross_entropy([(w * x).sigmoid()], [0.0]), example=(1.0, 0.0))
    assert any(str(entry.path).endswith("losses.py") for entry in raised.traceback)  # where it branches


def test_copying_a_number_out_of_a_parameter_is_refused() -> None:
    w = Value(2.0)
    with pytest.raises(TracingError):
        compile_loss(lambda x, y: x * w.data, example=(1.0, 0.0))


def test_random_numbers_are_refused() -> None:
    rng = random.Random(0)
    w = Value(1.0)
    with pytest.raises(TracingError, match="different graph"):
        compile_loss(lambda x, y: w * x * rng.random(), example=(1.0, 0.0))


def test_writing_data_while_tracing_is_refused() -> None:
    w = Value(1.0)

    def sneaky(x: Value, y: Value) -> Value:
        w.data = 3.0
        return w * x

    with pytest.raises(TracingError, match=r"changes \.data"):
        compile_loss(sneaky, example=(1.0, 0.0))


def test_a_node_computed_outside_the_loss_is_refused() -> None:
    w = Value(1.0)
    shared = w.tanh()
    with pytest.raises(TracingError, match="computed before it was called"):
        compile_loss(lambda x, y: shared * x, example=(1.0, 0.0))


def test_an_operation_without_a_compiled_form_is_refused() -> None:
    w = Value(1.0)
    with pytest.raises(TracingError, match="no compiled form"):
        compile_loss(lambda x, y: Value(2.0, (w * x,), "twice"), example=(1.0, 0.0))


def test_data_is_a_plain_slot_again_after_tracing_even_after_an_error() -> None:
    slot = Value.__dict__["data"]
    with pytest.raises(ZeroDivisionError):
        compile_loss(lambda x, y: x / 0.0, example=(1.0, 0.0))
    assert Value.__dict__["data"] is slot
    w = Value(1.0)
    compile_loss(lambda x, y: w * x, example=(1.0, 0.0))
    assert Value.__dict__["data"] is slot


def test_batches_are_checked_against_the_example() -> None:
    w = Value(1.0)
    compiled = compile_loss(lambda x, y: w * x[0] * x[1], example=([1.0, 2.0], 0.0))
    with pytest.raises(ValueError, match=r"xs\[1\] should be a list of 2 numbers"):
        compiled([[1.0, 2.0], [1.0]], [0.0, 0.0])
    with pytest.raises(ValueError, match="as many xs as ys"):
        compiled([[1.0, 2.0]], [0.0, 0.0])
    with pytest.raises(TypeError):
        compiled([[1.0, "2"]], [0.0])


def test_parameters_labelled_like_generated_names_are_renamed() -> None:
    params = [Value(0.5, label=name) for name in ("exp", "range", "loss", "t1")]
    compiled = compile_loss(lambda x, y: (Value.weighted_sum(params, [x] * 4, params[0])).exp(), example=(1.0, 0.0))
    assert "p0, p1, p2, p3 = " in compiled.source
    assert compiled_grads(compiled, [0.5, 1.0], [0.0, 0.0]) == eager_grads(compiled, [0.5, 1.0], [0.0, 0.0])


def test_inputs_may_be_any_iterable_once() -> None:
    w = Value(2.0)
    compiled = compile_loss(lambda x, y: (w * x).log(), example=(1.0, 0.0))
    with pytest.raises(ValueError, match="log is only defined for positive numbers"):
        compiled((v for v in [1.0, -1.0]), (v for v in [0.0, 0.0]))


def test_a_batch_of_floats_and_one_of_ints_give_the_same_loss() -> None:
    # Lists of floats pass to the generated code as they are; anything else is converted first.
    model, params = relu_network(1, 0.0)
    compiled = compile_loss(lambda x, t: (1 + -t * model(x)).relu(), example=([0.5, -1.0], 1.0))
    as_floats = compiled_grads(compiled, [[1.0, -2.0], [3.0, 0.0]], [1.0, -1.0])
    assert compiled_grads(compiled, [[1, -2], (3, 0)], [1, -1]) == as_floats
    with pytest.raises(ValueError, match=r"xs\[1\] should be a list of 2 numbers"):
        compiled([[1.0, -2.0], [3.0]], [1.0, -1.0])

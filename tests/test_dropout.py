"""Tests of Dropout, Sequential, Module.train()/eval() and train_val_split."""

from __future__ import annotations

import random

import pytest

from micrograd.data import train_val_split
from micrograd.engine import Value
from micrograd.nn import MLP, Dropout, Layer, Module, Neuron, Sequential

# --- train / eval ----------------------------------------------------------------

def test_modules_start_in_training_mode_and_switch_together() -> None:
    model = Sequential(Layer(2, 3, rng=0), Dropout(0.5, rng=0), Layer(3, 1, rng=0))
    tree = [model, *model.layers, *model.layers[0].neurons, *model.layers[2].neurons]
    assert all(m.training for m in tree)
    assert model.eval() is model
    assert not any(m.training for m in tree)
    assert model.train() is model
    assert all(m.training for m in tree)
    model.train(False)
    assert not any(m.training for m in tree)


def test_train_and_eval_reach_modules_inside_an_mlp() -> None:
    model = MLP(2, [3, 1], rng=0).eval()
    assert not any(n.training for layer in model.layers for n in layer.neurons)


def test_train_mode_must_be_a_bool() -> None:
    with pytest.raises(TypeError, match="mode must be True or False"):
        Neuron(2, rng=0).train(1)  # type: ignore[arg-type]


def test_a_module_without_submodules_switches_itself() -> None:
    class Plain(Module):
        pass

    assert Plain().eval().training is False


# --- Dropout -----------------------------------------------------------------------

def test_eval_mode_is_the_identity_and_returns_the_inputs_themselves() -> None:
    xs = [Value(float(i)) for i in range(10)]
    drop = Dropout(0.9, rng=0).eval()
    assert drop(xs) == xs
    assert all(a is b for a, b in zip(drop(xs), xs, strict=True))
    x = Value(3.0)
    assert drop(x) is x


def test_training_mode_zeroes_or_scales_each_input() -> None:
    p = 0.25
    outputs = Dropout(p, rng=3)([1.0] * 2000)
    values = {v.data for v in outputs}
    assert values == {0.0, 1 / (1 - p)}
    dropped = sum(v.data == 0.0 for v in outputs) / len(outputs)
    assert dropped == pytest.approx(p, abs=0.03)  # 2000 draws: the standard error is ~0.01
    mean = sum(v.data for v in outputs) / len(outputs)
    assert mean == pytest.approx(1.0, abs=0.05)  # inverted dropout keeps the expected value


def test_gradient_flows_only_through_kept_inputs_with_the_same_scale() -> None:
    xs = [Value(2.0) for _ in range(50)]
    out = Value.sum(Dropout(0.5, rng=1)(xs))
    out.backward()
    assert {x.grad for x in xs} == {0.0, 2.0}
    assert out.data == pytest.approx(2.0 * sum(x.grad for x in xs))


def test_masks_are_seeded_and_change_from_call_to_call() -> None:
    first, second = Dropout(0.5, rng=7), Dropout(0.5, rng=7)
    masks_a = [[v.data for v in first([1.0] * 20)] for _ in range(3)]
    masks_b = [[v.data for v in second([1.0] * 20)] for _ in range(3)]
    assert masks_a == masks_b
    assert masks_a[0] != masks_a[1]
    generator = random.Random(7)
    assert [v.data for v in Dropout(0.5, rng=generator)([1.0] * 20)] == masks_a[0]


def test_p_zero_keeps_everything_and_a_single_value_stays_single() -> None:
    assert [v.data for v in Dropout(0.0, rng=0)([1.0, 2.0])] == [1.0, 2.0]
    out = Dropout(0.5, rng=0)(Value(4.0))
    assert isinstance(out, Value) and out.data in (0.0, 8.0)


@pytest.mark.parametrize("p, error", [(1.0, ValueError), (-0.1, ValueError), (float("nan"), ValueError),
                                      (True, TypeError), ("0.5", TypeError)])
def test_bad_p_is_refused(p: object, error: type) -> None:
    with pytest.raises(error, match="p must"):
        Dropout(p)  # type: ignore[arg-type]


def test_dropout_has_no_parameters_and_a_repr() -> None:
    assert Dropout(0.3).parameters() == []
    assert repr(Dropout(0.3)) == "Dropout(p=0.3)"


# --- Sequential ----------------------------------------------------------------------

def test_sequential_of_layers_equals_the_mlp_with_the_same_generator() -> None:
    rng = random.Random(5)
    model = Sequential(Layer(1, 6, rng=rng), Dropout(0.5, rng=0), Layer(6, 6, rng=rng),
                       Layer(6, 1, activation="linear", rng=rng))
    mlp = MLP(1, [6, 6, 1], output_activation="linear", rng=5)
    assert [p.data for p in model.parameters()] == [p.data for p in mlp.parameters()]
    model.eval()
    assert [model(x).data for x in (-1.0, 0.5, 2.0)] == [mlp(x).data for x in (-1.0, 0.5, 2.0)]


def test_training_with_dropout_reaches_only_kept_units() -> None:
    model = Sequential(Layer(1, 20, rng=0), Dropout(0.5, rng=0), Layer(20, 1, activation="linear", rng=0))
    out = model(1.0)
    model.zero_grad()
    out.backward()
    last = model.layers[2].neurons[0]
    grads = [w.grad for w in last.w]
    assert 0 < sum(g == 0.0 for g in grads) < len(grads)  # some hidden units were dropped, not all


def test_sequential_refuses_nothing_and_non_modules() -> None:
    with pytest.raises(ValueError, match="at least one module"):
        Sequential()
    with pytest.raises(TypeError, match="got function at position 1"):
        Sequential(Layer(1, 1, rng=0), lambda x: x)  # type: ignore[arg-type]


# --- train_val_split ------------------------------------------------------------------

def test_split_partitions_the_data_and_keeps_order() -> None:
    xs = list(range(40))
    ys = [10 * x for x in xs]
    (train_x, train_y), (val_x, val_y) = train_val_split(xs, ys, val_fraction=0.25, seed=3)
    assert len(val_x) == 10 and len(train_x) == 30
    assert sorted(train_x + val_x) == xs
    assert train_x == sorted(train_x) and val_x == sorted(val_x)
    assert train_y == [10 * x for x in train_x] and val_y == [10 * x for x in val_x]


def test_split_is_seeded() -> None:
    xs = list(range(30))
    assert train_val_split(xs, xs, seed=1) == train_val_split(xs, xs, seed=1)
    assert train_val_split(xs, xs, seed=1) != train_val_split(xs, xs, seed=2)


def test_split_keeps_a_sample_on_each_side() -> None:
    (train_x, _), (val_x, _) = train_val_split([1, 2, 3], [1, 2, 3], val_fraction=0.01)
    assert (len(train_x), len(val_x)) == (2, 1)
    (train_x, _), (val_x, _) = train_val_split([1, 2, 3], [1, 2, 3], val_fraction=0.99)
    assert (len(train_x), len(val_x)) == (1, 2)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"xs": [1, 2], "ys": [1]}, ValueError, "as many xs as ys"),
    ({"xs": [1], "ys": [1]}, ValueError, "at least 2"),
    ({"val_fraction": 0.0}, ValueError, r"val_fraction must be in \(0, 1\)"),
    ({"val_fraction": 1.0}, ValueError, "val_fraction"),
    ({"val_fraction": "half"}, TypeError, "val_fraction"),
    ({"seed": "x"}, TypeError, "seed"),
])
def test_split_refuses_bad_arguments(kwargs: dict, error: type, message: str) -> None:
    arguments = {"xs": [1, 2, 3, 4], "ys": [1, 2, 3, 4], **kwargs}
    with pytest.raises(error, match=message):
        train_val_split(**arguments)
